"""The Sheets add-on's API: one request per action, the spreadsheet's values in its body.

    POST /api/v1/addon/check       the findings of what the person sent — stores nothing
    POST /api/v1/addon/documents   a document from what the person sent → 202 with a job
                                   (the add-on follows it at /api/v1/jobs/{id})
    POST /api/v1/addon/connect     the spreadsheet's association added to the workspace

The add-on authenticates with the Google ID token of the person using it
(`Authorization: Bearer ScriptApp.getIdentityToken()`); service/web/auth.py hands such a
token to `principal_from_id_token` on the routes whose rule accepts it, and the request
then acts as the account with that address, with its role and scope.  A session or a
personal token works as well (scripts, the tests).

The body is read under its own limit (ADDON_MAX_BYTES), the spreadsheet through
service/sources/sheet_values.py under the reader's limits (MO_DOCS_LIMIT_*) and
ADDON_MAX_TABS: 413 with a Russian sentence naming what to remove.  Each account may
make ADDON_REQUESTS_PER_MINUTE such requests (429 with Retry-After), shared by every
process of the machine, or of every machine through GOOGLE_REDIS_URL.
"""
from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, current_app, jsonify, url_for
from sqlalchemy import case, or_, select

from service.accounts.principal import Principal, principal_for_email
from service.pipeline import Report, check as check_workbook
from service.schema.regulations import UnknownRegulation
from service.sources.base import RawWorkbook, SourceError
from service.web.actions import already_added, ensure_current, request_document, workspace
from service.web.api import job_body, kinds_of
from service.web.auth import current_user, require
from service.web.errors import ApiError
from service.web.links import public_url
from service.web.validation import json_object
from service.workspace.identity import register_key
from service.workspace.models import Association
from service.workspace.service import AlreadyAdded

bp = Blueprint("addon", __name__)

TOO_LARGE = "addon.too_large"


# ---------------------------------------------------------------- who is asking

def principal_from_id_token(token: str) -> Principal:
    """The account a Google ID token names, or the ApiError to answer with."""
    from service.accounts.google_id_tokens import IdTokenError

    verifier = _verifier()
    try:
        who = verifier.verify(token)
    except IdTokenError as err:
        raise ApiError(err.status, err.code, err.message)
    principal = principal_for_email(workspace().sf, who.email)
    if principal is None:
        raise ApiError(401, "auth.unknown_account",
                       f"В службе нет учётной записи {who.email} (или она отключена). Попросите руководителя МО, "
                       "куратора или администратора службы пригласить вас.")
    return principal


def _verifier():
    app = current_app
    verifier = app.extensions.get("google_id_tokens")
    if verifier is None:
        audience = app.config.get("GOOGLE_ID_TOKEN_AUDIENCE")
        if not audience:
            raise ApiError(503, "addon.not_configured",
                           "Надстройка «МО-документы» не настроена на этом сервере: администратору нужно указать "
                           "MO_DOCS_GOOGLE_ID_TOKEN_AUDIENCE (идентификатор клиента OAuth надстройки).")
        from service.accounts.google_id_tokens import GoogleIdTokenVerifier

        domains = [d for d in str(app.config.get("GOOGLE_ID_TOKEN_HOSTED_DOMAINS") or "").split(",") if d.strip()]
        verifier = GoogleIdTokenVerifier(audience, certs_url=app.config["GOOGLE_ID_TOKEN_CERTS_URL"],
                                         hosted_domains=domains)
        app.extensions["google_id_tokens"] = verifier
    return verifier


# ---------------------------------------------------------------- limits

def _throttle(principal: Principal) -> None:
    from service.google.ratelimit import Rate

    per_minute = int(current_app.config["ADDON_REQUESTS_PER_MINUTE"])
    wait = _limiter().reserve({f"addon:{principal.account_id}": Rate(per_minute, 60.0)})
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise ApiError(429, "addon.rate_limited",
                       f"Слишком много запросов от надстройки: не больше {per_minute} в минуту. Повторите через "
                       f"{seconds} с.", {"retry_after": seconds}, headers={"Retry-After": str(seconds)})


def _limiter():
    app = current_app
    limiter = app.extensions.get("addon_limiter")
    if limiter is None:
        from pathlib import Path

        from service.google.ratelimit import FileRateLimiter, RedisRateLimiter

        url = app.config.get("GOOGLE_REDIS_URL")
        limiter = (RedisRateLimiter.from_url(url, prefix="mo-docs:addon:") if url
                   else FileRateLimiter(Path(app.config["INSTANCE"]) / "addon-rate.json"))
        app.extensions["addon_limiter"] = limiter
    return limiter


def _body() -> dict:
    """The request's JSON object, read under ADDON_MAX_BYTES (the sheet's values are in it)."""
    limit = int(current_app.config["ADDON_MAX_BYTES"])
    return json_object(max_bytes=limit, too_large=_too_large_body(limit))


def _too_large_body(limit: int) -> ApiError:
    size = f"{limit / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")
    return ApiError(413, TOO_LARGE, f"Таблица слишком велика для надстройки: больше {size} МБ данных. Удалите лишние "
                                    "листы и строки или загрузите книгу файлом на странице службы.")


class _Read:
    """A Source over a workbook already read, so one request reads the payload once."""

    def __init__(self, raw: RawWorkbook):
        self.raw, self.name = raw, raw.name

    def read(self) -> RawWorkbook:
        return self.raw


class Sent:
    """What one request sent: the spreadsheet, its workbook, and the check of it."""

    def __init__(self, body: dict):
        from service.sources.sheet_values import PayloadError, SheetValuesSource

        ws = workspace()
        try:
            self.source = SheetValuesSource(body, ws.limits, max_tabs=int(current_app.config["ADDON_MAX_TABS"]))
            self.raw = self.source.read()
        except PayloadError as err:
            raise ApiError(400, err.code, err.message, {"field": err.where} if err.where else None)
        except SourceError as err:
            raise _refused(err)
        self.spreadsheet = self.source.spreadsheet
        self.as_of = today_in(self.spreadsheet["time_zone"])
        self.body = body

    def check(self, regulation_id: str | None = None) -> Report:
        try:
            return check_workbook(_Read(self.raw), regulation_id=regulation_id, as_of=self.as_of,
                                  limits=workspace().limits)
        except SourceError as err:
            raise _refused(err)
        except UnknownRegulation as err:
            raise ApiError(400, "regulation.unknown", err.message)

    def payload(self) -> dict:
        """Only the spreadsheet: what a job needs to read it again."""
        return {"spreadsheet": self.body.get("spreadsheet"), "sheets": self.body.get("sheets")}


def _refused(err: SourceError) -> ApiError:
    """A spreadsheet too large for the reader is 413 (`addon.too_large`), anything else 400."""
    if err.code == "workbook.too_large":
        return ApiError(413, TOO_LARGE, err.message)
    return ApiError(400, err.code, err.message)


def today_in(time_zone: str | None) -> dt.date:
    """Today where the spreadsheet is: a school seven hours east of the server has had
    tomorrow for a while."""
    try:
        return dt.datetime.now(ZoneInfo(time_zone)).date() if time_zone else dt.date.today()
    except (ZoneInfoNotFoundError, ValueError):
        return dt.date.today()


# ---------------------------------------------------------------- which association

def association_of(spreadsheet_id: str, report: Report) -> Association | None:
    """The association this spreadsheet is: the one reading it (gsheet:<id>) or holding its
    copy, else the one whose register it names (name, short name, territory, year)."""
    from service.workspace.sheet_copies import copy_pattern

    info = report.data.info
    key = register_key(info.name or info.short_name, info.short_name, info.territory, report.year.label)
    by_sheet = or_(Association.source == f"gsheet:{spreadsheet_id}",
                   Association.source.like(copy_pattern(spreadsheet_id), escape="\\"))
    with workspace().sf() as s:             # one query: the sheet's own association first, current before archived
        return s.scalars(select(Association).where(or_(by_sheet, Association.register_key == key))
                         .order_by(case((by_sheet, 0), else_=1), Association.archived_at.is_not(None), Association.id)
                         .limit(1)).first()


def _visible(a: Association | None, me: Principal) -> Association | None:
    return a if a is not None and me.sees(a) else None


# ---------------------------------------------------------------- what the sidebar shows

def title_of(kind: str | None) -> str:
    from service.kinds import CATALOGUE

    return CATALOGUE[kind].title if kind in CATALOGUE else ""


def sheet_answer(sent: Sent, report: Report, a: Association | None, exists: bool, me: Principal) -> dict:
    data = report.data
    may_generate = a is not None and me.may("generate", a) and a.archived_at is None
    documents = _meeting_documents(a) if a is not None else {}
    meetings = [{
        "number": m.number, "date": m.date.isoformat(), "date_text": m.date.strftime("%d.%m.%Y"),
        "state": m.state(report.as_of), "topic": m.topic, "row": m.row,
        "documents": documents.get(str(m.number), []),
    } for m in sorted(data.meetings, key=lambda m: (m.date, m.number))]
    return {
        "regulation_title": report.regulation.title if report.regulation else None,
        "association": None if a is None else _association_body(a),
        "may_generate": may_generate,
        "may_connect": a is None and not exists and me.may("add_association"),
        "kinds": kinds_of(report.regulation),
        "meetings": meetings,
        "plan_items": [{"number": p.number, "event": p.event} for p in data.plan],
        "meetings_sheet": meetings_layout(sent.raw, data),
    }


def meetings_layout(raw: RawWorkbook, data) -> dict | None:
    """Where «Заседания» keeps its header and meeting numbers (the add-on writes links there)."""
    from service.schema.layout import load_layout
    from service.schema.table import find_header

    title = data.sheets.get("meetings")
    tab = next((t for t in raw.tabs if t.title == title), None)
    if tab is None:
        return None
    header = find_header(tab, load_layout().tabs["meetings"], [])
    if header is None or "number" not in header.columns:
        return None
    return {"title": title, "header_row": header.row, "number_column": header.columns["number"] + 1}


def _meeting_documents(a: Association) -> dict[str, list[dict]]:
    """The latest protocol and registration sheet of each meeting, with where to open them."""
    ws = workspace()
    latest: dict[tuple[str, str], object] = {}
    for d in ws.documents(a):
        if d.kind in ("protocol", "registration-sheet") and d.number:
            latest[(d.kind, d.number)] = d                      # the registry lists oldest first
    filer = ws.filer() if latest else None
    out: dict[str, list[dict]] = {}
    for (kind, number), d in sorted(latest.items()):
        out.setdefault(number, []).append({
            "kind": kind, "title": title_of(kind), "name": d.file_name, "version": d.version,
            "url": _document_url(filer, a, d)})
    return out


def _document_url(filer, a: Association, d) -> str:
    try:
        link = filer.link(d)
    except Exception:                     # a storage that cannot say where: the service serves it
        link = None
    return link or public_url(current_app.config, url_for("pages.download", slug=a.slug, version_id=d.id))


# ---------------------------------------------------------------- the routes

def _received() -> tuple[Principal, dict, Sent, Report, Association | None]:
    """How every action starts: who asks (within their rate), what they sent, its check, and
    the association the spreadsheet is (whether or not they see it)."""
    me = current_user()
    _throttle(me)
    body = _body()
    sent = Sent(body)
    report = sent.check()
    return me, body, sent, report, association_of(sent.spreadsheet["id"], report)


def _association_body(a: Association) -> dict:
    return {"slug": a.slug, "name": a.short_name or a.name, "archived": a.archived_at is not None,
            "page": public_url(current_app.config, url_for("pages.association", slug=a.slug))}


@bp.post("/check")
def check():
    """The findings of the spreadsheet as sent, with what the sidebar needs; stores nothing."""
    me, _, sent, first, found = _received()
    a = _visible(found, me)
    report = sent.check(a.regulation_override) if a is not None and a.regulation_override else first
    return jsonify({**report.as_dict(), "addon": sheet_answer(sent, report, a, found is not None, me)})


@bp.post("/documents")
def documents():
    """A document made from the spreadsheet as sent, filed as the service files every
    document: 202 with the job to follow."""
    from service.workspace import sent_sheets

    me, body, sent, report, found = _received()
    a = _visible(found, me)
    if a is None:
        raise ApiError(404, "association.not_found",
                       "Объединения этой таблицы нет среди доступных вам. Если его ещё нет в службе, руководитель МО "
                       "может подключить таблицу: «Подключить таблицу» в боковой панели.",
                       {"may_connect": found is None and me.may("add_association")})
    require("generate", a)
    ensure_current(a)
    params = {k: body.get(k) for k in ("kind", "meeting", "plan_item", "number", "date", "force", "format",
                                       "personal") if k in body}
    if isinstance(params.get("number"), (int, float)) and not isinstance(params["number"], bool):
        params["number"] = str(params["number"])             # «45» typed as a number in the sidebar
    for name in ("number", "date", "format"):
        if params.get(name) is not None and not isinstance(params[name], str):
            raise ApiError(400, "request.invalid", f"«{name}» должно быть строкой.", {"field": name})
    kept, digest = sent_sheets.keep(workspace(), sent.payload())
    try:
        job, created = request_document(a, params, me.display,
                                        sheet={"file": kept, "sha256": digest, "as_of": sent.as_of.isoformat()})
    except BaseException:
        sent_sheets.discard(workspace(), kept)
        raise
    if created:
        _refresh_copy(a, sent, me)
    else:
        sent_sheets.discard(workspace(), kept)           # the same click twice: the first job has its copy
    meeting = params.get("meeting")
    layout = meetings_layout(sent.raw, report.data) if meeting else None
    return jsonify({"job": job_body(job), "created": created,
                    "link": {"meeting": meeting, "kind_title": title_of(params.get("kind")), "sheet": layout}
                    if layout else None}), 202


@bp.post("/connect")
def connect():
    """«Подключить таблицу»: the spreadsheet's association added to the workspace for its head."""
    me, _, sent, _, found = _received()
    if found is not None:
        if me.sees(found):
            raise already_added(AlreadyAdded(found))
        raise ApiError(409, "association.exists", "Объединение этой таблицы уже есть в службе. Чтобы работать с ним, "
                                                  "попросите его руководителя или куратора дать вам доступ.")
    return jsonify({"association": _association_body(_connect(sent, me))}), 201


def _connect(sent: Sent, me: Principal) -> Association:
    """The association of the spreadsheet, added with its head (or curator) as owner: read
    from Google by the service when it reads Google Sheets, else kept as a copy."""
    from pathlib import Path

    from service.web.actions import add_google_sheet, owner_of
    from service.workspace.sheet_copies import digest, save_copy

    ws = workspace()
    owner = owner_of(me)
    if ws.google is not None:
        return add_google_sheet(f"gsheet:{sent.spreadsheet['id']}", None, me.display, owner_id=owner)
    path = save_copy(Path(ws.settings["WORKBOOKS_DIR"]), sent.spreadsheet["id"], sent.raw, digest(sent.raw))
    try:
        return ws.add_association(str(path), me.display, owner_id=owner, today=sent.as_of,
                                  original_name=f"{sent.spreadsheet['name']} (Google Таблица)")
    except AlreadyAdded as exists:
        path.unlink(missing_ok=True)
        raise already_added(exists)
    except SourceError as err:
        path.unlink(missing_ok=True)
        raise ApiError(400, err.code, err.message)


def _refresh_copy(a: Association, sent: Sent, me: Principal) -> None:
    """An association kept as a copy of this spreadsheet follows it: a changed sheet
    becomes the association's new workbook version (the watcher checks it again)."""
    from pathlib import Path

    from service.workspace.sheet_copies import digest, is_copy_of, same_content, save_copy

    if not is_copy_of(a.source, sent.spreadsheet["id"]):
        return
    current = digest(sent.raw)
    if same_content(a.source, current):
        return
    ws = workspace()
    path = save_copy(Path(ws.settings["WORKBOOKS_DIR"]), sent.spreadsheet["id"], sent.raw, current)
    ws.replace_source(a.id, str(path), me.display, original_name=f"{sent.spreadsheet['name']} (Google Таблица)")
