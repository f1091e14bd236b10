"""Server-rendered pages in Russian: dashboard, association, upload, jobs.  Works on a
school laptop with no build step: HTML, one stylesheet, a few lines of script."""
from __future__ import annotations

import datetime as dt
import io
import tempfile
import zoneinfo
from pathlib import Path

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, send_file, url_for

from service.blank_workbook import write_blank_workbook
from service.db import DocumentVersion
from service.documents import is_personal
from service.desk.matrix import regulation_clauses
from service.domain.compliance_matrix import BY_ID, STATUS_WORDS, codes_of, unpack
from service.domain.obligations import next_due, stored
from service.filing.base import FilingError
from service.kinds import CATALOGUE, media_type
from service.russian.plural import count
from service.schema import personal
from service.schema.findings import without_cell
from service.schema.regulations import UnknownRegulation, available, load_all, load_regulation
from service.schema.time_zones import label as zone_label
from service.sources.base import SourceError
from service.sources.guard import EXTENSIONS
from service.web import replacing
from service.web.actions import (
    add_google_sheet, already_added, bulk_kinds, ensure_current, find, owner_of, request_annual_all,
    request_check, request_document, workspace,
)
from service.web import auth
from service.web.auth import current_user, require
from service.web.errors import ApiError
from service.workspace.service import AlreadyAdded
from service.workspace.summary import meetings_on

bp = Blueprint("pages", __name__)

KIND_TITLES = {k.id: k.title for k in CATALOGUE.values()}
PREVIEW_ROWS = 1000               # a table document's preview: the first rows of its first sheet
SEVERITY = {"error": "ошибка", "warning": "предупреждение", "info": "справка"}
STATE = {"queued": "в очереди", "running": "выполняется", "done": "готово", "failed": "не выполнено"}


def _date(value, zone: str | None = None) -> str:
    """A date «30.11.2026»; a moment «30.11.2026 10:23 (Новосибирск, UTC+7)» in the
    association's time zone (`zone`), else the service's (setting TIME_ZONE), named."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:                   # SQLite: naive, stored as UTC
            value = value.replace(tzinfo=dt.timezone.utc)
        zone = zone or current_app.config.get("TIME_ZONE") or "Europe/Moscow"
        try:
            local = value.astimezone(zoneinfo.ZoneInfo(zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone, local = "UTC", value.astimezone(dt.timezone.utc)
        return f"{local:%d.%m.%Y %H:%M} ({zone_label(zone)})"
    return value.strftime("%d.%m.%Y")


def school_year(label: str | None) -> str:
    """«2024-2025» as people write it: «2024/2025»."""
    return (label or "").replace("-", "/")


ACTIONS = {"association.add": "добавлено объединение", "association.replace_source": "заменена книга",
           "association.restore_source": "возвращена прежняя книга", "association.archive": "перенесено в архив",
           "association.unarchive": "возвращено из архива", "personal.view": "просмотрены личные данные членов",
           "check.identity_conflict": "книга называет другое объединение (название не изменено)",
           "check": "книга проверена", "check.unreadable": "книга не читается",
           "document.generate": "сформирован документ", "document.share_failed": "доступ куратору не открыт",
           "document.personal_view": "открыт документ с личными данными",
           "document.share": "документ открыт куратору", "check.stale": "проверка прежней книги отброшена",
           "association.territory_confirmed": "подтверждена новая территория",
           "access.invite": "открыт доступ", "access.revoke": "закрыт доступ", "access.role": "изменена роль",
           "access.offer_confirm": "подтверждён доступ по «Составу»",
           "access.offer_decline": "отклонён доступ по «Составу»"}


def _action(event) -> str:
    text = ACTIONS.get(event.action, event.action)
    details = event.details or {}
    if event.action in ("document.generate", "document.personal_view") and details.get("location"):
        name = details.get("name") or Path(details["location"]).name
        text += f" «{name}»" + ("" if details.get("changed", True) else " (без изменений)")
    if event.action == "document.share_failed" and details.get("message"):
        text += f": {details['message']}"
    if event.action == "check.identity_conflict" and details.get("kept") is not None:
        text = (f"в книге другая территория «{details.get('territory')}»: объединение остаётся за «{details['kept']}», "
                "пока куратор или администратор не подтвердит переход")
    if event.action == "association.territory_confirmed":
        text += f": «{details.get('old')}» → «{details.get('new')}»"
    if event.action.startswith("access.") and details.get("email"):
        text += f": {details['email']}"
    if event.action == "document.share" and details.get("email"):
        text += f" ({details['email']})"
    return text


def _extension(location: str) -> str:
    """«docx» or «xlsx» of a filed document's path; "" for a Drive file id."""
    suffix = Path(location).suffix.lower()
    return suffix[1:] if suffix in (".docx", ".xlsx") else ""


GLOBALS = {
    "next_due": lambda a: next_due(stored(a.obligations), dt.date.today()),
}

FILTERS = {
    "ru_date": _date,
    "school_year": school_year,
    "action": _action,
    "finding_message": lambda f: without_cell(f.get("message", ""), f.get("cell")),
    "kind_title": lambda k: KIND_TITLES.get(k, k),
    "severity": lambda s: SEVERITY.get(s, s),
    "job_state": lambda s: STATE.get(s, s),
    "count": count,
    "extension": _extension,
}


@bp.get("/")
def dashboard():
    me = current_user()
    associations = workspace().associations(me)
    recent = _recent_jobs(me)
    return render_template("dashboard.html", associations=associations, recent=recent, bulk_kinds=bulk_kinds(),
                           regulations={r.id: r for r in load_all()}, today=dt.date.today(), archive=False)


@bp.get("/archive")
def archive():
    return render_template("dashboard.html", associations=workspace().associations(current_user(), archived=True),
                           recent=[], bulk_kinds=[], regulations={r.id: r for r in load_all()}, today=dt.date.today(),
                           archive=True)


def _recent_jobs(me, limit: int = 5):
    """The person's own bulk jobs (an admin sees everyone's)."""
    from sqlalchemy import select
    from service.workspace.models import Job
    with workspace().sf() as s:
        jobs = s.scalars(select(Job).where(Job.kind.in_(("annual-all", "bulk"))).order_by(Job.created_at.desc())
                         .limit(50))
        return [j for j in jobs if me.role == "admin" or (j.params or {}).get("account_id") == me.account_id][:limit]


@bp.get("/a/<slug>")
def association(slug):
    """From the database alone: the last check's snapshot holds the findings and the
    meetings, so a view never reads the workbook (a huge one cost 31 s a view)."""
    a = find(slug)
    ws = workspace()
    snap = ws.latest_snapshot(a.id)
    groups: dict[str, list] = {}
    for f in personal.redact_all(snap.findings if snap else []):
        groups.setdefault(f.get("sheet") or "Книга в целом", []).append(f)
    meetings = meetings_on(snap.summary if snap else None, dt.date.today())
    members = (snap.summary or {}).get("members") if snap else None
    filer = ws.filer()
    documents = _documents(ws.documents(a), filer)
    sharing = filer.notices(a.slug)
    versions = ws.workbook_versions(a.id)
    return render_template("association.html", a=a, snap=snap, groups=groups, meetings=meetings or [],
                           requirement=_requirement(a, snap, request.args.get("requirement")),
                           obligations=stored(a.obligations), today=dt.date.today(),
                           uploaded=not a.source.startswith("gsheet:"),
                           workbook_since=versions[0].created_at if versions else a.created_at,
                           stale=snap is not None and meetings is None, members=members,
                           documents=documents, kinds=KIND_TITLES, year_kinds=year_kinds(a.regulation_id),
                           personal=auth.may_view_personal(a), audit=ws.audit(a.id, 15), storage=filer.title,
                           sharing=sharing, regulation=next((r for r in load_all() if r.id == a.regulation_id), None))


def _requirement(a, snap, column_id: str | None) -> dict | None:
    """One cell of the compliance matrix opened on the association's page: the requirement,
    its state and the findings behind it (those of its rules' codes)."""
    if not column_id or column_id not in BY_ID:
        return None
    try:
        rules = list(load_regulation(a.regulation_id).rules) if a.regulation_id else []
    except UnknownRegulation:
        rules = []
    codes = codes_of(column_id, rules)
    cell = (unpack(a.compliance, regulation_clauses(a.regulation_id)).get("cells") or {}).get(column_id)
    findings = [f for f in (snap.findings if snap else []) if f.get("code") in codes]
    clauses = set(cell.get("clauses") or []) if cell else set()
    if column_id != "documents" and clauses:
        findings = [f for f in findings if not f.get("clause") or f.get("clause") in clauses]
    due = [f"{o.what} — до {o.day:%d.%m.%Y}" for o in stored(a.obligations)
           if o.kind in ("composition", "databank", "report") and f"{o.kind}_deadline" in
           {r["kind"] for r in rules if r["kind"] in BY_ID[column_id].kinds}]
    return {"id": column_id, "title": BY_ID[column_id].title, "cell": cell, "findings": findings,
            "words": STATUS_WORDS, "due": due}


def year_kinds(regulation_id: str | None) -> dict[str, list[dict]]:
    """The documents of the year, for the association's buttons: {"required": those its
    regulation requires, in its order, with the clause; "other": the rest the service makes}."""
    try:
        reg = load_regulation(regulation_id) if regulation_id else None
    except UnknownRegulation:
        reg = None
    required = {}
    for doc in reg.required_documents if reg else ():
        required.setdefault(doc.kind, doc)

    def entry(k):
        return {"kind": k.id, "title": k.title, "formats": k.formats, "personal": "personal" in k.options,
                "required": required.get(k.id)}
    return {"required": [entry(CATALOGUE[k]) for k in required if CATALOGUE[k].per_year],
            "other": [entry(k) for k in CATALOGUE.values() if k.per_year and k.id not in required]}


def _documents(versions: list[DocumentVersion], filer) -> list[dict]:
    """Current documents with their earlier versions, newest first, and where people open
    the current one in the storage (None: only here)."""
    by_key: dict[tuple, list[DocumentVersion]] = {}
    for v in versions:
        by_key.setdefault((v.kind, v.year, v.number), []).append(v)
    out = []
    for key, vs in by_key.items():
        vs.sort(key=lambda v: v.version, reverse=True)
        out.append({"kind": key[0], "year": key[1], "number": key[2], "current": vs[0], "older": vs[1:],
                    "name": vs[0].file_name, "link": filer.link(vs[0]), "personal": is_personal(key[2])})
    return sorted(out, key=lambda d: d["current"].created_at, reverse=True)


@bp.post("/a/<slug>/documents")
def generate(slug):
    job, _ = request_document(find(slug), request.form.to_dict(), current_user().display)
    return redirect(url_for("pages.job", job_id=job.id))


@bp.post("/a/<slug>/check")
def recheck(slug):
    job, _ = request_check(find(slug), current_user().display)
    return redirect(url_for("pages.job", job_id=job.id))


def _version_content(a, version_id: int) -> tuple[DocumentVersion, bytes]:
    """A version of this association's document and its content, read back from wherever
    it is filed (any filer: a folder, WebDAV, Yandex Disk, Drive and its revisions).  404
    when it is not this association's or the storage no longer has it; a storage that
    fails gets its own sentence and code (502, or 503 when it may pass).  A document with
    personal data only for those allowed to see them (403), and every opening of one is
    written to the association's journal."""
    ws = workspace()
    v = ws.registry.by_id(version_id)
    if v is None or v.association != a.slug:
        abort(404)
    if is_personal(v.number):
        if not auth.may_view_personal(a):
            raise ApiError(403, "personal.forbidden", "Этот документ содержит личные данные педагогов (дата "
                                                      "рождения, телефон, e-mail) и вам не доступен.")
        ws.note(a.id, current_user().display, "document.personal_view", {"location": v.location, "version": v.version,
                                                                      "url": request.path})
    filer = ws.filer()
    try:
        content = filer.read(v)
    except FilingError as err:
        raise ApiError(503 if err.transient else 502, err.code, err.message)
    if content is None:
        raise ApiError(404, "document.gone", f"Этой версии документа больше нет в хранилище ({filer.title}).")
    return v, content


@bp.get("/a/<slug>/documents/<int:version_id>")
def download(slug, version_id):
    v, content = _version_content(find(slug), version_id)
    return send_file(io.BytesIO(content), as_attachment=True, download_name=v.file_name,
                     mimetype=media_type(v.file_name))


@bp.get("/a/<slug>/documents/<int:version_id>/preview")
def preview(slug, version_id):
    a = find(slug)
    v, content = _version_content(a, version_id)
    name = v.file_name
    if name.lower().endswith(".xlsx"):
        return render_template("preview.html", a=a, v=v, html=None, table=_table_preview(content), name=name)
    import mammoth

    html = mammoth.convert_to_html(io.BytesIO(content)).value          # mammoth escapes the document's text
    return render_template("preview.html", a=a, v=v, html=html, table=None, name=name)


def _table_preview(content: bytes) -> dict:
    """The first sheet of a table document as rows of text for an HTML table; the template
    escapes every cell.  mammoth previews only .docx.  Read like any uploaded workbook
    (guard, parts' scan, budget): the copy in the storage may not be the one we wrote."""
    from service.sources.workbook_file import WorkbookFileSource

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        tmp.write(content)
        tmp.flush()
        try:
            raw = WorkbookFileSource(Path(tmp.name), limits=workspace().limits).read()
        except SourceError as err:
            raise ApiError(422, err.code, f"Просмотр недоступен: {err.message}")
    tab = raw.tabs[0] if raw.tabs else None
    rows = [["" if v is None else v.strftime("%d.%m.%Y") if isinstance(v, dt.date) else str(v) for v in values]
            for _number, values in (tab.rows if tab else [])]
    return {"title": tab.title if tab else "", "rows": rows[:PREVIEW_ROWS], "more": len(rows) > PREVIEW_ROWS}


@bp.get("/upload")
def upload_form():
    replace = request.args.get("replace")
    if replace:
        require("replace", find(replace))
    return _upload_page(replace)


def _upload_page(replace, error: ApiError | None = None, status: int = 200, **kept):
    """The upload form; after a refusal, with the reason on the form itself (role=alert),
    the person's choices filled in again, and — when the file was sound but the
    association already exists — the file kept to replace that association's workbook
    without uploading it again."""
    return render_template("upload.html", regulations=load_all(), replace=replace, accept=",".join(EXTENSIONS),
                           error=error, **kept), status


@bp.post("/upload")
def upload():
    replace = request.form.get("replace")
    try:
        return _upload()
    except ApiError as err:
        if err.status in (401, 403, 404) or request.form.get("pending"):
            raise
        file = request.files.get("workbook")
        return _upload_page(replace, err, err.status, filename=file.filename if file is not None else "",
                            sheet=(request.form.get("sheet") or "")[:2000],
                            regulation=request.form.get("regulation") or "", kept=getattr(err, "kept", None))


def _upload():
    me = current_user()
    file = request.files.get("workbook")
    sheet = (request.form.get("sheet") or "").strip()
    regulation = request.form.get("regulation") or None
    if regulation and regulation not in available():
        raise ApiError(400, "regulation.unknown", f"Положение «{regulation[:80]}» неизвестно. Выберите его из списка.")
    ws = workspace()
    replace = request.form.get("replace")
    target = find(replace) if replace else None          # 404 before anything is stored
    if target is not None:
        require("replace", target)
        ensure_current(target)
        if request.form.get("pending"):
            return replacing.confirmed(target, request.form)
    if sheet and (file is None or not file.filename) and target is None:
        a = add_google_sheet(sheet, regulation, me.display, owner_id=owner_of(me))
        return redirect(url_for("pages.association", slug=a.slug))
    if file is None or not file.filename:
        raise ApiError(400, "upload.missing", "Выберите файл книги (.xlsx, .ods или .xls) или укажите ссылку на "
                                              "Google Таблицу.")
    suffix = Path(file.filename).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix if suffix in EXTENSIONS else ".bin") as tmp:
        file.save(tmp.name)
        try:
            stored, report = ws.store_upload(Path(tmp.name), file.filename,
                                             regulation_id=target.regulation_override if target else regulation)
        except SourceError as err:
            raise ApiError(413 if err.code == "workbook.too_large" else 400, err.code, err.message)
    if target is not None:
        return replacing.replace(target, stored, file.filename, report)
    try:
        a = ws.add_association(str(stored), me.display, regulation_id=regulation, owner_id=owner_of(me),
                               original_name=file.filename, report=report)
    except AlreadyAdded as exists:
        error = already_added(exists)
        if me.may("replace", exists.association) and exists.association.archived_at is None:
            kept = exists.association
            error.kept = {"pending": replacing.keep(stored, kept), "slug": kept.slug,
                          "title": kept.short_name or kept.name}
        else:
            stored.unlink(missing_ok=True)
        raise error
    except BaseException:
        stored.unlink(missing_ok=True)             # nothing half-added stays behind
        raise
    return redirect(url_for("pages.association", slug=a.slug))


BLANK_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "ods": "application/vnd.oasis.opendocument.spreadsheet"}


@bp.get("/blank.xlsx")
def blank():
    return _blank("xlsx")


@bp.get("/blank.ods")
def blank_ods():
    return _blank("ods")


def _blank(fmt: str):
    regulation = request.args.get("regulation") or None
    if regulation and regulation not in available():
        raise ApiError(400, "regulation.unknown", f"Положение «{regulation}» неизвестно.")
    with tempfile.TemporaryDirectory() as tmp:
        path = write_blank_workbook(Path(tmp) / f"blank.{fmt}", regulation, fmt=fmt)
        data = path.read_bytes()
    return send_file(io.BytesIO(data), as_attachment=True, download_name=f"Книга МО (пустая).{fmt}",
                     mimetype=BLANK_TYPES[fmt])


@bp.post("/reports/annual")
def annual_all():
    job, _ = request_annual_all(current_user(), request.form.to_dict())
    return redirect(url_for("pages.job", job_id=job.id))


@bp.get("/jobs/<job_id>")
def job(job_id):
    j = g.job                                   # found and authorised by service/web/auth.py
    j.result, j.error = personal.redact_job(j.result, j.error)      # detached: shown, never saved
    a = workspace().by_id(j.association_id) if j.association_id else None
    document = None
    if j.state == "done" and j.result and j.result.get("location") and a is not None:
        document = _document_for(a, j.result["location"], j.result.get("version"))
    running = j.state in ("queued", "running")
    return render_template("job.html", job=j, a=a, document=document, bulk=_bulk_rows(j),
                           refresh=REFRESH_SECONDS if running else None)


REFRESH_SECONDS = 3          # a job page reloads itself while the job runs, script or not


def _bulk_rows(j) -> list[dict] | None:
    """A bulk job's associations with their documents (download and preview links) or
    the reasons they have none; None for other jobs."""
    if j.kind not in ("annual-all", "bulk"):
        return None
    items = (j.result or {}).get("documents") or []
    versions = _versions_at([d["location"] for d in items if d.get("location")])
    rows = []
    for d in items:
        v = versions.get((d.get("location"), d.get("version")))
        rows.append({**d, "version_id": v.id if v is not None and v.association == d.get("slug") else None})
    return rows


def _versions_at(locations: list[str]) -> dict:
    from sqlalchemy import select

    if not locations:
        return {}
    with workspace().sf() as s:
        found = s.scalars(select(DocumentVersion).where(DocumentVersion.location.in_(locations)))
        return {(v.location, v.version): v for v in found}


@bp.get("/jobs/<job_id>/documents.zip")
def job_zip(job_id):
    """Every document a bulk job made, in one ZIP (named as filed, one folder per
    association); the storage is read like for «Скачать»."""
    import zipfile

    j = g.job
    rows = [r for r in (_bulk_rows(j) or []) if r.get("version_id")]
    if j.state != "done" or not rows:
        raise ApiError(404, "job.no_documents", "У этого задания нет готовых документов.")
    ws = workspace()
    filer = ws.filer()
    me = current_user()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for r in rows:
            a = ws.association(r["slug"])
            if a is None or not me.sees(a):
                continue
            v = ws.registry.by_id(r["version_id"])
            if v is None or is_personal(v.number):
                continue
            try:
                content = filer.read(v)
            except FilingError as err:
                raise ApiError(503 if err.transient else 502, err.code, err.message)
            if content is None:
                continue
            folder = (a.short_name or a.slug).replace("/", "_").replace("\\", "_")[:80]
            z.writestr(f"{folder}/{v.file_name}", content)
    title = KIND_TITLES.get((j.params or {}).get("kind") or "annual-report", "Документы")
    return send_file(io.BytesIO(buf.getvalue()), as_attachment=True, mimetype="application/zip",
                     download_name=f"{title} — все МО.zip")


def _document_for(a, location: str, version: int | None):
    for v in workspace().documents(a):
        if v.location == location and (version is None or v.version == version):
            return v
    return None
