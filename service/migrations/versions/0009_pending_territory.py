"""A re-check that finds another «Территория» in the workbook no longer moves the
association to another curator's scope: the new territory waits in
`associations.pending_territory` until a curator or admin confirms it.

Revision ID: 0009_pending_territory
Revises: 0008_association_roles
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_pending_territory"
down_revision = "0008_association_roles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("associations") as batch:
        batch.add_column(sa.Column("pending_territory", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("associations") as batch:
        batch.drop_column("pending_territory")
