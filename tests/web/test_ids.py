"""Every `<int:…>` of every route is a row id (service/web/ids.py): a number past the
databases' integers, or digits that are not ASCII, are a 404 like a missing row — never
a 500 (OverflowError on SQLite, «integer out of range» on PostgreSQL)."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

from tests.factories import association
from tests.web.helpers import add, csrf_token

OUT_OF_RANGE = ("2147483648", "9" * 25, "9" * 5000, "٣", "00000000001")


def int_routes(app) -> list[tuple[str, str, list[str]]]:
    """(method, rule, its int arguments) of every route with an `<int:…>`."""
    out = []
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]
        if ints:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                out.append((method, rule.rule, ints))
    return out


def answers(app, client, slug: str, value: str) -> dict[str, int]:
    token = csrf_token(client, "/")
    seen = {}
    for method, rule, ints in int_routes(app):
        url = rule.replace("<slug>", slug)
        for name in ints:
            url = url.replace(f"<int:{name}>", value)
        r = client.open(url, method=method, data={"csrf_token": token, "do": "deactivate"} if method == "POST" else None)
        seen[f"{method} {url[:80]}"] = r.status_code
    return seen


def test_the_app_has_routes_with_ids(app):
    assert len(int_routes(app)) >= 6


def test_ids_past_the_databases_integers_are_not_found(app, ws, client, tmp_path):
    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    for value in OUT_OF_RANGE:
        seen = answers(app, client, a.slug, value)
        assert set(seen.values()) == {404}, seen


def test_the_largest_id_is_looked_up_and_not_found(app, ws, client, tmp_path):
    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    seen = answers(app, client, a.slug, "2147483647")
    assert set(seen.values()) <= {404, 400}, seen          # 400: a form without what it needs
