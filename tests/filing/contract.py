"""The promises every filer keeps, one suite run against each: a local folder, a real
WebDAV server, Yandex Disk (offline, its API in memory) and Google Drive (offline, its
API in memory).  A test module subclasses `FilerContract` and provides two fixtures:

* `filer` — a filer over an empty storage, with a registry of its own;
* `storage` — the storage seen directly, not through the filer:
  `listing(folder)` → {file name: bytes} of the files in a folder given as
  «ММО математиков/2024-2025/Протоколы» (None when the folder does not exist),
  `paths()` → every file's path under the root, `secret` → the credential that must
  never appear in what people see.
"""
from __future__ import annotations

import threading
from pathlib import Path

from service.filing.base import DocumentKey

KEY = DocumentKey("ММО математиков", "protocol", "2024-2025", "2")
KEY3 = DocumentKey("ММО математиков", "protocol", "2024-2025", "3")
FOLDER = "ММО математиков/2024-2025/Протоколы"
NAME = "Протокол №2 от 14.11.2024.docx"
RENAMED = "Протокол №2 от 15.11.2024.docx"


class FilerContract:
    def test_filing_makes_the_folders_and_files_the_document(self, filer, storage):
        filed = filer.file(KEY, NAME, b"v1", "src1", "head@school.ru")
        assert filed.changed and filed.version == 1
        assert storage.listing(FOLDER) == {NAME: b"v1"}
        rows = filer.versions(KEY)
        assert [(r.version, r.requested_by, r.file_name, r.source_sha256) for r in rows] == [
            (1, "head@school.ru", NAME, "src1")]
        assert rows[0].location == filed.location

    def test_a_folder_is_made_on_request(self, filer, storage):
        where = filer.folder(KEY3)
        assert isinstance(where, str) and where
        assert storage.listing(FOLDER) == {}

    def test_the_same_content_again_files_nothing(self, filer, storage):
        filer.file(KEY, NAME, b"v1", "src1")
        again = filer.file(KEY, NAME, b"v1", "src1")
        assert not again.changed and again.version == 1
        assert len(filer.versions(KEY)) == 1 and storage.listing(FOLDER) == {NAME: b"v1"}

    def test_new_content_updates_in_place_and_the_old_version_stays_readable(self, filer, storage):
        first = filer.file(KEY, NAME, b"v1", "src1", "head")
        second = filer.file(KEY, NAME, b"v2", "src2", "head")
        assert second.changed and second.version == 2 and second.location == first.location
        assert storage.listing(FOLDER)[NAME] == b"v2"
        assert [filer.read(v) for v in filer.versions(KEY)] == [b"v1", b"v2"]

    def test_a_renamed_document_keeps_one_current_file(self, filer, storage):
        """The meeting's date was corrected: same key, new file name, one current document."""
        filer.file(KEY, NAME, b"v1", "src1")
        filer.file(KEY, RENAMED, b"v2", "src2")
        assert storage.listing(FOLDER) == {RENAMED: b"v2"}
        assert [filer.read(v) for v in filer.versions(KEY)] == [b"v1", b"v2"]
        assert [v.file_name for v in filer.versions(KEY)] == [NAME, RENAMED]

    def test_every_version_is_read_back(self, filer, storage):
        for n in range(1, 5):
            filer.file(KEY, NAME, f"v{n}".encode(), f"s{n}")
        assert [filer.read(v) for v in filer.versions(KEY)] == [b"v1", b"v2", b"v3", b"v4"]

    def test_links_for_people_never_carry_credentials(self, filer, storage):
        filer.file(KEY, NAME, b"v1", "src1")
        filed = filer.file(KEY, NAME, b"v2", "src2")
        links = [filer.link(v) for v in filer.versions(KEY)] + [filed.url, filed.location, filer.folder(KEY)]
        for link in links:
            assert link is None or isinstance(link, str)
            assert storage.secret not in (link or "")
        assert all(storage.secret not in (v.location + (v.stored_as or "")) for v in filer.versions(KEY))

    def test_hostile_names_stay_inside_the_root(self, filer, storage):
        key = DocumentKey("../../outside", "order", "2024-2025")
        filer.file(key, "../Приказ.docx", b"x", "s")
        paths = storage.paths()
        assert paths and all(".." not in p.split("/") for p in paths)
        assert any(p.endswith("/Приказы/Приказ.docx") for p in paths)

    def test_two_requests_at_once_file_one_version(self, filer, storage):
        results, errors = [], []

        def click():
            try:
                results.append(filer.file(KEY, NAME, b"same", "src"))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=click) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert sum(r.changed for r in results) == 1 and len(filer.versions(KEY)) == 1
        assert storage.listing(FOLDER) == {NAME: b"same"}

    def test_a_version_another_storage_recorded_is_not_read_here(self, filer, storage):
        row = filer.registry.add(KEY, "/srv/elsewhere/Протокол.docx", "h", "s", "")
        assert filer.read(row) is None

    def test_a_copy_beside_the_document_is_not_a_version(self, filer, storage):
        filed = filer.file(KEY, NAME, b"v1", "src1")
        where = filer.attach(filed, "Протокол №2 от 14.11.2024.pdf", b"%PDF-1.7 copy")
        assert isinstance(where, str) and storage.secret not in where
        assert storage.listing(FOLDER)["Протокол №2 от 14.11.2024.pdf"] == b"%PDF-1.7 copy"
        filer.attach(filed, "Протокол №2 от 14.11.2024.pdf", b"%PDF-1.7 again")
        assert storage.listing(FOLDER)["Протокол №2 от 14.11.2024.pdf"] == b"%PDF-1.7 again"
        assert len(filer.versions(KEY)) == 1


class FolderView:
    """A storage that keeps its files in a folder of this machine (a local filer's root,
    the folder a WebDAV server serves), seen directly."""

    def __init__(self, root: Path, secret: str = "\x00no-credentials", skip: str = ".mo-docs"):
        self.root, self.secret, self.skip = root, secret, skip

    def listing(self, folder: str):
        path = self.root / folder
        if not path.is_dir():
            return None
        return {p.name: p.read_bytes() for p in path.iterdir() if p.is_file()}

    def paths(self):
        return {p.relative_to(self.root).as_posix() for p in self.root.rglob("*")
                if p.is_file() and self.skip not in p.parts}
