"""A look through a workbook's parts before the reader parses them.

calamine (the reader) parses XML itself and allocates each sheet as a dense
rectangle from its first to its last cell.  So before it runs, every XML part of an
.xlsx or .ods is inflated once here, bounded by the sizes the guard already checked:

- a part whose data does not match its declared size or checksum is refused as
  damaged (a zip may lie about sizes; Python's zipfile stops at the declared size
  and checks the CRC);
- a document type declaration (`<!DOCTYPE`, `<!ENTITY`) is refused: no Excel or
  LibreOffice file has one, and it is how entity bombs and external entities start;
- the rectangle each sheet's cells span is measured and refused past
  `Limits.max_sheet_cells` (a 2 KB file with cells at A1 and XFD1048576 would ask for
  512 GB and abort the process).

For .xls the same rectangles come from the cell records of the BIFF stream.
Everything here works on bytes with C-speed searches; the cost is a few
milliseconds for an ordinary register.
"""
from __future__ import annotations

import re
import struct
import zipfile
import zlib

from service.sources.base import SourceError, column_index
from service.sources.budget import Budget
from service.sources.cfb import BadCompoundFile, CompoundFile
from service.sources.guard import PASSWORD

DAMAGED = "Файл повреждён: часть его данных не сходится с оглавлением архива. Откройте файл в Excel или " \
          "LibreOffice и сохраните его заново."
DAMAGED_PART = "Файл повреждён: его основная часть не читается. Откройте файл в Excel или LibreOffice и сохраните " \
               "его заново."
DANGEROUS = "Файл содержит недопустимые XML-конструкции (возможна атака) и не будет обработан."
# calamine keeps an .ods sheet twice while building it (≈120 bytes a cell against ≈32 for
# .xlsx and .xls, measured): its rectangle is charged four times.
ODS_WEIGHT = 4

_DTD = [m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY", "<!doctype", "<!entity")
        for enc in ("ascii", "utf-16-le", "utf-16-be")]


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The part's bytes, never more than it declares (asking for one byte more makes
    zipfile stop there and check the CRC, so data longer than declared is caught
    without inflating it)."""
    try:
        with zf.open(info) as fh:
            return fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, ValueError,
            RuntimeError) as exc:
        if isinstance(exc, (NotImplementedError, RuntimeError)) or "encrypt" in str(exc).lower():
            raise SourceError("workbook.unreadable", "Файл повреждён или сжат неизвестным способом. Откройте его "
                                                     "в Excel или LibreOffice и сохраните заново.") from exc
        raise SourceError("workbook.unreadable", DAMAGED) from exc


def _refuse_dtd(data: bytes) -> None:
    head = data[:4096]
    if any(m in head for m in _DTD) or (b"<!" in data and any(m in data for m in _DTD)):
        raise SourceError("workbook.unreadable", DANGEROUS)


MEDIA = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".svg", ".bin")


def scan_zip(zf: zipfile.ZipFile, kind: str, budget: Budget) -> None:
    """Inflate and check every part of an .xlsx/.xlsm (`kind` "xlsx") or .ods: any part
    may be read as XML (the workbook's relationships may point at any name), so only
    pictures and binary blobs are spared the XML checks — not the size and CRC check."""
    for info in zf.infolist():
        if info.is_dir():
            continue
        name = info.filename
        data = _inflate(zf, info)
        if name.lower().endswith(MEDIA):
            continue
        _refuse_dtd(data)
        # Every part the reader could take for a sheet is measured, whatever it is called
        # and whatever the container was taken for: a zip may carry both an .xlsx and an .ods.
        if name.startswith("xl/") and not _near(data, budget):
            rows, columns = xlsx_extent(data)
            budget.sheet_area(None, rows, columns)
        elif name == "content.xml":
            if kind == "ods" and b"office:spreadsheet" not in data:
                raise SourceError("workbook.unreadable", DAMAGED_PART)
            for title, rows, columns in ods_extents(data):
                budget.sheet_area(title, rows, columns, weight=ODS_WEIGHT)
        budget.check_time()


# ---------------------------------------------------------------- .xlsx

# Cells are addressed r="B5" (rows r="5").  The search starts at the literal `r="`, which
# is fast; it may also count other attributes ending in «r» — only ever more, never less.
# Any number of letters and digits: a hostile part may address row 99999999 or column
# AAAA, past Excel's own limits, and a reader would still allocate up to there.
_REF_ROWS = re.compile(rb'r="\$?[A-Za-z]+\$?([0-9]+)"')
_REF_COLUMNS = re.compile(rb'r="\$?([A-Za-z]+)\$?[0-9]')
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


# The quick answer for an ordinary register: no cell beyond column ZZ or row 999, and no
# cell without an address — then no sheet in the part can span more than 999 × 702.
_FAR_REF = re.compile(rb'r="\$?(?:[A-Za-z]{3}|[A-Za-z]{1,2}\$?[0-9]{4})')      # also catches longer ones
_NO_ADDRESS = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c(?:/?>|\s(?:(?!r=)[^>])*>)')
NEAR_AREA = 999 * 702


def _near(data: bytes, budget: Budget) -> bool:
    return (NEAR_AREA <= budget.limits.max_sheet_cells and _FAR_REF.search(data) is None
            and _NO_ADDRESS.search(data) is None)


def xlsx_extent(data: bytes) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest cell of a worksheet part.  Cells
    without an address (rare, but allowed) are placed as a reader would place them:
    after the previous cell of their row."""
    row_refs = _REF_ROWS.findall(data)
    rows = max(map(int, set(row_refs)), default=0)
    columns = max((column_index(c[:8].decode()) for c in set(_REF_COLUMNS.findall(data))), default=0)
    if b":c " in data or b":row " in data:                      # a namespace prefix: count the slow way
        cells = len(_CELL_TAG.findall(data))
    else:
        cells = data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/>")
    if cells > len(row_refs):                                   # some cells have no address
        rows = max(rows, len(_ROW_TAG.findall(data)))
        widest = max((len(_CELL_TAG.findall(part)) for part in _ROW_TAG.split(data)), default=0)
        columns = max(columns, widest)
    return rows, columns


# ---------------------------------------------------------------- .ods

_TABLE = re.compile(rb'<table:table\s[^>]*?table:name="([^"]*)"')
_ROW = re.compile(rb"<table:table-row[\s/>]")
_ROW_REPEAT = re.compile(rb'[^>]*?table:number-rows-repeated="([0-9]+)"')
_CELL_REPEAT = re.compile(rb'table:number-columns-repeated="([0-9]+)"')
_CELL = re.compile(rb"<table:(?:covered-)?table-cell[\s/>]")
_VALUE = re.compile(rb"office:value-type=|<text:")


def ods_extents(data: bytes) -> list[tuple[str, int, int]]:
    """(title, rows, columns) of every table in content.xml, counting repeated rows
    and cells up to the last one holding a value (LibreOffice pads every sheet with
    empty repeats to the last row and column, which readers skip)."""
    out = []
    tables = list(_TABLE.finditer(data))
    for i, t in enumerate(tables):
        end = tables[i + 1].start() if i + 1 < len(tables) else len(data)
        title = t.group(1).decode("utf-8", "replace")
        starts = [m.start() for m in _ROW.finditer(data, t.end(), end)]
        rows = columns = height = 0
        for j, at in enumerate(starts):
            stop = starts[j + 1] if j + 1 < len(starts) else end
            row = data[at:stop]
            repeat_m = _ROW_REPEAT.match(row, 16)
            repeat = int(repeat_m.group(1)) if repeat_m else 1
            height += repeat
            if not _VALUE.search(row):
                continue
            rows = height
            width = 0
            cells = [m.start() for m in _CELL.finditer(row)]
            for k, c in enumerate(cells):
                cell = row[c:cells[k + 1] if k + 1 < len(cells) else len(row)]
                tag_end = cell.find(b">")
                n = _CELL_REPEAT.search(cell, 0, tag_end if tag_end != -1 else len(cell))
                width += int(n.group(1)) if n else 1
                if _VALUE.search(cell):
                    columns = max(columns, width)
        out.append((title, rows, columns))
    return out


# ---------------------------------------------------------------- .xls

_CELL_RECORDS = {0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0006, 0x0201, 0x00D6}
_MULTI_RECORDS = {0x00BD, 0x00BE}
BOF, EOF, FILEPASS = 0x0809, 0x000A, 0x002F


def scan_xls(compound: CompoundFile, budget: Budget) -> None:
    """Refuse an encrypted .xls, or one whose sheet spans more cells than allowed."""
    name = "Workbook" if "Workbook" in compound.entries else "Book"
    try:
        stream = compound.stream(name)
    except (BadCompoundFile, KeyError) as exc:
        raise SourceError("workbook.unreadable", DAMAGED) from exc
    at, size, records = 0, len(stream), 0
    rows = columns = 0
    while at + 4 <= size:
        kind, length = struct.unpack_from("<HH", stream, at)
        body = at + 4
        if kind == FILEPASS:
            raise SourceError("workbook.unreadable", PASSWORD)
        if kind == BOF:                                    # a substream: the globals, a sheet, a chart
            rows = columns = 0
        elif kind == EOF:
            if rows and columns:
                budget.sheet_area(None, rows, columns)
            rows = columns = 0
        elif kind in _CELL_RECORDS and length >= 4:
            r, c = struct.unpack_from("<HH", stream, body)
            rows, columns = max(rows, r + 1), max(columns, c + 1)
        elif kind in _MULTI_RECORDS and length >= 6:
            r, = struct.unpack_from("<H", stream, body)
            last, = struct.unpack_from("<H", stream, body + length - 2)
            rows, columns = max(rows, r + 1), max(columns, last + 1)
        at = body + length
        records += 1
        if records % 4096 == 0:
            budget.check_time()
    if rows and columns:                                   # a stream cut short before its EOF
        budget.sheet_area(None, rows, columns)
