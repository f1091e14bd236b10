"""Data that cannot be lost or mixed — each case failed before this change:
- «Заменить книгу» on «ММО математиков» with the history association's workbook renamed it
  and filed history protocols over the mathematics ones;
- 30 parallel uploads of one register made two associations, two 500s and orphaned files;
- «МО/1» and «МО 1» (or two 5,000-character names) shared one documents folder;
- nothing could be archived, no earlier workbook restored."""
from __future__ import annotations

import threading
from pathlib import Path

from service.documents import Request
from tests.accounts.factories import signed_in_client
from tests.factories import association
from tests.web.helpers import add, csrf_token, follow, main, upload, visible
from tests.web.test_uploads import stored_files, workbook_bytes


def history_book():
    book = association("novokuznetsk-gpmo")
    book.info["Наименование МО"] = "ГПМО учителей истории и обществознания"
    book.info["Краткое наименование"] = "ГПМО историков"
    book.info["Территория"] = "Новокузнецкий городской округ"
    return book


def test_another_associations_workbook_is_refused_with_both_names(client, ws, tmp_path):
    math = add(ws, tmp_path, association("zdvinsky-mmo"))
    ws.generate(math.id, Request("work-plan"), "тест")
    documents_before = sorted(Path(ws.settings["DOCUMENTS_DIR"]).rglob("*.docx"))
    r = upload(client, workbook_bytes(tmp_path, history_book(), "history.xlsx"), "history.xlsx", replace=math.slug)
    assert r.status_code == 409
    text = visible(main(r.get_data(as_text=True)))
    assert "описывает ГПМО историков (Новокузнецкий городской округ)" in text
    assert "ММО математиков" in text and "Ничего не заменено" in text
    after = ws.by_id(math.id)
    assert (after.name, after.short_name, after.source) == (math.name, math.short_name, math.source)
    assert len(ws.workbook_versions(math.id)) == 1
    assert sorted(Path(ws.settings["DOCUMENTS_DIR"]).rglob("*.docx")) == documents_before
    # the explicit confirmation replaces it without a second upload; the old workbook stays a version
    form = {k: v for k, v in __import__("re").findall(r'name="(replace|pending|original_name)" value="([^"]*)"',
                                                      r.get_data(as_text=True))}
    r = client.post("/upload", data={**form, "confirm": "1", "csrf_token": csrf_token(client, "/upload")})
    assert r.status_code == 302 and r.headers["Location"] == f"/a/{math.slug}"
    replaced = ws.by_id(math.id)
    assert replaced.source != math.source and Path(replaced.source).parent == Path(ws.settings["WORKBOOKS_DIR"])
    versions = ws.workbook_versions(math.id)
    assert [v.source for v in versions] == [replaced.source, math.source]
    assert versions[0].original_name == "history.xlsx"


def test_an_unconfirmed_or_forged_confirmation_changes_nothing(client, ws, tmp_path):
    math = add(ws, tmp_path, association("zdvinsky-mmo"))
    for data in ({"pending": "../../mo-docs.sqlite", "confirm": "1"}, {"pending": "x-0123abcd.xlsx"},
                 {"pending": "nothing-0123abcd.xlsx", "confirm": "1"}):
        r = client.post("/upload", data={"replace": math.slug, "csrf_token": csrf_token(client, "/upload"), **data})
        assert r.status_code in (400, 410), data
        assert ws.by_id(math.id).source == math.source


def test_the_same_associations_new_workbook_replaces_it_and_the_old_one_can_be_restored(client, ws, tmp_path):
    first = association("zdvinsky-mmo")
    r = upload(client, workbook_bytes(tmp_path, first, "v1.xlsx"), "Книга v1.xlsx")
    a = ws.associations()[0]
    second = association("zdvinsky-mmo")
    second.members[5]["Квалификационная категория"] = "главная"
    r = upload(client, workbook_bytes(tmp_path, second, "v2.xlsx"), "Книга v2.xlsx", replace=a.slug)
    assert r.status_code == 302
    assert ws.by_id(a.id).errors == 1
    versions = ws.workbook_versions(a.id)
    assert [v.original_name for v in versions] == ["Книга v2.xlsx", "Книга v1.xlsx"]
    page = client.get(f"/a/{a.slug}/workbooks").get_data(as_text=True)
    assert "Книга v1.xlsx" in page and "Сделать текущей" in page
    download = client.get(f"/a/{a.slug}/workbooks/{versions[1].id}")
    assert download.status_code == 200 and download.data == Path(versions[1].source).read_bytes()
    r = client.post(f"/a/{a.slug}/workbooks/{versions[1].id}/restore",
                    data={"csrf_token": csrf_token(client, f"/a/{a.slug}/workbooks")})
    assert r.status_code == 302
    restored = ws.by_id(a.id)
    assert restored.source == versions[1].source and restored.errors == 0
    actions = [e.action for e in ws.audit(a.id)]
    assert "association.restore_source" in actions and "personal.view" in actions   # the download was recorded


def test_archived_associations_keep_everything_and_come_back(client, ws, tmp_path):
    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    ws.generate(a.id, Request("work-plan"), "тест")
    r = client.post(f"/a/{a.slug}/archive", data={"csrf_token": csrf_token(client, f"/a/{a.slug}")})
    assert r.status_code == 302
    assert a.slug not in client.get("/").get_data(as_text=True)
    assert a.slug in client.get("/archive").get_data(as_text=True)
    page = follow(client, r).get_data(as_text=True)
    assert "В архиве с" in page and "Вернуть из архива" in page and "Сформировать протокол" not in page
    [doc] = ws.documents(a)
    assert client.get(f"/a/{a.slug}/documents/{doc.id}").status_code == 200        # documents still served
    r = client.post(f"/api/v1/associations/{a.slug}/documents", json={"kind": "work-plan"})
    assert r.status_code == 409 and r.json["error"]["code"] == "association.archived"
    assert [x["slug"] for x in client.get("/api/v1/associations").json["associations"]] == []
    from jobs.tasks import watch_once
    Path(a.source).touch()
    assert watch_once(ws, lambda job_id: None) == []                                 # the watcher leaves it alone
    client.post(f"/a/{a.slug}/unarchive", data={"csrf_token": csrf_token(client, f"/a/{a.slug}")})
    assert ws.by_id(a.id).archived_at is None and a.slug in client.get("/").get_data(as_text=True)


def test_thirty_parallel_uploads_of_one_register_make_one_association(app, ws, tmp_path):
    data = workbook_bytes(tmp_path)
    clients = [signed_in_client(app, "head") for _ in range(30)]
    tokens = [csrf_token(c, "/upload") for c in clients]
    barrier, statuses = threading.Barrier(len(clients)), []

    def post(c, token):
        import io
        barrier.wait()
        r = c.post("/upload", data={"csrf_token": token, "workbook": (io.BytesIO(data), "Книга.xlsx")},
                   content_type="multipart/form-data")
        statuses.append(r.status_code)

    threads = [threading.Thread(target=post, args=(c, t)) for c, t in zip(clients, tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(statuses) == [302] + [409] * 29, statuses
    [a] = ws.associations()
    assert stored_files(ws) == [Path(a.source)]                                     # no orphaned files
    assert len(ws.workbook_versions(a.id)) == 1


def test_names_that_clean_to_one_folder_never_share_documents(client, ws, tmp_path):
    books = []
    for i, short in enumerate(("МО/1", "МО 1", "Я" * 5000, "Я" * 5000 + "Ю")):
        book = association("zdvinsky-mmo")
        book.info["Краткое наименование"] = short
        book.info["Наименование МО"] = f"Объединение {i}"
        book.meeting(1)["Тема"] = f"Тема объединения {i}"
        books.append(add(ws, tmp_path, book, name=f"b{i}.xlsx"))
    files = {}
    for a in books:
        job = client.post(f"/api/v1/associations/{a.slug}/documents", json={"kind": "protocol", "meeting": 1}).json
        assert job["job"]["state"] == "done", job
        [doc] = ws.documents(a)
        files[a.slug] = doc.location
        body = client.get(f"/a/{a.slug}/documents/{doc.id}")
        from tests.web.helpers import docx_text
        seen = docx_text(body.data)
        assert f"Тема объединения {books.index(a)}" in seen, seen[:300]               # its own, not another's
    assert len(set(files.values())) == 4
    root = Path(ws.settings["DOCUMENTS_DIR"])
    assert {Path(p).relative_to(root).parts[0] for p in files.values()} == {a.slug for a in books}
    for a in books:
        [doc] = ws.documents(a)
        assert Path(doc.location).is_file()


def test_a_pending_replacement_is_confirmed_once_and_only_by_who_uploaded_it_for_that_association(app, client, ws,
                                                                                                   tmp_path):
    """Two «Подтвердить замену» at once: one replaces, the other is sent to the page (no
    500); another person, or the same file named for another association, gets 410."""
    import re

    math = add(ws, tmp_path, association("zdvinsky-mmo"))
    r = upload(client, workbook_bytes(tmp_path, history_book(), "history.xlsx"), "history.xlsx", replace=math.slug)
    form = dict(re.findall(r'name="(replace|pending|original_name)" value="([^"]*)"', r.get_data(as_text=True)))
    curator = signed_in_client(app, "admin")
    r = curator.post("/upload", data={**form, "confirm": "1", "csrf_token": csrf_token(curator, "/upload")})
    assert r.status_code == 410 and ws.by_id(math.id).source == math.source
    token = csrf_token(client, "/upload")
    answers = []

    def click():
        answers.append(client.post("/upload", data={**form, "confirm": "1", "csrf_token": token}).status_code)
    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [302, 302]
    assert ws.by_id(math.id).source != math.source and len(ws.workbook_versions(math.id)) == 2
    assert client.post("/upload", data={**form, "confirm": "1", "csrf_token": token}).status_code == 302
