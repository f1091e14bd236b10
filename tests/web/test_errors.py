"""One error shape: every failure a client can provoke answers
{"error": {"code", "message"[, "details"]}} under /api/ and a Russian page elsewhere —
never a traceback, never the text of an internal exception."""
from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from service.workspace import jobs as records
from tests.accounts.factories import signed_in_client
from tests.factories import association
from tests.web.helpers import CYRILLIC, Contract, add, csrf_token, main, visible

API = "/api/v1"
SECRET = "boom: /srv/mo-docs/secret.sqlite password=hunter2"


@dataclass
class Env:
    client: object
    ws: object
    slug: str
    monkeypatch: object
    make_app: object

    def token(self, page="/"):
        return csrf_token(self.client, page)

    def broken(self, method: str):
        """A workspace method that fails as a bug or a dead database would."""
        def fail(*args, **kwargs):
            raise RuntimeError(SECRET)
        self.monkeypatch.setattr(self.ws, method, fail)


def _too_large(e: Env):
    app = e.make_app(MAX_UPLOAD_BYTES=1000)
    client = signed_in_client(app)
    token = csrf_token(client, "/upload")
    return client.post("/upload", data={"csrf_token": token, "workbook": (io.BytesIO(b"x" * 200_000), "к.xlsx")},
                       content_type="multipart/form-data")


def _broken_enqueue(e: Env):
    def fail(*args, **kwargs):
        raise RuntimeError(SECRET)
    e.monkeypatch.setattr(records, "enqueue", fail)


def _range_past_the_end(e: Env):
    from service.documents import Request

    a = e.ws.association(e.slug)
    e.ws.generate(a.id, Request("work-plan"), "тест")
    [doc] = e.ws.documents(a)
    return e.client.get(f"/a/{e.slug}/documents/{doc.id}", headers={"Range": "bytes=99999999-"})


CASES = {
    # ------------------------------------------------------------ API
    "api 400 unknown kind": (400, lambda e: e.client.post(f"{API}/associations/{e.slug}/documents",
                                                          json={"kind": "minutes"})),
    "api 400 missing meeting": (400, lambda e: e.client.post(f"{API}/associations/{e.slug}/documents",
                                                             json={"kind": "protocol"})),
    "api 400 broken json": (400, lambda e: e.client.post(f"{API}/associations/{e.slug}/documents", data="{",
                                                         content_type="application/json")),
    "api 404 association": (404, lambda e: e.client.get(f"{API}/associations/nobody")),
    "api 404 job": (404, lambda e: e.client.get(f"{API}/jobs/nothing")),
    "api 404 path": (404, lambda e: e.client.get(f"{API}/no-such-thing")),
    "api 405": (405, lambda e: e.client.put(f"{API}/associations/{e.slug}", json={})),
    "api 415": (415, lambda e: e.client.post(f"{API}/associations/{e.slug}/documents", data={"kind": "order"})),
    "api 500 list": (500, lambda e: (e.broken("associations"), e.client.get(f"{API}/associations"))[1]),
    "api 500 one": (500, lambda e: (e.broken("association"), e.client.get(f"{API}/associations/{e.slug}"))[1]),
    "api 500 request": (500, lambda e: (_broken_enqueue(e), e.client.post(
        f"{API}/associations/{e.slug}/documents", json={"kind": "order"}))[1]),
    "api 500 findings": (500, lambda e: (e.broken("latest_snapshot"),
                                         e.client.get(f"{API}/associations/{e.slug}/findings"))[1]),
    # ------------------------------------------------------------ pages
    "page 400 csrf": (400, lambda e: e.client.post(f"/a/{e.slug}/documents", data={"kind": "order"})),
    "page 400 unknown kind": (400, lambda e: e.client.post(f"/a/{e.slug}/documents", data={
        "kind": "minutes", "csrf_token": e.token()})),
    "page 400 no file": (400, lambda e: e.client.post("/upload", data={"csrf_token": e.token()})),
    "page 400 not a workbook": (400, lambda e: e.client.post("/upload", data={
        "csrf_token": e.token(), "workbook": (io.BytesIO(b"plain text"), "к.xlsx")},
        content_type="multipart/form-data")),
    "page 400 blank regulation": (400, lambda e: e.client.get("/blank.xlsx?regulation=nope")),
    "page 404 association": (404, lambda e: e.client.get("/a/nobody")),
    "page 404 job": (404, lambda e: e.client.get("/jobs/nothing")),
    "page 404 document": (404, lambda e: e.client.get(f"/a/{e.slug}/documents/999")),
    "page 404 preview": (404, lambda e: e.client.get(f"/a/{e.slug}/documents/999/preview")),
    "page 404 path": (404, lambda e: e.client.get("/no/such/page")),
    "page 405": (405, lambda e: e.client.get("/reports/annual")),
    "page 405 documents": (405, lambda e: e.client.get(f"/a/{e.slug}/documents")),
    "page 413": (413, _too_large),
    "page 416 range past the end": (416, _range_past_the_end),       # was «Requested Range Not Satisfiable»
    "page 500 dashboard": (500, lambda e: (e.broken("associations"), e.client.get("/"))[1]),
    "page 500 association": (500, lambda e: (e.broken("latest_snapshot"), e.client.get(f"/a/{e.slug}"))[1]),
    "page 500 upload": (500, lambda e: (e.broken("store_upload"), e.client.post("/upload", data={
        "csrf_token": e.token(), "workbook": (io.BytesIO(b"PK"), "к.xlsx")}, content_type="multipart/form-data"))[1]),
    # ------------------------------------------------------------ who is asking
    "api 401 anonymous": (401, lambda e: e.client.application.test_client().get(f"{API}/associations")),
    "api 401 bad token": (401, lambda e: e.client.application.test_client().get(
        f"{API}/associations", headers={"Authorization": "Bearer mod_forged"})),
    "api 403 member generates": (403, lambda e: _member(e).post(f"{API}/associations/{e.slug}/documents",
                                                              json={"kind": "order"})),
    "api 404 other scope": (404, lambda e: _stranger(e).get(f"{API}/associations/{e.slug}")),
    "page 403 member checks": (403, lambda e: (lambda c: c.post(f"/a/{e.slug}/check", data={
        "csrf_token": csrf_token(c, f"/a/{e.slug}")}))(_member(e))),
    "page 404 other scope": (404, lambda e: _stranger(e).get(f"/a/{e.slug}")),
}


def _member(e: Env):
    return signed_in_client(e.client.application, "member", associations=[e.ws.association(e.slug)])


def _stranger(e: Env):
    return signed_in_client(e.client.application, "curator", territories=["Другой район"])


@pytest.fixture
def env(client, ws, tmp_path, monkeypatch, make_app):
    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    return Env(client, ws, a.slug, monkeypatch, make_app)


UPLOAD_FORM = {"page 400 no file", "page 400 not a workbook"}


@pytest.mark.parametrize("case", list(CASES))
def test_every_failure_has_one_shape(env, case):
    status, provoke = CASES[case]
    r = provoke(env)
    assert r.status_code == status
    text = r.get_data(as_text=True)
    assert "Traceback" not in text and 'File "' not in text and "RuntimeError" not in text
    assert "boom" not in text and "hunter2" not in text and "/srv/" not in text
    if case.startswith("api"):
        assert r.mimetype == "application/json"
        body = r.get_json()
        assert set(body) == {"error"}
        error = body["error"]
        assert {"code", "message"} <= set(error) <= {"code", "message", "details"}
        assert isinstance(error["code"], str) and error["code"]
        assert isinstance(error["message"], str) and CYRILLIC.search(error["message"])
        Contract(env.client.get(f"{API}/openapi.json").get_json()).schema("Error", body)
    elif case in UPLOAD_FORM:                  # an upload's refusal is said on the upload form itself
        assert r.mimetype == "text/html" and text.startswith("<!doctype html>")
        alert = text.split('role="alert"', 1)[1].split("</div>", 1)[0]
        assert CYRILLIC.search(visible(alert)) and "е загружен" in visible(alert)
        assert 'name="workbook"' in text                                   # the form, to try again
    else:
        assert r.mimetype == "text/html"
        assert text.startswith("<!doctype html>") and '<html lang="ru">' in text
        page = visible(main(text))
        assert page.startswith("Не получилось")
        message = page.removeprefix("Не получилось").split("Назад")[0].strip()
        assert CYRILLIC.search(message), page
        assert "Все объединения" in page


def test_a_500_is_logged_for_the_administrator(env, caplog):
    env.broken("associations")
    env.client.get("/")
    assert any(SECRET in (r.exc_text or "") or SECRET in str(r.exc_info) for r in caplog.records)


def test_the_messages_say_what_happened(env):
    assert env.client.get("/a/nobody").get_data(as_text=True).count("Объединение «nobody» не найдено.") == 1
    r = env.client.get(f"{API}/associations/nobody")
    assert r.get_json() == {"error": {"code": "association.not_found", "message": "Объединение «nobody» не найдено."}}
    r = env.client.get(f"{API}/jobs/nothing")
    assert r.get_json() == {"error": {"code": "job.not_found", "message": "Задание не найдено."}}
    env.broken("associations")
    assert env.client.get(f"{API}/associations").get_json() == {
        "error": {"code": "internal", "message": "Внутренняя ошибка службы. Попробуйте позже."}}
    assert "Внутренняя ошибка службы. Попробуйте позже." in visible(main(env.client.get("/").get_data(as_text=True)))
