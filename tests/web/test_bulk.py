"""Bulk work: any kind of document for every association of the person's scope, a
results page with each association's document or the reasons it has none, one ZIP
of them all; the job page names the association it is at and refreshes without script."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from service.workspace import jobs as records
from service.workspace.runner import run
from tests.accounts.factories import signed_in_client
from tests.web.helpers import (follow, job_id_of, main, pages_while_generating, row_of, submit, three_associations,
                               visible)


def test_any_kind_for_all_with_links_reasons_and_one_zip(client, ws, tmp_path):
    maths, physics, chemistry = three_associations(ws, tmp_path)
    Path(physics.source).write_text("это уже не таблица", encoding="utf-8")
    r = submit(client, "/reports/annual", {"kind": "work-plan"})
    job_id = job_id_of(r)
    page = main(follow(client, r).get_data(as_text=True))
    assert visible(page).startswith("План работы для всех МО")
    assert "Готово: 2 из 3; не сформировано: 1." in visible(page)
    for a in (maths, chemistry):
        [v] = ws.documents(a)
        assert v.kind == "work-plan"
        row = row_of(page, f'href="/a/{a.slug}"')
        assert f'href="/a/{a.slug}/documents/{v.id}"' in row and v.file_name in visible(row)
    assert "ММО физиков не сформирован: Это не книга электронной таблицы." in visible(row_of(page, physics.slug))
    z = client.get(f"/jobs/{job_id}/documents.zip")
    assert z.status_code == 200 and z.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(z.data)) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"{a.short_name}/{ws.documents(a)[0].file_name}" for a in (maths, chemistry))
        import docx
        first = docx.Document(io.BytesIO(archive.read(names[0])))
        assert "ПЛАН РАБОТЫ" in "\n".join(p.text for p in first.paragraphs).upper()
    dashboard = visible(main(client.get("/").get_data(as_text=True)))
    assert "Документы для всех МО: План работы" in dashboard


def test_bulk_kinds_are_those_made_once_a_year(client, ws, tmp_path):
    three_associations(ws, tmp_path)
    r = submit(client, "/reports/annual", {"kind": "protocol"})
    assert r.status_code == 400 and "Для всех объединений сразу формируются" in r.get_data(as_text=True)
    api = client.post("/api/v1/reports/annual", json={"kind": "data-bank"})
    assert api.status_code == 202 and api.get_json()["job"]["kind"] == "bulk"
    assert api.get_json()["job"]["result"]["kind"] == "data-bank"
    bad = client.post("/api/v1/reports/annual", json={"kind": ["x"]})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "request.invalid"


def test_progress_names_the_association_and_the_page_refreshes_itself(queued_app, tmp_path, monkeypatch):
    client, ws = signed_in_client(queued_app), queued_app.extensions["workspace"]
    made = three_associations(ws, tmp_path)
    job_id = job_id_of(submit(client, "/reports/annual"))
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in page                # no script needed to follow it
    seen = pages_while_generating(monkeypatch, ws, client, job_id)
    assert run(ws, job_id) == records.DONE
    assert [re.search(r"сейчас: (ММО \w+)", p).group(1) for p in seen] == [a.short_name for a in made]
    assert "ММО математиков" in visible(seen[1])              # the one done is listed while the rest run
    done = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in done and "сейчас:" not in visible(done)


def test_zip_of_a_job_that_made_nothing_is_404(client, ws, tmp_path):
    for a in three_associations(ws, tmp_path):
        Path(a.source).write_text("не таблица", encoding="utf-8")
    job = client.post("/api/v1/reports/annual", json={"kind": "cyclogram"}).get_json()["job"]
    assert job["state"] == "done" and all(d["error"] for d in job["result"]["documents"])
    r = client.get(f"/jobs/{job['id']}/documents.zip")
    assert r.status_code == 404 and r.get_json() is None and "нет готовых документов" in r.get_data(as_text=True)


def test_documents_for_all_leave_out_associations_the_asker_may_only_view(app, ws, tmp_path):
    """A head who is also a plain member of another association sees it, but «для всех МО»
    files nothing there: making documents there is not theirs to do."""
    from service.accounts import directory
    from tests.factories import association
    from tests.web.helpers import add

    mine = add(ws, tmp_path, association("zdvinsky-mmo"), name="a.xlsx")
    book = association("zdvinsky-mmo")
    book.info["Территория"] = "Чулымский район"
    book.info["Наименование МО"] = "ММО учителей математики Чулымского района"
    other = add(ws, tmp_path, book, name="b.xlsx")
    head = signed_in_client(app, "head", associations=[mine])
    directory.grant(ws.sf, head.account.id, other.id, "member")
    job = head.post("/api/v1/reports/annual", json={}).json["job"]
    run(ws, job["id"])
    done = records.get(ws.sf, job["id"])
    assert done.state == records.DONE
    assert [d["slug"] for d in done.result["documents"]] == [mine.slug]
    assert ws.documents(other) == [] and [v.kind for v in ws.documents(mine)] == ["annual-report"]
