"""Filing into a local folder: the filer contract, and what is particular to a folder on
this machine (paths, atomic rename, nothing served from outside the root)."""
import threading
from pathlib import Path

import pytest

from service.filing.base import DocumentKey, safe_name
from service.filing.local import LocalFiler
from tests.filing.contract import FilerContract, FolderView

KEY = DocumentKey("ММО математиков", "protocol", "2024-2025", "2")


class TestLocalContract(FilerContract):
    @pytest.fixture
    def filer(self, tmp_path):
        return LocalFiler(tmp_path / "documents")

    @pytest.fixture
    def storage(self, tmp_path):
        return FolderView(tmp_path / "documents")


def test_path_follows_association_year_and_kind(tmp_path):
    filer = LocalFiler(tmp_path)
    filed = filer.file(KEY, "Протокол №2 от 14.11.2024.docx", b"v1", "src1", "head")
    assert filed.location == str(tmp_path / "ММО математиков" / "2024-2025" / "Протоколы" / "Протокол №2 от 14.11.2024.docx")
    assert (tmp_path / "ММО математиков/2024-2025/Протоколы/Протокол №2 от 14.11.2024.docx").read_bytes() == b"v1"
    assert filed.version == 1 and filed.changed


def test_same_content_again_makes_no_new_version(tmp_path):
    filer = LocalFiler(tmp_path)
    filer.file(KEY, "Протокол №2 от 14.11.2024.docx", b"v1", "src1")
    again = filer.file(KEY, "Протокол №2 от 14.11.2024.docx", b"v1", "src1")
    assert not again.changed and again.version == 1
    assert len(filer.versions(KEY)) == 1


def test_new_content_replaces_and_keeps_previous_version(tmp_path):
    filer = LocalFiler(tmp_path)
    first = filer.file(KEY, "Протокол №2 от 14.11.2024.docx", b"v1", "src1", "head")
    second = filer.file(KEY, "Протокол №2 от 14.11.2024.docx", b"v2", "src2", "head")
    folder = tmp_path / "ММО математиков/2024-2025/Протоколы"
    assert second.version == 2 and (folder / "Протокол №2 от 14.11.2024.docx").read_bytes() == b"v2"
    kept = list((folder / ".versions").iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == b"v1" and "версия 1" in kept[0].name
    rows = filer.versions(KEY)
    assert [r.version for r in rows] == [1, 2] and rows[1].stored_as == str(kept[0])
    assert rows[0].sha256 != rows[1].sha256 and rows[1].source_sha256 == "src2" and rows[1].requested_by == "head"
    assert first.location == second.location


def test_renamed_document_is_not_duplicated(tmp_path):
    """The meeting's date was corrected: same key, new file name, one current file."""
    filer = LocalFiler(tmp_path)
    filer.file(KEY, "Протокол №2 от 14.11.2024.docx", b"v1", "src1")
    filer.file(KEY, "Протокол №2 от 15.11.2024.docx", b"v2", "src2")
    folder = tmp_path / "ММО математиков/2024-2025/Протоколы"
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == ["Протокол №2 от 15.11.2024.docx"]
    assert len(list((folder / ".versions").iterdir())) == 1


def test_no_temporary_file_is_left_when_writing_fails(tmp_path, monkeypatch):
    filer = LocalFiler(tmp_path)
    filer.file(KEY, "Протокол.docx", b"v1", "s")

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr("service.filing.local.os.fsync", broken)
    with pytest.raises(OSError):
        filer.file(KEY, "Протокол.docx", b"v2", "s")
    folder = tmp_path / "ММО математиков/2024-2025/Протоколы"
    assert not [p for p in folder.iterdir() if p.name.endswith(".part")]


def test_two_clicks_at_once_make_one_document(tmp_path):
    filer = LocalFiler(tmp_path)
    results = []

    def click():
        results.append(filer.file(KEY, "Протокол №2.docx", b"same", "src"))

    threads = [threading.Thread(target=click) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.changed for r in results) == 1
    assert len(filer.versions(KEY)) == 1


@pytest.mark.parametrize("hostile, expected", [
    ("../../etc/passwd", "etc passwd"),
    ("ММО / математиков", "ММО математиков"),
    ("..", "документ"),
    ("CON", "_CON"),
    ("a\x00b", "a b"),
    ("  ", "документ"),
])
def test_names_never_leave_their_folder(hostile, expected):
    assert safe_name(hostile) == expected


def test_hostile_association_name_stays_under_root(tmp_path):
    filer = LocalFiler(tmp_path)
    key = DocumentKey("../../outside", "order", "2024-2025")
    filed = filer.file(key, "../Приказ.docx", b"x", "s")
    assert tmp_path.resolve() in __import__("pathlib").Path(filed.location).resolve().parents


def test_each_version_is_found_in_its_own_file(tmp_path):
    filer = LocalFiler(tmp_path)
    filer.file(KEY, "Протокол.docx", b"v1", "s1")
    filer.file(KEY, "Протокол.docx", b"v2", "s2")
    filer.file(KEY, "Протокол.docx", b"v3", "s3")
    assert [filer.path(v).read_bytes() for v in filer.versions(KEY)] == [b"v1", b"v2", b"v3"]
    assert filer.link(filer.versions(KEY)[0]) is None            # the service serves local files itself


def test_a_version_recorded_outside_the_root_is_never_served(tmp_path):
    filer = LocalFiler(tmp_path / "root")
    outside = tmp_path / "secret.docx"
    outside.write_bytes(b"x")
    row = filer.registry.add(KEY, str(outside), "h", "s", "")
    assert filer.path(row) is None and filer.read(row) is None
    sneaky = filer.registry.add(KEY, str(tmp_path / "root" / ".." / "secret.docx"), "h", "s", "")
    assert filer.read(sneaky) is None


def test_a_file_changed_by_hand_is_filed_again(tmp_path):
    """Someone edited the current file in the folder: the same content from the service
    is not «unchanged» — the document is restored as a new version, and the edit is kept
    aside, never passed off as the recorded version 1."""
    filer = LocalFiler(tmp_path)
    filed = filer.file(KEY, "Протокол.docx", b"v1", "s1")
    Path(filed.location).write_bytes(b"edited by hand")
    again = filer.file(KEY, "Протокол.docx", b"v1", "s1")
    assert again.changed and again.version == 2 and Path(again.location).read_bytes() == b"v1"
    assert filer.read(filer.versions(KEY)[0]) is None
    kept = list((Path(filed.location).parent / ".versions").iterdir())
    assert [p.read_bytes() for p in kept] == [b"edited by hand"] and "изменён вручную" in kept[0].name
