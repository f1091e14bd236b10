"""Each document kind the regulations require, for a 500-member workbook, against a
protocol of the same workbook, per page: (its time ÷ its pages) ÷ (the protocol's time ÷
the protocol's pages).  Target: at most 2× — a long document may take longer, not longer
per page than the document heads make most often.

Timed: building the document's data from the checked workbook and rendering it to bytes
(the check itself is the «validate» benchmark; filing is the same for every kind).
Pages: LibreOffice prints each document once to PDF (not timed) and pdfinfo counts them;
the .xlsx data bank as its print setup lays it out (landscape, one page wide).
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.harness import Result, Timing, measure
from bench.validate_workbook import big_workbook
from service.documents import Generator, Request
from service.pdf import to_pdf
from service.pipeline import check
from service.sources.workbook_file import WorkbookFileSource
from tests.factories import association

TARGET = 2.0
AS_OF = dt.date(2025, 9, 1)
KINDS = [("data-bank", "xlsx"), ("data-bank", "docx"), ("attestation-schedule", "docx"), ("cyclogram", "docx"),
         ("young-specialists-plan", "docx"), ("needs", "docx"), ("portfolio", "docx"), ("self-assessment", "docx"),
         ("practices", "docx")]
HELP = ["консультация", "семинар", "мастер-класс", "наставничество", "курсы повышения квалификации"]
NEEDS = ["Подготовка обучающихся к ОГЭ", "Функциональная грамотность", "Работа с одарёнными детьми",
         "Цифровые образовательные ресурсы", "Проектная деятельность", "Смысловое чтение"]


def workbook(path: Path) -> Path:
    """The validate benchmark's 500 members and 40 meetings, with what the new documents
    read: needs of 200 teachers, 60 practices and 140 other achievements, newcomers and
    young specialists with plan items for them, categories granted before and after 2023."""
    path = big_workbook(path)
    import openpyxl

    book = association("zdvinsky-mmo", size=500)
    names = [m["ФИО"] for m in book.members]
    wb = openpyxl.load_workbook(path)
    members = wb["Состав"]
    headers = [c.value for c in members[1]]
    col = {h: headers.index(h) + 1 for h in headers}
    for i, row in enumerate(members.iter_rows(min_row=2), start=0):
        if i % 7 == 0:
            row[col["Дата присвоения категории"] - 1].value = dt.date(2019 + i % 5, 3, 15)
        if i % 11 == 0:
            row[col["Педагогический стаж"] - 1].value = 1
        if i % 13 == 0:
            row[col["Дата включения"] - 1].value = dt.date(2024, 9, 2 + i % 5)     # after the composition
        row[col["Звания, награды"] - 1].value = "Почётный работник образования" if i % 9 == 0 else None
        row[col["Авторские разработки"] - 1].value = f"Программа кружка №{i}" if i % 6 == 0 else None
    plan = wb["План"]
    plan_headers = [c.value for c in plan[1]]
    for row in plan.iter_rows(min_row=2):
        n = row[0].value
        row[plan_headers.index("Срок")].value = ["сентябрь", "октябрь–ноябрь", "январь", "в течение года",
                                                 dt.date(2025, 3, 14)][n % 5]
        row[plan_headers.index("Для кого")].value = "молодые специалисты" if n % 4 == 0 else "все"
    achievements = wb["Достижения"]
    for i in range(200):
        kind = "практика" if i % 10 < 3 else ["конкурс", "публикация", "награда", "выступление"][i % 4]
        achievements.append([names[(i * 7) % 500], kind, f"Достижение {i}", ["муниципальный", "региональный",
                             "всероссийский"][i % 3], "призёр", dt.date(2025, 1 + i % 5, 10),
                             f"https://nsportal.ru/practice-{i}" if kind == "практика" else None])
    needs = wb["Потребности"]
    needs.delete_rows(2, needs.max_row)
    for i in range(200):
        needs.append([names[(i * 3) % 500], NEEDS[i % len(NEEDS)], HELP[i % len(HELP)], "в течение года"])
    wb.save(path)
    return path


def pages(data: bytes, suffix: str, folder: Path) -> int:
    path = folder / f"document{suffix}"
    path.write_bytes(data)
    pdf = to_pdf(path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def run() -> list[Result]:
    if not shutil.which("pdfinfo"):
        raise RuntimeError("render_kinds needs pdfinfo (poppler-utils) and LibreOffice to count pages: "
                           "scripts/system-deps.sh installs them")
    generator = Generator()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report = check(WorkbookFileSource(workbook(folder / "big.xlsx")), as_of=AS_OF)
        assert len(report.data.members) == 500 and len(report.data.needs) == 200
        assert not report.has_errors, report.findings[:3]

        def make(kind: str, fmt: str, **request) -> bytes:
            ctx, _, _ = generator.context(report, Request(kind, format=fmt, **request), AS_OF, [])
            return generator.render(kind, ctx, fmt)

        protocol = measure(lambda: make("protocol", "docx", meeting=1))
        protocol_pages = pages(make("protocol", "docx", meeting=1), ".docx", folder)
        per_page = Timing(protocol.best / protocol_pages, protocol.median / protocol_pages, protocol.runs)
        results = []
        for kind, fmt in KINDS:
            timing = measure(lambda: make(kind, fmt))
            n = pages(make(kind, fmt), f".{fmt}", folder)
            ours = Timing(timing.best / n, timing.median / n, timing.runs)
            ratio = ours.best / per_page.best
            results.append(Result(
                name=f"kind {kind}" + (f" .{fmt}" if kind == "data-bank" else ""),
                what=f"`{kind}` of a 500-member workbook, per page ({n} pages)",
                ours=ours, baseline=per_page,
                baseline_what=f"a protocol of the same workbook, per page ({protocol_pages} pages)",
                target=f"≤ {TARGET}×", ok=ratio <= TARGET,
                notes=f"{timing.best * 1000:.0f} ms for {n} pages; the protocol {protocol.best * 1000:.0f} ms for "
                      f"{protocol_pages}"))
    return results
