"""Database tables of the workspace.  The documents registry lives in service/db.py."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, utcnow


class Association(Base):
    __tablename__ = "associations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(Text)          # names as typed: no length limit to trip on PostgreSQL
    short_name: Mapped[str] = mapped_column(Text, default="")
    territory: Mapped[str] = mapped_column(Text, default="")
    # the first release filed documents under this name; documents are filed under the slug now,
    # and `label` is kept equal to it
    label: Mapped[str] = mapped_column(Text, unique=True,
                                       default=lambda ctx: ctx.get_current_parameters()["slug"])
    # the compared spelling of `territory` (accounts.principal.territory_key): curators' scope
    territory_key: Mapped[str] = mapped_column(String(300), default="", server_default="", index=True)
    # another «Территория» a re-check found: the association stays in its curator's scope until
    # a curator or admin confirms the move (Workspace.confirm_territory)
    pending_territory: Mapped[str | None] = mapped_column(Text, nullable=True)
    # who the register is (workspace.identity.register_key): one association per register, kept
    # by the database itself so parallel uploads cannot make two
    register_key: Mapped[str | None] = mapped_column(String(64), unique=True, index=True, nullable=True)
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    regulation_id: Mapped[str | None] = mapped_column(String(80), nullable=True)        # as last checked
    # chosen at upload when «Сведения» names none; otherwise the workbook's «Положение» decides
    regulation_override: Mapped[str | None] = mapped_column(String(80), nullable=True)
    source: Mapped[str] = mapped_column(String(1000))            # a workbook path, or gsheet:<id>
    curator: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # what the last check saw: the dashboard reads only these columns
    source_mtime: Mapped[float | None] = mapped_column(Float, nullable=True)
    source_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    school_year: Mapped[str | None] = mapped_column(String(9), nullable=True)
    checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    errors: Mapped[int | None] = mapped_column(Integer, nullable=True)
    warnings: Mapped[int | None] = mapped_column(Integer, nullable=True)
    unreadable: Mapped[str | None] = mapped_column(Text, nullable=True)   # why the source could not be read
    next_deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    next_deadline_what: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # the curator's desk, computed when a check is recorded (service/domain/compliance_matrix.py,
    # obligations.py): read by the matrix, the calendar feed and the digests, never recomputed per view
    compliance: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    obligations: Mapped[list | None] = mapped_column(JSON, nullable=True)
    # IANA name of the association's time zone («Часовой пояс» in «Сведения», else its territory's)
    time_zone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # one association is processed by one worker at a time
    lock_owner: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lock_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class WorkbookVersion(Base):
    """Every workbook an association has had: replacing one keeps the previous file, which
    can be restored."""

    __tablename__ = "workbook_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    original_name: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="")


class Snapshot(Base):
    """The findings of one check, kept so a curator can see what was wrong when, and
    the summary an association's page shows (service/workspace/summary.py), so that
    viewing it never reads the workbook again."""

    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    as_of: Mapped[dt.date] = mapped_column(Date)
    source_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    regulation_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    counts: Mapped[dict] = mapped_column(JSON)
    findings: Mapped[list] = mapped_column(JSON)
    summary: Mapped[dict | None] = mapped_column(JSON, nullable=True)     # None: made before 0002
    # «Состав» as the members page shows it (summary.roster); personal columns apart, served
    # only to those who may see them.  None: made before 0010 (the workbook is read instead)
    roster: Mapped[list | None] = mapped_column(JSON, nullable=True)
    roster_personal: Mapped[list | None] = mapped_column(JSON, nullable=True)


class AuditEvent(Base):
    """Who did what, when, from which data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    # the signed-in account that acted (service/web/auth.py fills them in a request): the
    # name above is chosen by the person, these are not
    account_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    action: Mapped[str] = mapped_column(String(80))
    association_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class Job(Base):
    """The record of every piece of background work.  The queue only carries job ids:
    if a message is lost or a worker dies, the sweeper re-queues from here."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("dedupe_key", name="uq_jobs_dedupe"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    association_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(20), default="queued", index=True)   # queued running done failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    worker: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    requested_by: Mapped[str] = mapped_column(String(200), default="")
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    error: Mapped[dict | None] = mapped_column(JSON, nullable=True)     # {"code", "message", "findings"?}
    dedupe_key: Mapped[str | None] = mapped_column(String(200), nullable=True)  # cleared when the job ends
    parent_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
