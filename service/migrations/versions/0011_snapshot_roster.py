"""Snapshots keep the members list («Состав»), its personal columns apart, so the members
page and API serve it without reading the workbook again (which spent the Sheets quota and
failed while the source was unreadable).  Older snapshots have none: the workbook is read
for them as before.

Revision ID: 0011_snapshot_roster
Revises: 0010_audit_account
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_snapshot_roster"
down_revision = "0010_audit_account"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("snapshots") as batch:
        batch.add_column(sa.Column("roster", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("roster_personal", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("snapshots") as batch:
        batch.drop_column("roster_personal")
        batch.drop_column("roster")
