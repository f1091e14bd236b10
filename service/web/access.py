"""Who may call which route: one rule per endpoint, enforced before any handler runs.

A route without a rule is refused for everyone (and tests/web/test_access.py, which walks
`app.url_map` × every role, fails): adding a route means adding its line here.

- `PUBLIC`: anyone, signed in or not (sign-in pages, static files, Drive's hooks which
  authenticate by their channel token).
- `Global(action)`: a signed-in person whose role allows `action` (`view` for any role).
- `OnAssociation(action)`: the route's `<slug>` names an association; outside the
  person's scope it is 404 (as if it did not exist), in scope but not allowed 403.
- `OnJob(action)`: the route's `<job_id>`; a job of an association follows that
  association, a bulk job belongs to whoever asked for it.
- `FromAddon(rule)`: the rule, and the person may also be signed in by the Google ID
  token the Sheets add-on sends (`Authorization: Bearer <ID token>`); elsewhere such a
  token is refused.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    kind: str                 # public | global | association | job
    action: str | None = None
    google_id_token: bool = False     # also signed in by the Sheets add-on's Google ID token


PUBLIC = Rule("public")


def Global(action: str) -> Rule:               # noqa: N802 — reads as a rule in the table
    return Rule("global", action)


def OnAssociation(action: str) -> Rule:        # noqa: N802
    return Rule("association", action)


def OnJob(action: str = "view") -> Rule:       # noqa: N802
    return Rule("job", action)


def FromAddon(rule: Rule) -> Rule:             # noqa: N802
    """`rule`, and a Google ID token of the Sheets add-on signs the person in too."""
    return Rule(rule.kind, rule.action, google_id_token=True)


RULES: dict[str, Rule] = {
    "static": PUBLIC,
    "hooks.drive": PUBLIC,
    # signing in and out
    "account.login_form": PUBLIC,
    "account.login": PUBLIC,
    "account.logout": PUBLIC,
    "account.google_start": PUBLIC,
    "account.google_callback": PUBLIC,
    "account.invitation_form": PUBLIC,
    "account.invitation": PUBLIC,
    "account.reset_request_form": PUBLIC,
    "account.reset_request": PUBLIC,
    "account.reset_form": PUBLIC,
    "account.reset": PUBLIC,
    "account.profile": Global("view"),
    # pages
    "pages.dashboard": Global("view"),
    "pages.archive": Global("view"),
    "pages.association": OnAssociation("view"),
    "pages.generate": OnAssociation("generate"),
    "pages.recheck": OnAssociation("check"),
    "pages.download": OnAssociation("view"),
    "pages.preview": OnAssociation("view"),
    "pages.upload_form": Global("add_association"),
    "pages.upload": Global("add_association"),     # replacing also needs `replace` on the association
    "pages.blank": Global("view"),
    "pages.blank_ods": Global("view"),
    "pages.annual_all": Global("generate"),
    "pages.job": OnJob("view"),
    "registers.members": OnAssociation("view"),
    "registers.workbooks": OnAssociation("view"),
    "registers.workbook_download": OnAssociation("view_personal"),
    "registers.workbook_restore": OnAssociation("replace"),
    "registers.archive": OnAssociation("archive"),
    "registers.unarchive": OnAssociation("archive"),
    "registers.confirm_territory": OnAssociation("confirm_identity"),
    "registers.people": OnAssociation("manage_members"),
    "registers.invite": OnAssociation("manage_members"),
    "registers.confirm_offer": OnAssociation("manage_members"),   # and a curator or admin: checked inside
    # administration
    "admin.accounts": Global("admin"),
    "admin.add_account": Global("admin"),
    "admin.change_account": Global("admin"),
    # the curator's desk (service/web/desk.py): the matrix in the person's scope, deadlines,
    # the calendar feed (its secret address is the key) and the digest's opt-out
    "desk.matrix": Global("view"),
    "desk.matrix_xlsx": Global("view"),
    "desk.matrix_spravka": Global("view"),
    "desk.api_compliance": Global("view"),
    "desk.deadlines": Global("view"),
    "desk.calendar_issue": Global("view"),
    "desk.calendar_revoke": Global("view"),
    "desk.calendar": PUBLIC,
    "desk.digest_toggle": Global("view"),
    "pages.job_zip": OnJob("view"),
    # the JSON API
    "api.openapi": PUBLIC,
    "api.associations": Global("view"),
    "api.add_association": Global("add_association"),
    "api.association": OnAssociation("view"),
    "api.findings": OnAssociation("view"),
    "api.members": OnAssociation("view"),
    "api.check": OnAssociation("check"),
    "api.request_doc": OnAssociation("generate"),
    "api.documents": OnAssociation("view"),
    "api.kinds": Global("view"),
    "api.annual_all": Global("generate"),
    "api.job": FromAddon(OnJob("view")),       # the add-on follows its jobs here
    # the Sheets add-on (service/web/addon.py): who may generate is checked on the sheet's association
    "addon.check": FromAddon(Global("view")),
    "addon.documents": FromAddon(Global("view")),
    "addon.connect": FromAddon(Global("add_association")),
}


def register(endpoint: str, rule: Rule) -> None:
    """For blueprints added later: declare the rule next to the routes."""
    RULES[endpoint] = rule
