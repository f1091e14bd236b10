"""Workbooks in every format teachers have: an .xlsx written by openpyxl, converted by
LibreOffice Calc (headless) to .ods and .xls as LibreOffice, МойОфис or an old Excel
would save them.  Conversions are batched (one soffice run per format) and cached for
the session; where Calc is not installed the tests skip with the reason (and fail
under CI=true: mark them `system("libreoffice-calc")`)."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

FORMATS = ["xlsx", "ods", "xls"]
FILTERS = {"ods": "ods:calc8", "xls": "xls:MS Excel 97"}
SYSTEM = pytest.mark.system("libreoffice-calc")


class Converter:
    def __init__(self, root: Path):
        self.root = root
        self.done: dict[tuple[str, str], Path] = {}

    def convert(self, sources: list[Path], fmt: str) -> list[Path]:
        """`sources` (.xlsx files) as `fmt` files, in the same order."""
        if fmt == "xlsx":
            return list(sources)
        keys = [(hashlib.sha256(p.read_bytes()).hexdigest(), fmt) for p in sources]
        todo = [(k, p) for k, p in zip(keys, sources) if k not in self.done]
        if todo:
            exe = shutil.which("soffice") or shutil.which("libreoffice")
            if exe is None:
                pytest.skip("LibreOffice (soffice) is not installed: cannot make .ods/.xls test workbooks")
            batch = self.root / f"batch-{len(self.done)}"
            inputs = batch / "in"
            inputs.mkdir(parents=True)
            named = []
            for i, (key, p) in enumerate(todo):
                copy = inputs / f"b{i:03d}.xlsx"
                shutil.copyfile(p, copy)
                named.append((key, copy))
            out = batch / "out"
            proc = subprocess.run([exe, f"-env:UserInstallation=file://{self.root / 'profile'}", "--headless",
                                   "--norestore", "--convert-to", FILTERS[fmt], "--outdir", str(out),
                                   *[str(c) for _, c in named]],
                                  capture_output=True, text=True, timeout=300)
            for key, copy in named:
                produced = out / f"{copy.stem}.{fmt}"
                if not produced.exists():
                    pytest.skip(f"LibreOffice Calc could not convert to .{fmt} (is libreoffice-calc installed?): "
                                f"{proc.stderr.strip()[-300:]}")
                self.done[key] = produced
        return [self.done[k] for k in keys]


@pytest.fixture(scope="session")
def converter(tmp_path_factory) -> Converter:
    return Converter(tmp_path_factory.mktemp("formats"))
