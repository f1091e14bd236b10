"""The administrator's pages: accounts (invite, role and scope, deactivate, delete) and
the associations «Состав» offers to accounts, confirmed here once."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from service.accounts import directory
from service.accounts.emails import BadEmail
from service.accounts.invitations import invite
from service.accounts.models import ROLES
from service.web.actions import workspace
from service.web.auth import current_user
from service.web.errors import ApiError
from service.web.links import public_base
from service.workspace.models import AuditEvent

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(status: int = 200, error: str | None = None, sent=None):
    ws = workspace()
    slugs = {a.slug: a for a in ws.associations()} | {a.slug: a for a in ws.associations(archived=True)}
    return render_template("accounts.html", accounts=directory.listing(ws.sf), roles=ROLES, error=error, sent=sent,
                           associations=slugs), status


@bp.get("/accounts")
def accounts():
    return _page()


def _lines(name: str) -> list[str]:
    return [x.strip() for x in (request.form.get(name) or "").replace(",", "\n").splitlines() if x.strip()]


@bp.post("/accounts")
def add_account():
    ws = workspace()
    role = request.form.get("role") or ""
    ids = []
    for slug in _lines("associations"):
        a = ws.association(slug)
        if a is None:
            return _page(400, f"Объединения «{slug}» нет.")
        ids.append(a.id)
    try:
        account = directory.create(ws.sf, request.form.get("email") or "", role,
                                   name=request.form.get("name") or "", territories=_lines("territories"),
                                   association_ids=ids)
    except (BadEmail, directory.AccountError) as err:
        return _page(400, getattr(err, "message", None) or err.args[0])
    sent = invite(current_app.config, ws.sf, account, current_user().display, public_base(current_app.config))
    _journal("account.add", account, role=account.role)
    return _page(201, sent=(account, sent))


_ACCESS_ACTIONS = {"confirm": "access.offer_confirm", "decline": "access.offer_decline", "grant": "access.invite",
                   "revoke": "access.revoke"}


def _journal(action: str, account, **details) -> None:
    """Changes of accounts and their scope, in the service-wide journal (no association),
    except those of one association, which go to its own journal too."""
    me = current_user()
    association_id = details.pop("association_id", None)
    with workspace().sf() as s, s.begin():
        s.add(AuditEvent(actor=me.display, action=action, association_id=association_id,
                         details={"email": account.email, "account_id": account.id, **details}))


@bp.post("/accounts/<int:account_id>")
def change_account(account_id):
    ws = workspace()
    account = directory.get(ws.sf, account_id)
    if account is None:
        raise ApiError(404, "account.not_found", "Учётная запись не найдена.")
    what = request.form.get("do")
    me = current_user()
    if what in ("deactivate", "delete") and account.id == me.account_id:
        return _page(400, "Нельзя отключить или удалить собственную учётную запись.")
    try:
        if what == "deactivate":
            directory.set_active(ws.sf, account.id, False)
        elif what == "activate":
            directory.set_active(ws.sf, account.id, True)
        elif what == "delete":
            directory.remove(ws.sf, account.id)
        elif what == "invite":
            sent = invite(current_app.config, ws.sf, account, me.display, public_base(current_app.config))
            _journal("account.invite", account, delivered=not sent.error)
            return _page(200, sent=(account, sent))
        elif what == "role":
            if account.id == me.account_id:
                return _page(400, "Свою роль изменить нельзя: попросите другого администратора.")
            directory.set_role(ws.sf, account.id, request.form.get("role") or "")
            what = f"role:{request.form.get('role')}"
        elif what == "territories":
            directory.set_territories(ws.sf, account.id, _lines("territories"))
        elif what in ("confirm", "decline", "grant", "revoke"):
            a = ws.association(request.form.get("association") or "")
            if a is None:
                return _page(400, "Объединение не найдено.")
            if what == "revoke" or what == "decline":
                directory.revoke(ws.sf, account.id, a.id)
            else:
                directory.grant(ws.sf, account.id, a.id, (request.form.get("role") or None) if what == "grant" else None)
            _journal(_ACCESS_ACTIONS[what], account, association_id=a.id)
            return redirect(url_for("admin.accounts"))
        else:
            return _page(400, "Неизвестное действие.")
    except directory.AccountError as err:
        return _page(400, err.message)
    _journal(f"account.{what.split(':')[0]}", account, **({"role": what.split(":")[1]} if ":" in what else {}))
    return redirect(url_for("admin.accounts"))
