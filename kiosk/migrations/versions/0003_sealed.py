"""which key sealed each value (NULL: written before sealing, still plain)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("key_id", sa.String(16)))
    op.add_column("attachments", sa.Column("key_id", sa.String(16)))


def downgrade() -> None:
    op.drop_column("attachments", "key_id")
    op.drop_column("outbox", "key_id")
