"""The weekly digest by e-mail: to each curator the new errors, the overdue and the next
deadlines across their associations; to each head their findings, the next meeting and
the documents still to prepare.  Each is a small HTML message with a plain-text twin,
sent through service/mail.  One per account and ISO week: the week is claimed in the
database before sending (a second worker, or the hourly job run again, finds it taken);
a message that could not be sent gives its claim back, so the next run tries again.
People turn it off on their account page."""
from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from service.desk.models import DigestSent
from service.desk.preparation import to_prepare
from service.domain.obligations import OVERDUE, UPCOMING, stored
from service.russian.plural import count

log = logging.getLogger("mo-docs.digests")
ROLES = ("curator", "head")
NEXT_DAYS = 14                   # «next deadlines»: those of the next two weeks
MAX_ITEMS = 15                   # per list: a digest is read on a phone
_ENV = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
_ENV.filters["count"] = count
_ENV.filters["ru_date"] = lambda d: d.strftime("%d.%m.%Y")


def week_of(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Item:
    association: str
    text: str
    link: str
    days: int = 0


@dataclass
class Digest:
    account_id: int
    email: str
    name: str
    role: str
    week: str
    associations: int = 0
    new_errors: list[Item] = field(default_factory=list)      # a curator's: errors not there a week ago
    findings: list[Item] = field(default_factory=list)        # a head's: every error of their workbook
    overdue: list[Item] = field(default_factory=list)
    upcoming: list[Item] = field(default_factory=list)
    meetings: list[Item] = field(default_factory=list)
    documents: list[Item] = field(default_factory=list)
    errors_total: int = 0

    @property
    def subject(self) -> str:
        parts = []
        if self.role == "head" and self.findings:
            parts.append(count(len(self.findings), "ошибка в книге", "ошибки в книге", "ошибок в книге"))
        if self.new_errors:
            parts.append(count(len(self.new_errors), "новая ошибка", "новые ошибки", "новых ошибок"))
        if self.overdue:
            parts.append(count(len(self.overdue), "просроченный срок", "просроченных срока", "просроченных сроков"))
        return "Сводка за неделю по методическим объединениям" + (f": {', '.join(parts)}" if parts else "")

    def render(self, settings_url: str) -> tuple[str, str]:
        ctx = {"d": self, "settings_url": settings_url, "max": MAX_ITEMS}
        return _ENV.get_template("digest.txt").render(ctx), _ENV.get_template("digest.html").render(ctx)


def build(ws, account, today: dt.date, base_url: str) -> Digest | None:
    """The account's digest for the week of `today`, or None when it has no associations."""
    from service.accounts.principal import principal_for_account

    principal = principal_for_account(ws.sf, account.id)
    if principal is None:
        return None
    associations = ws.associations(principal)
    if not associations:
        return None
    d = Digest(account.id, account.email, account.name or "", account.role, week_of(today),
               associations=len(associations))
    week_ago = dt.datetime.combine(today - dt.timedelta(days=7), dt.time(), tzinfo=dt.timezone.utc)
    for a in associations:
        name = a.short_name or a.name
        page = f"{base_url}/a/{a.slug}"
        d.errors_total += a.errors or 0
        snap = ws.latest_snapshot(a.id)
        errors = [f for f in (snap.findings if snap else []) if f.get("severity") == "error"]
        if account.role == "head":
            d.findings += [Item(name, f.get("message", ""), page) for f in errors]
        elif snap is not None:                  # a curator's: only what was not there a week ago
            before = snapshot_before(ws, a.id, week_ago)
            if before is None or snap.id != before.id:
                known = {(f.get("code"), f.get("message")) for f in (before.findings if before else [])}
                d.new_errors += [Item(name, f.get("message", ""), page) for f in errors
                                 if (f.get("code"), f.get("message")) not in known]
        duties = stored(a.obligations)
        for o in duties:
            state = o.state(today)
            if state == OVERDUE:
                d.overdue.append(Item(name, o.what, page, o.overdue_days(today)))
            elif state == UPCOMING and o.day <= today + dt.timedelta(days=NEXT_DAYS):
                d.upcoming.append(Item(name, f"{o.day:%d.%m.%Y} — {o.what}", page, (o.day - today).days))
        if account.role == "head":
            meeting = next((o for o in duties if o.kind == "meeting" and o.state(today) == UPCOMING), None)
            if meeting is not None:
                d.meetings.append(Item(name, f"{meeting.day:%d.%m.%Y} — {meeting.what}", page))
            d.documents += [Item(name, title, page) for title in to_prepare(ws, a, today)]
    d.overdue.sort(key=lambda i: -i.days)
    d.upcoming.sort(key=lambda i: i.days)
    return d


def snapshot_before(ws, association_id: int, moment: dt.datetime):
    """The snapshot that was current at `moment` (None: the association was not checked yet)."""
    from service.workspace.models import Snapshot

    with ws.sf() as s:
        return s.scalars(select(Snapshot).where(Snapshot.association_id == association_id,
                                                Snapshot.created_at < moment)
                         .order_by(Snapshot.id.desc()).limit(1)).first()


def due_now(settings, now: dt.datetime) -> bool:
    """The digests of this week go out from DIGEST_WEEKDAY at DIGEST_HOUR (in TIME_ZONE) on;
    the job runs hourly, so a worker that was down at that hour catches up later."""
    zone = zoneinfo.ZoneInfo(settings.get("TIME_ZONE") or "Europe/Moscow")
    local = now.astimezone(zone)
    weekday, hour = int(settings.get("DIGEST_WEEKDAY") or 1), int(settings.get("DIGEST_HOUR") or 0)
    return (local.isoweekday(), local.hour) >= (weekday, hour)


def send_all(ws, now: dt.datetime | None = None, force: bool = False) -> dict:
    """Send this week's digests that are not sent yet: {"sent": [...emails], "failed": [...],
    "skipped": n}.  `force` ignores the weekday and hour (the CLI's «digests send»)."""
    from service.accounts.models import Account
    from service.mail import MailError, send
    from service.web.links import public_base

    now = now or dt.datetime.now(dt.timezone.utc)
    out = {"sent": [], "failed": [], "skipped": 0}
    if not force and not due_now(ws.settings, now):
        return out
    zone = zoneinfo.ZoneInfo(ws.settings.get("TIME_ZONE") or "Europe/Moscow")
    today = now.astimezone(zone).date()
    week = week_of(today)
    base = public_base(ws.settings)
    with ws.sf() as s:
        accounts = list(s.scalars(select(Account).where(Account.active.is_(True), Account.digest.is_(True),
                                                        Account.role.in_(ROLES)).order_by(Account.id)))
    for account in accounts:
        if not _claim(ws.sf, account.id, week):
            out["skipped"] += 1
            continue
        try:
            digest = build(ws, account, today, base)
            if digest is None:
                out["skipped"] += 1
                _mark(ws.sf, account.id, week, 0)
                continue
            text, html = digest.render(f"{base}/me#digest")
            send(ws.settings, account.email, digest.subject, text, html)
        except MailError as err:
            log.warning("digest to %s not sent: %s", account.email, err.message)
            _release(ws.sf, account.id, week)
            out["failed"].append({"email": account.email, "code": err.code, "message": err.message})
            continue
        except Exception:
            _release(ws.sf, account.id, week)
            raise
        _mark(ws.sf, account.id, week, digest.errors_total)
        out["sent"].append(account.email)
    return out


def _claim(sf, account_id: int, week: str) -> bool:
    try:
        with sf() as s, s.begin():
            s.add(DigestSent(account_id=account_id, week=week, errors=0))
        return True
    except IntegrityError:
        return False


def _mark(sf, account_id: int, week: str, errors: int) -> None:
    with sf() as s, s.begin():
        row = s.get(DigestSent, (account_id, week))
        row.sent_at, row.errors = dt.datetime.now(dt.timezone.utc), errors


def _release(sf, account_id: int, week: str) -> None:
    with sf() as s, s.begin():
        s.execute(delete(DigestSent).where(DigestSent.account_id == account_id, DigestSent.week == week))
