"""The document templates: they compile, use only documented data that the context
builders really provide, keep every Jinja tag in one run, and follow the page rules.
The wording of rendered documents is tested elsewhere; here one smoke render each."""
from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Mm, Pt
from lxml import etree

from service.demo_data import write_samples
from service.pipeline import check
from service.render.contexts import (
    annual_report_context, attestation_context, cyclogram_context, data_bank_context, needs_context, order_context,
    portfolio_context, practices_context, protocol_context, registration_context, self_assessment_context,
    work_plan_context, young_specialists_context,
)
from service.render.docx import CompiledTemplate
from service.render.environment import make_environment
from service.schema.cells import SchoolYear
from service.sources.workbook_file import WorkbookFileSource

TEMPLATES = Path(__file__).resolve().parents[2] / "doc_templates"
README = TEMPLATES / "README.md"
AS_OF = dt.date(2025, 9, 1)
YEAR_DOCUMENTS = {"data_bank.docx": data_bank_context, "attestation_schedule.docx": attestation_context,
                  "cyclogram.docx": cyclogram_context, "young_specialists_plan.docx": young_specialists_context,
                  "needs.docx": needs_context, "portfolio.docx": portfolio_context,
                  "self_assessment.docx": self_assessment_context, "practices.docx": practices_context}
NAMES = ["protocol.docx", "registration_sheet.docx", "order.docx", "work_plan.docx", "annual_report.docx",
         *YEAR_DOCUMENTS]
FAST = [n for n in NAMES if n != "annual_report.docx"]   # the annual report adds images: docxtpl's slow path
LANDSCAPE = {"data_bank.docx", "attestation_schedule.docx", "cyclogram.docx", "practices.docx"}
CHARTS = {"chart_categories", "chart_experience", "chart_attendance"}

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAG = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
DELIMITER = re.compile(r"{[{%#]|[}%#]}")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workbooks")
    paths = {p.name: p for p in write_samples(folder, SchoolYear(2024))}
    report = check(WorkbookFileSource(paths["mmo-matematika-zdvinsk.xlsx"]), as_of=AS_OF)
    assert not report.has_errors
    return report


def build_context(report, name: str, warnings=()) -> dict:
    warnings = list(warnings)
    if name == "protocol.docx":
        return protocol_context(report, 1, AS_OF, warnings)
    if name == "registration_sheet.docx":
        return registration_context(report, AS_OF, meeting=1, warnings=warnings)
    if name == "order.docx":
        return order_context(report, AS_OF, warnings=warnings)
    if name == "work_plan.docx":
        return work_plan_context(report, AS_OF, warnings)
    if name in YEAR_DOCUMENTS:
        return YEAR_DOCUMENTS[name](report, AS_OF, warnings=warnings)
    return {**annual_report_context(report, AS_OF, warnings), **{c: None for c in CHARTS}}


def documented() -> dict[str, set[str]]:
    """Top-level variables per template from doc_templates/README.md: `- `name` — …` lines
    under «### Общие для всех шаблонов» (all templates) and «### `file.docx`»."""
    text = README.read_text(encoding="utf-8").split("\n## Данные шаблонов\n", 1)[1]
    sections, current = {}, None
    for line in text.splitlines():
        if line.startswith("## "):
            break
        if line.startswith("### "):
            current = line[4:].strip().strip("`")
            sections[current] = set()
        elif current is not None and (m := re.match(r"- `(\w+)`", line)):
            sections[current].add(m.group(1))
    common = sections.pop("Общие для всех шаблонов")
    return {name: common | names for name, names in sections.items()}


@pytest.fixture(scope="module", params=NAMES)
def name(request):
    return request.param


@pytest.fixture(scope="module")
def compiled(name):
    return CompiledTemplate(TEMPLATES / name, name=name)


# --- data -------------------------------------------------------------------------

def test_readme_documents_each_template():
    assert sorted(documented()) == sorted(NAMES)


def test_readme_lists_exactly_what_the_builder_returns(report, name):
    provided = set(build_context(report, name))
    assert documented()[name] == provided


def test_template_uses_only_documented_and_provided_data(report, name, compiled):
    context = build_context(report, name)
    assert compiled.variables, "a template without fields"
    assert compiled.variables <= documented()[name], compiled.variables - documented()[name]
    assert compiled.variables <= set(context), compiled.variables - set(context)
    assert compiled.missing(context) == []
    assert "warnings" in compiled.variables
    if name == "annual_report.docx":
        assert CHARTS <= compiled.variables


# --- one tag, one run -------------------------------------------------------------

def _parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
        return {n: etree.fromstring(zf.read(n)) for n in names}


def test_every_tag_sits_in_one_run(name):
    tags = 0
    for part, root in _parts(TEMPLATES / name).items():
        for t in root.iter(W + "t"):
            text = t.text or ""
            opened = 0
            for m in DELIMITER.finditer(text):
                opened += 1 if m.group().startswith("{") else -1
                assert opened in (0, 1), f"{part}: {text!r}"
            assert opened == 0, f"{part}: a tag is split across runs: {text!r}"
        for p in root.iter(W + "p"):
            pieces = [t.text or "" for t in p.iter(W + "t")]
            whole = "".join(pieces)
            assert TAG.findall(whole) == [tag for piece in pieces for tag in TAG.findall(piece)], whole
            tags += len(TAG.findall(whole))
    assert tags > 10


def test_paragraph_and_row_tags_stand_alone(name):
    root = _parts(TEMPLATES / name)["word/document.xml"]
    for p in root.iter(W + "p"):
        text = "".join(t.text or "" for t in p.iter(W + "t"))
        if "{%p " in text:
            assert re.fullmatch(r"{%p [^%]*%}", text.strip()), text
    for tr in root.iter(W + "tr"):
        text = "".join(t.text or "" for t in tr.iter(W + "t"))
        if "{%tr " in text:
            assert re.fullmatch(r"{%tr [^%]*%}", text.strip()), text
    body = "".join(t.text or "" for t in root.iter(W + "t"))
    # the forced-output warning comes first
    assert body.startswith("{%p if warnings %}ВНИМАНИЕ: документ сформирован с нарушениями:{%p for w in warnings %}")


# --- page and fonts ---------------------------------------------------------------

def _close(length, expected, tolerance=Mm(0.1)) -> bool:
    return abs(length - expected) <= tolerance


def _effective(style, attr):
    while style is not None:
        value = getattr(style.font, attr)
        if value is not None:
            return value
        style = style.base_style
    return None


def test_page_margins_font_and_spacing(name):
    doc = docx.Document(TEMPLATES / name)
    width, height = (Mm(297), Mm(210)) if name in LANDSCAPE else (Mm(210), Mm(297))
    for section in doc.sections:
        assert _close(section.page_width, width) and _close(section.page_height, height)
        assert section.orientation == (WD_ORIENT.LANDSCAPE if name in LANDSCAPE else WD_ORIENT.PORTRAIT)
        assert _close(section.left_margin, Mm(30)) and _close(section.right_margin, Mm(15))
        assert _close(section.top_margin, Mm(20)) and _close(section.bottom_margin, Mm(20))
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    assert normal.paragraph_format.line_spacing == 1.0
    fonts = doc.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert {fonts.get(W + a) for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Times New Roman"}
    text = doc.styles["МО: текст"]
    assert _close(text.paragraph_format.first_line_indent, Cm(1.25))
    in_tables = set()
    for table in doc.tables:
        bordered = table.style is not None and table.style.name == "Table Grid"
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    size = _effective(p.style, "size")
                    assert size == Pt(12 if bordered else 14), (name, p.style.name, p.text)
                    in_tables.add(id(p._p))
    for p in doc.paragraphs:
        assert _effective(p.style, "size") == Pt(14), (p.style.name, p.text)
    for p in doc.element.body.iter(W + "p"):
        for run in p.iter(W + "r"):
            rpr = run.find(W + "rPr")
            if rpr is not None:                     # no direct font or size changes: styles decide
                assert rpr.find(W + "rFonts") is None and rpr.find(W + "sz") is None
        spacing = p.find(f"{W}pPr/{W}spacing")
        assert spacing is None or spacing.get(W + "line") in (None, "240")
    for style in doc.styles:
        if style.type == 1 and style.name.startswith("МО:"):
            assert _effective(style, "name") == "Times New Roman"
            assert style.paragraph_format.line_spacing in (None, 1.0)


# --- smoke renders ----------------------------------------------------------------

@pytest.mark.parametrize("fast", FAST)
def test_fast_path_renders_a_document_word_can_open(report, fast):
    compiled = CompiledTemplate(TEMPLATES / fast, name=fast)
    data = compiled.render(build_context(report, fast, warnings=["Книга «Состав» <проверка> & ошибка"]))
    doc = docx.Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "ВНИМАНИЕ: документ сформирован с нарушениями:"
    assert texts[1] == "– Книга «Состав» <проверка> & ошибка"
    assert "{{" not in "".join(texts) and "{%" not in "".join(texts)
    clean = docx.Document(io.BytesIO(compiled.render(build_context(report, fast))))
    assert not any("ВНИМАНИЕ" in p.text for p in clean.paragraphs)


def test_annual_report_renders_with_charts(report):
    from service.render.numbering import pictures

    context = annual_report_context(report, AS_OF)
    compiled = CompiledTemplate(TEMPLATES / "annual_report.docx")
    charts = pictures(context["figures"])
    data = compiled.render(context, pictures=charts)
    doc = docx.Document(io.BytesIO(data))
    assert len(doc.inline_shapes) == 3
    for shape, name in zip(doc.inline_shapes, ("chart_categories", "chart_experience", "chart_attendance")):
        assert abs(shape.width - Mm(150)) < Mm(0.1)          # the page's text width, the chart's own proportions
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        assert doc.part.related_parts[blip.embed].blob == charts[name].png
    captions = [p.text for p in doc.paragraphs if p.style.name == "МО: подпись рисунка"]
    assert captions == ["Рисунок 1 – Квалификационные категории педагогов", "Рисунок 2 – Педагогический стаж",
                        "Рисунок 3 – Посещаемость заседаний"]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert len(names) == len(set(names))                  # no part written twice
        assert sorted(n for n in names if n.startswith("word/media/")) == [
            "word/media/mo-picture-1.png", "word/media/mo-picture-2.png", "word/media/mo-picture-3.png"]
        assert b'Extension="png"' in zf.read("[Content_Types].xml")
        ids = [e.get("id") for e in etree.fromstring(zf.read("word/document.xml")).iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
        assert len(ids) == len(set(ids)) == 3
    assert compiled.render(context, pictures=charts) == data  # the same charts: the same bytes, nothing refiled
    # and a report without charts
    plain = docx.Document(io.BytesIO(compiled.render(context, pictures={c: None for c in CHARTS})))
    assert len(plain.inline_shapes) == 0


# --- the generator ----------------------------------------------------------------

def test_templates_are_what_the_generator_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("build_templates", TEMPLATES / "build_templates.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module                 # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    for path in module.build(tmp_path):
        assert path.read_bytes() == (TEMPLATES / path.name).read_bytes(), \
            f"{path.name} differs: run `.venv/bin/python doc_templates/build_templates.py`"
