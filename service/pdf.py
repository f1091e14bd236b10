"""PDF/A copies for archiving, through LibreOffice, when it is installed.

Archives and electronic document systems take PDF/A (ISO 19005): fonts embedded, no
encryption, no outside references, metadata that says what it is.  LibreOffice writes
it when asked with the export filter's `SelectPdfVersion` option (2 = PDF/A-2b), in
the JSON form of filter options that LibreOffice understands since 7.4.  The copy is
checked after conversion: its XMP metadata must say `pdfaid:part` 2 — an older
LibreOffice that ignored the option gives a plain PDF, and that is refused rather than
passed off as an archival copy.

LibreOffice is a system program, not a Python package: where it is missing we say so
plainly and keep the .docx.  Each conversion gets its own profile directory so that
parallel conversions do not fight over one.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 120
PDFA_PART = 2                       # PDF/A-2b (ISO 19005-2, level B: the look of the page is preserved)
FILTER = "pdf:writer_pdf_Export:" + json.dumps({"SelectPdfVersion": {"type": "long", "value": str(PDFA_PART)}})


class PdfUnavailable(RuntimeError):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdfa_identification(pdf: bytes) -> tuple[int, str] | None:
    """(part, conformance) from a PDF's XMP metadata (`pdfaid:part`, `pdfaid:conformance`,
    as elements or attributes), or None when the file does not claim to be PDF/A."""
    text = pdf.decode("latin-1")
    part = re.search(r"pdfaid:part(?:>|=[\"'])\s*(\d)", text)
    if part is None:
        return None
    conformance = re.search(r"pdfaid:conformance(?:>|=[\"'])\s*([ABUabu])", text)
    return int(part.group(1)), (conformance.group(1).upper() if conformance else "")


def pdfa_bytes(docx: bytes, name: str = "документ", timeout: int = TIMEOUT) -> bytes:
    """The PDF/A copy of a .docx given as bytes (documents filed to any storage)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{_stem(name)}.docx"
        source.write_bytes(docx)
        return _convert(source, Path(tmp), timeout).read_bytes()


def to_pdf(docx: Path, timeout: int = TIMEOUT) -> Path:
    """The PDF/A copy of a .docx on disk, written beside it (replacing an older copy whole)."""
    docx = Path(docx)
    with tempfile.TemporaryDirectory() as tmp:
        produced = _convert(docx, Path(tmp), timeout)
        target = docx.with_suffix(".pdf")
        tmp_target = target.with_name("." + target.name + ".part")
        shutil.copyfile(produced, tmp_target)
        tmp_target.replace(target)
    return target


def _convert(docx: Path, workdir: Path, timeout: int) -> Path:
    exe = soffice()
    if exe is None:
        raise PdfUnavailable("LibreOffice не установлен (нужна программа soffice); документ .docx сохранён.")
    profile = workdir / "profile"
    out = workdir / "out"
    cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", FILTER, "--outdir", str(out), str(docx)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise PdfUnavailable(f"LibreOffice не успел за {timeout} с; документ .docx сохранён.")
    produced = out / (docx.stem + ".pdf")
    if proc.returncode != 0 or not produced.exists():
        raise PdfUnavailable(f"LibreOffice не смог преобразовать документ ({proc.stderr.strip()[:200]}).")
    found = pdfa_identification(produced.read_bytes())
    if found is None or found[0] != PDFA_PART:
        raise PdfUnavailable("LibreOffice сделал обычный PDF, а не PDF/A для архива (нужна версия 7.4 или новее); "
                             "документ .docx сохранён.")
    return produced


def _stem(name: str) -> str:
    stem = Path(name).stem if name.lower().endswith(".docx") else name
    return re.sub(r'[\x00-\x1f/\\:*?"<>|]+', " ", stem).strip() or "документ"
