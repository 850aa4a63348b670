"""the process that claimed an application, so a killed sync's claims return at once

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("claimed_by", sa.Integer))


def downgrade() -> None:
    op.drop_column("outbox", "claimed_by")
