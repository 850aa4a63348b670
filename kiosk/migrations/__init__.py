"""Alembic revisions of the kiosk's local schema.

HEAD names the newest revision so start-up can see an up-to-date database with one query and skip
loading Alembic (about half a second on a kiosk PC); tests/test_migrations.py keeps it true.
"""

HEAD = "0006"
