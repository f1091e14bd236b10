"""Pictures for the README: the first page of a generated protocol (LibreOffice +
pdftoppm).  `make images`; the web dashboard screenshot is added by the browser test."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from service.demo_data import write_samples
from service.documents import Generator, Request
from service.filing.local import LocalFiler
from service.pdf import to_pdf
from service.pipeline import check
from service.schema.cells import SchoolYear
from service.sources.workbook_file import WorkbookFileSource

IMG = Path(__file__).resolve().parents[1] / "docs" / "img"


def main() -> int:
    if not shutil.which("pdftoppm"):
        print("pdftoppm is missing (apt-get install poppler-utils)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = write_samples(tmp / "wb", SchoolYear(2024))
        report = check(WorkbookFileSource(paths[0]), as_of=dt.date(2025, 9, 1))
        outcome = Generator().generate(report, Request("protocol", meeting=1), LocalFiler(tmp / "out"),
                                       today=dt.date(2025, 9, 1))
        pdf = to_pdf(Path(outcome.filed.location))
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(IMG / "protocol")], check=True)
    print(IMG / "protocol.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
