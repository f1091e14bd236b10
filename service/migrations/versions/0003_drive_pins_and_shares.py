"""Drive filing corrected: revisions kept forever are counted (`drive_pins`), sharing
with a curator is recorded once per file and address with why it failed
(`drive_shares`, replacing `drive_documents.shared_with`), and a document remembers
its MIME type and where people open it.

Revision ID: 0003_drive_pins_and_shares
Revises: 0002_document_file_names
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_drive_pins_and_shares"
down_revision = "0002_document_file_names"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "drive_pins",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_id", sa.String(200), nullable=False),
        sa.Column("revision_id", sa.String(200), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.UniqueConstraint("file_id", "revision_id"),
    )
    op.create_index("ix_drive_pins_file_id", "drive_pins", ["file_id"])
    op.create_table(
        "drive_shares",
        sa.Column("file_id", sa.String(200), primary_key=True),
        sa.Column("email", sa.String(320), primary_key=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("code", sa.String(60)),
        sa.Column("message", sa.Text),
        sa.Column("created_at", UTC_TIME, nullable=False),
    )
    op.execute("INSERT INTO drive_shares (file_id, email, state, created_at) "
               "SELECT DISTINCT file_id, shared_with, 'shared', updated_at FROM drive_documents "
               "WHERE shared_with IS NOT NULL AND state = 'filed'")
    with op.batch_alter_table("drive_documents") as batch:
        batch.add_column(sa.Column("mime_type", sa.String(100)))
        batch.add_column(sa.Column("web_link", sa.String(500)))
        batch.drop_column("shared_with")


def downgrade() -> None:
    with op.batch_alter_table("drive_documents") as batch:
        batch.add_column(sa.Column("shared_with", sa.String(320)))
        batch.drop_column("web_link")
        batch.drop_column("mime_type")
    op.drop_index("ix_drive_pins_file_id", "drive_pins")
    op.drop_table("drive_shares")
    op.drop_table("drive_pins")
