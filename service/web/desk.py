"""The curator's desk on the web: the compliance matrix (/svod, its .xlsx and the
«Справка о деятельности МО»), the deadlines page, the calendar feed and the digest's
opt-out.  Everything is read from what each check stored: no workbook is opened."""
from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, send_file, url_for
from markupsafe import Markup, escape

from service.accounts.models import ROLE_TITLES
from service.desk import calendar_feed
from service.desk.export import cell_text, spravka, xlsx
from service.desk.matrix import ROW_STATUS_WORDS, Query, load
from service.domain.compliance_matrix import COLUMNS, STATUS_WORDS
from service.domain.obligations import OVERDUE, UPCOMING, stored
from service.web.actions import workspace
from service.web.auth import current_user
from service.web.errors import ApiError
from service.web.links import public_url

bp = Blueprint("desk", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HORIZON_DAYS = 60                 # the deadlines page lists what falls due in the next two months


def _today() -> dt.date:
    return dt.date.today()


@bp.get("/svod")
def matrix():
    query = Query.from_args(request.args)
    m = load(workspace(), current_user(), query)
    return render_template("svod.html", m=m, query=query, columns=COLUMNS, words=STATUS_WORDS,
                           row_words=ROW_STATUS_WORDS, body=_rows_html(m))


@lru_cache(maxsize=4096)
def _cell_html(column: str, status: str, errors: int, warnings: int, codes: tuple, clauses: tuple) -> str:
    """One cell of the matrix («LINK» stands for its association's page): cells repeat a
    lot across a thousand rows, so each distinct one is built once."""
    text = cell_text({"status": status, "errors": errors, "warnings": warnings})
    if status in ("breach", "pending"):
        hint = escape(", ".join(clauses) + (" · " if clauses and codes else "") + ", ".join(codes))
        text = f'<a href="LINK?requirement={column}#requirement" title="{hint}">{text}</a>'
    return f'<td class="cell-{status}" data-status="{status}">{text}</td>'


def _rows_html(m) -> Markup:
    """The matrix's rows, built here rather than in the template: a thousand rows of a dozen
    cells through Jinja's macros and url_for cost ten times the page's budget.  Every value
    from the database is escaped."""
    page = url_for("pages.association", slug="SLUG")
    out = []
    for r in m.rows:
        link = page.replace("SLUG", str(escape(r.slug)))
        name = escape(r.short_name or r.name)
        where = escape(r.territory) + (f", {r.school_year.replace('-', '/')}" if r.school_year else "")
        out.append(f'<tr data-slug="{escape(r.slug)}"><th scope="row"><a href="{link}">{name}</a>'
                   f'<div class="muted small">{where}</div></th><td>{escape(r.regulation or "—")}</td>'
                   f'<td class="status-{r.status}">{ROW_STATUS_WORDS.get(r.status, r.status)}</td>')
        for c in COLUMNS:
            cell = r.cells.get(c.id)
            if not cell:
                out.append('<td class="cell-none">—</td>')
                continue
            out.append(_cell_html(c.id, cell["status"], cell.get("errors", 0), cell.get("warnings", 0),
                                  tuple(cell.get("codes") or ()), tuple(cell.get("clauses") or ())).replace(
                "LINK", link))
        out.append("</tr>\n")
    return Markup("".join(out))


@bp.get("/svod.xlsx")
def matrix_xlsx():
    query = Query.from_args(request.args)
    m = load(workspace(), current_user(), query)
    today = _today()
    return send_file(io.BytesIO(xlsx(m, query, today)), as_attachment=True, mimetype=XLSX,
                     download_name=f"Свод по МО на {today:%d.%m.%Y}.xlsx")


@bp.get("/svod/spravka.docx")
def matrix_spravka():
    query = Query.from_args(request.args)
    ws, me = workspace(), current_user()
    m = load(ws, me, query)
    today = _today()
    shown = {r.slug for r in m.rows}
    overdue = [(a.short_name or a.name, o) for a in ws.associations(me) if a.slug in shown
               for o in stored(a.obligations) if o.state(today) == OVERDUE]
    overdue.sort(key=lambda t: t[1].day)
    data = spravka(m, query, today, ROLE_TITLES.get(me.role, ""), me.name or me.email, overdue)
    return send_file(io.BytesIO(data), as_attachment=True, mimetype=DOCX,
                     download_name=f"Справка о деятельности МО на {today:%d.%m.%Y}.docx")


@bp.get("/api/v1/compliance")
def api_compliance():
    query = Query.from_args(request.args)
    m = load(workspace(), current_user(), query)
    rows = []
    for r in m.rows:
        body = r.as_dict()
        for col_id, cell in body["cells"].items():
            cell = dict(cell)
            cell["findings"] = url_for("api.findings", slug=r.slug, requirement=col_id)
            cell["page"] = url_for("pages.association", slug=r.slug, requirement=col_id) + "#requirement"
            body["cells"][col_id] = cell
        rows.append(body)
    return jsonify({"columns": [{"id": c.id, "title": c.title} for c in COLUMNS],
                    "statuses": STATUS_WORDS, "filters": query.args(), "total": len(m.rows),
                    "totals": m.totals, "associations": rows,
                    "links": {"xlsx": url_for("desk.matrix_xlsx", **query.args()),
                              "docx": url_for("desk.matrix_spravka", **query.args())}})


@bp.get("/sroki")
def deadlines():
    today = _today()
    rows = []
    for a in workspace().associations(current_user()):
        for o in stored(a.obligations):
            state = o.state(today)
            if state == OVERDUE or (state == UPCOMING and o.day <= today + dt.timedelta(days=HORIZON_DAYS)):
                rows.append({"a": a, "o": o, "state": state, "days": o.overdue_days(today),
                             "left": (o.day - today).days})
    rows.sort(key=lambda r: (r["state"] != OVERDUE, r["o"].day))
    return render_template("deadlines.html", rows=rows, today=today, horizon=HORIZON_DAYS,
                           has_feed=calendar_feed.has_feed(workspace().sf, current_user().account_id))


@bp.post("/account/calendar")
def calendar_issue():
    me = current_user()
    token = calendar_feed.issue(workspace().sf, me.account_id)
    url = public_url(current_app.config, url_for("desk.calendar", token=token))
    return render_template("calendar_link.html", url=url)


@bp.post("/account/calendar/revoke")
def calendar_revoke():
    calendar_feed.revoke(workspace().sf, current_user().account_id)
    return redirect(url_for("account.profile") + "#calendar")


@bp.get("/calendar/<token>.ics")
def calendar(token):
    """Public by design: the secret in the address is the key (calendar programs send no
    cookie); an unknown or revoked one is 404, as if there were no such feed."""
    from service.accounts.principal import principal_for_account

    ws = workspace()
    account_id = calendar_feed.account_of(ws.sf, token)
    principal = principal_for_account(ws.sf, account_id) if account_id is not None else None
    if principal is None:
        raise ApiError(404, "calendar.not_found", "Такого календаря нет: ссылка устарела или отключена.")
    body = calendar_feed.ics(ws.associations(principal), _today(),
                             lambda slug: public_url(current_app.config, url_for("pages.association", slug=slug)))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'inline; filename="mo-docs.ics"', "Cache-Control": "private, max-age=900"})


@bp.post("/account/digest")
def digest_toggle():
    from service.accounts.models import Account

    wanted = request.form.get("digest") == "on"
    with workspace().sf() as s, s.begin():
        s.get(Account, current_user().account_id).digest = wanted
    return redirect(url_for("account.profile") + "#digest")

