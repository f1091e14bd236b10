"""Change detection: the Drive change feed (pages, saved token), a sync that reads
only the watched spreadsheets whose version moved — with the HTTP calls counted
against a naive gspread poll — and push-notification channels."""
import datetime as dt
import functools
import json
import re
from pathlib import Path

import gspread
import pytest
from google.oauth2.credentials import Credentials

from service.db import make_engine
from service.google import changes as changes_module
from service.google.changes import (CHANGE_FIELDS, ChangeFeed, ChannelRecord, MemoryTokenStore, SheetSync,
                                    SqlChannelStore, SqlSheetVersions, SqlTokenStore, handle_notification,
                                    open_channel, renew_channels, sync)
from service.google.http import execute
from service.sources.gsheets import GSheetReader, MemoryWorkbookCache
from tests.factories import association
from tests.google.payloads import (add_sheet, batch_get, calls, conforms, drive, fail, gspread_client, load,
                                   metadata, ok, sheets_meta)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "google.md"
SA = "mo-docs@mo-docs-prod.iam.gserviceaccount.com"
run = functools.partial(execute, sleep=lambda s: None)


def feed_with(script, store=None, **kw):
    svc, http = drive(script)
    return ChangeFeed(svc, store or MemoryTokenStore(), execute=run, **kw), http


# ---------------------------------------------------------------- the feed

def test_the_first_poll_only_takes_a_start_token():
    feed, http = feed_with([ok(load("drive/start_page_token.json"))])
    poll = feed.poll()
    assert poll.first and poll.changes == {} and poll.token == "4001" and feed.store.get("changes") == "4001"
    method, path, params = calls(http)[0]
    assert (method, path) == ("GET", "/drive/v3/changes/startPageToken") and params["supportsAllDrives"] == ["true"]


def test_a_poll_follows_the_pages_and_keeps_each_files_latest_version():
    feed, http = feed_with([ok(load("drive/changes_page1.json")), ok(load("drive/changes_page2.json"))],
                           MemoryTokenStore({"changes": "4001"}))
    poll = feed.poll()
    a, b, doc = ("1SheetAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "1SheetBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
                 "1DocCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC")
    assert poll.changes[a].version == "33" and poll.changes[b].removed and poll.changes[doc].version == "7"
    assert poll.token == "4010" and poll.requests == 2
    assert feed.store.get("changes") == "4001"                      # saved only on commit
    feed.commit(poll)
    assert feed.store.get("changes") == "4010"
    first, second = calls(http)
    assert first[2]["pageToken"] == ["4001"] and second[2]["pageToken"] == ["4003"]
    assert first[2]["fields"] == [CHANGE_FIELDS] and first[2]["pageSize"] == ["1000"]
    assert first[2]["includeItemsFromAllDrives"] == ["true"] and first[2]["supportsAllDrives"] == ["true"]
    assert "driveId" not in first[2]                  # heads' sheets live in their own My Drives


def test_a_feed_of_one_shared_drive_says_so():
    feed, http = feed_with([ok({"newStartPageToken": "9", "changes": []})], MemoryTokenStore({"changes": "8"}),
                           drive_id="0ASharedDrive00000PVA")
    feed.poll()
    assert calls(http)[0][2]["driveId"] == ["0ASharedDrive00000PVA"]


def test_the_token_store_survives_a_restart(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'svc.sqlite'}")
    SqlTokenStore(engine).set("changes", "4001")
    SqlTokenStore(engine).set("changes", "4010")
    assert SqlTokenStore(make_engine(f"sqlite:///{tmp_path / 'svc.sqlite'}")).get("changes") == "4010"
    assert SqlTokenStore(engine).get("other") is None


# ---------------------------------------------------------------- sync: the calls counted

IDS = [f"1Sheet{i:03d}" + "x" * 30 for i in range(100)]
CHANGED = [IDS[7], IDS[42], IDS[99]]


TABLES = {title: rows for title, rows in association().tables().items()
          if title != "Потребности"}          # a real register: 7 tabs (without the optional «Потребности»)


def serve_sheets(rsps, ids):
    """Every spreadsheet in `ids` through two routes (one registration each, so that
    matching stays fast however many sheets there are)."""
    known = set(ids)
    meta_url = re.compile(r"https://sheets\.googleapis\.com/v4/spreadsheets/([^/?]+)(\?.*)?$")
    values_url = re.compile(r"https://sheets\.googleapis\.com/v4/spreadsheets/([^/?]+)/values:batchGet(\?.*)?$")

    def answer(build):
        def callback(request):
            sid = request.url.split("/spreadsheets/")[1].split("?")[0].split("/")[0]
            if sid not in known:
                return 404, {}, json.dumps(load("sheets/error_404.json"))
            meta = sheets_meta(sid, f"ММО {sid[:9]}", TABLES)
            return 200, {"Content-Type": "application/json"}, json.dumps(build(sid, meta), ensure_ascii=False)
        return callback

    rsps.add_callback("GET", meta_url, callback=answer(lambda sid, meta: meta))
    rsps.add_callback("GET", values_url, callback=answer(lambda sid, meta: batch_get(sid, TABLES, meta)))


def change(sid, version, mime="application/vnd.google-apps.spreadsheet"):
    return {"fileId": sid, "removed": False,
            "file": {"id": sid, "version": version, "modifiedTime": "2024-11-14T09:30:00.000Z", "mimeType": mime}}


def test_syncing_100_watched_sheets_of_which_3_changed_costs_7_calls_against_200_for_a_naive_poll(rsps, tmp_path):
    serve_sheets(rsps, IDS)
    reader = GSheetReader(gspread_client(sleep=lambda s: None), service_account_email=SA)
    cache = MemoryWorkbookCache()
    engine = make_engine(f"sqlite:///{tmp_path / 'svc.sqlite'}")
    # start: a token, then every watched sheet once (its version from Drive, its values from Sheets)
    feed, http = feed_with([ok(load("drive/start_page_token.json"))]
                           + [ok({"version": "10", "modifiedTime": "2024-11-01T10:00:00.000Z"})] * 100,
                           SqlTokenStore(engine))
    syncer = SheetSync(feed, reader, cache, known=SqlSheetVersions(engine))
    first = syncer.sync(IDS)
    bootstrap = {"drive": len(http.request_sequence), "sheets": len(rsps.calls)}
    assert len(first.changed) == 100 and bootstrap == {"drive": 101, "sheets": 200}

    # three heads edit their sheets; other files change too (a document, a sheet nobody watches)
    page = {"newStartPageToken": "4011",
            "changes": [change(IDS[7], "11"), change("1NotWatched" + "y" * 30, "3"), change(IDS[42], "12"),
                        change("1DocCCCC" + "z" * 30, "8", "application/vnd.google-apps.document"),
                        change(IDS[99], "11"), change(IDS[42], "14")]}
    assert conforms(page, "drive.v3", "ChangeList") == []
    http.then(ok(page))
    rsps.calls.reset()
    before = len(http.request_sequence)
    result = syncer.sync(IDS)
    incremental = {"drive": len(http.request_sequence) - before, "sheets": len(rsps.calls)}
    assert incremental == {"drive": 1, "sheets": 6}                  # 1 changes.list + 2 per changed sheet
    assert result.changed == {IDS[7]: "11", IDS[42]: "14", IDS[99]: "11"}
    assert set(result.workbooks) == set(CHANGED) and result.unchanged == 97 and not result.errors
    read_ids = {c.request.url.split("/spreadsheets/")[1].split("?")[0].split("/")[0] for c in rsps.calls}
    assert read_ids == set(CHANGED)                                  # 0 reads of the 97 unchanged
    assert feed.store.get("changes") == "4011"

    # nothing changed since: one call in all
    http.then(ok({"newStartPageToken": "4011", "changes": []}))
    rsps.calls.reset()
    before = len(http.request_sequence)
    quiet = syncer.sync(IDS)
    quiet_calls = len(http.request_sequence) - before + len(rsps.calls)
    assert quiet.changed == {} and len(rsps.calls) == 0 and http.left == 0

    # the service restarts: a new process, an empty cache — the token and the versions read are in the database
    restarted_feed, restarted_http = feed_with([ok({"newStartPageToken": "4011", "changes": []})], SqlTokenStore(engine))
    restarted = SheetSync(restarted_feed, reader, MemoryWorkbookCache(), known=SqlSheetVersions(engine))
    rsps.calls.reset()
    after_restart = restarted.sync(IDS)
    restart_calls = len(restarted_http.request_sequence) + len(rsps.calls)
    assert after_restart.changed == {} and after_restart.unchanged == 100 and restarted_http.left == 0

    # polls without the change feed: every sheet read, changed or not
    rsps.calls.reset()
    for sid in IDS:
        reader.read(sid)                                                 # our reader: get + batchGet
    reader_poll = len(rsps.calls)
    rsps.calls.reset()
    gc = gspread.Client(auth=Credentials(token="x"))
    for sid in IDS:
        sh = gc.open_by_key(sid)                                         # spreadsheets.get
        titles = [ws.title for ws in sh.worksheets(exclude_hidden=False)]   # spreadsheets.get again
        sh.values_batch_get([f"'{t}'" for t in titles])                 # values:batchGet
    naive_batch = len(rsps.calls)
    rsps.calls.reset()
    rsps.add("GET", re.compile(r"https://sheets\.googleapis\.com/v4/spreadsheets/[^/]+/values/[^:]+$"),
             json={"range": "'Состав'!A1:Z1000", "majorDimension": "ROWS", "values": [["ФИО"]]})
    for sid in IDS[:10]:
        sh = gc.open_by_key(sid)
        for ws in sh.worksheets():
            ws.get_all_values()                                          # values.get, one per tab
    naive_per_tab = len(rsps.calls) * 10
    assert reader_poll == 200 and naive_batch >= 200 and naive_per_tab >= 200

    measured = {"bootstrap": bootstrap["drive"] + bootstrap["sheets"],
                "incremental": incremental["drive"] + incremental["sheets"], "quiet": quiet_calls,
                "restart": restart_calls,
                "reader_poll": reader_poll, "naive_batch": naive_batch, "naive_per_tab": naive_per_tab}
    documented = documented_counts()
    assert documented == measured, f"docs/google.md says {documented}, the test measured {measured}"


def documented_counts() -> dict:
    """The call counts in docs/google.md's table (kept in step with this test)."""
    text = DOCS.read_text(encoding="utf-8")
    block = text.split("<!-- measured by tests/google/test_changes.py -->", 1)[1].split("<!-- end -->", 1)[0]
    rows = {}
    for key in ("bootstrap", "incremental", "quiet", "restart", "reader_poll", "naive_batch", "naive_per_tab"):
        m = re.search(rf"\| `{key}` \|[^|]*\| (\d+) \|", block)
        rows[key] = int(m.group(1)) if m else None
    return rows


def test_the_services_own_changes_are_dropped_from_the_feed():
    """Documents and folders the service filed come back through the feed: by the service
    account as last modifier, or by the filer's appProperties.  They are never taken for
    a register, whatever their id."""
    own_doc = {"fileId": IDS[3], "removed": False, "file": {
        "id": IDS[3], "version": "9", "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml."
        "document", "lastModifyingUser": {"me": True}, "appProperties": {"moDocsKey": "abc"}}}
    own_pdf = {"fileId": "1Pdf" + "p" * 30, "removed": False, "file": {
        "id": "1Pdf" + "p" * 30, "version": "2", "mimeType": "application/pdf", "appProperties": {"moDocsCopy": "x"}}}
    head_edit = change(IDS[5], "21")
    head_edit["file"]["lastModifyingUser"] = {"me": False}
    page = {"newStartPageToken": "6", "changes": [own_doc, own_pdf, head_edit]}
    assert conforms(page, "drive.v3", "ChangeList") == []
    feed, _ = feed_with([ok(page)], MemoryTokenStore({"changes": "5"}))
    poll = feed.poll()
    assert set(poll.changes) == {IDS[5]} and poll.own == 2


# ---------------------------------------------------------------- sync: failures

def test_a_sheet_that_fails_is_read_again_at_the_next_sync(rsps):
    sid = IDS[0]
    rsps.add("GET", f"https://sheets.googleapis.com/v4/spreadsheets/{sid}", json=load("sheets/error_403.json"),
             status=403)
    feed, http = feed_with([ok({"newStartPageToken": "2", "changes": [change(sid, "5")]})],
                           MemoryTokenStore({"changes": "1"}))
    reader = GSheetReader(gspread_client(sleep=lambda s: None), service_account_email=SA)
    syncer = SheetSync(feed, reader, MemoryWorkbookCache(), versions=lambda s: pytest.fail("not needed"))
    result = syncer.sync([sid])
    assert result.errors[sid].reason == "access" and SA in result.errors[sid].message
    assert feed.store.get("changes") == "2"                       # the feed moves on...
    rsps.replace("GET", f"https://sheets.googleapis.com/v4/spreadsheets/{sid}", json=sheets_meta(sid, "ММО", {}))
    # (a spreadsheet with no tabs: the read is one request)
    http.then(ok({"newStartPageToken": "2", "changes": []}))
    again = syncer.sync([sid])
    assert again.changed == {sid: "5"} and not again.errors        # ...and the sheet is tried again


def test_a_failed_read_is_tried_again_after_a_restart(rsps, tmp_path):
    sid = IDS[0]
    engine = make_engine(f"sqlite:///{tmp_path / 'svc.sqlite'}")
    rsps.add("GET", f"https://sheets.googleapis.com/v4/spreadsheets/{sid}", json=load("sheets/error_403.json"),
             status=403)
    feed, _ = feed_with([ok({"newStartPageToken": "2", "changes": [change(sid, "5")]})], SqlTokenStore(engine))
    SqlTokenStore(engine).set("changes", "1")
    reader = GSheetReader(gspread_client(sleep=lambda s: None), service_account_email=SA)
    assert sid in SheetSync(feed, reader, MemoryWorkbookCache(), known=SqlSheetVersions(engine)).sync([sid]).errors
    rsps.replace("GET", f"https://sheets.googleapis.com/v4/spreadsheets/{sid}", json=sheets_meta(sid, "ММО", {}))
    feed2, _ = feed_with([ok({"newStartPageToken": "2", "changes": []})], SqlTokenStore(engine))
    again = SheetSync(feed2, reader, MemoryWorkbookCache(), known=SqlSheetVersions(engine)).sync([sid])
    assert again.changed == {sid: "5"} and SqlSheetVersions(engine).load([sid]) == {sid: ("5", False)}


def test_an_unshared_sheet_is_reported_removed():
    sid = IDS[1]
    feed, _ = feed_with([ok({"newStartPageToken": "2", "changes": [{"fileId": sid, "removed": True}]})],
                        MemoryTokenStore({"changes": "1"}))
    cache = MemoryWorkbookCache()
    from service.sources.base import RawWorkbook

    cache.put(sid, "4", RawWorkbook("ММО", []))
    result = sync([sid], feed=feed, reader=None, cache=cache)
    assert result.removed == {sid} and result.changed == {}


def test_the_token_is_not_saved_when_the_sync_breaks():
    class Broken:
        def read(self, sid):
            raise RuntimeError("bug")

        def error(self, exc, sid=""):
            return exc

    feed, _ = feed_with([ok({"newStartPageToken": "2", "changes": [change(IDS[2], "5")]})],
                        MemoryTokenStore({"changes": "1"}))
    with pytest.raises(RuntimeError):
        SheetSync(feed, Broken(), MemoryWorkbookCache()).sync([IDS[2]])
    assert feed.store.get("changes") == "1"                         # the changes will be listed again


# ---------------------------------------------------------------- webhook

NOW = dt.datetime(2024, 11, 14, 9, 0, tzinfo=dt.timezone.utc)
LATER = int((NOW + dt.timedelta(days=3)).timestamp() * 1000)


@pytest.fixture
def channels(tmp_path):
    store = SqlChannelStore(make_engine(f"sqlite:///{tmp_path / 'svc.sqlite'}"))
    store.add(ChannelRecord("chan-1", "res-1", "s3cret-token", LATER, "https://mo-docs.example.ru/google/changes"))
    return store


def headers(state="change", token="s3cret-token", channel="chan-1", **extra):
    h = {"X-Goog-Channel-ID": channel, "X-Goog-Channel-Token": token, "X-Goog-Resource-State": state,
         "X-Goog-Resource-ID": "res-1", "X-Goog-Message-Number": "7",
         "X-Goog-Resource-URI": "https://www.googleapis.com/drive/v3/changes?alt=json&pageToken=4010"}
    h.update(extra)
    return h


def test_a_change_notification_asks_for_a_sync(channels):
    asked = []
    out = handle_notification(headers(), channels, on_change=asked.append, now=NOW)
    assert (out.action, out.status, out.channel_id, out.message_number) == ("changed", 200, "chan-1", 7)
    assert [c.id for c in asked] == ["chan-1"]


def test_the_token_is_compared_in_constant_time(channels, monkeypatch):
    compared = []
    real = changes_module.hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(changes_module.hmac, "compare_digest", spy)
    asked = []
    out = handle_notification(headers(token="s3cret-tokeN"), channels, on_change=asked.append, now=NOW)
    assert (out.action, out.status) == ("forbidden", 403) and asked == []
    assert compared[0] == (b"s3cret-tokeN", b"s3cret-token")
    compared.clear()
    handle_notification(headers(channel="nobody"), channels, now=NOW)
    assert len(compared) == 1                       # an unknown channel costs the same comparison


def test_sync_messages_are_acknowledged_and_ignored(channels):
    asked = []
    out = handle_notification(headers(state="sync", **{"X-Goog-Message-Number": "1"}), channels,
                              on_change=asked.append, now=NOW)
    assert (out.action, out.status) == ("sync", 200) and asked == []


def test_unknown_channels_are_ignored(channels):
    asked = []
    out = handle_notification(headers(channel="stale-channel"), channels, on_change=asked.append, now=NOW)
    assert (out.action, out.status) == ("unknown", 200) and asked == []


def test_other_refusals(channels):
    assert handle_notification({"x-goog-channel-id": "chan-1"}, channels, now=NOW).status == 400
    assert handle_notification(headers(**{"X-Goog-Resource-ID": "res-other"}), channels, now=NOW).action == "forbidden"
    late = NOW + dt.timedelta(days=4)
    assert handle_notification(headers(), channels, now=late).action == "expired"
    lower = {k.lower(): v for k, v in headers().items()}             # header names in any case
    assert handle_notification(lower, channels, now=NOW).action == "changed"


def test_renewal_replaces_the_channels_expiring_within_the_margin(channels):
    soon = int((NOW + dt.timedelta(hours=2)).timestamp() * 1000)
    channels.add(ChannelRecord("chan-old", "res-old", "old-token", soon, "https://mo-docs.example.ru/google/changes"))
    answer = load("drive/channel.json") | {"id": "chan-new", "resourceId": "res-new",
                                           "expiration": str(int((NOW + dt.timedelta(days=7)).timestamp() * 1000))}
    feed, http = feed_with([ok(answer), ok({})], MemoryTokenStore({"changes": "4010"}))
    renewed = renew_channels(feed, channels, margin=dt.timedelta(days=1), now=NOW,
                             make_id=lambda: "chan-new", make_token=lambda: "new-token")
    assert [c.id for c in renewed] == ["chan-new"] and http.left == 0
    (watch_m, watch_p, watch_q), (stop_m, stop_p, _) = calls(http)
    assert (watch_m, watch_p) == ("POST", "/drive/v3/changes/watch") and watch_q["pageToken"] == ["4010"]
    assert watch_q["supportsAllDrives"] == ["true"] and watch_q["includeItemsFromAllDrives"] == ["true"]
    body = metadata(http, 0)
    assert conforms(body, "drive.v3", "Channel") == []
    assert body == {"id": "chan-new", "type": "web_hook", "address": "https://mo-docs.example.ru/google/changes",
                    "token": "new-token", "expiration": str(int((NOW + dt.timedelta(days=7)).timestamp() * 1000))}
    assert (stop_m, stop_p) == ("POST", "/drive/v3/channels/stop")
    assert metadata(http, 1) == {"id": "chan-old", "resourceId": "res-old"}
    assert sorted(c.id for c in channels.all()) == ["chan-1", "chan-new"]       # chan-1 lasts 3 more days
    assert channels.get("chan-new").resource_id == "res-new" and channels.get("chan-new").token == "new-token"


def test_a_channel_that_cannot_be_stopped_is_forgotten_anyway(channels):
    soon = int((NOW + dt.timedelta(minutes=5)).timestamp() * 1000)
    channels.remove("chan-1")
    channels.add(ChannelRecord("chan-old", "res-old", "t", soon, "https://x/h"))
    feed, http = feed_with([ok(load("drive/channel.json")), fail(404, load("drive/error_404.json"))],
                           MemoryTokenStore({"changes": "1"}))
    renew_channels(feed, channels, now=NOW, make_id=lambda: "4ba78bf0-6a47-11e2-bcfd-0800200c9a66")
    assert [c.id for c in channels.all()] == ["4ba78bf0-6a47-11e2-bcfd-0800200c9a66"]


def test_open_channel_records_what_drive_answered():
    store = changes_module.MemoryChannelStore()
    feed, http = feed_with([ok(load("drive/start_page_token.json")), ok(load("drive/channel.json"))])
    rec = open_channel(feed, store, "https://mo-docs.example.ru/google/changes", now=NOW,
                       make_id=lambda: "4ba78bf0-6a47-11e2-bcfd-0800200c9a66", make_token=lambda: "tok")
    assert rec == ChannelRecord("4ba78bf0-6a47-11e2-bcfd-0800200c9a66", "ret08u3rv24htgh289g", "tok",
                                1735689600000, "https://mo-docs.example.ru/google/changes")
    assert store.get(rec.id) == rec and calls(http)[1][2]["pageToken"] == ["4001"]
    assert json.loads(http.request_sequence[1][2])["type"] == "web_hook"
