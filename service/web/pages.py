"""Server-rendered pages in Russian: dashboard, association, upload, jobs.  Works on a
school laptop with no build step: HTML, one stylesheet, a few lines of script."""
from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for

from service.blank_workbook import write_blank_workbook
from service.db import DocumentVersion
from service.documents import is_personal
from service.kinds import CATALOGUE, media_type
from service.pipeline import check
from service.schema.findings import without_cell
from service.schema.regulations import UnknownRegulation, available, load_all, load_regulation
from service.sources.base import SourceError
from service.web.actions import (
    add_google_sheet, already_added, find, request_annual_all, request_check, request_document, workspace,
)
from service.web import auth
from service.web.auth import current_user
from service.web.errors import ApiError
from service.workspace import jobs as records
from service.workspace.service import AlreadyAdded

bp = Blueprint("pages", __name__)

KIND_TITLES = {k.id: k.title for k in CATALOGUE.values()}
PREVIEW_ROWS = 1000               # a table document's preview: the first rows of its first sheet
SEVERITY = {"error": "ошибка", "warning": "внимание", "info": "справка"}
STATE = {"queued": "в очереди", "running": "выполняется", "done": "готово", "failed": "не выполнено"}


def _date(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:                   # SQLite: naive, stored as UTC
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone().strftime("%d.%m.%Y %H:%M")
    return value.strftime("%d.%m.%Y")


ACTIONS = {"association.add": "добавлено объединение", "association.replace_source": "заменена книга",
           "check": "книга проверена", "check.unreadable": "книга не читается",
           "document.generate": "сформирован документ",
           "document.personal_view": "открыт документ с личными данными"}


def _action(event) -> str:
    text = ACTIONS.get(event.action, event.action)
    details = event.details or {}
    if event.action in ("document.generate", "document.personal_view") and details.get("location"):
        text += f" «{Path(details['location']).name}»" + ("" if details.get("changed", True) else " (без изменений)")
    return text


def _extension(location: str) -> str:
    """«docx» or «xlsx» of a filed document's path; "" for a Drive file id."""
    suffix = Path(location).suffix.lower()
    return suffix[1:] if suffix in (".docx", ".xlsx") else ""


FILTERS = {
    "ru_date": _date,
    "action": _action,
    "finding_message": lambda f: without_cell(f.get("message", ""), f.get("cell")),
    "kind_title": lambda k: KIND_TITLES.get(k, k),
    "severity": lambda s: SEVERITY.get(s, s),
    "job_state": lambda s: STATE.get(s, s),
    "extension": _extension,
}


@bp.get("/")
def dashboard():
    associations = workspace().associations()
    recent = _recent_jobs()
    return render_template("dashboard.html", associations=associations, recent=recent,
                           regulations={r.id: r for r in load_all()}, today=dt.date.today())


def _recent_jobs(limit: int = 5):
    from sqlalchemy import select
    from service.workspace.models import Job
    with workspace().sf() as s:
        return list(s.scalars(select(Job).where(Job.kind == "annual-all").order_by(Job.created_at.desc()).limit(limit)))


@bp.get("/a/<slug>")
def association(slug):
    a = find(slug)
    ws = workspace()
    snap = ws.latest_snapshot(a.id)
    groups: dict[str, list] = {}
    for f in (snap.findings if snap else []):
        groups.setdefault(f.get("sheet") or "Книга в целом", []).append(f)
    meetings = []
    try:
        report = check(ws.source(a.source), regulation_id=a.regulation_override)
        today = dt.date.today()
        meetings = [{"number": m.number, "date": m.date, "state": m.state(today), "topic": m.topic}
                    for m in sorted(report.data.meetings, key=lambda m: m.number)]
    except (SourceError, UnknownRegulation):
        pass                              # the stored findings already say why
    documents = _documents(ws.documents(a))
    return render_template("association.html", a=a, snap=snap, groups=groups, meetings=meetings,
                           documents=documents, kinds=KIND_TITLES, year_kinds=year_kinds(a.regulation_id),
                           personal=auth.may_view_personal(a), audit=ws.audit(a.id, 15))


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


def _documents(versions: list[DocumentVersion]) -> list[dict]:
    """Current documents with their earlier versions, newest first."""
    by_key: dict[tuple, list[DocumentVersion]] = {}
    for v in versions:
        by_key.setdefault((v.kind, v.year, v.number), []).append(v)
    out = []
    for key, vs in by_key.items():
        vs.sort(key=lambda v: v.version, reverse=True)
        out.append({"kind": key[0], "year": key[1], "number": key[2], "current": vs[0], "older": vs[1:],
                    "name": Path(vs[0].location).name, "personal": is_personal(key[2])})
    return sorted(out, key=lambda d: d["current"].created_at, reverse=True)


@bp.post("/a/<slug>/documents")
def generate(slug):
    job, _ = request_document(find(slug), request.form.to_dict(), current_user().name)
    return redirect(url_for("pages.job", job_id=job.id))


@bp.post("/a/<slug>/check")
def recheck(slug):
    job, _ = request_check(find(slug), current_user().name)
    return redirect(url_for("pages.job", job_id=job.id))


def _version_file(a, version_id: int) -> tuple[DocumentVersion, Path]:
    """A version of this association's document and the file holding it, or 404.
    Documents filed to Drive are opened there instead (Drive keeps their revisions).
    A document with personal data only for those allowed to see them (403)."""
    ws = workspace()
    v = ws.registry.by_id(version_id)
    if v is None or v.association != a.label:
        abort(404)
    if is_personal(v.number):
        if not auth.may_view_personal(a):
            raise ApiError(403, "personal.forbidden", "Этот документ содержит личные данные педагогов (дата "
                                                      "рождения, телефон, e-mail) и вам не доступен.")
        ws.note(a.id, current_user().name, "document.personal_view", {"location": v.location, "version": v.version,
                                                                      "url": request.path})
    filer = ws.filer()
    if not hasattr(filer, "file_of"):
        where = filer.revision_of(v)
        abort(redirect(f"https://drive.google.com/file/d/{where[0]}/view") if where else 404)
    path = filer.file_of(v)
    if path is None:
        abort(404)
    return v, path


@bp.get("/a/<slug>/documents/<int:version_id>")
def download(slug, version_id):
    v, path = _version_file(find(slug), version_id)
    name = Path(v.location).name
    return send_file(path, as_attachment=True, download_name=name, mimetype=media_type(name))


@bp.get("/a/<slug>/documents/<int:version_id>/preview")
def preview(slug, version_id):
    a = find(slug)
    v, path = _version_file(a, version_id)
    name = Path(v.location).name
    if name.lower().endswith(".xlsx"):
        return render_template("preview.html", a=a, v=v, html=None, table=_table_preview(path), name=name)
    import mammoth

    with open(path, "rb") as fh:
        html = mammoth.convert_to_html(fh).value          # mammoth escapes the document's text
    return render_template("preview.html", a=a, v=v, html=html, table=None, name=name)


def _table_preview(path: Path) -> dict:
    """The first sheet of a table document (our own .xlsx) as rows of text for an HTML
    table; the template escapes every cell.  mammoth previews only .docx."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        rows, more = [], False
        for i, values in enumerate(ws.iter_rows(values_only=True)):
            if i >= PREVIEW_ROWS:
                more = True
                break
            rows.append(["" if v is None else v.strftime("%d.%m.%Y") if isinstance(v, dt.date) else str(v)
                         for v in values])
        return {"title": ws.title, "rows": rows, "more": more}
    finally:
        wb.close()


@bp.get("/upload")
def upload_form():
    return render_template("upload.html", regulations=load_all(), replace=request.args.get("replace"))


@bp.post("/upload")
def upload():
    file = request.files.get("workbook")
    sheet = (request.form.get("sheet") or "").strip()
    regulation = request.form.get("regulation") or None
    if regulation and regulation not in available():
        raise ApiError(400, "regulation.unknown", f"Положение «{regulation}» неизвестно.")
    ws = workspace()
    if sheet and (file is None or not file.filename):
        a = add_google_sheet(sheet, regulation, current_user().name)
        return redirect(url_for("pages.association", slug=a.slug))
    if file is None or not file.filename:
        raise ApiError(400, "upload.missing", "Выберите файл книги (.xlsx) или укажите ссылку на Google Таблицу.")
    replace = request.form.get("replace")
    target = find(replace) if replace else None          # 404 before anything is stored
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        file.save(tmp.name)
        try:
            stored = ws.store_upload(Path(tmp.name), file.filename)
        except SourceError as err:
            raise ApiError(413 if err.code == "workbook.too_large" else 400, err.code, err.message)
    if target is not None:
        a = target
        ws.replace_source(a.id, str(stored), current_user().name)
        job, _ = request_check(a, current_user().name)
        return redirect(url_for("pages.association", slug=a.slug))
    try:
        a = ws.add_association(str(stored), current_user().name, regulation_id=regulation)
    except AlreadyAdded as exists:
        stored.unlink(missing_ok=True)
        raise already_added(exists)
    return redirect(url_for("pages.association", slug=a.slug))


@bp.get("/blank.xlsx")
def blank():
    regulation = request.args.get("regulation") or None
    if regulation and regulation not in available():
        raise ApiError(400, "regulation.unknown", f"Положение «{regulation}» неизвестно.")
    with tempfile.TemporaryDirectory() as tmp:
        path = write_blank_workbook(Path(tmp) / "blank.xlsx", regulation)
        data = path.read_bytes()
    return send_file(io.BytesIO(data), as_attachment=True, download_name="Книга МО (пустая).xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.post("/reports/annual")
def annual_all():
    job, _ = request_annual_all(current_user().name)
    return redirect(url_for("pages.job", job_id=job.id))


@bp.get("/jobs/<job_id>")
def job(job_id):
    j = records.get(workspace().sf, job_id)
    if j is None:
        abort(404)
    a = workspace().by_id(j.association_id) if j.association_id else None
    document = None
    if j.state == "done" and j.result and j.result.get("location") and a is not None:
        document = _document_for(a, j.result["location"], j.result.get("version"))
    return render_template("job.html", job=j, a=a, document=document)


def _document_for(a, location: str, version: int | None):
    for v in workspace().documents(a):
        if v.location == location and (version is None or v.version == version):
            return v
    return None
