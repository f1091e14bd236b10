"""The curator's desk: each association keeps its compliance row, its dated obligations
and its time zone (computed when a check is recorded); accounts get a calendar feed and
the weekly digest's opt-out and record.  Older associations get theirs at their next
check; until then the matrix shows them as not yet checked.

Revision ID: 0007_desk
Revises: 0006_snapshot_summary
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_desk"
down_revision = "0006_snapshot_summary"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("associations") as batch:
        batch.add_column(sa.Column("compliance", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("obligations", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("time_zone", sa.String(64), nullable=True))
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("digest", sa.Boolean(), nullable=False, server_default="1"))
    op.create_table(
        "calendar_feeds",
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_calendar_feeds_token_hash", "calendar_feeds", ["token_hash"], unique=True)
    op.create_table(
        "digests_sent",
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("week", sa.String(8), primary_key=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("errors", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("digests_sent")
    op.drop_index("ix_calendar_feeds_token_hash", table_name="calendar_feeds")
    op.drop_table("calendar_feeds")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("digest")
    with op.batch_alter_table("associations") as batch:
        batch.drop_column("time_zone")
        batch.drop_column("obligations")
        batch.drop_column("compliance")
