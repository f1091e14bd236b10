"""An association's register as a whole: its members (personal data only for those who
may see it, every view written to the audit log — 152-ФЗ), its workbook versions
(download, restore), archiving, and the accounts of its people (a head invites them)."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, g, redirect, render_template, request, send_file, url_for
from sqlalchemy import select

from service.accounts import directory
from service.accounts.emails import BadEmail
from service.accounts.invitations import invite as send_invitation
from service.accounts.models import Account, AccountAssociation
from service.accounts.passwords import WeakPassword
from service.pipeline import check
from service.schema.regulations import UnknownRegulation
from service.sources.base import SourceError
from service.web.actions import workspace
from service.web.auth import current_user
from service.web.errors import ApiError
from service.web.links import public_base
from service.workspace.models import AuditEvent
from service.workspace.summary import members_from
from service.workspace.upload_names import upload_name

bp = Blueprint("registers", __name__)


def members_of(a, personal: bool) -> list[dict]:
    """Members as the last check found them (the snapshot: no workbook read per view);
    birth date, phone and e-mail only when `personal`.  A snapshot made before members were
    kept in it: the workbook is read."""
    snap = workspace().latest_snapshot(a.id)
    if snap is not None and snap.roster is not None:
        return members_from(snap.roster, (snap.roster_personal or []) if personal else None)
    report = check(workspace().source(a.source), regulation_id=a.regulation_override)
    out = []
    for m in report.data.members:
        row = {"full_name": m.full_name, "organisation": m.organisation, "position": m.position, "role": m.role,
               "category": m.category, "joined": m.joined, "left": m.left}
        if personal:
            row.update({"birth_date": m.birth_date, "email": m.email, "phone": m.phone})
        out.append(row)
    return out


def audit_personal(a, what: str) -> None:
    """Who saw or exported members' personal data, when, of which association."""
    me = current_user()
    with workspace().sf() as s, s.begin():
        s.add(AuditEvent(actor=me.display, action="personal.view", association_id=a.id,
                         details={"what": what, "account_id": me.account_id, "address": request.remote_addr or ""}))


def members_seen(a, what: str) -> tuple[list[dict], bool]:
    """The members the current person may see (personal data if allowed, and then journaled)."""
    personal = current_user().may("view_personal", a)
    try:
        rows = members_of(a, personal)
    except (SourceError, UnknownRegulation) as err:
        raise ApiError(409, "workbook.unreadable", f"Книга не читается: {getattr(err, 'message', err)}")
    if personal:
        audit_personal(a, what)
    return rows, personal


@bp.get("/a/<slug>/members")
def members(slug):
    rows, personal = members_seen(g.association, "members page")
    return render_template("members.html", a=g.association, members=rows, personal=personal)


# ---------------------------------------------------------------- workbook versions

@bp.get("/a/<slug>/workbooks")
def workbooks(slug):
    a = g.association
    return render_template("workbooks.html", a=a, versions=workspace().workbook_versions(a.id))


def _version(a, version_id: int):
    for v in workspace().workbook_versions(a.id):
        if v.id == version_id:
            return v
    raise ApiError(404, "workbook.not_found", "Такой версии книги нет.")


@bp.get("/a/<slug>/workbooks/<int:version_id>")
def workbook_download(slug, version_id):
    a = g.association
    v = _version(a, version_id)
    path = Path(v.source)
    root = Path(current_app.config["WORKBOOKS_DIR"]).resolve()
    if v.source.startswith("gsheet:") or not path.is_file() or root not in path.resolve().parents:
        raise ApiError(404, "workbook.not_found", "Файл этой версии книги не хранится в службе.")
    audit_personal(a, f"workbook version {v.id}")
    name = upload_name(v.original_name or a.slug, path.suffix)        # rows kept before names were made safe
    return send_file(path, as_attachment=True, download_name=name)


@bp.post("/a/<slug>/workbooks/<int:version_id>/restore")
def workbook_restore(slug, version_id):
    a = g.association
    from service.web.actions import ensure_current, request_check

    ensure_current(a)
    v = _version(a, version_id)
    if workspace().restore_workbook(a.id, v.id, current_user().display) is None:
        raise ApiError(404, "workbook.not_found", "Файл этой версии книги не найден.")
    job, _ = request_check(workspace().by_id(a.id), current_user().display)
    return redirect(url_for("pages.association", slug=a.slug))


# ---------------------------------------------------------------- archive

@bp.post("/a/<slug>/archive")
def archive(slug):
    a = g.association
    workspace().set_archived(a.id, True, current_user().display)
    return redirect(url_for("pages.association", slug=a.slug))


@bp.post("/a/<slug>/unarchive")
def unarchive(slug):
    a = g.association
    workspace().set_archived(a.id, False, current_user().display)
    return redirect(url_for("pages.association", slug=a.slug))


@bp.post("/a/<slug>/territory")
def confirm_territory(slug):
    """A curator or admin confirms the territory a re-check found: the association moves to
    that territory's curators."""
    a = g.association
    if not workspace().confirm_territory(a.id, current_user().display):
        raise ApiError(409, "association.territory_unchanged",
                       "Подтверждать нечего: новая территория не ожидает подтверждения или такое объединение уже есть.")
    return redirect(url_for("pages.association", slug=a.slug))


# ---------------------------------------------------------------- people of the association

def people_of(association_id: int) -> list[tuple[Account, str, str]]:
    """Accounts with this association in their scope or offered it: (account, state, role here)."""
    with workspace().sf() as s:
        return list(s.execute(select(Account, AccountAssociation.state, AccountAssociation.role)
                              .join(AccountAssociation, AccountAssociation.account_id == Account.id)
                              .where(AccountAssociation.association_id == association_id)
                              .order_by(AccountAssociation.role, Account.email)))


@bp.get("/a/<slug>/people")
def people(slug):
    a = g.association
    return render_template("people.html", a=a, people=people_of(a.id), sent=None, error=None)


INVITABLE = {"head": "руководитель (заместитель, секретарь): проверяет, формирует, приглашает",
             "member": "член МО: только просмотр"}


@bp.post("/a/<slug>/people")
def invite(slug):
    """A head gives someone access to their association with the role chosen here (never
    more than that on this association, whatever the account may do elsewhere).  The answer
    is the same whether the address was unknown, a member's, a curator's or an admin's:
    the form must not tell a head who else has an account."""
    a = g.association
    role = request.form.get("role") or "member"
    email = (request.form.get("email") or "")[:1000]
    name = (request.form.get("name") or "").strip()[:300]
    error, sent = None, None
    if role not in INVITABLE:
        error = "Руководитель МО может пригласить только руководителя (заместителя, секретаря) или члена МО."
    else:
        sf = workspace().sf
        me = current_user()
        try:
            account = directory.by_email(sf, email)
            if account is None:
                if name and directory.name_taken(sf, name):
                    raise directory.AccountError("account.name_taken",
                                                 f"Имя «{name}» уже носит другая учётная запись; укажите другое.")
                account = directory.create(sf, email, role, name=name, association_ids=[a.id])
                sent = send_invitation(current_app.config, sf, account, me.display,
                                       public_base(current_app.config))
                if not sent.error:
                    sent = "done"
            else:
                directory.grant(sf, account.id, a.id, role)
                sent = "done"
            journal(a, "access.invite", {"email": account.email, "role": role, "account_id": account.id})
        except (BadEmail, WeakPassword, directory.AccountError) as err:
            error = getattr(err, "message", None) or err.args[0]
    status = 400 if error else 200
    return render_template("people.html", a=a, people=people_of(a.id), sent=sent, error=error), status


def journal(a, action: str, details: dict) -> None:
    """A change of who may see or act on the association, signed with the actor's account."""
    me = current_user()
    with workspace().sf() as s, s.begin():
        s.add(AuditEvent(actor=me.display, action=action, association_id=a.id,
                         details={**details, "by_account_id": me.account_id, "by_email": me.email}))


@bp.post("/a/<slug>/people/<int:account_id>")
def confirm_offer(slug, account_id):
    """What the association's people list offers: a curator (or admin) confirms once what
    «Состав» offers, or declines it; whoever manages the members (the head too) changes a
    person's role here or takes the association away from them."""
    a = g.association
    me = current_user()
    what = request.form.get("do") or "confirm"
    rows = {acc.id: (acc, state, role) for acc, state, role in people_of(a.id)}
    sf = workspace().sf
    if what in ("confirm", "decline"):
        if me.role not in ("admin", "curator"):
            raise ApiError(403, "auth.forbidden", "Подтверждает доступ, предложенный «Составом», куратор или администратор.")
        if account_id not in rows or rows[account_id][1] != "offered":
            raise ApiError(404, "account.not_found", "Такого предложения нет.")
        if what == "decline":
            directory.revoke(sf, account_id, a.id)
        else:
            directory.grant(sf, account_id, a.id)
        journal(a, f"access.offer_{what}", {"email": rows[account_id][0].email, "account_id": account_id})
    elif what in ("revoke", "role"):
        if account_id not in rows or rows[account_id][1] != "granted":
            raise ApiError(404, "account.not_found", "У этой учётной записи нет доступа к объединению.")
        if account_id == me.account_id:
            raise ApiError(409, "access.self", "Свой доступ изменить нельзя: попросите куратора или администратора.")
        if what == "revoke":
            directory.revoke(sf, account_id, a.id)
            journal(a, "access.revoke", {"email": rows[account_id][0].email, "account_id": account_id})
        else:
            role = request.form.get("role") or ""
            if role not in INVITABLE:
                raise ApiError(400, "account.role_invalid", "Роль в объединении: руководитель или член МО.")
            given = directory.grant(sf, account_id, a.id, role)
            journal(a, "access.role", {"email": rows[account_id][0].email, "account_id": account_id, "role": given})
    else:
        raise ApiError(400, "request.invalid", "Неизвестное действие.")
    return redirect(url_for("registers.people", slug=a.slug))
