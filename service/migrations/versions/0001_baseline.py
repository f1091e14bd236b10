"""Baseline: the schema of the first release (0.1.0), which created its tables with
`create_all` and had no version table.

Every table is created only when missing, so the same revision brings a new database
to the baseline and stamps one made by 0.1.0 (whose Google and Drive tables exist only
where those features were used).

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def _create(name: str, *columns, indexes: tuple[tuple[str, list[str]], ...] = ()) -> None:
    if sa.inspect(op.get_bind()).has_table(name):
        return
    op.create_table(name, *columns)
    for index_name, cols in indexes:
        op.create_index(index_name, name, cols)


def upgrade() -> None:
    _create(
        "document_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("association", sa.Text, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("year", sa.String(9), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("location", sa.String(1000), nullable=False),
        sa.Column("stored_as", sa.String(1000)),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("association", "kind", "year", "number", "version"),
        indexes=(("ix_document_versions_association", ["association"]),),
    )
    _create(
        "associations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(80), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("short_name", sa.Text, nullable=False),
        sa.Column("territory", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False, unique=True),
        sa.Column("regulation_id", sa.String(80)),
        sa.Column("regulation_override", sa.String(80)),
        sa.Column("source", sa.String(1000), nullable=False),
        sa.Column("curator", sa.Text, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("source_mtime", sa.Float),
        sa.Column("source_sha256", sa.String(64)),
        sa.Column("school_year", sa.String(9)),
        sa.Column("checked_at", UTC_TIME),
        sa.Column("errors", sa.Integer),
        sa.Column("warnings", sa.Integer),
        sa.Column("unreadable", sa.Text),
        sa.Column("next_deadline", sa.Date),
        sa.Column("next_deadline_what", sa.String(300)),
        sa.Column("lock_owner", sa.String(100)),
        sa.Column("lock_until", UTC_TIME),
    )
    _create(
        "snapshots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("association_id", sa.Integer, sa.ForeignKey("associations.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("source_sha256", sa.String(64)),
        sa.Column("regulation_id", sa.String(80)),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
        indexes=(("ix_snapshots_association_id", ["association_id"]),),
    )
    _create(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("association_id", sa.Integer),
        sa.Column("details", sa.JSON, nullable=False),
        indexes=(("ix_audit_log_at", ["at"]), ("ix_audit_log_association_id", ["association_id"])),
    )
    _create(
        "jobs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("association_id", sa.Integer),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("max_attempts", sa.Integer, nullable=False),
        sa.Column("lease_until", UTC_TIME),
        sa.Column("worker", sa.String(100)),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("started_at", UTC_TIME),
        sa.Column("finished_at", UTC_TIME),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("progress_done", sa.Integer, nullable=False),
        sa.Column("progress_total", sa.Integer, nullable=False),
        sa.Column("result", sa.JSON),
        sa.Column("error", sa.JSON),
        sa.Column("dedupe_key", sa.String(200)),
        sa.Column("parent_id", sa.String(36)),
        sa.UniqueConstraint("dedupe_key", name="uq_jobs_dedupe"),
        indexes=(("ix_jobs_state", ["state"]), ("ix_jobs_association_id", ["association_id"]),
                 ("ix_jobs_parent_id", ["parent_id"])),
    )
    _create(
        "google_change_tokens",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("token", sa.String(200), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
    )
    _create(
        "google_channels",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("resource_id", sa.String(200), nullable=False),
        sa.Column("token", sa.String(256), nullable=False),
        sa.Column("expiration", sa.BigInteger, nullable=False),
        sa.Column("address", sa.String(1000), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
    )
    _create(
        "drive_documents",
        sa.Column("key_hash", sa.String(64), primary_key=True),
        sa.Column("association", sa.Text, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("year", sa.String(9), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("file_id", sa.String(200), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("head_revision", sa.String(200)),
        sa.Column("shared_with", sa.String(320)),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
    )


def downgrade() -> None:
    for name in ("drive_documents", "google_channels", "google_change_tokens", "jobs", "audit_log", "snapshots",
                 "associations", "document_versions"):
        op.drop_table(name)
