"""Every route of the app × every role, against the rule table (service/web/access.py):
a route without a rule fails here; anonymous requests go to the sign-in page (pages) or
get 401 (API); an association outside a person's scope is 404 — also when its slug is
typed into the URL; one the person sees but may not act on is 403; allowed requests are
never refused for want of rights.  POSTs carry no CSRF token, so nothing allowed is
actually changed by this walk."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.accounts.principal import Principal
from service.web.access import RULES
from tests.accounts.factories import make_account, sign_in
from tests.factories import association

ROLES = ("anonymous", "admin", "curator", "head", "member", "other-head", "other-curator")


@pytest.fixture
def world(app, ws, tmp_path):
    """Two associations of two territories, a document, a job and a bulk job in the first,
    and a client for each role."""
    folder = Path(ws.settings["WORKBOOKS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    mine_book = association("zdvinsky-mmo")
    other_book = association("zdvinsky-mmo")
    other_book.info["Территория"] = "Чулымский район"
    other_book.info["Наименование МО"] = "ММО учителей математики Чулымского района"
    mine = ws.add_association(str(mine_book.save(folder / "mine.xlsx")), "тест")
    other = ws.add_association(str(other_book.save(folder / "other.xlsx")), "тест")
    assert mine.territory != other.territory
    from service.documents import Request
    ws.generate(mine.id, Request("work-plan"), "тест")
    document = ws.documents(mine)[0]
    workbook = ws.workbook_versions(mine.id)[0]
    job, _ = ws.enqueue("check", association_id=mine.id, requested_by="тест", dedupe_key="access-check")
    sf = ws.sf
    accounts = {
        "admin": make_account(sf, "admin"),
        "curator": make_account(sf, "curator", territories=[mine.territory.upper() + "  "]),   # as typed
        "head": make_account(sf, "head", associations=[mine]),
        "member": make_account(sf, "member", associations=[mine]),
        "other-head": make_account(sf, "head", associations=[other]),
        "other-curator": make_account(sf, "curator", territories=[other.territory]),
    }
    bulk, _ = ws.enqueue("annual-all", requested_by="тест", params={"account_id": accounts["curator"].id},
                         dedupe_key="access-bulk")
    clients = {"anonymous": app.test_client()}
    for role, account in accounts.items():
        clients[role] = app.test_client()
        sign_in(app, clients[role], account)
    from service.accounts.principal import principal_for_account
    principals = {role: principal_for_account(sf, a.id) for role, a in accounts.items()}
    return {"mine": mine, "other": other, "document": document, "workbook": workbook, "job": job, "bulk": bulk,
            "clients": clients, "principals": principals, "accounts": accounts}


def test_every_route_has_a_rule(app):
    missing = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(RULES))
    assert missing == [], f"routes without an access rule (service/web/access.py): {missing}"


def _cases(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _url(rule, world, which: str) -> str:
    values = {}
    for arg in rule.arguments:
        if arg == "slug":
            values[arg] = world[which].slug
        elif arg == "version_id":
            values[arg] = world["workbook"].id if "workbook" in rule.endpoint else world["document"].id
        elif arg == "job_id":
            values[arg] = world["bulk" if which == "bulk" else "job"].id
        elif arg == "account_id":
            values[arg] = world["accounts"]["member"].id
        elif arg == "filename":
            values[arg] = "style.css"
        elif arg == "token":
            values[arg] = "not-a-token"
        else:
            raise AssertionError(f"the test does not know how to fill <{arg}> of {rule.rule}")
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def _call(client, method: str, url: str):
    if url.startswith("/api/") and method == "POST":
        return client.post(url, json={})
    return client.open(url, method=method)


def _expected(rule, role: str, principal: Principal | None, association, job_owner: int | None = None) -> str:
    r = RULES[rule.endpoint]
    api = rule.rule.startswith("/api/")
    if r.kind == "public":
        return "allowed"
    if principal is None:
        return "unauthenticated-api" if api else "sign-in"
    if r.kind == "global":
        return "allowed" if principal.may(r.action) else "forbidden"
    if r.kind == "job":
        if association is None:
            return "allowed" if principal.role == "admin" or principal.account_id == job_owner else "missing"
        return "allowed" if principal.may(r.action, association) else "missing"
    if not principal.sees(association):
        return "missing"
    return "allowed" if principal.may(r.action, association) else "forbidden"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(app, world, role):
    client, principal = world["clients"][role], world["principals"].get(role)
    failures = []
    for rule, method in _cases(app):
        targets = ["mine", "other"] if "slug" in rule.arguments else (["mine", "bulk"] if "job_id" in rule.arguments
                                                                      else ["mine"])
        for which in targets:
            url = _url(rule, world, which)
            if "job_id" in rule.arguments:
                association = None if which == "bulk" else world["mine"]
            else:
                association = world[which] if "slug" in rule.arguments else None
            expected = _expected(rule, role, principal, association, world["accounts"]["curator"].id)
            r = _call(client, method, url)
            status = r.status_code
            ok = {
                "allowed": status < 500 and status not in (401, 403) and not (
                    status == 404 and (r.is_json and r.json["error"]["code"] in ("association.not_found", "job.not_found")
                                       or b"\xd0\xbd\xd0\xb5 \xd0\xbd\xd0\xb0\xd0\xb9\xd0\xb4\xd0\xb5\xd0\xbd\xd0\xbe" in r.data)),
                "sign-in": status == 302 and "/login" in r.headers.get("Location", ""),
                "unauthenticated-api": status == 401 and r.json["error"]["code"] == "auth.required",
                "forbidden": status == 403,
                "missing": status == 404,
            }[expected]
            if not ok:
                failures.append(f"{role:>13} {method:<4} {url}: expected {expected}, got {status}")
    assert failures == [], "\n".join(failures)


def test_a_forbidden_action_is_explained_in_russian_on_pages_and_in_the_api(world):
    member, a = world["clients"]["member"], world["mine"]
    r = member.post(f"/api/v1/associations/{a.slug}/documents", json={"kind": "work-plan"})
    assert r.status_code == 403 and r.json["error"]["code"] == "auth.forbidden"
    assert "руководитель МО или куратор" in r.json["error"]["message"]
    page = member.get(f"/a/{a.slug}")
    assert page.status_code == 200 and "Сформировать протокол" not in page.get_data(as_text=True)
    assert "Заменить книгу" not in page.get_data(as_text=True)


def test_lists_show_exactly_the_scope(world):
    names = {role: {x["slug"] for x in world["clients"][role].get("/api/v1/associations").json["associations"]}
             for role in ROLES if role != "anonymous"}
    mine, other = world["mine"].slug, world["other"].slug
    assert names == {"admin": {mine, other}, "curator": {mine}, "head": {mine}, "member": {mine},
                     "other-head": {other}, "other-curator": {other}}


def test_a_member_can_change_nothing_and_see_no_personal_data(app, world):
    """Read-only, whatever the table says: every unsafe request on their own association is 403."""
    member, a = world["clients"]["member"], world["mine"]
    refused = []
    for rule, method in _cases(app):
        if "slug" in rule.arguments and (method != "GET" or "workbook_download" in rule.endpoint):
            r = _call(member, method, _url(rule, world, "mine"))
            if r.status_code != 403:
                refused.append(f"{method} {rule.rule}: {r.status_code}")
    assert refused == []
    page = member.get(f"/a/{a.slug}/members").get_data(as_text=True)
    assert "Дата рождения" not in page and "@" not in re.split(r"<main[^>]*>", page)[1]
    for client in ("anonymous", "other-head", "other-curator"):
        for rule, method in _cases(app):
            if "slug" in rule.arguments:
                r = _call(world["clients"][client], method, _url(rule, world, "mine"))
                assert r.status_code in (302, 401, 404), (client, method, rule.rule, r.status_code)
