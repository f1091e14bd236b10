"""Journal entries carry the account that acted (id and e-mail), not only the name it
shows: an invitee chooses their own name and could sign as someone else.  Older entries
have none.

Revision ID: 0010_audit_account
Revises: 0009_pending_territory
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_audit_account"
down_revision = "0009_pending_territory"
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
