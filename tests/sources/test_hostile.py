"""Files that are not workbooks, are broken, or are built to hurt the service.

Each one must end in one clear Russian sentence with a stable code — raised as
SourceError by WorkbookFileSource.read(), and printed by `mo-docs validate` as a single
line on stderr with exit code 2 — within seconds and without eating memory.
Every file is built here, in the test; nothing binary is committed.
"""
from __future__ import annotations

import json
import math
import os
import re
import struct
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable
from xml.sax.saxutils import escape

import pytest

from service.schema.reader import read_workbook
from service.sources.base import SourceError
from service.sources.limits import Limits
from service.sources.workbook_file import WorkbookFileSource
from tests.factories import association, year_end

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024

# ---------------------------------------------------------------- building files

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def sheet_xml(rows: Iterable[tuple[int, list[str]]]) -> str:
    body = "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in rows)
    return f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetData>{body}</sheetData></worksheet>'


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def write_xlsx(path: Path, sheets: dict[str, str | Callable[[], Iterable[bytes]]],
               shared_strings: str | None = None, level: int = 6) -> Path:
    """A minimal workbook as Excel would accept it: content types, relationships,
    workbook, sheets (text, or a generator of byte chunks to stream a huge sheet
    without holding it in memory) and optionally a shared strings part."""
    types = ['<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
             '<Default Extension="xml" ContentType="application/xml"/>',
             '<Override PartName="/xl/workbook.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>']
    rels, entries = [], []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for i, (title, content) in enumerate(sheets.items(), start=1):
            types.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
            rels.append(f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>')
            entries.append(f'<sheet name="{escape(title)}" sheetId="{i}" r:id="rId{i}"/>')
            if callable(content):
                with zf.open(f"xl/worksheets/sheet{i}.xml", "w") as fh:
                    for chunk in content():
                        fh.write(chunk)
            else:
                zf.writestr(f"xl/worksheets/sheet{i}.xml", content)
        if shared_strings is not None:
            types.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
            rels.append(f'<Relationship Id="rIdS" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>')
            zf.writestr("xl/sharedStrings.xml", shared_strings)
        zf.writestr("[Content_Types].xml", f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/'
                    f'package/2006/content-types">{"".join(types)}</Types>')
        zf.writestr("_rels/.rels", f'{XML_HEAD}<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
                    f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'{XML_HEAD}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
                    f'{"".join(entries)}</sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels",
                    f'{XML_HEAD}<Relationships xmlns="{PKG_REL_NS}">{"".join(rels)}</Relationships>')
    return path


def patch_central_directory(path: Path, member: str, **fields: int) -> None:
    """Overwrite fields of one entry in the zip's central directory (and its local
    header): what a hand-crafted hostile zip declares, whatever its data holds."""
    offsets = {"flags": (8, 6, "<H"), "method": (10, 8, "<H"), "crc": (16, 14, "<I"),
               "compressed": (20, 18, "<I"), "size": (24, 22, "<I")}
    data = bytearray(path.read_bytes())
    found = False
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + name_len]).decode() == member:
            local = struct.unpack_from("<I", data, at + 42)[0]
            for name, value in fields.items():
                central_off, local_off, fmt = offsets[name]
                struct.pack_into(fmt, data, at + central_off, value)
                struct.pack_into(fmt, data, local + local_off, value)
            found = True
        at = data.find(b"PK\x01\x02", at + 4)
    assert found, member
    path.write_bytes(bytes(data))


# Compound File Binary (OLE2): the container of old .xls files and of password-
# protected .xlsx files, which hold the streams «EncryptionInfo» and «EncryptedPackage».
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SECTOR, FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 512, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def cfb(streams: list[tuple[str, bytes]], directory_last: bool = False) -> bytes:
    """A minimal version-3 compound file: header, FAT, directory, streams (each at
    least 4096 bytes so that all live in regular sectors).  `directory_last` puts
    the directory after the streams, as the format allows."""
    streams = [(name, data.ljust(4096, b"\0")) for name, data in streams]
    n_dir = math.ceil((1 + len(streams)) * 128 / SECTOR)
    n_data = [math.ceil(len(data) / SECTOR) for _, data in streams]
    n_fat = 1
    while n_fat * 128 < n_fat + n_dir + sum(n_data):
        n_fat += 1
    fat = [FATSECT] * n_fat

    def chain(count: int) -> int:
        start = len(fat)
        fat.extend(range(start + 1, start + count))
        fat.append(ENDOFCHAIN)
        return start

    dir_start = None if directory_last else chain(n_dir)
    starts = [chain(count) for count in n_data]
    if directory_last:
        dir_start = chain(n_dir)
    used = len(fat)
    fat.extend([FREESECT] * (n_fat * 128 - len(fat)))

    def entry(name: str, kind: int, start: int, size: int, child=NOSTREAM, right=NOSTREAM) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, NOSTREAM, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, ENDOFCHAIN, 0, child=1 if streams else NOSTREAM)]
    for i, ((name, data), start) in enumerate(zip(streams, starts), start=1):
        entries.append(entry(name, 2, start, len(data), right=i + 1 if i < len(streams) else NOSTREAM))
    sectors = [b""] * used
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    directory = b"".join(entries).ljust(n_dir * SECTOR, b"\0")
    for i in range(n_fat):
        sectors[i] = fat_bytes[i * SECTOR:(i + 1) * SECTOR]
    for i in range(n_dir):
        sectors[dir_start + i] = directory[i * SECTOR:(i + 1) * SECTOR]
    for (_, data), start, count in zip(streams, starts, n_data):
        padded = data.ljust(count * SECTOR, b"\0")
        for i in range(count):
            sectors[start + i] = padded[i * SECTOR:(i + 1) * SECTOR]
    header = (CFB_MAGIC + b"\0" * 16
              + struct.pack("<HHHHH6s9I", 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, n_fat, dir_start, 0, 4096,
                            ENDOFCHAIN, 0, ENDOFCHAIN, 0)
              + struct.pack("<109I", *(list(range(n_fat)) + [FREESECT] * (109 - n_fat))))
    assert len(header) == SECTOR
    return header + b"".join(sectors)


def pseudo_random(n: int, seed: int = 7) -> bytes:
    """Incompressible-looking bytes without os.urandom, so that failures reproduce."""
    out, x = bytearray(), seed
    while len(out) < n:
        x = (x * 6364136223846793005 + 1442695040888963407) % 2**64
        out += x.to_bytes(8, "little")
    return bytes(out[:n])


BILLION_LAUGHS_DTD = "".join(
    ['<!DOCTYPE lolz [<!ENTITY lol0 "lol">']
    + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    + ["]>"])


def valid_sheet() -> str:
    return sheet_xml([(1, ['<c r="A1" t="s"><v>0</v></c>']),
                      (2, [text_cell("A2", "Иванова Мария Петровна")])])


# ---------------------------------------------------------------- the cases

@dataclass(frozen=True)
class Case:
    build: Callable[[Path], Path]
    code: str
    says: str                    # a Russian fragment a person reads in the message


def _text_renamed(d: Path) -> Path:
    p = d / "состав.xlsx"
    p.write_text("ФИО;Должность\nИванова Мария Петровна;учитель\n", encoding="utf-8")
    return p


def _empty(d: Path) -> Path:
    p = d / "пустой.xlsx"
    p.write_bytes(b"")
    return p


def _zip_of_photos(d: Path) -> Path:
    p = d / "фото.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("IMG_0001.jpg", pseudo_random(3000))
        zf.writestr("readme.txt", "фотографии с заседания")
    return p


def _word_document(d: Path) -> Path:
    p = d / "протокол.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("[Content_Types].xml", f"{XML_HEAD}<Types/>")
        zf.writestr("word/document.xml", f"{XML_HEAD}<document/>")
    return p


def _legacy_xls(d: Path) -> Path:
    """An .xls whose Workbook stream is noise: the container is sound, the content is not."""
    p = d / "старый.xls"
    p.write_bytes(cfb([("Workbook", pseudo_random(9000))]))
    return p


def _password(d: Path) -> Path:
    p = d / "с паролем.xlsx"
    p.write_bytes(cfb([("EncryptionInfo", b"\x04\x00\x04\x00\x40\x00\x00\x00" + pseudo_random(600)),
                       ("EncryptedPackage", pseudo_random(20_000))]))
    return p


def _password_directory_after_package(d: Path) -> Path:
    p = d / "большой с паролем.xlsx"
    p.write_bytes(cfb([("EncryptionInfo", b"\x04\x00\x04\x00\x40\x00\x00\x00" + pseudo_random(600)),
                       ("EncryptedPackage", pseudo_random(400_000))], directory_last=True))
    return p


def _zip_bomb_300mb(d: Path) -> Path:
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>lol</t></is></c></row>'
    chunk = row * (MB // len(row))

    def sheet():
        yield f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
        for _ in range(300):
            yield chunk
        yield b"</sheetData></worksheet>"

    return write_xlsx(d / "bomb300.xlsx", {"Состав": sheet}, level=9)


def _ratio_bomb(d: Path) -> Path:
    def sheet():
        yield f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
        for _ in range(8):
            yield b" " * MB
        yield b"</sheetData></worksheet>"

    return write_xlsx(d / "ratio.xlsx", {"Состав": sheet}, level=9)


def _laughs_in_shared_strings(d: Path) -> Path:
    sst = f'{XML_HEAD}{BILLION_LAUGHS_DTD}<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    return write_xlsx(d / "laughs.xlsx", {"Состав": valid_sheet()}, shared_strings=sst)


def _laughs_in_sheet(d: Path) -> Path:
    sheet = (f'{XML_HEAD}{BILLION_LAUGHS_DTD}<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">'
             f'<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    return write_xlsx(d / "laughs_sheet.xlsx", {"Состав": sheet})


def _external_entity(d: Path) -> Path:
    sst = (f'{XML_HEAD}<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           f'<sst xmlns="{MAIN_NS}"><si><t>&xxe;</t></si></sst>')
    return write_xlsx(d / "xxe.xlsx", {"Состав": valid_sheet()}, shared_strings=sst)


def _saved(d: Path, name: str) -> Path:
    return association().save(d / name)


def _corrupt_deflate(d: Path) -> Path:
    p = _saved(d, "битый.xlsx")
    data = bytearray(p.read_bytes())
    with zipfile.ZipFile(p) as zf:
        info = zf.getinfo("xl/worksheets/sheet2.xml")
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    for i in range(start + 10, start + 60):           # bytes damaged in transfer
        data[i] ^= 0xFF
    p.write_bytes(bytes(data))
    return p


def _unknown_compression(d: Path) -> Path:
    p = _saved(d, "метод.xlsx")
    patch_central_directory(p, "xl/worksheets/sheet2.xml", method=99)    # 99: AES, as 7-Zip writes
    return p


def _encrypted_entries(d: Path) -> Path:
    p = _saved(d, "zipcrypto.xlsx")
    patch_central_directory(p, "xl/worksheets/sheet2.xml", flags=0x1)
    return p


def _lying_sizes(d: Path) -> Path:
    """The central directory says 1 KB; the data inflates to 64 MB."""
    def sheet():
        yield f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
        for _ in range(64):
            yield b" " * MB
        yield b"</sheetData></worksheet>"

    p = write_xlsx(d / "liar.xlsx", {"Состав": sheet}, level=9)
    patch_central_directory(p, "xl/worksheets/sheet1.xml", size=1024)
    with zipfile.ZipFile(p) as zf:
        assert zf.getinfo("xl/worksheets/sheet1.xml").file_size == 1024
    return p


def _bad_shared_string_index(d: Path) -> Path:
    sst = f'{XML_HEAD}<sst xmlns="{MAIN_NS}"><si><t>ФИО</t></si></sst>'
    sheet = sheet_xml([(1, ['<c r="A1" t="s"><v>0</v></c>']), (2, ['<c r="A2" t="s"><v>999</v></c>'])])
    return write_xlsx(d / "sst.xlsx", {"Состав": sheet}, shared_strings=sst)


def _not_xml_inside(d: Path) -> Path:
    return write_xlsx(d / "notxml.xlsx", {"Состав": "Иванова Мария Петровна; учитель"})


def _truncated_download(d: Path) -> Path:
    p = _saved(d, "недокачан.xlsx")
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p


def _too_many_parts(d: Path) -> Path:
    p = write_xlsx(d / "parts.xlsx", {"Состав": valid_sheet()})
    with zipfile.ZipFile(p, "a") as zf:
        for i in range(2_100):
            zf.writestr(f"xl/media/image{i}.bin", b"")
    return p


def _over_20_mb(d: Path) -> Path:
    p = d / "огромный.xlsx"
    with p.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(21 * MB)                  # sparse: costs no disk, no time
    return p


# ---------------------------------------------------------------- .xlsx: every part, sheets that span too much

def _corrupt_workbook_xml(d: Path) -> Path:
    p = _saved(d, "workbook.xlsx")
    _replace_part(p, "xl/workbook.xml", b'<?xml version="1.0"?><workbook xmlns="' + MAIN_NS.encode() + b'"><sheets><sheet')
    return p


def _workbook_xml_not_xml(d: Path) -> Path:
    p = _saved(d, "workbook2.xlsx")
    _replace_part(p, "xl/workbook.xml", "Книга: Состав, Заседания".encode())
    return p


def _replace_part(path: Path, part: str, data: bytes) -> None:
    """Rewrite the zip with one part's content replaced (sizes and CRC honest)."""
    with zipfile.ZipFile(path) as zf:
        items = [(i, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, content in items:
            zf.writestr(info.filename, data if info.filename == part else content)


def _far_corners(d: Path) -> Path:
    """Two cells, A1 and XFD1048576: a 2 KB file that a dense reader would make 512 GB of."""
    sheet = sheet_xml([(1, [text_cell("A1", "ФИО")]), (1_048_576, [text_cell("XFD1048576", "угол")])])
    return write_xlsx(d / "углы.xlsx", {"Состав": sheet})


# ---------------------------------------------------------------- .ods

ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
ODS_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>{extra}'
                '</manifest:manifest>')


def ods_content(tables: str, head: str = "") -> str:
    return (f'{XML_HEAD}{head}<office:document-content {ODS_NS} office:version="1.3"><office:body>'
            f'<office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>')


def ods_table(title: str, rows: list[list[str]]) -> str:
    body = "".join("<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>' for v in row)
        + "</table:table-row>" for row in rows)
    return f'<table:table table:name="{escape(title)}">{body}</table:table>'


def write_ods(path: Path, content: str | Callable[[], Iterable[bytes]], parts: dict[str, str] | None = None,
              manifest_extra: str = "", level: int = 6) -> Path:
    """An .ods as LibreOffice lays it out: `mimetype` first and stored, content.xml, the manifest."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        if callable(content):
            with zf.open("content.xml", "w") as fh:
                for chunk in content():
                    fh.write(chunk)
        else:
            zf.writestr("content.xml", content)
        for name, text in (parts or {}).items():
            zf.writestr(name, text)
        zf.writestr("META-INF/manifest.xml", ODS_MANIFEST.format(extra=manifest_extra))
    return path


def valid_ods_tables() -> str:
    return ods_table("Состав", [["ФИО", "Должность"], ["Иванова Мария Петровна", "учитель"]])


def _ods_laughs(d: Path) -> Path:
    content = ods_content(ods_table("Состав", [["ФИО"], ["&lol9;"]]).replace("&amp;lol9;", "&lol9;"),
                          head=BILLION_LAUGHS_DTD.replace("lolz", "office:document-content"))
    return write_ods(d / "laughs.ods", content)


def _ods_external_entity(d: Path) -> Path:
    content = ods_content(ods_table("Состав", [["ФИО"], ["&xxe;"]]).replace("&amp;xxe;", "&xxe;"),
                          head='<!DOCTYPE office:document-content [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    return write_ods(d / "xxe.ods", content)


def _ods_laughs_in_styles(d: Path) -> Path:
    styles = f'{XML_HEAD}{BILLION_LAUGHS_DTD}<office:document-styles {ODS_NS}><x>&lol9;</x></office:document-styles>'
    return write_ods(d / "styles.ods", ods_content(valid_ods_tables()), parts={"styles.xml": styles})


def _ods_zip_bomb(d: Path) -> Path:
    def content():
        yield ods_content("").split("</office:spreadsheet>")[0].encode()
        for _ in range(40):
            yield b" " * MB
        yield b"</office:spreadsheet></office:body></office:document-content>"

    return write_ods(d / "bomb.ods", content, level=9)


def _ods_not_xml(d: Path) -> Path:
    return write_ods(d / "notxml.ods", "Иванова Мария Петровна; учитель")


def _ods_truncated(d: Path) -> Path:
    p = write_ods(d / "недокачан.ods", ods_content(valid_ods_tables() * 20))
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p


def _ods_password(d: Path) -> Path:
    """What LibreOffice writes with «Save with password»: the manifest names the cipher,
    content.xml is ciphertext."""
    extra = ('<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="812">'
             '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" '
             'manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
             'manifest:initialisation-vector="AAAA"/></manifest:encryption-data></manifest:file-entry>')
    with zipfile.ZipFile(d / "с паролем.ods", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", pseudo_random(812))
        zf.writestr("META-INF/manifest.xml", ODS_MANIFEST.format(extra="").replace(
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>', extra))
    return d / "с паролем.ods"


def _ods_repeated_cells(d: Path) -> Path:
    """One filled cell repeated across 16 384 columns and a million rows: 300 bytes."""
    cell = ('<table:table-cell table:number-columns-repeated="16384" office:value-type="string">'
            '<text:p>x</text:p></table:table-cell>')
    tables = (f'<table:table table:name="Состав"><table:table-row table:number-rows-repeated="1048576">{cell}'
              '</table:table-row></table:table>')
    return write_ods(d / "повтор.ods", ods_content(tables))


def _text_document_as_ods(d: Path) -> Path:
    p = d / "протокол.ods"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", f"{XML_HEAD}<office:document-content {ODS_NS}/>")
    return p


# ---------------------------------------------------------------- .xls (BIFF8 in a compound file)

def biff(*records: tuple[int, bytes]) -> bytes:
    return b"".join(struct.pack("<HH", kind, len(body)) + body for kind, body in records)


BOF_GLOBALS = (0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0))
BOF_SHEET = (0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0))
EOF_RECORD = (0x000A, b"")


def number(row: int, col: int, value: float) -> tuple[int, bytes]:
    return 0x0203, struct.pack("<HHHd", row, col, 0, value)


def _xls_password(d: Path) -> Path:
    """BOF, then FILEPASS (RC4 CryptoAPI), as Excel writes a workbook saved with a password."""
    filepass = (0x002F, struct.pack("<HHH", 1, 4, 2) + pseudo_random(200))
    p = d / "с паролем.xls"
    p.write_bytes(cfb([("Workbook", biff(BOF_GLOBALS, filepass, EOF_RECORD) + pseudo_random(6000))]))
    return p


def _xls_far_corners(d: Path) -> Path:
    """Numbers at A1 and IV65536: 16.7 million cells spanned by two records."""
    stream = biff(BOF_GLOBALS, EOF_RECORD, BOF_SHEET, number(0, 0, 1.0), number(65535, 255, 2.0), EOF_RECORD)
    p = d / "углы.xls"
    p.write_bytes(cfb([("Workbook", stream)]))
    return p


def _xls_truncated(d: Path) -> Path:
    data = cfb([("Workbook", biff(BOF_GLOBALS, EOF_RECORD) + pseudo_random(20_000))])
    p = d / "недокачан.xls"
    p.write_bytes(data[: len(data) // 3])
    return p


def _xls_looping_chain(d: Path) -> Path:
    """A sector chain that points back at itself: a reader following it would never stop."""
    data = bytearray(cfb([("Workbook", biff(BOF_GLOBALS, EOF_RECORD) + pseudo_random(9000))]))
    fat_sector = struct.unpack_from("<I", data, 0x4C)[0]
    dir_start = struct.unpack_from("<I", data, 0x30)[0]
    struct.pack_into("<I", data, (fat_sector + 1) * SECTOR + 4 * dir_start, dir_start)
    p = d / "петля.xls"
    p.write_bytes(bytes(data))
    return p


def _word_97_as_xls(d: Path) -> Path:
    p = d / "протокол.xls"
    p.write_bytes(cfb([("WordDocument", pseudo_random(5000))]))
    return p


CASES: dict[str, Case] = {
    "text renamed .xlsx": Case(_text_renamed, "workbook.unreadable", "не книга электронной таблицы"),
    "empty file": Case(_empty, "workbook.unreadable", "Файл пуст"),
    "zip of photos": Case(_zip_of_photos, "workbook.unreadable", "архив"),
    "Word document renamed .xlsx": Case(_word_document, "workbook.unreadable", "документ Word (.docx), а не книга"),
    "damaged .xls (OLE)": Case(_legacy_xls, "workbook.unreadable", "повреждён"),
    "password-protected": Case(_password, "workbook.unreadable", "защищён паролем"),
    "password-protected, directory last": Case(_password_directory_after_package, "workbook.unreadable",
                                               "защищён паролем"),
    "zip bomb 300 MB": Case(_zip_bomb_300mb, "workbook.too_large", "zip-бомба"),
    "ratio bomb 8 MB": Case(_ratio_bomb, "workbook.too_large", "zip-бомба"),
    "billion laughs in sharedStrings": Case(_laughs_in_shared_strings, "workbook.unreadable",
                                            "недопустимые XML-конструкции"),
    "billion laughs in a sheet": Case(_laughs_in_sheet, "workbook.unreadable", "недопустимые XML-конструкции"),
    "external entity": Case(_external_entity, "workbook.unreadable", "недопустимые XML-конструкции"),
    "corrupt deflate stream": Case(_corrupt_deflate, "workbook.unreadable", "повреждён"),
    "unknown compression method": Case(_unknown_compression, "workbook.unreadable", "повреждён"),
    "encrypted zip entries": Case(_encrypted_entries, "workbook.unreadable", "зашифрованы"),
    "sizes that lie": Case(_lying_sizes, "workbook.unreadable", "повреждён"),
    "shared string index out of range": Case(_bad_shared_string_index, "workbook.unreadable", "повреждён"),
    "sheet that is not XML": Case(_not_xml_inside, "workbook.unreadable", "повреждён"),
    "half-downloaded file": Case(_truncated_download, "workbook.unreadable", "загружен не полностью"),
    "too many parts": Case(_too_many_parts, "workbook.too_large", "слишком много частей"),
    "file over 20 MB": Case(_over_20_mb, "workbook.too_large", "Файл слишком большой"),
    "corrupt xl/workbook.xml": Case(_corrupt_workbook_xml, "workbook.unreadable", "повреждён"),
    "xl/workbook.xml that is not XML": Case(_workbook_xml_not_xml, "workbook.unreadable", "повреждён"),
    "cells at A1 and XFD1048576": Case(_far_corners, "workbook.too_large", "не обрабатывается"),
    ".ods: billion laughs in content.xml": Case(_ods_laughs, "workbook.unreadable", "недопустимые XML-конструкции"),
    ".ods: external entity in content.xml": Case(_ods_external_entity, "workbook.unreadable",
                                                 "недопустимые XML-конструкции"),
    ".ods: billion laughs in styles.xml": Case(_ods_laughs_in_styles, "workbook.unreadable",
                                               "недопустимые XML-конструкции"),
    ".ods: zip bomb": Case(_ods_zip_bomb, "workbook.too_large", "zip-бомба"),
    ".ods: content.xml that is not XML": Case(_ods_not_xml, "workbook.unreadable", "повреждён"),
    ".ods: half-downloaded": Case(_ods_truncated, "workbook.unreadable", "загружен не полностью"),
    ".ods: password-protected": Case(_ods_password, "workbook.unreadable", "защищён паролем"),
    ".ods: a cell repeated over a million rows": Case(_ods_repeated_cells, "workbook.too_large", "не обрабатывается"),
    ".odt renamed .ods": Case(_text_document_as_ods, "workbook.unreadable",
                              "Файл OpenDocument повреждён или это не таблица"),
    ".xls: password-protected": Case(_xls_password, "workbook.unreadable", "защищён паролем"),
    ".xls: cells at A1 and IV65536": Case(_xls_far_corners, "workbook.too_large", "не обрабатывается"),
    ".xls: half-downloaded": Case(_xls_truncated, "workbook.unreadable", "повреждён"),
    ".xls: looping sector chain": Case(_xls_looping_chain, "workbook.unreadable", "повреждён"),
    "Word 97 document renamed .xls": Case(_word_97_as_xls, "workbook.unreadable", "не книга Excel"),
}
SLOW = {"zip bomb 300 MB"}


def params():
    return [pytest.param(name, id=name, marks=[pytest.mark.slow] if name in SLOW else []) for name in CASES]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    cache: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in cache:
            d = tmp_path_factory.mktemp("hostile")
            cache[name] = CASES[name].build(d)
        return cache[name]

    return get


# ---------------------------------------------------------------- measuring

@dataclass
class Bounded:
    error: SourceError | None
    result: object
    seconds: float
    peak_mb: float


def _status(field: str) -> int:
    with open("/proc/self/status") as fh:
        return int(next(line.split()[1] for line in fh if line.startswith(field)))


def _reset_peak() -> bool:
    """Reset this process's peak RSS to its current RSS (Linux: clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def read_measured(path: Path, limits: Limits | None = None) -> Bounded:
    """Read `path`, timing it and measuring its peak memory: the process's resident set
    (what calamine's Rust allocations count in), or Python's own allocations where the
    peak cannot be reset."""
    by_rss = _reset_peak()
    before = _status("VmRSS") if by_rss else 0
    if not by_rss:
        tracemalloc.start()
    start = time.monotonic()
    error, result = None, None
    try:
        result = WorkbookFileSource(path, limits=limits).read()
    except SourceError as err:
        error = err
    finally:
        seconds = time.monotonic() - start
        if by_rss:
            peak = (_status("VmHWM") - before) * 1024
        else:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return Bounded(error, result, seconds, peak / MB)


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    max_rss_mb: float


# The CLI's entry point, run so that it reports its own peak memory.  ru_maxrss from wait4
# is useless here: Linux carries the forked parent's high-water mark across exec, so a
# large pytest process would be charged to the child.  VmHWM belongs to the new image.
_MEASURED_CLI = """
import os, sys
from service.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stdout.flush(); sys.stderr.flush()
with open('/proc/self/status') as fh:
    hwm = next(line.split()[1] for line in fh if line.startswith('VmHWM'))
with open(os.environ['MO_DOCS_TEST_HWM'], 'w') as fh:
    fh.write(hwm)
sys.exit(code)
"""


def mo_docs(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> Run:
    """Run the CLI's entry point in a fresh interpreter, as a person's `mo-docs` would;
    measure its own peak memory."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MO_DOCS_LIMIT_")}
    environ.update(env or {})
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as hwm:
        environ["MO_DOCS_TEST_HWM"] = hwm.name
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", _MEASURED_CLI, *args], stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, env=environ, cwd=ROOT)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            pytest.fail(f"mo-docs {' '.join(args)} still running after {timeout} s")
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        peak_kb = int(hwm.read() or 0)
        return Run(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   seconds, peak_kb / 1024)


def assert_one_russian_line(run: Run, code: str, says: str) -> None:
    assert "Traceback" not in run.err, run.err
    lines = [line for line in run.err.splitlines() if line.strip()]
    assert len(lines) == 1, run.err
    (line,) = lines
    assert line.startswith("mo-docs: ") and line.endswith(f"[{code}]"), line
    assert says in line, line
    assert re.search(r"[А-Яа-яЁё]{4,}", line), line


# ---------------------------------------------------------------- the source

@pytest.mark.parametrize("name", params())
def test_source_refuses_with_a_code_and_a_russian_message(built, name):
    case = CASES[name]
    measured = read_measured(built(name))
    assert measured.error is not None, f"{name}: read without complaint"
    assert measured.error.code == case.code
    assert case.says in measured.error.message
    assert "\n" not in measured.error.message
    assert str(built(name).parent) not in measured.error.message     # no server paths in what people see
    assert measured.seconds < 5, f"{name}: {measured.seconds:.1f} s"
    assert measured.peak_mb < 64, f"{name}: {measured.peak_mb:.0f} MB"


def test_external_entity_does_not_leak_the_servers_files(built):
    measured = read_measured(built("external entity"))
    assert measured.error is not None
    assert "root:" not in measured.error.message and "/bin/" not in measured.error.message


@pytest.mark.slow
@pytest.mark.parametrize("name", params())
def test_cli_refuses_in_one_line_with_exit_code_2(built, name):
    case = CASES[name]
    run = mo_docs("validate", str(built(name)))
    assert run.code == 2, (run.code, run.err)
    assert run.out == ""
    assert_one_russian_line(run, case.code, case.says)
    assert run.seconds < 10, f"{name}: {run.seconds:.1f} s"
    assert 10 < run.max_rss_mb < 250, f"{name}: {run.max_rss_mb:.0f} MB"   # >10: it was measured


def test_a_minimal_hand_made_workbook_is_itself_readable(tmp_path):
    """The hostile files above differ from this one only in what makes them hostile."""
    sst = f'{XML_HEAD}<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>ФИО</t></si></sst>'
    raw = WorkbookFileSource(write_xlsx(tmp_path / "ok.xlsx", {"Состав": valid_sheet()}, shared_strings=sst)).read()
    assert raw.tabs[0].rows == [(1, ("ФИО",)), (2, ("Иванова Мария Петровна",))]


def test_an_old_workbook_mentioning_encryption_in_a_cell_is_not_taken_for_a_locked_one(tmp_path):
    path = tmp_path / "старый.xls"
    path.write_bytes(cfb([("Workbook", "EncryptionInfo в тексте ячейки".encode("utf-8") + pseudo_random(5000))],
                         directory_last=True))
    with pytest.raises(SourceError) as info:
        WorkbookFileSource(path).read()
    assert info.value.code == "workbook.unreadable" and "паролем" not in info.value.message


# ---------------------------------------------------------------- limits from the environment

def test_lowered_unzipped_limit_from_the_environment_refuses_an_ordinary_book(tmp_path):
    path = association().save(tmp_path / "mmo.xlsx")
    limits = Limits.from_env({"MO_DOCS_LIMIT_MAX_UNZIPPED_BYTES": "20000"})
    with pytest.raises(SourceError) as info:
        WorkbookFileSource(path, limits=limits).read()
    assert info.value.code == "workbook.too_large"
    assert "После распаковки" in info.value.message and "zip-бомба" in info.value.message


@pytest.mark.slow
def test_cli_takes_limits_from_the_environment(tmp_path):
    path = association().save(tmp_path / "mmo.xlsx")
    run = mo_docs("validate", str(path), "--as-of", year_end().isoformat(),
                  env={"MO_DOCS_LIMIT_MAX_UNZIPPED_BYTES": "20000"})
    assert run.code == 2
    assert_one_russian_line(run, "workbook.too_large", "zip-бомба")


@pytest.mark.slow
def test_cli_ratio_limit_from_the_environment(tmp_path):
    # 2 MB of a sheet compressed ~30 times: fine by default, refused when the ratio is lowered
    def sheet():
        yield f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
        for r in range(1, 40_000):
            yield f'<row r="{r}"><c r="A{r}"><v>{(r * 7919) % 100_003}</v></c></row>'.encode()
        yield b"</sheetData></worksheet>"

    path = write_xlsx(tmp_path / "ratio.xlsx", {"Прочее": sheet})
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > MB and 5 < info.file_size / info.compress_size < 200
    assert WorkbookFileSource(path).read().tabs[0].truncated_at == 5001
    run = mo_docs("validate", str(path), env={"MO_DOCS_LIMIT_MAX_RATIO": "3"})
    assert run.code == 2
    assert_one_russian_line(run, "workbook.too_large", "сжата в")


@pytest.mark.slow
def test_cli_says_which_limit_variable_is_not_a_number(tmp_path):
    path = association().save(tmp_path / "mmo.xlsx")
    run = mo_docs("validate", str(path), env={"MO_DOCS_LIMIT_MAX_ROWS": "много"})
    assert run.code == 2 and "Traceback" not in run.err
    assert "MO_DOCS_LIMIT_MAX_ROWS" in run.err and "целым числом" in run.err


def test_a_flood_of_shared_strings_counts_against_the_unzipped_limit(tmp_path):
    strings = "".join(f"<si><t>{chr(0x430 + i % 32)}{chr(0x430 + i // 32 % 32)}</t></si>" for i in range(200_000))
    sst = f'{XML_HEAD}<sst xmlns="{MAIN_NS}">{strings}</sst>'
    path = write_xlsx(tmp_path / "flood.xlsx", {"Состав": valid_sheet()}, shared_strings=sst)
    measured = read_measured(path, Limits(max_unzipped_bytes=2 * MB))
    assert measured.error is not None and measured.error.code == "workbook.too_large"
    assert measured.seconds < 2


# ---------------------------------------------------------------- very long and very wide sheets

SYLLABLES = ["ва", "ло", "ми", "ка", "ре", "ту", "са", "не", "по", "ди"]


def _surname(n: int) -> str:
    word = "".join(SYLLABLES[int(d)] for d in str(n))
    return word.capitalize() + "ова"


def _cell(ref: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if hasattr(value, "toordinal"):                      # a date as Excel stores it: a serial number
        return f'<c r="{ref}"><v>{value.toordinal() - 693594}</v></c>'
    return text_cell(ref, str(value))


def _hundred_thousand_rows(path: Path) -> Path:
    """The compliant association, its «Состав» followed by 100 000 more members."""
    from openpyxl.utils import get_column_letter

    book = association()
    tables = book.tables()
    members = tables["Состав"]
    letters = [get_column_letter(i) for i in range(1, 30)]

    def sheet():
        yield f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
        for r, values in enumerate(members, start=1):
            yield f'<row r="{r}">{"".join(_cell(f"{letters[i]}{r}", v) for i, v in enumerate(values))}</row>'.encode()
        buf = []
        for r in range(len(members) + 1, 100_001):
            buf.append(f'<row r="{r}">{text_cell(f"A{r}", f"{_surname(r)} Мария Петровна")}'
                       f'{text_cell(f"B{r}", f"МБОУ СОШ №{r % 40 + 1}")}{text_cell(f"C{r}", "учитель")}'
                       f'{text_cell(f"D{r}", "член")}</row>')
            if len(buf) == 5000:
                yield "".join(buf).encode()
                buf = []
        yield "".join(buf).encode()
        yield b"</sheetData></worksheet>"

    sheets: dict = {}
    for title, rows in tables.items():
        if title == "Состав":
            sheets[title] = sheet
        else:
            sheets[title] = sheet_xml(
                (r, [_cell(f"{letters[i]}{r}", v) for i, v in enumerate(values)])
                for r, values in enumerate(rows, start=1))
    return write_xlsx(path, sheets)


@pytest.fixture(scope="module")
def long_book(tmp_path_factory):
    return _hundred_thousand_rows(tmp_path_factory.mktemp("long") / "100000.xlsx")


def test_hand_made_copy_of_the_association_has_no_findings(tmp_path):
    """Guards the builder: without the extra rows the book is as clean as the factory's."""
    book = association()
    tables = book.tables()
    from openpyxl.utils import get_column_letter
    letters = [get_column_letter(i) for i in range(1, 30)]
    sheets = {title: sheet_xml((r, [_cell(f"{letters[i]}{r}", v) for i, v in enumerate(values)])
                               for r, values in enumerate(rows, start=1)) for title, rows in tables.items()}
    raw = WorkbookFileSource(write_xlsx(tmp_path / "copy.xlsx", sheets)).read()
    _, findings = read_workbook(raw, year_end())
    assert findings == []


@pytest.fixture(scope="module")
def long_read(long_book):
    start = time.monotonic()
    raw = WorkbookFileSource(long_book).read()         # memory is measured on the CLI below: tracemalloc is slow here
    return raw, time.monotonic() - start


@pytest.mark.slow
def test_100000_rows_stop_at_the_row_limit_quickly(long_read):
    raw, seconds = long_read
    tab = next(t for t in raw.tabs if t.title == "Состав")
    assert tab.truncated_at == 5001
    assert tab.rows[0][0] == 1 and tab.rows[-1][0] == 5000 and len(tab.rows) == 5000
    assert tab.rows[-1][1][0] == f"{_surname(5000)} Мария Петровна"
    assert seconds < 12, f"{seconds:.1f} s"


@pytest.mark.slow
def test_100000_rows_become_one_finding_at_the_first_row_not_read(long_read):
    raw, _ = long_read
    _, findings = read_workbook(raw, year_end())
    too_many = [f for f in findings if f.code == "sheet.too_many_rows"]
    assert len(too_many) == 1
    (f,) = too_many
    assert (f.sheet, f.cell, f.severity) == ("Состав", "A5001", "error")
    assert "слишком много строк" in f.message and "до 5000" in f.message


@pytest.mark.slow
def test_cli_on_100000_rows_finishes_with_a_bounded_report(long_book):
    run = mo_docs("validate", str(long_book), "--as-of", year_end().isoformat(), "--format", "json", timeout=30)
    assert "Traceback" not in run.err and run.err == ""
    assert run.code == 1                                  # errors found, not a crash
    assert run.seconds < 20, f"{run.seconds:.1f} s"
    assert run.max_rss_mb < 300, f"{run.max_rss_mb:.0f} MB"
    report = json.loads(run.out)
    findings = report["findings"]
    assert len(findings) <= 1001                          # MAX_FINDINGS and one note that more were left out
    assert any(f["code"] == "sheet.too_many_rows" and f["cell"] == "A5001" and f["sheet"] == "Состав"
               for f in findings)


def test_a_lone_cell_at_the_last_row_of_excel_stops_at_the_limit(tmp_path):
    sheet = sheet_xml([(1, [text_cell("A1", "ФИО")]), (1_048_576, [text_cell("A1048576", "конец")])])
    measured = read_measured(write_xlsx(tmp_path / "far.xlsx", {"Состав": sheet}))
    assert measured.error is None
    tab = measured.result.tabs[0]
    assert tab.rows == [(1, ("ФИО",))] and tab.truncated_at == 5001
    assert measured.seconds < 5


def test_cells_in_the_last_column_of_excel_are_cut_at_the_column_limit(tmp_path):
    rows = [(r, [text_cell(f"A{r}", f"строка {r}"), text_cell(f"XFD{r}", "далеко")]) for r in range(1, 201)]
    measured = read_measured(write_xlsx(tmp_path / "wide.xlsx", {"Состав": sheet_xml(rows)}))
    assert measured.error is None
    tab = measured.result.tabs[0]
    assert len(tab.rows) == 200
    assert all(len(values) <= 200 and values[0] == f"строка {r}" for r, values in tab.rows)
    # 200 × 16 384 = 3.3 million cells spanned: under max_sheet_cells, and the reader holds
    # the rectangle (32 bytes a cell) while it reads — bounded, not free
    assert measured.seconds < 5 and measured.peak_mb < 160


# ---------------------------------------------------------------- entity bombs in every XML part

def _with_dtd(xml: bytes, dtd: str) -> bytes:
    """The part with a document type declaration after its XML declaration."""
    text = xml.decode("utf-8")
    head_end = text.index("?>") + 2 if text.startswith("<?xml") else 0
    return (text[:head_end] + dtd + text[head_end:]).encode("utf-8")


@pytest.mark.parametrize("dtd", [BILLION_LAUGHS_DTD.replace("lolz", "x"),
                                 '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'],
                         ids=["billion laughs", "external entity"])
def test_a_document_type_declaration_in_any_part_of_an_xlsx_is_refused(tmp_path, dtd):
    """Every XML part of an .xlsx as Excel's sister programs write it (shared strings are
    covered by the hand-made cases above)."""
    saved = association().save(tmp_path / "mmo.xlsx")
    with zipfile.ZipFile(saved) as zf:
        parts = [n for n in zf.namelist() if n.endswith((".xml", ".rels"))]
        originals = {n: zf.read(n) for n in parts}
    assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
            "xl/worksheets/sheet1.xml", "xl/styles.xml", "docProps/core.xml"} <= set(parts)
    for part in parts:
        path = tmp_path / f"{len(part)}-{part.replace('/', '_')}.xlsx"
        path.write_bytes(saved.read_bytes())
        _replace_part(path, part, _with_dtd(originals[part], dtd))
        measured = read_measured(path)
        assert measured.error is not None and measured.error.code == "workbook.unreadable", part
        assert "недопустимые XML-конструкции" in measured.error.message, part
        assert measured.seconds < 2, part


def test_a_declaration_hidden_in_utf16_is_refused_too(tmp_path):
    path = association().save(tmp_path / "mmo.xlsx")
    with zipfile.ZipFile(path) as zf:
        original = zf.read("xl/styles.xml").decode("utf-8")
    utf16 = _with_dtd(original.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode(),
                      BILLION_LAUGHS_DTD.replace("lolz", "x")).decode("utf-8").encode("utf-16")
    _replace_part(path, "xl/styles.xml", utf16)
    measured = read_measured(path)
    assert measured.error is not None and "недопустимые XML-конструкции" in measured.error.message


@pytest.mark.parametrize("name", ["billion laughs in sharedStrings", "billion laughs in a sheet", "external entity",
                                  ".ods: billion laughs in content.xml", ".ods: external entity in content.xml"])
def test_the_parser_itself_expands_no_entity(built, name):
    """Behind the scan, calamine's XML parser (quick-xml) is inert on its own: an entity
    bomb or an external entity fails or stays unexpanded, quickly, without memory growth,
    and nothing of the server's files comes back."""
    import python_calamine

    path = built(name)
    by_rss = _reset_peak()
    before = _status("VmRSS") if by_rss else 0
    start = time.monotonic()
    values = []
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        for sheet_name in wb.sheet_names:
            values.extend(str(v) for row in wb.get_sheet_by_name(sheet_name).to_python() for v in row)
    except python_calamine.CalamineError:
        pass
    assert time.monotonic() - start < 1
    if by_rss:
        assert (_status("VmHWM") - before) / 1024 < 32
    text = " ".join(values)
    assert "lollol" not in text and "root:" not in text and len(text) < 10_000


def test_a_sheet_part_with_an_unusual_name_is_measured_too(tmp_path):
    """The workbook's relationships may name any part as a sheet: «xl/data/list.xml»."""
    path = _far_corners(tmp_path)
    with zipfile.ZipFile(path) as zf:
        items = {i.filename: zf.read(i) for i in zf.infolist()}
    items["xl/data/list.xml"] = items.pop("xl/worksheets/sheet1.xml")
    items["xl/_rels/workbook.xml.rels"] = items["xl/_rels/workbook.xml.rels"].replace(
        b"worksheets/sheet1.xml", b"data/list.xml")
    items["[Content_Types].xml"] = items["[Content_Types].xml"].replace(b"/xl/worksheets/sheet1.xml",
                                                                        b"/xl/data/list.xml")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in items.items():
            zf.writestr(name, data)
    measured = read_measured(path)
    assert measured.error is not None and measured.error.code == "workbook.too_large"


def test_a_zip_that_is_both_an_xlsx_and_an_ods_is_measured_as_both(tmp_path):
    """calamine may take such a file for an .xlsx while the container looks like an .ods."""
    path = _far_corners(tmp_path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", ods_content(valid_ods_tables()))
    measured = read_measured(path)
    assert measured.error is not None and measured.error.code == "workbook.too_large"


def test_a_binary_excel_workbook_is_refused_with_advice(tmp_path):
    path = tmp_path / "книга.xlsb"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", f"{XML_HEAD}<Types/>")
        zf.writestr("xl/workbook.bin", pseudo_random(2000))
        zf.writestr("xl/worksheets/sheet1.bin", pseudo_random(2000))
    measured = read_measured(path)
    assert measured.error is not None and ".xlsb" in measured.error.message and "«Книга Excel" in measured.error.message


def test_cells_without_addresses_are_placed_as_the_reader_would_and_measured(tmp_path):
    """Rows and cells may omit their address; a reader then counts them.  A million empty
    rows and one row of 16 384 cells span 16 billion cells in 6 MB of XML — caught by the
    scan even with the zip limits out of the way."""
    def sheet():
        yield f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
        for _ in range(10):
            yield b"<row/>" * 100_000
        yield b"<row>" + b"<c/>" * 16_383 + b'<c t="inlineStr"><is><t>x</t></is></c></row>'
        yield b"</sheetData></worksheet>"

    path = write_xlsx(tmp_path / "счёт.xlsx", {"Состав": sheet}, level=9)
    measured = read_measured(path, Limits(max_ratio=10 ** 6))
    assert measured.error is not None and measured.error.code == "workbook.too_large"
    assert "не обрабатывается" in measured.error.message and measured.seconds < 5


@pytest.mark.parametrize("ref, refused", [("A99999999", True), ("ZZZZZZZZZZ1", True), ("AAAA1", False)])
def test_addresses_past_excels_own_limits_are_measured_too(tmp_path, ref, refused):
    """Row 99 999 999 or column ZZZZZZZZZZ span far too much; column AAAA (18 279) on two
    rows spans 37 000 cells — odd but harmless, and read."""
    sheet = sheet_xml([(1, [text_cell("A1", "ФИО")]), (2, [text_cell(ref, "далеко")])])
    measured = read_measured(write_xlsx(tmp_path / "далеко.xlsx", {"Состав": sheet}))
    assert (measured.error is not None and measured.error.code == "workbook.too_large") is refused
    assert measured.peak_mb < 64 and measured.seconds < 2


def test_a_repeat_count_of_ten_digits_is_measured_too(tmp_path):
    cell = ('<table:table-cell table:number-columns-repeated="9999999999" office:value-type="string">'
            '<text:p>x</text:p></table:table-cell>')
    path = write_ods(tmp_path / "повтор.ods", ods_content(
        f'<table:table table:name="Состав"><table:table-row>{cell}</table:table-row></table:table>'))
    measured = read_measured(path)
    assert measured.error is not None and measured.error.code == "workbook.too_large"
