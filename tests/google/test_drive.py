"""Filing into Drive, request by request (HttpMockSequence records each): folders
created once, ids generated and recorded before the upload, a retried create that
finds its file adopts it, new content replaces the same file and keeps exactly the
new revision forever, unchanged content costs nothing, and every call carries the
shared-drive parameters.  The contract and stateful behaviour: tests/filing/test_drive.py."""
import functools
import hashlib
import json

import pytest
from sqlalchemy.orm import Session

from service.db import make_engine
from service.filing.base import DocumentKey
from service.filing.drive import _q, DOCX, FOLDER, GOOGLE_DOC, DriveDocument, DriveFiler, DriveFilingError, key_hash
from service.filing.registry import Registry
from service.google.http import RetryPolicy, execute
from tests.google.payloads import calls, conforms, drive, fail, file_payload, load, media, metadata, ok

KEY = DocumentKey("ММО математиков", "protocol", "2024-2025", "2")
KEY3 = DocumentKey("ММО математиков", "protocol", "2024-2025", "3")
NAME = "Протокол №2 от 14.11.2024.docx"
ROOT = "1RootFolder0000000000000000000000"
SHARED = "0ASharedDrive00000PVA"
SA = "mo-docs@mo-docs-prod.iam.gserviceaccount.com"
IDS = load("drive/generate_ids.json")["ids"]
A, B, C, D, E, F = IDS
EMPTY = ok(load("drive/file_list_empty.json"))


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def folder(fid, name):
    return ok({"files": [{"id": fid, "name": name, "createdTime": "2024-09-02T08:15:30.120Z"}]})


def created(fid, name=NAME, parent=D, content=b"v1", revision="rev1", mime=DOCX):
    return ok(file_payload(fid, name, parent=parent, key_hash=key_hash(KEY), md5=md5(content), revision=revision,
                           mime=mime))


def pinned(revision):
    """revisions.update answering keepForever: true."""
    return ok({"kind": "drive#revision", "id": revision, "keepForever": True})


def make(tmp_path, script, engine=None, **options):
    svc, http = drive(script)
    registry = Registry(engine or make_engine(f"sqlite:///{tmp_path / 'registry.sqlite'}"))
    options.setdefault("shared_drive_id", SHARED)
    filer = DriveFiler(svc, root_folder_id=ROOT, registry=registry, service_account_email=SA,
                       execute=functools.partial(execute, sleep=lambda s: None,
                                                 policy=RetryPolicy(max_attempts=3)), **options)
    return filer, http


def first_filing_script(content=b"v1"):
    """An empty shared drive: the key is looked up, ids generated, three folders made."""
    return [
        EMPTY,                                  # 0 files.list: appProperties has moDocsKey
        ok(load("drive/generate_ids.json")),    # 1 files.generateIds: A for the document, B-D for folders
        EMPTY,                                  # 2 files.list: «ММО математиков» under the root
        ok({"id": B}),                          # 3 files.create folder (no lookup under a new folder:)
        ok({"id": C}),                          # 4 files.create folder «2024-2025»
        ok({"id": D}),                          # 5 files.create folder «Протоколы»
        created(A, content=content),            # 6 files.create the document, multipart upload
    ]


def test_first_filing_creates_the_folders_and_the_file_with_a_generated_id(tmp_path):
    filer, http = make(tmp_path, first_filing_script())
    filed = filer.file(KEY, NAME, b"v1", "src1", "head@school.ru")
    assert filed.location == A and filed.version == 1 and filed.changed and http.left == 0
    assert filed.url.startswith("https://drive.google.com/file/d/")
    methods = [(m, p) for m, p, _ in calls(http)]
    assert methods == [("GET", "/drive/v3/files"), ("GET", "/drive/v3/files/generateIds"), ("GET", "/drive/v3/files"),
                       ("POST", "/drive/v3/files"), ("POST", "/drive/v3/files"), ("POST", "/drive/v3/files"),
                       ("POST", "/upload/drive/v3/files")]
    q = calls(http)
    assert q[0][2]["q"] == [f"appProperties has {{ key='moDocsKey' and value='{key_hash(KEY)}' }} and trashed = false"]
    assert q[2][2]["q"] == [f"name = 'ММО математиков' and '{ROOT}' in parents and mimeType = '{FOLDER}' "
                            "and trashed = false"]
    assert q[2][2]["orderBy"] == ["createdTime"]
    assert [metadata(http, i) for i in (3, 4, 5)] == [
        {"id": B, "name": "ММО математиков", "mimeType": FOLDER, "parents": [ROOT]},
        {"id": C, "name": "2024-2025", "mimeType": FOLDER, "parents": [B]},
        {"id": D, "name": "Протоколы", "mimeType": FOLDER, "parents": [C]}]
    doc = metadata(http, 6)
    assert all(conforms(metadata(http, i), "drive.v3", "File") == [] for i in (3, 4, 5, 6))
    assert doc["id"] == A and doc["name"] == NAME and doc["parents"] == [D] and doc["mimeType"] == DOCX
    assert doc["appProperties"]["moDocsKey"] == key_hash(KEY)
    assert media(http, 6) == b"v1"
    assert q[6][2]["uploadType"] == ["multipart"] and q[6][2]["keepRevisionForever"] == ["true"]
    rows = filer.versions(KEY)
    assert [(r.version, r.location, r.requested_by) for r in rows] == [(1, A, "head@school.ru")]


def test_the_id_is_recorded_before_the_upload(tmp_path):
    script = first_filing_script()[:-1] + [fail(503, {"error": {"code": 503, "message": "Backend Error"}})] * 3
    filer, http = make(tmp_path, script)
    with pytest.raises(DriveFilingError) as info:
        filer.file(KEY, NAME, b"v1", "src1")
    assert info.value.code == "drive.unavailable" and "не отвечает" in info.value.message
    with Session(filer.registry.engine) as s:
        row = s.get(DriveDocument, key_hash(KEY))
    assert row.file_id == A and row.state == "pending" and filer.versions(KEY) == []


def test_folders_are_created_once_then_remembered(tmp_path):
    filer, http = make(tmp_path, first_filing_script())
    filer.file(KEY, NAME, b"v1", "src1")
    http.then(EMPTY, created(E, name="Протокол №3.docx"))          # lookup by key, then the upload only
    filed = filer.file(KEY3, "Протокол №3.docx", b"v3", "src3")
    assert filed.location == E and http.left == 0
    assert metadata(http, 8)["parents"] == [D]
    assert sum(1 for i in range(len(http.request_sequence)) if _is_folder_create(http, i)) == 3


def _is_folder_create(http, i):
    method, path, _ = calls(http)[i]
    return method == "POST" and path == "/drive/v3/files" and metadata(http, i).get("mimeType") == FOLDER


def test_existing_folders_are_found_and_the_oldest_duplicate_wins(tmp_path):
    filer, http = make(tmp_path, [
        EMPTY, ok(load("drive/generate_ids.json")),
        ok(load("drive/folder_list.json")),                # two «ММО математиков»: the oldest first
        folder("1Year", "2024-2025"), folder("1Kind", "Протоколы"), created(A, parent="1Kind")])
    filer.file(KEY, NAME, b"v1", "src1")
    assert metadata(http, 5)["parents"] == ["1Kind"]
    assert "'1FolderAssoc00000000000000000000' in parents" in calls(http)[3][2]["q"][0]


def test_a_retried_create_answered_file_id_in_use_adopts_the_file(tmp_path):
    """The upload reached Drive but its answer was lost; the retry carries the same id."""
    filer, http = make(tmp_path, [
        EMPTY, ok(load("drive/generate_ids.json")),
        folder("1Assoc", "ММО математиков"), folder("1Year", "2024-2025"), folder("1Kind", "Протоколы"),
        TimeoutError("The read operation timed out"),       # create: sent, no answer
        fail(409, load("drive/error_409_file_id_in_use.json")),   # the retry: the id is taken — by us
        created(A, parent="1Kind"),                         # files.get: the file, with our content
    ])
    filed = filer.file(KEY, NAME, b"v1", "src1")
    assert filed.location == A and filed.version == 1 and http.left == 0
    creates = [i for i, (m, p, _) in enumerate(calls(http)) if p == "/upload/drive/v3/files"]
    assert [metadata(http, i)["id"] for i in creates] == [A, A]           # both attempts: one id
    assert calls(http)[-1][:2] == ("GET", f"/drive/v3/files/{A}")
    assert [(r.version, r.location) for r in filer.versions(KEY)] == [(1, A)]


def test_the_next_run_after_a_crash_reuses_the_recorded_id(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'registry.sqlite'}")
    script = first_filing_script()[:-1] + [TimeoutError("timed out")] * 3
    crashed, _ = make(tmp_path, script, engine=engine)
    with pytest.raises(DriveFilingError):
        crashed.file(KEY, NAME, b"v1", "src1")
    # a new process: the recorded id is tried again; Drive has the file but with other content
    filer, http = make(tmp_path, [
        folder(B, "ММО математиков"), folder(C, "2024-2025"), folder(D, "Протоколы"),
        fail(409, load("drive/error_409_file_id_in_use.json")),
        created(A, content=b"half"),
        created(A, content=b"v1", revision="rev2"),
    ], engine=engine)
    filed = filer.file(KEY, NAME, b"v1", "src1")
    assert filed.location == A and http.left == 0
    assert [m for m, _, _ in calls(http)] == ["GET", "GET", "GET", "POST", "GET", "PATCH"]
    assert "generateIds" not in " ".join(p for _, p, _ in calls(http))
    assert [(r.version, r.location) for r in filer.versions(KEY)] == [(1, A)]


def test_new_content_updates_the_same_file_and_drive_keeps_the_revision(tmp_path):
    filer, http = make(tmp_path, first_filing_script())
    filer.file(KEY, NAME, b"v1", "src1")
    http.then(created(A, name="Протокол №2 от 15.11.2024.docx", content=b"v2", revision="rev2"), pinned("rev2"))
    filed = filer.file(KEY, "Протокол №2 от 15.11.2024.docx", b"v2", "src2", "head")
    assert filed.location == A and filed.version == 2 and filed.changed and http.left == 0
    method, path, params = calls(http)[-2]
    assert (method, path) == ("PATCH", f"/upload/drive/v3/files/{A}")
    # the upload pins nothing (a retried upload would pin a second copy): the recorded revision is pinned after
    assert params["uploadType"] == ["multipart"] and "keepRevisionForever" not in params
    assert calls(http)[-1][:2] == ("PATCH", f"/drive/v3/files/{A}/revisions/rev2")
    assert json.loads(http.request_sequence[-1][2]) == {"keepForever": True}
    assert metadata(http, 7)["name"] == "Протокол №2 от 15.11.2024.docx"     # renamed, not duplicated
    assert "parents" not in metadata(http, 7) and media(http, 7) == b"v2"
    assert metadata(http, 7)["trashed"] is False                  # a binned document comes back
    assert conforms(metadata(http, 7), "drive.v3", "File") == []
    rows = filer.versions(KEY)
    assert [(r.version, r.location) for r in rows] == [(1, A), (2, A)]
    assert rows[1].stored_as == f"{A}/revisions/rev1" and rows[1].source_sha256 == "src2"
    http.then((ok({})[0], b"v1"))                             # its type is known: one request
    assert filer.read(rows[0]) == b"v1"                     # the revision the next version recorded
    assert calls(http)[-1][:2] == ("GET", f"/drive/v3/files/{A}/revisions/rev1") and calls(http)[-1][2]["alt"] == ["media"]
    assert filer.link(rows[1]) == f"https://drive.google.com/file/d/{A}/view?usp=drivesdk" and filer.link(rows[0]) is None


def test_unchanged_content_makes_no_request_at_all(tmp_path):
    filer, http = make(tmp_path, first_filing_script())
    filer.file(KEY, NAME, b"v1", "src1")
    before = len(http.request_sequence)
    again = filer.file(KEY, NAME, b"v1", "src1")
    assert not again.changed and again.version == 1 and again.location == A
    assert len(http.request_sequence) == before and len(filer.versions(KEY)) == 1


def test_a_document_the_registry_lost_is_found_by_its_key_property(tmp_path):
    found = file_payload("1Found", NAME, parent=D, key_hash=key_hash(KEY), md5=md5(b"old"))
    filer, http = make(tmp_path, [ok({"files": [found]}), created("1Found", content=b"v1", revision="rev9"),
                                  pinned("rev9")])
    filed = filer.file(KEY, NAME, b"v1", "src1")
    assert filed.location == "1Found" and http.left == 0
    assert calls(http)[-2][:2] == ("PATCH", "/upload/drive/v3/files/1Found")


def test_a_found_document_with_the_same_content_is_not_uploaded_again(tmp_path):
    found = file_payload("1Found", NAME, parent=D, key_hash=key_hash(KEY), md5=md5(b"v1"))
    filer, http = make(tmp_path, [ok({"files": [found]}), pinned("rev1")])
    assert filer.file(KEY, NAME, b"v1", "src1").location == "1Found" and http.left == 0
    assert [m for m, _, _ in calls(http)] == ["GET", "PATCH"]          # no upload; its revision kept
    assert [r.location for r in filer.versions(KEY)] == ["1Found"]


def test_a_file_deleted_in_drive_is_filed_anew(tmp_path):
    filer, http = make(tmp_path, first_filing_script())
    filer.file(KEY, NAME, b"v1", "src1")
    http.then(fail(404, load("drive/error_404.json")), EMPTY, created(E, content=b"v2"))
    filed = filer.file(KEY, NAME, b"v2", "src2")
    assert filed.location == E and filed.version == 2 and http.left == 0
    assert metadata(http, 9)["id"] == E and metadata(http, 9)["parents"] == [D]
    assert filer.versions(KEY)[1].stored_as is None                  # the old file's revisions went with it


def test_every_call_carries_the_shared_drive_parameters(tmp_path):
    filer, http = make(tmp_path, first_filing_script(), share_with="curator@edu.ru")
    http.then(ok(load("drive/permission.json")))
    filer.file(KEY, NAME, b"v1", "src1")
    http.then(created(A, content=b"v2", revision="rev2"), pinned("rev2"))
    filer.file(KEY, NAME, b"v2", "src2")
    seen = calls(http)
    assert len(seen) == 10
    for method, path, params in seen:
        if path.endswith("/generateIds") or "/revisions/" in path:
            # files.generateIds and revisions.* take no supportsAllDrives (the discovery document has none)
            assert "supportsAllDrives" not in params
            continue
        assert params["supportsAllDrives"] == ["true"], path
        if method == "GET" and path == "/drive/v3/files":
            assert params["includeItemsFromAllDrives"] == ["true"]
            assert params["corpora"] == ["drive"] and params["driveId"] == [SHARED]


def test_without_a_shared_drive_lists_search_the_users_corpus(tmp_path):
    filer, http = make(tmp_path, first_filing_script(), shared_drive_id=None)
    filer.file(KEY, NAME, b"v1", "src1")
    for method, path, params in calls(http):
        if method == "GET" and path == "/drive/v3/files":
            assert "corpora" not in params and "driveId" not in params
            assert params["includeItemsFromAllDrives"] == ["true"] and params["supportsAllDrives"] == ["true"]


def test_missing_permissions_are_explained_in_russian(tmp_path):
    filer, http = make(tmp_path, [
        EMPTY, ok(load("drive/generate_ids.json")),
        folder(B, "ММО математиков"), folder(C, "2024-2025"), folder(D, "Протоколы"),
        fail(403, load("drive/error_403_insufficient_permissions.json"))])
    with pytest.raises(DriveFilingError) as info:
        filer.file(KEY, NAME, b"v1", "src1")
    err = info.value
    assert err.code == "drive.forbidden" and err.status == 403 and "insufficientFilePermissions" in err.reasons
    assert SA in err.message and "Менеджер контента" in err.message
    assert http.left == 0                                   # a permission error is not retried


def test_a_service_account_without_a_shared_drive_is_told_to_use_one(tmp_path):
    filer, http = make(tmp_path, [
        EMPTY, ok(load("drive/generate_ids.json")),
        folder(B, "ММО математиков"), folder(C, "2024-2025"), folder(D, "Протоколы"),
        fail(403, load("drive/error_403_storage_quota.json"))], shared_drive_id=None)
    with pytest.raises(DriveFilingError) as info:
        filer.file(KEY, NAME, b"v1", "src1")
    assert info.value.code == "drive.no_storage" and "общий диск" in info.value.message


def test_a_missing_root_folder_is_named(tmp_path):
    filer, _ = make(tmp_path, [EMPTY, ok(load("drive/generate_ids.json")), fail(404, load("drive/error_404.json"))])
    with pytest.raises(DriveFilingError) as info:
        filer.file(KEY, NAME, b"v1", "src1")
    assert info.value.code == "drive.not_found" and SA in info.value.message


def conversion_script():
    """The key is looked up, then the folders (ids for them only), then the document."""
    return [EMPTY, EMPTY, ok(load("drive/generate_ids.json")), ok({"id": A}), ok({"id": B}), ok({"id": C})]


def test_conversion_to_google_docs_creates_without_an_id_and_asks_for_its_revision(tmp_path):
    script = conversion_script() + [
        created(A, name="Протокол №2 от 14.11.2024", mime=GOOGLE_DOC),
        ok({"revisions": [{"id": "ALm37BVvF4C1rev1"}]})]
    filer, http = make(tmp_path, script, convert_to_docs=True)
    filed = filer.file(KEY, NAME, b"v1", "src1")
    doc = metadata(http, 6)
    assert doc["mimeType"] == GOOGLE_DOC and doc["name"] == "Протокол №2 от 14.11.2024" and doc["parents"] == [C]
    assert "id" not in doc                                          # no generated id with a conversion
    assert "keepRevisionForever" not in calls(http)[6][2]          # binary files only
    assert DOCX.encode() in http.request_sequence[6][2]             # the upload itself is the .docx
    assert calls(http)[7][:2] == ("GET", f"/drive/v3/files/{A}/revisions") and http.left == 0
    assert filed.location == A and filer.versions(KEY)[0].file_name == NAME
    with Session(filer.registry.engine) as s:
        row = s.get(DriveDocument, key_hash(KEY))
    assert (row.state, row.file_id, row.head_revision, row.mime_type) == ("filed", A, "ALm37BVvF4C1rev1", GOOGLE_DOC)


def test_a_refused_conversion_is_not_retried_and_files_nothing(tmp_path):
    script = conversion_script() + [fail(400, {"error": {"code": 400, "message": "Bad Request",
                                                                "errors": [{"domain": "global", "reason": "badRequest",
                                                                            "message": "Bad Request"}]}})]
    filer, http = make(tmp_path, script, convert_to_docs=True)
    with pytest.raises(DriveFilingError) as info:
        filer.file(KEY, NAME, b"v1", "src1")
    assert info.value.code == "drive.error" and http.left == 0 and filer.versions(KEY) == []


def test_a_table_document_is_filed_as_xlsx_and_never_converted(tmp_path):
    """The data bank is an .xlsx: its own media type, and it stays a spreadsheet even where
    .docx documents become Google Docs."""
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = "Банк данных педагогов на 2024-2025 учебный год.xlsx"
    script = first_filing_script()[:-1] + [created(A, name=name, mime=xlsx)]
    filer, http = make(tmp_path, script, convert_to_docs=True)
    filer.file(KEY, name, b"v1", "src1")
    doc = metadata(http, 6)
    assert doc["mimeType"] == xlsx and doc["name"] == name
    assert calls(http)[6][2].get("keepRevisionForever") == ["true"]
    assert xlsx.encode() in http.request_sequence[6][2] and DOCX.encode() not in http.request_sequence[6][2]


def test_the_curator_gets_reader_access_without_a_letter(tmp_path):
    filer, http = make(tmp_path, first_filing_script(), share_with=lambda key: "curator@edu.ru")
    http.then(ok(load("drive/permission.json")))
    filed = filer.file(KEY, NAME, b"v1", "src1")
    assert filed.shared_with == "curator@edu.ru" and filed.share_error is None
    method, path, params = calls(http)[-1]
    assert (method, path) == ("POST", f"/drive/v3/files/{A}/permissions")
    assert params["sendNotificationEmail"] == ["false"] and params["supportsAllDrives"] == ["true"]
    assert metadata(http, 7) == {"type": "user", "role": "reader", "emailAddress": "curator@edu.ru"}
    assert conforms(metadata(http, 7), "drive.v3", "Permission") == []
    http.then(created(A, content=b"v2", revision="rev2"), pinned("rev2"))
    filer.file(KEY, NAME, b"v2", "src2")                            # already shared: no second permission
    assert [p for _, p, _ in calls(http)[-2:]] == [f"/upload/drive/v3/files/{A}", f"/drive/v3/files/{A}/revisions/rev2"]
    assert http.left == 0


def test_a_failed_share_does_not_undo_the_filing(tmp_path):
    filer, http = make(tmp_path, first_filing_script())
    http.then(fail(403, {"error": {"errors": [{"domain": "global", "reason": "invalidSharingRequest",
                                                "message": "Bad Request. User message: \"...\""}],
                                    "code": 403, "message": "Bad Request."}}))
    filed = filer.file(KEY, NAME, b"v1", "src1", share_with="curator@mail.ru")
    assert filed.changed and filed.shared_with is None and "curator@mail.ru" in filed.share_error
    assert len(filer.versions(KEY)) == 1


def test_two_workers_filing_one_new_key_meet_on_one_id(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'registry.sqlite'}")
    first, _ = make(tmp_path, [], engine=engine)
    second, _ = make(tmp_path, [], engine=engine)
    assert first._claim(KEY, A).file_id == A
    assert second._claim(KEY, "1Other").file_id == A


def test_folder_names_are_escaped_in_queries(tmp_path):
    key = DocumentKey("ММО «д'Артаньян» \\ 1", "order", "2024-2025")
    filer, http = make(tmp_path, [EMPTY, ok(load("drive/generate_ids.json")), EMPTY, ok({"id": B}), ok({"id": C}),
                                  ok({"id": D}), created(A)])
    filer.file(key, "Приказ.docx", b"v1", "s")
    # safe_name already dropped the backslash (never in a folder name); the quote stays, escaped
    assert calls(http)[2][2]["q"][0].startswith("name = 'ММО «д\\'Артаньян» 1' and")
    assert metadata(http, 5)["name"] == "Приказы"
    assert _q("a\\b'c") == "a\\\\b\\'c"
