"""Journal entries carry the account that acted (id and e-mail), not only the name it
shows: an invitee chooses their own name and could sign as someone else.  Older entries
have none.

Revision ID: 0009_audit_account
Revises: 0008_pending_territory
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_audit_account"
down_revision = "0008_pending_territory"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("actor_email", sa.String(254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("actor_email")
        batch.drop_column("account_id")
