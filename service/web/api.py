"""The JSON API for the Sheets add-on and for scripts.  Every failure has one shape
(see errors.py); requests for documents answer 202 with a job to follow."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, g, jsonify, request, url_for

from service.web.actions import (
    add_google_sheet, find, owner_of, request_annual_all, request_check, request_document, workspace,
)
from service.db import iso_utc
from service.documents import is_personal
from service.kinds import CATALOGUE
from service.schema import personal
from service.schema.regulations import UnknownRegulation, load_regulation
from service.web.auth import current_user
from service.web.errors import ApiError
from service.web.links import public_url
from service.web.openapi import spec
from service.web.validation import json_object, text
from service.workspace import jobs as records

bp = Blueprint("api", __name__)


def _association(a) -> dict:
    return {
        "slug": a.slug, "name": a.name, "short_name": a.short_name, "regulation": a.regulation_id,
        "school_year": a.school_year, "source": a.source if a.source.startswith("gsheet:") else Path(a.source).name,
        "status": {"errors": a.errors, "warnings": a.warnings, "unreadable": a.unreadable},
        "checked_at": iso_utc(a.checked_at),
        "next_deadline": {"date": a.next_deadline.isoformat(), "what": a.next_deadline_what} if a.next_deadline else None,
        "links": {"self": url_for("api.association", slug=a.slug), "findings": url_for("api.findings", slug=a.slug),
                  "documents": url_for("api.documents", slug=a.slug), "page": url_for("pages.association", slug=a.slug)},
    }


def job_body(job) -> dict:
    body = records.as_dict(job)
    body["params"] = {k: v for k, v in (body["params"] or {}).items() if k != "sheet"}   # a server-side file
    body["result"] = _without_paths(body["result"])
    body["links"] = {"self": url_for("api.job", job_id=job.id), "page": url_for("pages.job", job_id=job.id)}
    document_id = (job.result or {}).get("document_id") if isinstance(job.result, dict) else None
    if document_id and job.association_id is not None:
        a = workspace().by_id(job.association_id)
        if a is not None:                     # absolute: the add-on's sidebar is not on our site
            body["links"]["document"] = public_url(current_app.config, url_for(
                "pages.download", slug=a.slug, version_id=document_id))
    return body


def _without_paths(value):
    """Where a document lies on the server is not the client's business: its file name is."""
    if isinstance(value, dict):
        return {k: (Path(v).name if k == "location" and isinstance(v, str) else _without_paths(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_without_paths(v) for v in value]
    return value


def _json() -> dict:
    return json_object()


@bp.get("/associations")
def associations():
    return jsonify({"associations": [_association(a) for a in workspace().associations(current_user())]})


@bp.post("/associations")
def add_association():
    data = _json()
    me = current_user()
    a = add_google_sheet(text(data, "source", max_length=2000, required=True) or "", data.get("regulation"),
                         me.display, owner_id=owner_of(me))
    return jsonify(_association(a)), 201


@bp.get("/associations/<slug>")
def association(slug):
    return jsonify(_association(find(slug)))


@bp.get("/associations/<slug>/findings")
def findings(slug):
    a = find(slug)
    snap = workspace().latest_snapshot(a.id)
    if snap is None:
        return jsonify({"association": a.slug, "checked_at": None, "findings": [], "counts": None})
    items, requirement = snap.findings, request.args.get("requirement")
    if requirement:
        from service.domain.compliance_matrix import BY_ID, codes_of

        if requirement not in BY_ID:
            raise ApiError(400, "request.invalid", "Неизвестное требование; известны: " + ", ".join(BY_ID) + ".",
                           {"field": "requirement"})
        try:
            rules = list(load_regulation(a.regulation_id).rules) if a.regulation_id else []
        except UnknownRegulation:
            rules = []
        codes = codes_of(requirement, rules)
        items = [f for f in items if f.get("code") in codes]
    return jsonify({"association": a.slug, "checked_at": iso_utc(snap.created_at), "as_of": snap.as_of.isoformat(),
                    "regulation": snap.regulation_id, "counts": snap.counts, "findings": personal.redact_all(items),
                    "requirement": requirement or None})


@bp.get("/associations/<slug>/members")
def members(slug):
    """Members; birth dates, phones and e-mails only for those who may see them (audited)."""
    from service.web.registers import members_seen

    a = g.association
    rows, personal = members_seen(a, "api members")
    return jsonify({"association": a.slug, "personal": personal,
                    "members": [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in m.items()}
                                for m in rows]})


@bp.post("/associations/<slug>/check")
def check(slug):
    job, created = request_check(find(slug), current_user().display)
    return jsonify({"job": job_body(job), "created": created}), 202


@bp.post("/associations/<slug>/documents")
def request_doc(slug):
    job, created = request_document(find(slug), _json(), current_user().display)
    return jsonify({"job": job_body(job), "created": created}), 202


@bp.get("/associations/<slug>/documents")
def documents(slug):
    a = find(slug)
    filer = workspace().filer()
    return jsonify({"documents": [{
        "id": d.id, "kind": d.kind, "year": d.year, "number": d.number, "version": d.version, "name": d.file_name,
        "created_at": iso_utc(d.created_at), "requested_by": d.requested_by, "sha256": d.sha256,
        "personal": is_personal(d.number), "download": url_for("pages.download", slug=a.slug, version_id=d.id),
        "link": filer.link(d),
    } for d in workspace().documents(a)]})


@bp.get("/kinds")
def kinds():
    """The service's list of document kinds (the add-on builds its menu from it); with
    `?regulation=<id>`, each says whether that regulation requires it and by which clause."""
    reg_id = request.args.get("regulation") or None
    try:
        reg = load_regulation(reg_id) if reg_id else None
    except UnknownRegulation as err:
        raise ApiError(400, "regulation.unknown", err.message)
    return jsonify({"regulation": reg.id if reg else None, "kinds": kinds_of(reg)})


def kinds_of(regulation=None) -> list[dict]:
    """Every kind the service makes; with a regulation, whether it requires it and by which clause
    (the add-on's sidebar lists the same)."""
    out = []
    for k in CATALOGUE.values():
        doc = regulation.requires(k.id) if regulation else None
        out.append({**k.as_dict(), "required": {"clause": doc.clause, "title": doc.title} if doc else None})
    return out


@bp.post("/reports/annual")
def annual_all():
    job, created = request_annual_all(current_user(), json_object(required=False))
    return jsonify({"job": job_body(job), "created": created}), 202


@bp.get("/jobs/<job_id>")
def job(job_id):
    return jsonify(job_body(g.job))                 # found and authorised by service/web/auth.py


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())
