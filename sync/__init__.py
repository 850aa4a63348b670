"""The durable outbox, the sync worker and the wire protocol to the central case store."""
