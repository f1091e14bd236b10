"""PDF copies through LibreOffice, when it is installed.

LibreOffice is a system program, not a Python package: where it is missing we say
so plainly and keep the .docx.  Each conversion gets its own profile directory so
that parallel conversions do not fight over one.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 120


class PdfUnavailable(RuntimeError):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: Path, timeout: int = TIMEOUT) -> Path:
    exe = soffice()
    if exe is None:
        raise PdfUnavailable("LibreOffice не установлен (нужна программа soffice); документ .docx сохранён.")
    docx = Path(docx)
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", tmp, str(docx)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"LibreOffice не успел за {timeout} с; документ .docx сохранён.")
        produced = Path(tmp) / (docx.stem + ".pdf")
        if proc.returncode != 0 or not produced.exists():
            raise PdfUnavailable(f"LibreOffice не смог преобразовать документ ({proc.stderr.strip()[:200]}).")
        target = docx.with_suffix(".pdf")
        tmp_target = target.with_name("." + target.name + ".part")
        shutil.copyfile(produced, tmp_target)
        tmp_target.replace(target)
    return target
