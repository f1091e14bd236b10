"""Document versions record the file name people see.

A Drive document's location is its file id, which is no name to show; a WebDAV or
Yandex Disk location is an address.  Rows filed before this revision keep NULL and
are shown by the last part of their location, as before.

Revision ID: 0002_document_file_names
Revises: 0001_baseline
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_document_file_names"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_versions") as batch:
        batch.add_column(sa.Column("name", sa.String(255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document_versions") as batch:
        batch.drop_column("name")
