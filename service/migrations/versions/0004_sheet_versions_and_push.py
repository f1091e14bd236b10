"""Google Sheets watched across restarts: the version last read of every watched sheet
(`google_sheet_versions`), so that the first sync after a restart reads nothing that
did not change, and the mark that coalesces push notifications (`google_push`).

Revision ID: 0004_sheet_versions_and_push
Revises: 0003_drive_pins_and_shares
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_sheet_versions_and_push"
down_revision = "0003_drive_pins_and_shares"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "google_sheet_versions",
        sa.Column("spreadsheet_id", sa.String(200), primary_key=True),
        sa.Column("version", sa.String(40)),
        sa.Column("failed", sa.Boolean, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
    )
    op.create_table(
        "google_push",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("pending_since", UTC_TIME),
        sa.Column("updated_at", UTC_TIME, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("google_push")
    op.drop_table("google_sheet_versions")
