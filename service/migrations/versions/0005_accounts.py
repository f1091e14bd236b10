"""Accounts and roles; data that cannot be lost or mixed.

- accounts and their scope, sign-in sessions, one-time links, API tokens, failed sign-ins;
- associations: `territory_key` (curators' scope), `register_key` (unique: one association
  per register), `archived_at`; documents are filed under the unique slug from now on, so the
  registry's rows (and Drive's) keyed by the old `label` follow their association, and
  `label` becomes the slug too;
- workbook_versions: every workbook an association has had, starting with its current one.

Two associations of one register (made by the race this revision closes) keep their
data: the later one is archived, with a note in the audit log, and gets no key.

No table is rebuilt: SQLite would rebuild `associations` by dropping it, and with foreign
keys on that cascades to its snapshots and versions.  Columns are added in place and the
register key is a unique index.

Revision ID: 0005_accounts
Revises: 0004_sheet_versions_and_push
Create Date: 2026-11-30
"""
import datetime as dt
import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0005_accounts"
down_revision = "0004_sheet_versions_and_push"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def _account_fk():
    return sa.ForeignKey("accounts.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("password_hash", sa.String(300)),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("last_login_at", UTC_TIME),
    )
    op.create_table(
        "account_territories",
        sa.Column("account_id", sa.Integer, _account_fk(), primary_key=True),
        sa.Column("territory", sa.String(300), primary_key=True),
    )
    op.create_table(
        "account_associations",
        sa.Column("account_id", sa.Integer, _account_fk(), primary_key=True),
        sa.Column("association_id", sa.Integer, sa.ForeignKey("associations.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
    )
    op.create_table(
        "login_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("account_id", sa.Integer, _account_fk(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("seen_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("via", sa.String(20), nullable=False),
    )
    op.create_index("ix_login_sessions_account_id", "login_sessions", ["account_id"])
    op.create_table(
        "one_time_links",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("account_id", sa.Integer, _account_fk(), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("used_at", UTC_TIME),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_one_time_links_account_id", "one_time_links", ["account_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, _account_fk(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("last_used_at", UTC_TIME),
        sa.Column("revoked_at", UTC_TIME),
    )
    op.create_index("ix_api_tokens_account_id", "api_tokens", ["account_id"])
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(300), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_at", UTC_TIME, nullable=False),
        sa.Column("locked_until", UTC_TIME),
    )
    op.create_table(
        "workbook_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("association_id", sa.Integer, sa.ForeignKey("associations.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("source", sa.String(1000), nullable=False),
        sa.Column("sha256", sa.String(64)),
        sa.Column("original_name", sa.Text, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_workbook_versions_association_id", "workbook_versions", ["association_id"])

    op.add_column("associations", sa.Column("territory_key", sa.String(300), nullable=False, server_default=""))
    op.add_column("associations", sa.Column("register_key", sa.String(64)))
    op.add_column("associations", sa.Column("archived_at", UTC_TIME))
    _rekey_associations()
    op.create_index("ix_associations_territory_key", "associations", ["territory_key"])
    op.create_index("ix_associations_register_key", "associations", ["register_key"], unique=True)


def _rekey_associations() -> None:
    from service.accounts.principal import territory_key
    from service.workspace.identity import register_key

    bind = op.get_bind()
    now = dt.datetime.now(dt.timezone.utc)
    rows = bind.execute(sa.text("SELECT id, slug, label, name, short_name, territory, school_year, source "
                                "FROM associations ORDER BY id")).all()
    seen: set[str] = set()
    for row in rows:
        key = register_key(row.name, row.short_name, row.territory, row.school_year) if row.school_year else None
        duplicate = key in seen
        if key and not duplicate:
            seen.add(key)
        bind.execute(sa.text("UPDATE associations SET territory_key = :t, register_key = :k, archived_at = :arch "
                             "WHERE id = :id"),
                     {"t": territory_key(row.territory), "k": None if duplicate else key,
                      "arch": now if duplicate else None, "id": row.id})
        if duplicate:
            bind.execute(sa.text("INSERT INTO audit_log (at, actor, action, association_id, details) "
                                 "VALUES (:at, 'обновление', 'association.archive', :id, :d)"),
                         {"at": now, "id": row.id, "d": '{"reason": "duplicate"}'})
        bind.execute(sa.text("INSERT INTO workbook_versions (association_id, source, sha256, original_name, "
                             "created_at, created_by) VALUES (:id, :src, NULL, '', :at, '')"),
                     {"id": row.id, "src": row.source, "at": now})
        # documents are filed under the slug from now on: the registry follows the association
        bind.execute(sa.text("UPDATE document_versions SET association = :slug WHERE association = :label"),
                     {"slug": row.slug, "label": row.label})
        bind.execute(sa.text("UPDATE associations SET label = slug WHERE id = :id"), {"id": row.id})
        if sa.inspect(bind).has_table("drive_documents"):
            for doc in bind.execute(sa.text("SELECT key_hash, kind, year, number FROM drive_documents "
                                            "WHERE association = :label"), {"label": row.label}).all():
                new = hashlib.sha256("\x1f".join(["mo-docs/1", row.slug, doc.kind, doc.year, doc.number])
                                     .encode("utf-8")).hexdigest()
                bind.execute(sa.text("UPDATE drive_documents SET association = :slug, key_hash = :new "
                                     "WHERE key_hash = :old"), {"slug": row.slug, "new": new, "old": doc.key_hash})


def downgrade() -> None:
    """Drops what this revision added except the three columns of `associations` (dropping a
    column makes SQLite rebuild the table, which cascades to its snapshots)."""
    op.drop_index("ix_associations_register_key", "associations")
    op.drop_index("ix_associations_territory_key", "associations")
    for name in ("workbook_versions", "login_failures", "api_tokens", "one_time_links", "login_sessions",
                 "account_associations", "account_territories", "accounts"):
        op.drop_table(name)
