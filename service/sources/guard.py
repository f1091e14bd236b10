"""Checks a file must pass before any XML parser sees it.

openpyxl trusts the zip's contents; a 500 KB file can expand to gigabytes and an
entity bomb can eat all memory.  Here we look only at the zip's central directory
(cheap, bounded) and at magic bytes, and refuse early with a Russian message.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from service.sources.base import SourceError
from service.sources.limits import Limits

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"     # OLE compound file: .xls or encrypted .xlsx
_ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")


def require_defusedxml() -> None:
    """openpyxl silently falls back to an unsafe parser without defusedxml."""
    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise SourceError(
            "workbook.unreadable",
            "Служба не может безопасно читать файлы: не установлен пакет defusedxml. "
            "Обратитесь к администратору.",
        )


def check_xlsx_file(path: Path, limits: Limits) -> None:
    """Raise SourceError unless `path` looks like a safe, sane .xlsx."""
    if not path.exists():
        raise SourceError("workbook.unreadable", f"Файл книги не найден: {path.name}")
    if not path.is_file():
        raise SourceError("workbook.unreadable", f"Это не файл: {path.name}")
    size = path.stat().st_size
    if size == 0:
        raise SourceError("workbook.unreadable", "Файл пуст.")
    if size > limits.max_file_bytes:
        raise SourceError(
            "workbook.too_large",
            f"Файл слишком большой: {_mb(size)} при допустимых {_mb(limits.max_file_bytes)}.",
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == _CFB_MAGIC:
        raise SourceError("workbook.unreadable", _cfb_message(path))
    if not zipfile.is_zipfile(path):
        raise SourceError(
            "workbook.unreadable",
            "Это не книга Excel (.xlsx). Сохраните таблицу в формате «Книга Excel (.xlsx)» и загрузите снова.",
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SourceError("workbook.unreadable", "Файл повреждён и не открывается как .xlsx. "
                          "Откройте его в Excel или LibreOffice и сохраните заново.")
    check_zip_entries(infos, limits)


def check_zip_entries(infos: list[zipfile.ZipInfo], limits: Limits, required_prefix: str = "xl/",
                      what: str = "книга Excel (.xlsx)") -> None:
    """Refuse zips that would expand too far, are encrypted, or hold no `required_prefix` part."""
    if len(infos) > limits.max_entries:
        raise SourceError(
            "workbook.too_large",
            f"Внутри файла слишком много частей ({len(infos)}): это не похоже на таблицу МО.",
        )
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith(required_prefix) for n in names):
        raise SourceError("workbook.unreadable", f"Это архив, но не {what}.")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise SourceError("workbook.unreadable", "Части файла зашифрованы: снимите пароль и сохраните файл заново.")
        total += info.file_size
        if total > limits.max_unzipped_bytes:
            raise SourceError(
                "workbook.too_large",
                f"После распаковки файл занял бы больше {_mb(limits.max_unzipped_bytes)}: "
                "такой файл не обрабатывается (возможна «zip-бомба»).",
            )
        compressed = max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and info.file_size / compressed > limits.max_ratio:
            raise SourceError(
                "workbook.too_large",
                f"Часть файла «{info.filename}» сжата в {info.file_size // compressed} раз: "
                "такой файл не обрабатывается (возможна «zip-бомба»).",
            )


def _cfb_message(path: Path) -> str:
    with path.open("rb") as fh:
        sample = fh.read(256 * 1024)
        if _ENCRYPTION_MARK not in sample and len(sample) >= 512:
            # The directory (the stream names) may sit after the encrypted package,
            # anywhere in the file: the header says in which sector it starts.
            shift = int.from_bytes(sample[0x1E:0x20], "little")
            first = int.from_bytes(sample[0x30:0x34], "little")
            if 9 <= shift <= 12 and first < 0xFFFFFFFA:
                fh.seek((first + 1) << shift)
                sample = fh.read(64 * 1024)
    if _ENCRYPTION_MARK in sample:
        return "Файл защищён паролем. Снимите пароль (Файл → Сведения → Защита книги) и сохраните файл заново."
    return "Это файл старого формата Excel (.xls). Сохраните его как «Книга Excel (.xlsx)» и загрузите снова."


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} МБ"
