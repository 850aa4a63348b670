"""The reference central case store: an HTTP JSON API over SQLAlchemy."""
