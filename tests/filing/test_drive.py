"""Filing into Google Drive, offline, against Drive in memory (tests/support/fake_drive.py):
the filer contract for .docx and for Google Docs, and the corrections of issue 14 that
need a Drive with state — conversion without a generated id, revisions kept forever
only for the registry's versions and within the cap, every version read back,
sharing failures recorded once with what the curator must do, one filer's folder cache
and id pool serving many documents."""
from __future__ import annotations

import functools

import pytest
from googleapiclient.discovery import build
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import make_engine
from service.filing.drive import GOOGLE_DOC, DriveFiler
from service.filing.drive_records import DrivePin, DriveShare
from service.filing.registry import Registry
from service.google.http import RetryPolicy, execute
from tests.filing.contract import FOLDER, KEY, KEY3, NAME, FilerContract
from tests.support.fake_drive import FakeDrive

SHARED = "0ASharedDrive00000PVA"
SA = "mo-docs@mo-docs-prod.iam.gserviceaccount.com"


def make_filer(drive: FakeDrive, tmp_path, **options) -> DriveFiler:
    registry = Registry(make_engine(f"sqlite:///{tmp_path / 'registry.sqlite'}"))
    return DriveFiler(lambda: build("drive", "v3", http=drive, static_discovery=True, cache_discovery=False),
                      root_folder_id=SHARED, shared_drive_id=SHARED, registry=registry, service_account_email=SA,
                      execute=functools.partial(execute, sleep=lambda s: None, policy=RetryPolicy(max_attempts=3)),
                      **options)


class DriveView:
    secret = "-----BEGIN PRIVATE KEY-----"

    def __init__(self, drive: FakeDrive, strip_docx: bool = False):
        self.drive, self.strip = drive, strip_docx

    def listing(self, folder: str):
        got = self.drive.listing(folder)
        if got is None or not self.strip:
            return got
        return {(n if n.endswith((".pdf", ".docx")) else n + ".docx"): c for n, c in got.items()}

    def paths(self):
        return {(p if p.endswith((".pdf", ".docx")) or not self.strip else p + ".docx") for p in self.drive.paths()}


class TestDriveContract(FilerContract):
    @pytest.fixture
    def drive(self):
        return FakeDrive(SHARED)

    @pytest.fixture
    def filer(self, drive, tmp_path):
        return make_filer(drive, tmp_path)

    @pytest.fixture
    def storage(self, drive):
        return DriveView(drive)


class TestGoogleDocsContract(TestDriveContract):
    """The same promises when documents are converted to Google Docs (the name loses
    «.docx»; what is read back is the .docx Drive exports)."""

    @pytest.fixture
    def filer(self, drive, tmp_path):
        return make_filer(drive, tmp_path, convert_to_docs=True)

    @pytest.fixture
    def storage(self, drive):
        return DriveView(drive, strip_docx=True)

    def test_a_copy_beside_the_document_is_not_a_version(self, filer, storage):
        filed = filer.file(KEY, NAME, b"v1", "src1")
        filer.attach(filed, "Протокол №2 от 14.11.2024.pdf", b"%PDF-1.7 copy")
        assert storage.listing(FOLDER)["Протокол №2 от 14.11.2024.pdf"] == b"%PDF-1.7 copy"
        assert len(filer.versions(KEY)) == 1


@pytest.fixture
def drive():
    return FakeDrive(SHARED)


def test_conversion_creates_without_a_generated_id_and_records_the_returned_one(drive, tmp_path):
    filer = make_filer(drive, tmp_path, convert_to_docs=True)
    filed = filer.file(KEY, NAME, b"v1", "src1")
    assert drive.files[filed.location].mime == GOOGLE_DOC
    assert ("GET", "/drive/v3/files/generateIds") in drive.calls            # for the folders only
    create = [c for c in drive.calls if c == ("POST", "/upload/drive/v3/files")]
    assert len(create) == 1
    assert filed.url == f"https://docs.google.com/document/d/{filed.location}/edit?usp=drivesdk"


def test_a_conversion_whose_answer_was_lost_is_found_by_its_key_not_made_twice(drive, tmp_path):
    filer = make_filer(drive, tmp_path, convert_to_docs=True)
    filer.folder(KEY)
    real = drive.request

    def lose_the_answer(uri, method="GET", body=None, headers=None, **kw):
        answer = real(uri, method, body, headers, **kw)
        if method == "POST" and "/upload/drive/v3/files" in uri:
            raise TimeoutError("The read operation timed out")          # created, answer lost
        return answer

    drive.request = lose_the_answer
    filed = filer.file(KEY, NAME, b"v1", "src1")
    drive.request = real
    docs = [f for f in drive.files.values() if f.mime == GOOGLE_DOC]
    assert len(docs) == 1 and filed.location == docs[0].id and filed.version == 1
    assert [c for c in drive.calls if c == ("POST", "/upload/drive/v3/files")] == [("POST", "/upload/drive/v3/files")]


def test_only_the_registrys_revisions_are_kept_forever(drive, tmp_path):
    filer = make_filer(drive, tmp_path)
    for n in range(1, 4):
        filer.file(KEY, NAME, f"v{n}".encode(), f"s{n}")
    file_id = filer.versions(KEY)[0].location
    revisions = drive.files[file_id].revisions
    assert [r.keep_forever for r in revisions] == [True, True, True] and len(revisions) == 3
    # a retried upload (answer lost, sent again) adds a revision nobody records: not kept
    real = drive.request
    sent = []

    def lose_first_update(uri, method="GET", body=None, headers=None, **kw):
        answer = real(uri, method, body, headers, **kw)
        if method == "PATCH" and "/upload/" in uri and not sent:
            sent.append(uri)
            raise TimeoutError("timed out")
        return answer

    drive.request = lose_first_update
    filer.file(KEY, NAME, b"v4", "s4")
    drive.request = real
    revisions = drive.files[file_id].revisions
    assert len(revisions) == 5 and [r.keep_forever for r in revisions] == [True, True, True, False, True]
    assert [filer.read(v) for v in filer.versions(KEY)] == [b"v1", b"v2", b"v3", b"v4"]


def test_revisions_kept_forever_stay_within_the_cap(drive, tmp_path):
    filer = make_filer(drive, tmp_path, pin_cap=3)
    for n in range(1, 6):
        filer.file(KEY, NAME, f"v{n}".encode(), f"s{n}")
    file_id = filer.versions(KEY)[0].location
    assert len(drive.kept_forever(file_id)) == 3
    # the oldest were deleted to make room: those versions read as gone, the rest as filed
    assert [filer.read(v) for v in filer.versions(KEY)] == [None, None, b"v3", b"v4", b"v5"]
    with Session(filer.registry.engine) as s:
        states = [p.state for p in s.scalars(select(DrivePin).order_by(DrivePin.id))]
    assert states == ["dropped", "dropped", "pinned", "pinned", "pinned"]


def test_a_pin_that_failed_is_made_at_the_next_filing(drive, tmp_path):
    filer = make_filer(drive, tmp_path)
    filer.file(KEY, NAME, b"v1", "s1")
    drive.add_fault(503, "backendError", method="PATCH", path="/revisions/", times=3)
    filed = filer.file(KEY, NAME, b"v2", "s2")                       # filed; the pin waits
    assert filed.version == 2 and drive.kept_forever(filed.location) == [drive.files[filed.location].revisions[0].id]
    filer.file(KEY, NAME, b"v3", "s3")
    assert len(drive.kept_forever(filed.location)) == 3
    assert [filer.read(v) for v in filer.versions(KEY)] == [b"v1", b"v2", b"v3"]


def test_older_versions_link_nowhere_in_drive_but_read_back_their_revision(drive, tmp_path):
    filer = make_filer(drive, tmp_path)
    filer.file(KEY, NAME, b"v1", "s1")
    filer.file(KEY, NAME, b"v2", "s2")
    old, new = filer.versions(KEY)
    assert filer.link(new).startswith(f"https://drive.google.com/file/d/{new.location}/view")
    assert filer.link(old) is None and filer.read(old) == b"v1"
    revision = new.stored_as.split("/revisions/")[1]
    assert ("GET", f"/drive/v3/files/{old.location}/revisions/{revision}") in drive.calls


def test_a_curator_without_a_google_account_is_told_once_what_to_do(drive, tmp_path):
    drive.no_google_account.add("curator@mail.ru")
    filer = make_filer(drive, tmp_path, share_with=lambda key: "curator@mail.ru")
    first = filer.file(KEY, NAME, b"v1", "s1")
    assert first.shared_with is None
    assert "не привязан аккаунт Google" in first.share_error and "создать аккаунт Google" in first.share_error
    assert "«E-mail куратора»" in first.share_error
    second = filer.file(KEY, NAME, b"v2", "s2")
    assert second.share_error is None                                  # not asked again
    assert sum(1 for c in drive.calls if c[1].endswith("/permissions")) == 1
    assert filer.notices("ММО математиков") == [first.share_error]
    with Session(filer.registry.engine) as s:
        row = s.scalars(select(DriveShare)).one()
    assert (row.state, row.code) == ("failed", "share.no_google_account")


def test_a_new_curator_address_is_shared_and_outside_addresses_get_their_own_advice(drive, tmp_path):
    drive.outside_sharing = False
    filer = make_filer(drive, tmp_path)
    refused = filer.file(KEY, NAME, b"v1", "s1", share_with="curator@gmail.com")
    assert "вне организации" in refused.share_error
    shared = filer.file(KEY, NAME, b"v2", "s2", share_with="curator@school.edu.ru")
    assert shared.shared_with == "curator@school.edu.ru" and shared.share_error is None
    assert [p["emailAddress"] for p in drive.files[shared.location].permissions] == ["curator@school.edu.ru"]


def test_a_sharing_rate_limit_is_not_recorded_as_a_refusal(drive, tmp_path):
    filer = make_filer(drive, tmp_path)
    drive.add_fault(403, "sharingRateLimitExceeded", method="POST", path="/permissions")
    later = filer.file(KEY, NAME, b"v1", "s1", share_with="curator@school.edu.ru")
    assert "повторить позже" in later.share_error
    again = filer.file(KEY, NAME, b"v2", "s2", share_with="curator@school.edu.ru")
    assert again.shared_with == "curator@school.edu.ru"


def test_one_filer_serves_many_documents_with_one_folder_lookup_and_one_id_batch(drive, tmp_path):
    filer = make_filer(drive, tmp_path)
    for n in range(1, 6):
        filer.file(DocumentKey3(n), f"Протокол №{n}.docx", b"x", "s")
    assert drive.calls.count(("GET", "/drive/v3/files/generateIds")) == 1        # 3 folders + 5 files < 10 ids
    folder_lookups = [c for c in drive.calls if c == ("GET", "/drive/v3/files")]
    assert len(folder_lookups) == 5 + 1           # one key lookup per new document, one folder lookup in all
    assert drive.listing(FOLDER).keys() == {f"Протокол №{n}.docx" for n in range(1, 6)}


def DocumentKey3(n):
    from service.filing.base import DocumentKey

    return DocumentKey(KEY3.association, KEY3.kind, KEY3.year, str(n))


def test_a_document_filed_by_another_storage_before_is_filed_into_drive(drive, tmp_path):
    """The municipality moved from a folder to Drive: the registry's last version names a
    path, so even the same content is filed here, as the next version."""
    import hashlib

    filer = make_filer(drive, tmp_path)
    same = b"v1"
    filer.registry.add(KEY, "/srv/documents/ММО математиков/2024-2025/Протоколы/" + NAME,
                       hashlib.sha256(same).hexdigest(), "s", "")
    filed = filer.file(KEY, NAME, same, "s")
    assert filed.changed and filed.version == 2 and drive.listing(FOLDER) == {NAME: b"v1"}
    assert filer.read(filer.versions(KEY)[0]) is None           # the folder's version is not read from Drive
