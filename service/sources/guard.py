"""Checks a file must pass before any parser sees it, and which format it is.

A workbook is one of three containers: a zip (.xlsx, .xlsm, or LibreOffice's .ods),
or an OLE compound file (.xls, or an .xlsx locked with a password).  The format is
told by content, not by the name's extension.  Here we look only at the zip's
central directory and the compound file's directory (cheap, bounded), and refuse
early with a Russian message: too large, a zip bomb, encrypted, not a workbook.
scan.py then looks inside the parts.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from service.sources.base import SourceError
from service.sources.cfb import MAGIC as _CFB_MAGIC, BadCompoundFile, CompoundFile
from service.sources.limits import Limits

XLSX, ODS, XLS = "xlsx", "ods", "xls"
EXTENSIONS = (".xlsx", ".xlsm", ".ods", ".xls")            # what the upload page, CLI and watcher accept
SUFFIX = {XLSX: ".xlsx", ODS: ".ods", XLS: ".xls"}
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")
NOT_A_WORKBOOK = ("Это не книга электронной таблицы. Сохраните таблицу как «Книга Excel (.xlsx)» или "
                  "«Электронная таблица ODF (.ods)» и загрузите снова.")
TRUNCATED = ("Файл повреждён или загружен не полностью: его конец отсутствует. Скачайте или сохраните книгу "
             "заново и загрузите её снова.")
PASSWORD = "Файл защищён паролем. Снимите пароль (Файл → Сведения → Защита книги) и сохраните файл заново."
ODS_PASSWORD = ("Файл защищён паролем. Снимите пароль (в LibreOffice: Файл → Свойства → Безопасность, "
                "или сохраните без пароля) и загрузите файл заново.")


def read_checked(path: Path, limits: Limits) -> tuple[str, bytes]:
    """(format, the file's bytes) once they passed the checks: the reader then parses
    exactly the bytes that were checked, even if the file is saved over meanwhile."""
    if not path.exists():
        raise SourceError("workbook.unreadable", f"Файл книги не найден: {path.name}")
    if not path.is_file():
        raise SourceError("workbook.unreadable", f"Это не файл: {path.name}")
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise SourceError(
            "workbook.too_large",
            f"Файл слишком большой: {_mb(size)} при допустимых {_mb(limits.max_file_bytes)}.",
        )
    with path.open("rb") as fh:
        data = fh.read(limits.max_file_bytes + 1)
    return check_workbook_bytes(data, limits), data


def check_workbook_bytes(data: bytes, limits: Limits) -> str:
    """The format of `data` (XLSX, ODS or XLS); SourceError unless it looks like a safe,
    sane workbook of that format."""
    if not data:
        raise SourceError("workbook.unreadable", "Файл пуст.")
    if len(data) > limits.max_file_bytes:
        raise SourceError(
            "workbook.too_large",
            f"Файл слишком большой: больше допустимых {_mb(limits.max_file_bytes)}.",
        )
    if data[:8] == _CFB_MAGIC:
        return check_compound_file(data)
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        if data[:4] == b"PK\x03\x04":                  # a zip without its directory at the end
            raise SourceError("workbook.unreadable", TRUNCATED)
        raise SourceError("workbook.unreadable", NOT_A_WORKBOOK)
    try:
        with zipfile.ZipFile(buffer) as zf:
            infos = zf.infolist()
            kind = zip_kind(zf, infos)
            check_zip_sizes(infos, limits)
            if kind == ODS:
                check_ods_encryption(zf)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise SourceError("workbook.unreadable", "Файл повреждён и не открывается как книга. "
                          "Откройте его в Excel или LibreOffice и сохраните заново.")
    return kind


def zip_kind(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> str:
    names = {i.filename for i in infos}
    if "content.xml" in names and "mimetype" in names:
        info = zf.getinfo("mimetype")
        if info.file_size <= 200 and zf.read(info).strip() == ODS_MIMETYPE:
            return ODS
    if "xl/workbook.bin" in names or any(n.startswith("xl/") and n.endswith(".bin") and "sheet" in n for n in names):
        raise SourceError("workbook.unreadable", "Это двоичная книга Excel (.xlsb): сохраните её как «Книга Excel "
                                                 "(.xlsx)» и загрузите снова.")
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return XLSX
    if any(n.startswith("word/") for n in names):
        raise SourceError("workbook.unreadable", "Это документ Word (.docx), а не книга. Загрузите книгу МО: файл "
                                                 ".xlsx, .ods или .xls.")
    if any(n.startswith("ppt/") for n in names):
        raise SourceError("workbook.unreadable", "Это презентация PowerPoint, а не книга. Загрузите книгу МО: файл "
                                                 ".xlsx, .ods или .xls.")
    if "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names):
        raise SourceError("workbook.unreadable", "Книга Excel повреждена: в ней не хватает частей, без которых её не "
                                                 "прочитать. Откройте её в Excel или LibreOffice и сохраните заново "
                                                 "(«Сохранить как» → «Книга Excel (.xlsx)»), затем загрузите снова.")
    if "content.xml" in names or "mimetype" in names:
        raise SourceError("workbook.unreadable", "Файл OpenDocument повреждён или это не таблица. Откройте его в "
                                                 "LibreOffice и сохраните заново как «Электронная таблица ODF (.ods)».")
    raise SourceError("workbook.unreadable", "Это zip-архив, а не книга. Если книга внутри архива — распакуйте его и "
                                             "загрузите саму книгу (.xlsx, .ods или .xls).")


def check_ods_encryption(zf: zipfile.ZipFile) -> None:
    """An .ods saved with a password keeps its manifest readable and says there which
    parts are encrypted."""
    try:
        info = zf.getinfo("META-INF/manifest.xml")
    except KeyError:
        return
    if b"encryption-data" in zf.read(info):
        raise SourceError("workbook.unreadable", ODS_PASSWORD)


def check_zip_entries(infos: list[zipfile.ZipInfo], limits: Limits, required_prefix: str = "xl/",
                      what: str = "книга Excel (.xlsx)") -> None:
    """Refuse zips that would expand too far, are encrypted, or hold no `required_prefix` part
    (used for .docx templates too)."""
    names = {i.filename for i in infos}
    if len(infos) <= limits.max_entries and (
            "[Content_Types].xml" not in names or not any(n.startswith(required_prefix) for n in names)):
        raise SourceError("workbook.unreadable", f"Это архив, но не {what}.")
    check_zip_sizes(infos, limits)


def check_zip_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Entry count, encrypted entries, the declared unzipped total and each entry's ratio."""
    if len(infos) > limits.max_entries:
        raise SourceError(
            "workbook.too_large",
            f"Внутри файла слишком много частей ({len(infos)}): это не похоже на таблицу МО.",
        )
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


def check_compound_file(data: bytes) -> str:
    """An OLE compound file: an .xls workbook (XLS), or an encrypted .xlsx (refused)."""
    try:
        names = CompoundFile(data).names()
    except BadCompoundFile:
        names = None
    if names is None:
        if _ENCRYPTION_MARK in data[:256 * 1024]:
            raise SourceError("workbook.unreadable", PASSWORD)
        raise SourceError("workbook.unreadable", "Файл повреждён: его внутренняя структура нарушена. Откройте его "
                                                 "в Excel или LibreOffice и сохраните заново.")
    if "EncryptionInfo" in names or "EncryptedPackage" in names:
        raise SourceError("workbook.unreadable", PASSWORD)
    if "Workbook" in names or "Book" in names:
        return XLS
    raise SourceError("workbook.unreadable", "Это файл Microsoft Office, но не книга Excel. " + NOT_A_WORKBOOK)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} МБ"
