"""Pictures for the README: the first page of a generated protocol, order, work plan and
annual report of the clean demo association (LibreOffice + pdftoppm).  `make images`;
the web dashboard screenshot is added by the browser test."""
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
AS_OF = dt.date(2025, 9, 1)
PICTURES = {
    "protocol": Request("protocol", meeting=1),
    "order": Request("order", order_number="45-ОД", order_date=dt.date(2024, 9, 26)),
    "work_plan": Request("work-plan"),
    "annual_report": Request("annual-report"),
}


def main() -> int:
    if not shutil.which("pdftoppm"):
        print("pdftoppm is missing (apt-get install poppler-utils)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = write_samples(tmp / "wb", SchoolYear(2024))
        report = check(WorkbookFileSource(paths[0]), as_of=AS_OF)
        generator = Generator()
        for name, request in PICTURES.items():
            outcome = generator.generate(report, request, LocalFiler(tmp / "out"), today=AS_OF)
            pdf = to_pdf(Path(outcome.filed.location))
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                            str(IMG / name)], check=True)
            print(IMG / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
