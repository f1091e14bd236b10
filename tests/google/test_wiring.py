"""Google plugged into the service: sources anywhere a path is accepted, the watch job,
the push-notification endpoint."""
from tests.accounts.factories import signed_in_client
import pytest

from jobs.tasks import watch_once
from service import create_app
from service.sources.base import SourceError, open_source


class FakeGoogle:
    def __init__(self):
        self.asked = []

    def source(self, location, *, limits=None):
        self.asked.append(location)
        return ("gsheet-source", location)


def test_gsheet_locations_go_to_google():
    google = FakeGoogle()
    assert open_source("gsheet:1AbC", google=google) == ("gsheet-source", "gsheet:1AbC")
    link = "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEF/edit#gid=0"
    open_source(link, google=google)
    assert google.asked == ["gsheet:1AbC", link]


def test_without_google_a_sheet_is_a_clear_russian_error():
    with pytest.raises(SourceError) as err:
        open_source("gsheet:1AbC")
    assert err.value.code == "workbook.unreadable" and "Google Таблиц на этом сервере не включено" in err.value.message
    assert "MO_DOCS" not in err.value.message and "Скачайте таблицу как .xlsx" in err.value.message  # a teacher reads it


@pytest.fixture
def app(tmp_path):
    return create_app({"INSTANCE": str(tmp_path), "TESTING": True, "QUEUE_URL": "memory://",
                       "GOOGLE_ENABLED": True, "GOOGLE_SERVICE_ACCOUNT_EMAIL": "mo-docs@project.iam.gserviceaccount.com"})


def test_watch_queues_a_check_for_each_changed_sheet_once(app, monkeypatch):
    ws = app.extensions["workspace"]
    from service.workspace.models import Association
    with ws.sf() as s, s.begin():
        s.add(Association(slug="gs", name="ГПМО", source="gsheet:1AbC"))
    ids = [a.id for a in ws.associations()]
    monkeypatch.setattr(ws, "changed_google_sheets", lambda: {ids[0]: "17"})
    dispatched = []
    assert len(watch_once(ws, dispatched.append)) == 1
    assert watch_once(ws, dispatched.append) == []            # same version: deduplicated
    assert len(dispatched) == 1


def test_push_notifications_ignore_unknown_channels_and_refuse_without_google(app, tmp_path):
    client = signed_in_client(app)
    headers = {"X-Goog-Channel-ID": "nobody", "X-Goog-Resource-State": "change", "X-Goog-Channel-Token": "x",
               "X-Goog-Message-Number": "3"}
    assert client.post("/hooks/drive", headers=headers).status_code == 200
    assert client.post("/hooks/drive", headers={}).status_code == 400
    plain = create_app({"INSTANCE": str(tmp_path / "plain"), "TESTING": True, "QUEUE_URL": "memory://"})
    assert plain.test_client().post("/hooks/drive", headers=headers).status_code == 404


def test_api_adds_a_sheet_only_when_google_is_on(tmp_path):
    plain = create_app({"INSTANCE": str(tmp_path / "plain"), "TESTING": True, "QUEUE_URL": "memory://"})
    r = signed_in_client(plain).post("/api/v1/associations", json={"source": "gsheet:1AbC"})
    assert r.status_code == 400 and r.json["error"]["code"] == "google.disabled"
    r = signed_in_client(plain).post("/api/v1/associations", json={"source": "/etc/passwd"})
    assert r.status_code == 400 and r.json["error"]["code"] == "request.invalid"


def test_the_rate_limiter_is_shared_by_the_processes_of_the_machine_by_default(tmp_path):
    from service.google.ratelimit import FileRateLimiter
    from service.settings import load_settings
    from service.workspace.service import Workspace

    ws = Workspace(load_settings(tmp_path / "instance", {"TESTING": True, "GOOGLE_ENABLED": True}, environ={}))
    assert isinstance(ws.google.limiter, FileRateLimiter)
    assert ws.google.limiter.path == str(tmp_path / "instance" / "google-rate-limit.json")
    ws.engine.dispose()
