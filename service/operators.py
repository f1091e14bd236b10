"""`mo-docs users …` and `mo-docs tokens …`: accounts and API tokens from the server's
shell, for the first admin and for scripts.  They work on the same settings as the web
service (the instance folder, MO_DOCS_* variables), so invitation links are signed with
the same secret key."""
from __future__ import annotations

import sys

from service.accounts.roles import ROLE_TITLES, ROLES


def add_account_commands(sub, parser_class) -> None:
    u = sub.add_parser("users", help="учётные записи: добавить, список, отключить")
    us = u.add_subparsers(dest="users_command", required=True, parser_class=parser_class, metavar="ДЕЙСТВИЕ")
    add = us.add_parser("add", help="добавить учётную запись и напечатать ссылку-приглашение")
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=ROLES, help="admin, curator, head или member")
    add.add_argument("--association", action="append", default=[], metavar="SLUG",
                     help="объединение (адрес из /a/<адрес>) в доступе; можно несколько раз")
    add.add_argument("--territory", action="append", default=[], metavar="NAME",
                     help="территория куратора, как в «Сведениях»; можно несколько раз")
    add.add_argument("--name", default="", help="имя, как подписывать действия в журнале")
    add.add_argument("--password-stdin", action="store_true", help="прочитать пароль из стандартного ввода "
                     "вместо приглашения")
    add.set_defaults(func=cmd_users_add)
    ls = us.add_parser("list", help="все учётные записи")
    ls.set_defaults(func=cmd_users_list)
    for name, help_text in (("deactivate", "отключить (сеансы и токены перестают работать)"),
                            ("activate", "включить снова"), ("invite", "новая ссылка-приглашение"),
                            ("remove", "удалить учётную запись с её сеансами и токенами")):
        p = us.add_parser(name, help=help_text)
        p.add_argument("email")
        p.set_defaults(func=cmd_users_change, change=name)
    ro = us.add_parser("role", help="сменить роль (роли в объединениях понижаются до неё)")
    ro.add_argument("email")
    ro.add_argument("role", choices=ROLES)
    ro.set_defaults(func=cmd_users_scope, scope="role")
    gr = us.add_parser("grant", help="открыть доступ к объединению")
    gr.add_argument("email")
    gr.add_argument("association", metavar="SLUG")
    gr.add_argument("--role", choices=("curator", "head", "member"), default=None,
                    help="роль в этом объединении (по умолчанию — роль учётной записи)")
    gr.set_defaults(func=cmd_users_scope, scope="grant")
    rk = us.add_parser("revoke", help="закрыть доступ к объединению")
    rk.add_argument("email")
    rk.add_argument("association", metavar="SLUG")
    rk.set_defaults(func=cmd_users_scope, scope="revoke")
    te = us.add_parser("territories", help="задать территории куратора (заменяют прежние)")
    te.add_argument("email")
    te.add_argument("--territory", action="append", default=[], metavar="NAME",
                    help="территория, как в «Сведениях»; можно несколько раз; без неё — ни одной")
    te.set_defaults(func=cmd_users_scope, scope="territories")
    pw = us.add_parser("password", help="задать пароль (читается из стандартного ввода)")
    pw.add_argument("email")
    pw.set_defaults(func=cmd_users_password)

    t = sub.add_parser("tokens", help="личные API-токены (Authorization: Bearer …)")
    ts = t.add_subparsers(dest="tokens_command", required=True, parser_class=parser_class, metavar="ДЕЙСТВИЕ")
    create = ts.add_parser("create", help="выпустить токен и напечатать его (один раз)")
    create.add_argument("email")
    create.add_argument("--name", default="", help="для чего токен, например «сценарий отчётов»")
    create.set_defaults(func=cmd_tokens_create)
    tl = ts.add_parser("list", help="токены (без самих значений)")
    tl.add_argument("email", nargs="?")
    tl.set_defaults(func=cmd_tokens_list)
    rv = ts.add_parser("revoke", help="отозвать токен по номеру из списка")
    rv.add_argument("id", type=int)
    rv.set_defaults(func=cmd_tokens_revoke)


class OperatorError(Exception):
    """A message for the operator (exit 2)."""


def _app():
    from service.cli import _app as make

    return make()


def _with_account(email: str):
    """(app, sessionmaker, account) for a command about one account."""
    app = _app()
    sf = app.extensions["workspace"].sf
    return app, sf, _account(sf, email)


def _account(sf, email: str):
    from service.accounts import directory
    from service.accounts.emails import BadEmail

    try:
        account = directory.by_email(sf, email)
    except BadEmail as err:
        raise OperatorError(err.args[0])
    if account is None:
        raise OperatorError(f"учётной записи {email} нет (mo-docs users list)")
    return account


def _password_from_stdin(email: str) -> str:
    from service.accounts.passwords import WeakPassword, check_policy

    password = sys.stdin.readline().rstrip("\r\n")
    try:
        check_policy(password, email)
    except WeakPassword as err:
        raise OperatorError(err.args[0])
    return password


def cmd_users_add(args) -> int:
    from service.accounts import directory
    from service.accounts.emails import BadEmail
    from service.accounts.invitations import invite
    from service.accounts.principal import territory_key
    from service.web.links import public_base

    app = _app()
    ws = app.extensions["workspace"]
    ids = []
    for slug in args.association:
        a = ws.association(slug)
        if a is None:
            known = ", ".join(x.slug for x in ws.associations()) or "объединений пока нет"
            raise OperatorError(f"объединения «{slug}» нет; есть: {known}")
        ids.append(a.id)
    if args.role == "curator" and not (args.territory or ids):
        raise OperatorError("куратору нужна хотя бы одна --territory или --association")
    if args.role in ("head", "member") and args.territory:
        raise OperatorError("--territory задаётся только куратору")
    password = _password_from_stdin(args.email) if args.password_stdin else None
    try:
        account = directory.create(ws.sf, args.email, args.role, name=args.name, territories=args.territory,
                                   association_ids=ids, password=password)
    except (BadEmail, directory.AccountError) as err:
        raise OperatorError(getattr(err, "message", None) or err.args[0])
    known = {territory_key(a.territory): a.territory for a in ws.associations()}
    for t in args.territory:
        if territory_key(t) not in known:
            print(f"mo-docs: внимание: ни одно объединение пока не из территории «{t}»; известны: "
                  + ("; ".join(sorted(set(known.values()))) or "—"), file=sys.stderr)
    print(f"Учётная запись {account.email} ({ROLE_TITLES[account.role]}) создана.")
    if password is None:
        sent = invite(app.config, ws.sf, account, "администратор (mo-docs users add)", public_base(app.config))
        print(f"Ссылка-приглашение (действует {app.config['INVITATION_DAYS']} дн., один раз):")
        print(sent.url)
        print(f"Письмо: {'отправлено (' + sent.delivered + ')' if sent.delivered else 'не отправлено — ' + str(sent.error)}",
              file=sys.stderr)
    return 0


def cmd_users_list(args) -> int:
    from service.accounts import directory

    app = _app()
    rows = directory.listing(app.extensions["workspace"].sf)
    if not rows:
        print("Учётных записей нет. Первую: mo-docs users add АДРЕС --role admin")
        return 0
    for u in rows:
        state = "отключена" if not u.active else ("приглашена" if not u.has_password else "активна")
        scope = "все" if u.role == "admin" else ", ".join(u.territories + u.associations) or "—"
        offered = f"; предложены «Составом»: {', '.join(u.offered)}" if u.offered else ""
        print(f"{u.email}\t{ROLE_TITLES[u.role]}\t{state}\t{scope}{offered}")
    return 0


def cmd_users_change(args) -> int:
    from service.accounts import directory
    from service.accounts.invitations import invite
    from service.web.links import public_base

    app, sf, account = _with_account(args.email)
    if args.change in ("deactivate", "remove") and account.role == "admin" and account.active \
            and directory.count_admins(sf) == 1:
        raise OperatorError("это последний активный администратор: сначала добавьте другого")
    if args.change == "deactivate":
        directory.set_active(sf, account.id, False)
        print(f"{account.email} отключена: её сеансы закрыты, токены отозваны, неиспользованные ссылки больше "
              "не действуют.")
    elif args.change == "activate":
        directory.set_active(sf, account.id, True)
        print(f"{account.email} включена.")
    elif args.change == "remove":
        directory.remove(sf, account.id)
        print(f"{account.email} удалена вместе с сеансами и токенами (журнал действий сохранён).")
    else:
        sent = invite(app.config, sf, account, "администратор (mo-docs users invite)", public_base(app.config))
        print(sent.url)
    return 0


def cmd_users_scope(args) -> int:
    """Role, associations and territories of an account, as on the admin page; journaled."""
    from service.accounts import directory
    from service.workspace.models import AuditEvent

    app, sf, account = _with_account(args.email)
    ws = app.extensions["workspace"]
    a = None
    if args.scope in ("grant", "revoke"):
        a = ws.association(args.association)
        if a is None:
            raise OperatorError(f"объединения «{args.association}» нет")
    try:
        if args.scope == "role":
            if account.role == "admin" and args.role != "admin" and directory.count_admins(sf) == 1:
                raise OperatorError("это последний активный администратор: сначала добавьте другого")
            directory.set_role(sf, account.id, args.role)
            done, details = f"{account.email}: роль — {ROLE_TITLES[args.role]}.", {"role": args.role}
        elif args.scope == "grant":
            given = directory.grant(sf, account.id, a.id, args.role)
            done, details = f"{account.email}: доступ к «{a.short_name or a.name}» ({ROLE_TITLES[given]}).", {"role": given}
        elif args.scope == "revoke":
            if not directory.revoke(sf, account.id, a.id):
                raise OperatorError(f"у {account.email} нет доступа к «{args.association}»")
            done, details = f"{account.email}: доступ к «{a.short_name or a.name}» закрыт.", {}
        else:
            names = directory.set_territories(sf, account.id, args.territory)
            done, details = f"{account.email}: территории — {'; '.join(names) or 'нет'}.", {"territories": list(names)}
    except directory.AccountError as err:
        raise OperatorError(err.message)
    action = {"role": "account.role", "grant": "access.invite", "revoke": "access.revoke",
              "territories": "account.territories"}[args.scope]
    with sf() as s, s.begin():
        s.add(AuditEvent(actor="администратор (mo-docs users)", action=action, association_id=a.id if a else None,
                         details={"email": account.email, "account_id": account.id, **details}))
    print(done)
    return 0


def cmd_users_password(args) -> int:
    from service.accounts import directory

    app, sf, account = _with_account(args.email)
    directory.set_password(sf, account.id, _password_from_stdin(account.email))
    print(f"Пароль {account.email} изменён; прежние сеансы закрыты.")
    return 0


def cmd_tokens_create(args) -> int:
    from service.accounts import tokens

    app, sf, account = _with_account(args.email)
    if not account.active:
        raise OperatorError(f"{account.email} отключена: токен не выпущен")
    created = tokens.create(sf, account.id, args.name)
    print(f"Токен №{created.id} для {account.email} (показывается один раз, храните как пароль):", file=sys.stderr)
    print(created.token)
    return 0


def cmd_tokens_list(args) -> int:
    from service.accounts import tokens

    app = _app()
    sf = app.extensions["workspace"].sf
    account_id = _account(sf, args.email).id if args.email else None
    for t, email in tokens.listing(sf, account_id):
        state = "отозван" if t.revoked_at else "действует"
        used = t.last_used_at.strftime("%d.%m.%Y %H:%M") if t.last_used_at else "не использовался"
        print(f"{t.id}\t{email}\t{t.prefix}…\t{t.name or '—'}\t{state}\t{used}")
    return 0


def cmd_tokens_revoke(args) -> int:
    from service.accounts import tokens

    app = _app()
    if not tokens.revoke(app.extensions["workspace"].sf, args.id):
        raise OperatorError(f"токена №{args.id} нет или он уже отозван")
    print(f"Токен №{args.id} отозван.")
    return 0
