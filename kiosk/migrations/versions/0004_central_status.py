"""the centre's latest status of each delivered application, for progress queries at the kiosk

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("central_status", sa.String(32)))
    op.add_column("outbox", sa.Column("status_at", sa.DateTime()))


def downgrade() -> None:
    op.drop_column("outbox", "status_at")
    op.drop_column("outbox", "central_status")
