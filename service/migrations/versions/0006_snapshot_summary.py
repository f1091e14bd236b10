"""Snapshots keep what an association's page shows (meetings, members' summary), so
viewing it never reads the workbook again.  Older snapshots have none: their page
asks for a new check.

Revision ID: 0006_snapshot_summary
Revises: 0005_accounts
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_snapshot_summary"
down_revision = "0005_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("snapshots") as batch:
        batch.add_column(sa.Column("summary", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("snapshots") as batch:
        batch.drop_column("summary")
