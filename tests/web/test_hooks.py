"""The Drive push endpoint (/hooks/drive): a burst of notifications — a head typing, the
service's own uploads of documents — queues one watch pass, not one per message."""
from __future__ import annotations

import pytest

from service.google.changes import ChannelRecord, SqlChannelStore
from tests.google.test_push import FakeGoogle

HEADERS = {"X-Goog-Channel-ID": "chan-1", "X-Goog-Channel-Token": "s3cret", "X-Goog-Resource-State": "change",
           "X-Goog-Resource-ID": "res-1"}


@pytest.fixture
def google_app(make_app):
    app = make_app(GOOGLE_ENABLED=True, GOOGLE_SERVICE_ACCOUNT_EMAIL="mo-docs@project.iam.gserviceaccount.com")
    store = SqlChannelStore(app.extensions["workspace"].engine)
    store.add(ChannelRecord("chan-1", "res-1", "s3cret", 4102444800000, "https://mo-docs.example.ru/hooks/drive"))
    return app


def test_a_burst_of_notifications_queues_one_watch_pass(google_app, monkeypatch):
    ws = google_app.extensions["workspace"]
    queued = []
    monkeypatch.setattr(google_app.extensions["tasks"], "watch", lambda: queued.append(1))
    client = google_app.test_client()
    answers = [client.post("/hooks/drive", headers={**HEADERS, "X-Goog-Message-Number": str(n)}).status_code
               for n in range(2, 40)]                              # e.g. the service filed 38 documents
    assert set(answers) == {200} and len(queued) == 1
    monkeypatch.setattr(ws, "google_services", lambda: FakeGoogle())
    assert ws.changed_google_sheets() == {}                       # the pass starts: the mark is cleared
    client.post("/hooks/drive", headers={**HEADERS, "X-Goog-Message-Number": "41"})
    assert len(queued) == 2


def test_a_wrong_token_queues_nothing(google_app, monkeypatch):
    queued = []
    monkeypatch.setattr(google_app.extensions["tasks"], "watch", lambda: queued.append(1))
    r = google_app.test_client().post("/hooks/drive", headers={**HEADERS, "X-Goog-Channel-Token": "guess"})
    assert r.status_code == 403 and queued == []
