"""Writes the document templates of mo-docs as real .docx files.

    .venv/bin/python doc_templates/build_templates.py [OUT_DIR]

The templates are ordinary Word documents that a head may open and edit in Word or
LibreOffice; this script only makes the first version reproducible.  Rules kept here
(and checked by tests/render/test_templates.py):

* every Jinja tag lives inside ONE run (`_run` refuses a run with half a tag);
* `{%p … %}` tags stand alone in their paragraph, `{%tr … %}` tags alone in their row;
* A4, margins 30/15/20/20 mm, Times New Roman 14 pt (12 pt in tables), single spacing,
  first-line indent 1.25 cm for body text; landscape for documents that are one wide table
  (the cyclogram, the data bank, the attestation plan, the bank of practices);
* requisites after ГОСТ Р 7.0.97-2025: organisation, document type, date and number on one
  line, place of compilation, heading, text, signature, approval stamp, annex mark.

Formatting lives in named paragraph styles («МО: текст», «МО: таблица», …) so that a head
changes the look of a whole document in one place.  The output is byte-for-byte
reproducible (fixed zip timestamps and core properties), so rerunning the script does not
produce a diff unless the templates really changed.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent

FONT = "Times New Roman"
TEXT_PT = 14
TABLE_PT = 12
INDENT = Cm(1.25)
TEXT_WIDTH_MM = 210 - 30 - 15                  # 165 mm between the margins
LANDSCAPE_WIDTH_MM = 297 - 30 - 15             # 252 mm on a landscape page (wide tables)
RED = RGBColor(0xC0, 0x00, 0x00)
FIXED_TIME = dt.datetime(2025, 9, 1, 0, 0, 0)

# Blanks for what is filled in by hand.
BLANK_DATE = "«___» ____________ 20__ г."
BLANK_SIGN = "________"
BLANK_NAME = "____________"

# styleId -> (name shown in Word, options)
STYLES = {
    "MOText": ("МО: текст", dict(align="both", first=INDENT)),
    "MOPlain": ("МО: строка", dict(align="left")),
    "MOItem": ("МО: перечень", dict(align="left", first=INDENT)),
    "MOCenter": ("МО: по центру", dict(align="center")),
    "MOOrg": ("МО: организация", dict(align="center", bold=True)),
    "MOType": ("МО: вид документа", dict(align="center", bold=True, before=12)),
    "MODateLine": ("МО: дата и номер", dict(align="left", before=12, tab=True)),
    "MOHeading": ("МО: заголовок", dict(align="center", bold=True, before=12, after=12)),
    "MOSection": ("МО: раздел", dict(align="left", bold=True, first=INDENT, before=12, after=6, keep=True)),
    "MOList": ("МО: пункт", dict(align="both", first=INDENT, numbered=True)),
    "MOStamp": ("МО: гриф", dict(align="left", left=Cm(9))),
    "MOSign": ("МО: подпись", dict(align="left")),
    "MOTable": ("МО: таблица", dict(align="left", size=TABLE_PT)),
    "MOTableHead": ("МО: таблица, шапка", dict(align="center", size=TABLE_PT, bold=True)),
    "MOWarning": ("МО: внимание", dict(align="left", bold=True, color=RED)),
    "MOWarningItem": ("МО: внимание, пункт", dict(align="left", color=RED)),
    "MOPicture": ("МО: рисунок", dict(align="center", before=6, keep=True)),
    "MOTableCaption": ("МО: название таблицы", dict(align="left", before=12, after=6, keep=True)),
    "MOFigureCaption": ("МО: подпись рисунка", dict(align="center", after=12)),
}
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "both": WD_ALIGN_PARAGRAPH.JUSTIFY}
NUM_ID = "90"                                   # the «МО: пункт» list (1. 2. 3. …)

_TAG = re.compile(r"{[{%#]|[}%#]}")


# --- the document skeleton ---------------------------------------------------------

def _set_fonts(rpr) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _defaults(doc) -> None:
    """Document defaults: Times New Roman 14, Russian, single spacing, no paragraph gaps."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(TEXT_PT * 2))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "ru-RU")
    lang.set(qn("w:eastAsia"), "ru-RU")
    spacing = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    _set_fonts(normal.element.get_or_add_rPr())
    normal.font.size = Pt(TEXT_PT)
    pf = normal.paragraph_format
    pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(0), 1.0
    pf.widow_control = True


def _numbering(doc) -> None:
    """One decimal list «1.» with the number at the paragraph indent, then a space."""
    numbering = doc.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), NUM_ID)
    for tag, val in (("w:nsid", "4D4F0001"), ("w:multiLevelType", "singleLevel")):
        el = OxmlElement(tag)
        el.set(qn("w:val"), val)
        abstract.append(el)
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    for tag, val in (("w:start", "1"), ("w:numFmt", "decimal"), ("w:suff", "space"),
                     ("w:lvlText", "%1."), ("w:lvlJc", "left")):
        el = OxmlElement(tag)
        el.set(qn("w:val"), val)
        lvl.append(el)
    ppr = OxmlElement("w:pPr")
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), "0")
    ind.set(qn("w:firstLine"), str(INDENT.twips))
    ppr.append(ind)
    lvl.append(ppr)
    abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), NUM_ID)
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), NUM_ID)
    num.append(ref)
    numbering.append(num)


def _styles(doc, width_mm: int = TEXT_WIDTH_MM) -> None:
    for style_id, (name, o) in STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id)
        style.base_style = doc.styles["Normal"]
        style.quick_style = True
        style.hidden = False
        pf = style.paragraph_format
        pf.alignment = ALIGN[o.get("align", "left")]
        pf.first_line_indent = o.get("first", Cm(0))
        pf.left_indent = o.get("left", Cm(0))
        pf.space_before = Pt(o.get("before", 0))
        pf.space_after = Pt(o.get("after", 0))
        pf.line_spacing = 1.0
        if o.get("keep"):
            pf.keep_with_next = True
        if o.get("tab"):
            pf.tab_stops.add_tab_stop(Mm(width_mm), WD_TAB_ALIGNMENT.RIGHT)
        font = style.font
        font.name = FONT
        font.size = Pt(o.get("size", TEXT_PT))
        font.bold = o.get("bold", False)
        if o.get("color"):
            font.color.rgb = o["color"]
        if o.get("numbered"):
            style.element.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = int(NUM_ID)
    next_styles = {"MOText": "MOText", "MOList": "MOList", "MOSection": "MOText"}
    for sid, nxt in next_styles.items():
        doc.styles[STYLES[sid][0]].next_paragraph_style = doc.styles[STYLES[nxt][0]]


def _page(doc, landscape: bool = False) -> None:
    """A4, portrait, or landscape for documents that are one wide table (a cyclogram)."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    # ГОСТ Р 7.0.97: page numbers centred in the top margin, none on the first page.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    p = section.header.paragraphs[0]
    p.style = doc.styles["Header"]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(TABLE_PT * 2))
    rpr.append(sz)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = "2"
    run.append(t)
    field.append(run)
    p._p.append(field)


@dataclass
class Run:
    text: str
    bold: bool = False


class Kept(list):
    """A table row whose paragraphs keep with the next one."""


def _check_run(text: str) -> None:
    """A run holds whole tags only: every opening has its closing within the run."""
    depth = 0
    for m in _TAG.finditer(text):
        depth += 1 if m.group().startswith("{") else -1
        if depth not in (0, 1):
            raise ValueError(f"unbalanced tag in run: {text!r}")
    if depth:
        raise ValueError(f"tag split across runs: {text!r}")


class Template:
    def __init__(self, title: str, landscape: bool = False):
        self.width = LANDSCAPE_WIDTH_MM if landscape else TEXT_WIDTH_MM
        self.doc = Document()
        _defaults(self.doc)
        _numbering(self.doc)
        _styles(self.doc, self.width)
        _page(self.doc, landscape)
        props = self.doc.core_properties
        props.title, props.author, props.last_modified_by = title, "mo-docs", "mo-docs"
        props.language, props.revision = "ru-RU", 1
        props.created = props.modified = FIXED_TIME
        props.comments = "Шаблон mo-docs. Как редактировать: doc_templates/README.md"

    # paragraphs ------------------------------------------------------------------
    def p(self, *runs: str | Run, style: str = "MOText", container=None, **fmt):
        para = (container or self.doc).add_paragraph()
        para.style = self.doc.styles[STYLES[style][0]]
        for r in runs:
            r = r if isinstance(r, Run) else Run(r)
            if r.text == "\t":
                para.add_run().add_tab()
                continue
            _check_run(r.text)
            run = para.add_run(r.text)
            if r.bold:
                run.bold = True
        pf = para.paragraph_format
        if "align" in fmt:
            pf.alignment = ALIGN[fmt["align"]]
        if "before" in fmt:
            pf.space_before = Pt(fmt["before"])
        if fmt.get("page_break"):
            pf.page_break_before = True
        if fmt.get("keep"):
            pf.keep_with_next = True
        return para

    def tag(self, tag: str, container=None):
        """A `{%p … %}` tag alone in its paragraph (the whole paragraph is replaced)."""
        assert tag.startswith("{%p ") and tag.endswith("%}"), tag
        return self.p(tag, style="MOPlain", container=container)

    def blank(self):
        return self.p("", style="MOPlain")

    # requisites ------------------------------------------------------------------
    def warnings(self):
        self.tag("{%p if warnings %}")
        self.p("ВНИМАНИЕ: документ сформирован с нарушениями:", style="MOWarning")
        self.tag("{%p for w in warnings %}")
        self.p("– ", "{{ w }}", style="MOWarningItem")
        self.tag("{%p endfor %}")
        self.p("", style="MOPlain")
        self.tag("{%p endif %}")

    def head_block(self, org: str, kind: str, date: str | None, number: str | None, place: str,
                   heading: list[str | Run]):
        """Organisation, document type, date and number on one line, place, heading.  A plan
        has neither (its approval stamp carries the date); a report has a date only."""
        self.p(org, style="MOOrg")
        self.p(kind, style="MOType")
        if date is not None and number is not None:
            self.p(date, "\t", "№ ", number, style="MODateLine")
        elif date is not None:
            self.p(date, style="MOCenter")
        self.p(place, style="MOCenter")
        self.p(*heading, style="MOHeading")

    def stamps(self):
        """Approval marks, upper part of the first page, in a borderless table: on the left
        «РАССМОТРЕН на заседании … (протокол от … № …)», on the right the stamp —
        «УТВЕРЖДАЮ»/«СОГЛАСОВАНО» with position, signature, name and date, or «УТВЕРЖДЁН
        приказом … от … № …».  Context: `considered` and `approval` (either may be empty)."""
        self.tag("{%p if approval or considered %}")
        table = self.doc.add_table(rows=1, cols=2)
        table.autofit = False
        widths = (Mm(self.width - 90), Mm(90))
        _grid(table, widths)
        left, right = table.rows[0].cells
        for cell, width in zip((left, right), widths):
            cell.width = width
        first = True

        def line(cell, *runs):
            nonlocal first
            para = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            para.style = self.doc.styles[STYLES["MOPlain"][0]]
            for text in runs:
                _check_run(text)
                para.add_run(text)

        # Each cell ends with an empty paragraph outside the conditions: a table cell must
        # keep at least one paragraph, or Word reports the file as damaged.
        for text in ("{%p if considered %}", "РАССМОТРЕН", "{{ considered.where }}",
                     "(протокол от {% if considered.date %}{{ considered.date|date }}{% else %}________{% endif %}"
                     " № {% if considered.number %}{{ considered.number }}{% else %}____{% endif %})",
                     "{%p endif %}", ""):
            line(left, text)
        first = True
        for text in ("{%p if approval %}", "{{ approval.title }}", "{%p if approval.act %}", "{{ approval.act }}",
                     "от ________ № ____", "{%p else %}",
                     "{% if approval.position %}" + _cap("approval.position") + "{% else %}"
                     "______________________________{% endif %}",
                     "{%p if approval.person %}", f"{BLANK_SIGN} " + "{{ approval.person.full_name|signature }}",
                     "{%p else %}", f"{BLANK_SIGN} / {BLANK_NAME}", "{%p endif %}", BLANK_DATE,
                     "{%p endif %}", "{%p endif %}", ""):
            line(right, text)
        self.tag("{%p endif %}")
        return table

    def kept_last(self, *runs: str | Run, style: str = "MOText", **fmt):
        """A paragraph repeated by a `{%p for %}` loop whose last instance keeps with the
        next paragraph: the last lines of a text stay on the page with the signature."""
        self.tag("{%p if loop.last %}")
        self.p(*runs, style=style, keep=True, **fmt)
        self.tag("{%p else %}")
        self.p(*runs, style=style, **fmt)
        self.tag("{%p endif %}")

    def signatures(self, rows: list[tuple[str, str]], before: bool = True):
        """Position — a blank for the handwritten signature — «И.О. Фамилия», in a borderless table."""
        if before:
            self.blank().paragraph_format.keep_with_next = True
            self.blank().paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=0, cols=3)
        table.autofit = False
        widths = (Mm(80), Mm(35), Mm(50))
        _grid(table, widths)
        for i, (position, name) in enumerate(rows):
            row = table.add_row()
            _row_flag(row, "w:cantSplit")
            for cell, width, text, align in zip(row.cells, widths, (position, BLANK_SIGN, name),
                                                ("left", "center", "right")):
                cell.width = width
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
                para = cell.paragraphs[0]
                para.style = self.doc.styles[STYLES["MOSign"][0]]
                para.alignment = ALIGN[align]
                if i < len(rows) - 1:
                    para.paragraph_format.keep_with_next = True     # signature rows stay together
                _check_run(text)
                para.add_run(text)
        return table

    # tables ----------------------------------------------------------------------
    def table(self, columns: list[tuple[str, int, str]], rows: list[str | list],
              row_height: float | None = None):
        """A bordered data table, 12 pt.  `columns`: (header, width in mm, alignment);
        `rows`: a string is a `{%tr … %}` tag row, a list is one row of cells (a cell is a
        string, or a list of strings for several paragraphs); a `Kept` row keeps with
        the next paragraph (the last row before a signature)."""
        assert sum(c[1] for c in columns) == self.width, columns
        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        widths = [Mm(c[1]) for c in columns]
        _grid(table, widths)
        header = table.rows[0]
        _row_flag(header, "w:cantSplit")            # schema order: cantSplit before tblHeader
        _row_flag(header, "w:tblHeader")            # repeated on every page
        for cell, (title, width, _) in zip(header.cells, columns):
            cell.width = Mm(width)
            _shade(cell, "E7E6E6")
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            para = cell.paragraphs[0]
            para.style = self.doc.styles[STYLES["MOTableHead"][0]]
            para.add_run(title)
        for spec in rows:
            row = table.add_row()
            _row_flag(row, "w:cantSplit")
            texts = [spec] + [""] * (len(columns) - 1) if isinstance(spec, str) else spec
            if isinstance(spec, str):
                assert spec.startswith("{%tr ") and spec.endswith("%}"), spec
            elif row_height:
                row.height = Cm(row_height)
                row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            assert len(texts) == len(columns), texts
            for cell, text, (_, width, align) in zip(row.cells, texts, columns):
                cell.width = Mm(width)
                for k, piece in enumerate(text if isinstance(text, list) else [text]):
                    para = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                    para.style = self.doc.styles[STYLES["MOTable"][0]]
                    if not isinstance(spec, str):
                        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                        para.alignment = ALIGN[align]
                    if isinstance(spec, Kept):
                        para.paragraph_format.keep_with_next = True
                    if piece:
                        _check_run(piece)
                        para.add_run(piece)
        return table

    def captioned_table(self, name: str, columns: list[tuple[str, int, str]], cells: list):
        """A table the context numbers (`tables.<name>`: number, caption, rows), left out
        with its caption when the context has no rows for it."""
        self.tag("{%p if tables." + name + " %}")
        self.p("{{ tables." + name + ".caption }}", style="MOTableCaption")
        self.table(columns, ["{%tr for r in tables." + name + ".rows %}", cells, "{%tr endfor %}"])
        self.tag("{%p endif %}")

    def captioned_or(self, name: str, columns: list[tuple[str, int, str]], cells: list, otherwise: str):
        """A numbered table, or a sentence saying there is nothing to show."""
        self.tag("{%p if tables." + name + " %}")
        self.captioned_table(name, columns, cells)
        self.tag("{%p else %}")
        self.p(otherwise, style="MOText")
        self.tag("{%p endif %}")

    def figure(self, name: str):
        """A chart (`chart_<name>`, drawn from `figures.<name>`) with its caption under it."""
        self.tag("{%p if chart_" + name + " %}")
        self.p("{{ chart_" + name + " }}", style="MOPicture")
        self.p("{{ figures." + name + ".caption }}", style="MOFigureCaption")
        self.tag("{%p endif %}")

    def save(self, path: Path) -> Path:
        buf = io.BytesIO()
        self.doc.save(buf)
        path.write_bytes(_reproducible(buf.getvalue()))
        return path


def _grid(table, widths) -> None:
    """Column widths in the grid (LibreOffice reads these) and a fixed layout."""
    for col, width in zip(table.columns, widths):
        col.width = width
    table.autofit = False


def _row_flag(row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement(tag)
    tr_pr.append(el)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _reproducible(data: bytes) -> bytes:
    """Same template, same bytes: fixed timestamps, same order of zip entries."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# --- shared fragments --------------------------------------------------------------

BODY = "{{ org.short_name or org.body }}"
CAP = "{{ %s|capfirst }}"                        # first letter up, the rest as typed («МКУО» stays)
PLACE = "{% if org.place %}{{ org.place }}{% else %}______________________{% endif %}"
HEAD_SIGNATURE = ("Руководитель " + BODY,
                  "{% if head %}{{ head.full_name|signature }}{% else %}" + BLANK_NAME + "{% endif %}")


def _last_kept(loop: str, cells: list) -> list:
    """Table rows repeated over `loop` whose last one keeps with the next paragraph (the
    signature comes after it, not alone on a page)."""
    return ["{%tr for " + loop + " %}", "{%tr if loop.last %}", Kept(cells), "{%tr else %}", cells, "{%tr endif %}",
            "{%tr endfor %}"]


ACHIEVEMENTS = ([("Педагог", 30, "left"), ("Достижение", 49, "left"), ("Уровень", 32, "left"),
                 ("Результат", 30, "left"), ("Дата", 24, "center")],
                ["{{ r.full_name|initials }}", "{{ r.kind }}{% if r.kind and r.title %}: {% endif %}{{ r.title }}",
                 "{{ r.level }}", "{{ r.result }}", "{{ r.date|date }}"])
EVENTS = ([("Мероприятие", 70, "left"), ("Форма", 35, "left"), ("Срок", 30, "center"), ("Отметка", 30, "center")],
          ["{{ r.event }}", "{{ r.form }}", "{{ r.due }}", "{{ r.mark }}"])


# A meeting's topic, then its questions numbered; a cell keeps one paragraph even when
# the meeting has neither (a table cell without a paragraph is a damaged file for Word).
TOPIC_AND_QUESTIONS = ["{%p if r.topic %}", "{{ r.topic }}", "{%p endif %}",
                       "{%p for q in r.questions %}", "{{ loop.index }}. {{ q }}", "{%p endfor %}",
                       "{%p if not r.topic and not r.questions %}", "", "{%p endif %}"]


def _cap(expr: str) -> str:
    return CAP % expr


def _or_blank(expr: str, blank: str) -> str:
    return "{% if " + expr + " %}{{ " + expr + " }}{% else %}" + blank + "{% endif %}"


def _date_or_blank(expr: str) -> str:
    return "{% if " + expr + " %}{{ " + expr + "|date }}{% else %}________{% endif %}"


def _aims(t: Template, section: str | None = None):
    """Theme, aim and tasks from «Сведения», each only where it is filled in."""
    if section:
        t.tag("{%p if theme or aim or tasks %}")
        t.p(section, style="MOSection")
    t.tag("{%p if theme %}")
    t.p(Run("Методическая тема: ", bold=True), "«{{ theme }}».", style="MOItem")
    t.tag("{%p endif %}")
    t.tag("{%p if aim %}")
    t.p(Run("Цель: ", bold=True), "{{ aim }}", style="MOItem")
    t.tag("{%p endif %}")
    t.tag("{%p if tasks %}")
    t.p(Run("Задачи:", bold=True), style="MOItem", keep=True)
    t.tag("{%p for task in tasks %}")
    t.p("{{ loop.index }}. {{ task }}", style="MOItem")
    t.tag("{%p endfor %}")
    t.tag("{%p endif %}")
    if section:
        t.tag("{%p endif %}")


# --- the five documents every association keeps --------------------------------------

def protocol() -> Template:
    t = Template("Протокол заседания")
    t.warnings()
    t.head_block("{{ org.name|upper }}", "ПРОТОКОЛ", "{{ meeting.date|date }}", "{{ meeting.number }}",
                 PLACE, ["заседания ", BODY])
    t.tag("{%p if meeting.topic %}")
    t.p("Тема: ", "{{ meeting.topic }}", style="MOPlain")
    t.tag("{%p endif %}")
    t.p("Дата проведения: ", "{{ meeting.date|date_words }}", style="MOPlain")
    t.tag("{%p if meeting.form %}")
    t.p("Форма проведения: ", "{{ meeting.form }}", style="MOPlain")
    t.tag("{%p endif %}")
    t.tag("{%p if meeting.place %}")
    t.p("Место проведения: ", "{{ meeting.place }}", style="MOPlain")
    t.tag("{%p endif %}")
    t.p("Председатель – ", "{{ chair.full_name|signature }}", "{% if chair_role %}, {{ chair_role }}{% endif %}",
        style="MOPlain", before=12)
    t.p("Секретарь – ", "{{ secretary_of_meeting.full_name|signature }}",
        "{% if secretary_role %}, {{ secretary_role }}{% endif %}", style="MOPlain")
    t.p("Присутствовали: ", "{{ present_count|count('человек', 'человека', 'человек') }}",
        "{% if list_attached %} (список прилагается — лист регистрации){% endif %}.",
        style="MOPlain")
    t.tag("{%p if not list_attached %}")
    t.tag("{%p for p in present %}")
    t.p("{{ p.full_name|initials }}"
        "{% if p.position or p.organisation %} – {{ [p.position, p.organisation]|select|join(', ') }}{% endif %}",
        style="MOItem")
    t.tag("{%p endfor %}")
    t.tag("{%p endif %}")
    t.tag("{%p if guests %}")
    t.p("Приглашённые: ", "{{ guests|join(', ') }}", style="MOPlain")
    t.tag("{%p endif %}")
    t.tag("{%p if quorum is not none %}")
    t.tag("{%p if quorum.has %}")
    t.p("Кворум имеется: ", "{{ quorum.present|plural('присутствует', 'присутствуют', 'присутствуют') }}", " ",
        "{{ quorum.present }}", " из ", "{{ quorum.total }}", " ",
        "{{ quorum.total|plural('члена', 'членов', 'членов') }}", ".", style="MOPlain")
    t.tag("{%p else %}")
    t.p(Run("Кворума нет: ", bold=True),
        "{{ quorum.present|plural('присутствует', 'присутствуют', 'присутствуют') }}", " ",
        "{{ quorum.present }}", " из ", "{{ quorum.total }}", " ",
        "{{ quorum.total|plural('члена', 'членов', 'членов') }}", ". Решения неправомочны.", style="MOPlain")
    t.tag("{%p endif %}")
    t.tag("{%p endif %}")

    t.p("ПОВЕСТКА ДНЯ:", style="MOSection")
    t.tag("{%p for item in agenda %}")
    t.p("{{ item.number }}", ". ", "{{ item.question }}", style="MOItem")
    t.tag("{%p endfor %}")

    t.tag("{%p for item in agenda %}")
    t.p(Run("{{ item.number }}", bold=True), Run(". СЛУШАЛИ: ", bold=True),
        "{{ item.heard }}{% if item.heard_comma %},{% endif %}{% if item.heard and item.about %} — {% endif %}"
        "{{ item.about }}", style="MOText", before=12, keep=True)
    t.tag("{%p if item.spoke %}")
    t.p(Run("ВЫСТУПИЛИ: ", bold=True), "{{ item.spoke }}", style="MOText", keep=True)
    t.tag("{%p endif %}")
    t.tag("{%p if item.votes %}")
    t.p(Run("РЕШИЛИ: ", bold=True), "{{ item.decided }}", style="MOText", keep=True)
    t.kept_last("Голосовали: «за» – ", "{{ item.votes.yes }}", ", «против» – ", "{{ item.votes.no }}",
                ", «воздержались» – ", "{{ item.votes.abstained }}", ".", style="MOText")
    t.tag("{%p else %}")
    t.kept_last(Run("РЕШИЛИ: ", bold=True), "{{ item.decided }}", style="MOText")
    t.tag("{%p endif %}")
    t.tag("{%p endfor %}")

    t.signatures([("{{ signatures.chair }}", "{{ chair.full_name|signature }}"),
                  ("{{ signatures.secretary }}", "{{ secretary_of_meeting.full_name|signature }}")])
    return t


def registration_sheet() -> Template:
    t = Template("Лист регистрации")
    t.warnings()
    t.p("{{ org.name|upper }}", style="MOOrg")
    t.p("ЛИСТ РЕГИСТРАЦИИ", style="MOType")
    t.p(PLACE, style="MOCenter")
    t.p("{{ event.title }}", style="MOHeading")
    t.tag("{%p if event.topic %}")
    t.p("Тема: ", "{{ event.topic }}", style="MOPlain")
    t.tag("{%p endif %}")
    t.tag("{%p if event.form %}")
    t.p("Форма проведения: ", "{{ event.form }}", style="MOPlain")
    t.tag("{%p endif %}")
    t.p("Дата проведения: ", "{% if event.date %}{{ event.date|date_words }}{% else %}" + BLANK_DATE + "{% endif %}",
        style="MOPlain")
    t.p("Место проведения: ",
        "{% if event.place %}{{ event.place }}{% else %}________________________________________{% endif %}",
        style="MOPlain")
    t.p("Организатор: ", "{{ organiser }}", style="MOPlain")
    t.blank()
    columns = [("№", 10, "center"), ("Фамилия, имя, отчество", 50, "left"), ("ОО", 40, "left"),
               ("Должность", 35, "left"), ("Подпись", 30, "center")]
    t.table(columns, [
        "{%tr for r in rows %}",
        ["{{ r.number }}", "{{ r.full_name }}", "{{ r.organisation }}", "{{ r.position }}", ""],
        "{%tr endfor %}",
        *_last_kept("n in spare_rows", ["{{ n }}", "", "", "", ""]),
    ], row_height=0.9)
    t.signatures([("Ответственный",
                   "{% if responsible %}{{ responsible.full_name|signature }}{% else %}" + BLANK_NAME + "{% endif %}")])
    return t


def order() -> Template:
    t = Template("Приказ о составе")
    t.warnings()
    order_date = "{% if order.date %}{{ order.date|date }}{% else %}" + BLANK_DATE + "{% endif %}"
    order_number = "{{ order.number or '____' }}"
    t.head_block("{{ org.founder|upper }}", "ПРИКАЗ", order_date, order_number, PLACE,
                 ["{{ order.heading }} ", "{{ org.name_gent }}", " на ", "{{ year }}", " учебный год"])
    t.p("В соответствии с ", "{{ regulation.title_ablt or 'Положением' }}", ", утверждённым ",
        "{% if regulation.approved %}{{ regulation.approved.act }} от "
        + _date_or_blank("regulation.approved.date") + " № "
        + _or_blank("regulation.approved.number", "____")
        + "{% if regulation.approved.note %} ({{ regulation.approved.note }}){% endif %}"
        "{% else %}приказом ______________________ от ________ № ____{% endif %}",
        ", в целях организации методической работы в ", "{{ year }}", " учебном году,", style="MOText")
    t.p(Run("ПРИКАЗЫВАЮ:", bold=True), style="MOPlain", before=6)
    t.p("Утвердить состав ", "{{ org.name_gent }}", " (далее – ", BODY, ") на ", "{{ year }}",
        " учебный год (приложение).", style="MOList")
    t.tag("{%p if direction %}")
    t.p("Определить направлением деятельности ", BODY, " на ", "{{ year }}", " учебный год работу по методической "
        "теме «", _or_blank("direction.theme", "______________________________________________"), "».",
        style="MOList")
    t.tag("{%p endif %}")
    t.tag("{%p if appoint_curator %}")
    t.p("Назначить куратором ", BODY, " ", "{{ curator.full_name|name_case('accs') }}",
        "{% if curator.position %}, {{ curator.position|phrase_case('accs') }}{% endif %}", ".", style="MOList")
    t.tag("{%p endif %}")
    t.tag("{%p for a in appointed %}")
    t.p("Назначить ", "{{ a.as }}", " ", BODY, " ", "{{ a.full_name|name_case('accs') }}",
        "{% if a.position %}, {{ a.position|phrase_case('accs') }}{% endif %}",
        "{% if a.organisation %} {{ a.organisation }}{% endif %}", ".", style="MOList")
    t.tag("{%p endfor %}")
    t.tag("{%p if control %}")
    t.p("Контроль за исполнением приказа возложить на ",
        "{% if control.full_name %}{{ control.full_name|name_case('accs') }}"
        "{% if control.position %}, {{ control.position|phrase_case('accs') }}{% endif %}"
        "{% else %}{{ control.position|phrase_case('accs') }}{% endif %}", ".", style="MOList", keep=True)
    t.tag("{%p else %}")
    t.p("Контроль за исполнением приказа оставляю за собой.", style="MOList", keep=True)
    t.tag("{%p endif %}")
    t.tag("{%p if basis %}")
    t.p("Основание: протокол заседания ", BODY, " от ", _date_or_blank("basis.date"), " № ",
        _or_blank("basis.number", "____"), ".", style="MOPlain", before=12, keep=True)
    t.tag("{%p endif %}")
    t.signatures([("{% if founder_head and founder_head.position %}" + _cap("founder_head.position")
                   + "{% else %}______________________________{% endif %}",
                   "{% if founder_head %}{{ founder_head.full_name|signature }}{% else %}" + BLANK_NAME
                   + "{% endif %}")])

    # Annex: a new page with the annex mark and the list, officers first.
    t.p("Приложение", style="MOStamp", page_break=True)
    t.p("к приказу ", "{{ org.founder_gent }}", style="MOStamp")
    t.p("от ", "{% if order.date %}{{ order.date|date }}{% else %}__________{% endif %}",
        " № ", order_number, style="MOStamp")
    t.p("Состав ", "{{ org.name_gent }}", " на ", "{{ year }}", " учебный год", style="MOHeading")
    columns = [("№", 10, "center"), ("Фамилия, имя, отчество", 50, "left"), ("ОО", 40, "left"),
               ("Должность", 35, "left"), ("Роль", 30, "left")]
    t.table(columns, [
        "{%tr for m in members %}",
        ["{{ m.number }}", "{{ m.full_name }}", "{{ m.organisation }}", "{{ m.position }}", "{{ m.role }}"],
        "{%tr endfor %}",
    ])
    t.blank()
    return t


def work_plan() -> Template:
    t = Template("План работы")
    t.warnings()
    t.stamps()
    t.head_block("{{ org.name|upper }}", "ПЛАН РАБОТЫ", None, None, PLACE, ["на ", "{{ year }}", " учебный год"])
    _aims(t)
    t.tag("{%p if directions %}")
    t.p(Run("Направления работы", bold=True),
        "{% if directions.clause %} ({{ directions.clause }} Положения){% endif %}",
        Run(":", bold=True), style="MOText", keep=True)
    t.tag("{%p for d in directions.points %}")
    t.p("– {{ d }}{% if loop.last %}.{% else %};{% endif %}", style="MOItem")
    t.tag("{%p endfor %}")
    t.tag("{%p endif %}")

    t.p("1. Заседания ", BODY, style="MOSection")
    t.tag("{%p if meetings %}")
    t.table([("№", 10, "center"), ("Дата", 25, "center"), ("Тема и вопросы", 90, "left"),
             ("Ответственные", 40, "left")], [
        "{%tr for r in meetings %}",
        ["{{ r.number }}", "{{ r.date|date }}", TOPIC_AND_QUESTIONS, "{{ r.responsible }}"],
        "{%tr endfor %}",
    ])
    t.tag("{%p else %}")
    t.p("Заседания не запланированы.", style="MOText")
    t.tag("{%p endif %}")

    t.p("2. Методические мероприятия", style="MOSection")
    t.table([("№", 10, "center"), ("Мероприятие", 60, "left"), ("Форма", 30, "left"),
             ("Срок", 30, "center"), ("Ответственный", 35, "left")],
            _last_kept("i in items", ["{{ i.number }}", "{{ i.event }}", "{{ i.form }}", "{{ i.due }}",
                                      "{{ i.responsible }}"]))
    t.signatures([HEAD_SIGNATURE])
    return t


def _list_section(t: Template, title: str, items: str, empty: str | None = None):
    t.tag("{%p if " + items + " %}")
    t.p(title, style="MOText", keep=True)
    t.tag("{%p for x in " + items + " %}")
    t.kept_last("{{ loop.index }}. {{ x }}", style="MOItem")
    t.tag("{%p endfor %}")
    if empty:
        t.tag("{%p else %}")
        t.p(empty, style="MOText")
    t.tag("{%p endif %}")


def annual_report() -> Template:
    t = Template("Анализ работы за учебный год")
    t.warnings()
    t.stamps()
    t.head_block("{{ org.name|upper }}", "АНАЛИЗ РАБОТЫ",
                 "{% if report_date %}{{ report_date|date }}{% else %}" + BLANK_DATE + "{% endif %}", None, PLACE,
                 ["за ", "{{ year }}", " учебный год"])

    _aims(t, "{{ sections.aims }}. Методическая тема, цель и задачи")

    t.p("{{ sections.staff }}. Кадровый состав", style="MOSection")
    t.p("В составе ", BODY, " ", "{{ staff.total|count('педагог', 'педагога', 'педагогов') }}",
        "{% if staff.total %}; квалификационную категорию имеют {{ staff.with_category }} "
        "({{ staff.with_category_percent }}%){% endif %}.", style="MOText")
    shares = [("Количество", 35, "center"), ("Доля", 35, "center")]
    share_cells = ["{{ r.label }}", "{{ r.count }}", "{{ r.percent }}%"]
    t.captioned_table("education", [("Уровень образования", 95, "left")] + shares, share_cells)
    t.captioned_table("categories", [("Категория", 95, "left")] + shares, share_cells)
    t.figure("categories")
    t.captioned_table("experience", [("Педагогический стаж", 95, "left")] + shares, share_cells)
    t.figure("experience")
    t.captioned_table("age", [("Возраст", 95, "left")] + shares, share_cells)

    t.p("{{ sections.meetings }}. Заседания", style="MOSection")
    t.p("За учебный год проведено ", "{{ meetings_held|count('заседание', 'заседания', 'заседаний') }}",
        "{% if attendance_average is not none %}; средняя посещаемость – {{ attendance_average }}%{% endif %}",
        "{% if quorum_share %} (кворум по Положению – присутствие более {{ (100 * quorum_share)|round|int }}% "
        "членов){% endif %}.", style="MOText")
    t.captioned_table("periods", [("Период", 65, "left"), ("Требуется", 30, "center"), ("Проведено", 30, "center"),
                                  ("Выполнение", 40, "center")],
                      ["{{ r.period }}", "{{ r.required }}", "{{ r.held }}",
                       "{% if r.met %}выполнено{% elif not r.ended %}период не завершён{% else %}не выполнено"
                       "{% endif %}"])
    t.captioned_table("meetings", [("№", 10, "center"), ("Дата", 25, "center"),
                                   ("Тема и рассмотренные вопросы", 88, "left"), ("Присутствовали", 42, "center")],
                      ["{{ r.number }}", "{{ r.date|date }}", TOPIC_AND_QUESTIONS,
                       "{% if r.present is not none %}{{ r.present }} из {{ r.total }}{% else %}—{% endif %}"])
    t.tag("{%p if cancelled %}")
    t.p("Не состоялись (отменены): ", "{% for c in cancelled %}заседание №{{ c.number }} от {{ c.date|date }}"
        "{% if not loop.last %}, {% endif %}{% endfor %}.", style="MOText", before=6)
    t.tag("{%p endif %}")
    t.figure("attendance")

    t.p("{{ sections.plan }}. Выполнение плана работы", style="MOSection")
    t.p("В плане ", "{{ plan.total|count('мероприятие', 'мероприятия', 'мероприятий') }}", ", выполнено ",
        "{{ plan.done }}", " (", "{{ plan.percent_done }}", "%).", style="MOText")
    t.captioned_table("plan", [("Отметка о выполнении", 95, "left")] + shares, share_cells)
    t.tag("{%p if plan.late %}")
    t.p("Не выполнены в срок (в том числе перенесённые):", style="MOText", before=6, keep=True)
    t.tag("{%p for o in plan.late %}")
    t.p("{{ loop.index }}. {{ o.event }} (срок – {{ o.due }}; {{ o.mark }}).", style="MOItem")
    t.tag("{%p endfor %}")
    t.tag("{%p else %}")
    t.p("Все мероприятия, срок которых наступил, выполнены в срок.", style="MOText", before=6)
    t.tag("{%p endif %}")

    t.tag("{%p if tables.events %}")
    t.p("{{ sections.events }}. Семинары, открытые уроки и другие мероприятия", style="MOSection")
    t.captioned_table("events", *EVENTS)
    t.tag("{%p endif %}")

    t.p("{{ sections.young }}. Работа с молодыми специалистами", style="MOSection")
    t.tag("{%p if young.count %}")
    t.p("В составе ", "{{ young.count|count('молодой специалист', 'молодых специалиста', 'молодых специалистов') }}",
        " (педагогический стаж менее 3 лет).", style="MOText")
    t.captioned_table("young", [("Педагог", 55, "left"), ("ОО", 45, "left"), ("Должность", 45, "left"),
                                ("Стаж, лет", 20, "center")],
                      ["{{ r.full_name }}", "{{ r.organisation }}", "{{ r.position }}", "{{ r.experience }}"])
    t.tag("{%p else %}")
    t.p("Молодых специалистов (педагогический стаж менее 3 лет) в составе нет.", style="MOText")
    t.tag("{%p endif %}")
    t.tag("{%p if young.events %}")
    t.p("Мероприятия для молодых специалистов:", style="MOText", keep=True)
    t.tag("{%p for e in young.events %}")
    t.p("{{ loop.index }}. {{ e.event }} (срок – {{ e.due }}; {{ e.mark }}).", style="MOItem")
    t.tag("{%p endfor %}")
    t.tag("{%p endif %}")

    t.p("{{ sections.achievements }}. Достижения педагогов", style="MOSection")
    t.tag("{%p if achievements_total %}")
    t.p("За учебный год педагогами получено достижений: ", "{{ achievements_total }}", ".", style="MOText")
    t.captioned_table("levels", [("Уровень", 95, "left")] + shares, share_cells)
    t.captioned_table("achievements", *ACHIEVEMENTS)
    t.tag("{%p else %}")
    t.p("Достижений педагогов за учебный год не отмечено.", style="MOText")
    t.tag("{%p endif %}")

    t.p("{{ sections.attestation }}. Аттестация в следующем учебном году", style="MOSection")
    t.captioned_or("attestation", [("Педагог", 65, "left"), ("Что истекает", 65, "left"), ("Срок", 35, "center")],
                   ["{{ r.full_name }}", "{{ r.what }}", "{{ r.due|date }}{% if r.expired %} (истёк){% endif %}"],
                   "Сроки аттестации до конца следующего учебного года не истекают.")

    t.tag("{%p if tables.documentation %}")
    t.p("{{ sections.documentation }}. Документация ", BODY, style="MOSection")
    t.p("Документы, которые ", BODY, " ведёт по Положению, и сведения для них в книге учёта:", style="MOText")
    t.captioned_table("documentation", [("№", 10, "center"), ("Документ", 75, "left"), ("Пункт", 25, "left"),
                                        ("Сведения в книге", 55, "left")],
                      ["{{ r.number }}", "{{ r.title }}", "{{ r.clause }}",
                       ["{{ r.summary }}", "{%p for g in r.gaps %}", "не хватает: {{ g }}", "{%p endfor %}"]])
    t.tag("{%p endif %}")

    t.p("{{ sections.conclusions }}. Выводы", style="MOSection")
    t.tag("{%p for c in conclusions %}")
    t.kept_last("{{ c }}", style="MOText")
    t.tag("{%p endfor %}")

    t.tag("{%p if problems or next_tasks %}")
    t.p("{{ sections.problems }}. Проблемы и задачи на следующий учебный год", style="MOSection")
    _list_section(t, "Проблемы:", "problems")
    _list_section(t, "Задачи на {{ next_year }} учебный год:", "next_tasks")
    t.tag("{%p endif %}")

    t.signatures([HEAD_SIGNATURE])
    return t


# --- the documents each regulation requires besides the five --------------------------

ORG_AND_POSITION = "{{ [r.position, r.organisation]|select|join(', ') }}"


def data_bank() -> Template:
    t = Template("Банк данных педагогов", landscape=True)
    t.warnings()
    t.tag("{%p if personal %}")
    t.p(Run("Конфиденциально: содержит персональные данные", bold=True), style="MOStamp")
    t.tag("{%p endif %}")
    t.stamps()
    t.head_block("{{ org.name|upper }}", "БАНК ДАННЫХ ПЕДАГОГОВ", None, None, PLACE,
                 [BODY, " на ", "{{ year }}", " учебный год"])
    t.p("по состоянию на ", "{{ on|date_words }}", style="MOCenter")
    t.p("1. Количественный и качественный состав", style="MOSection")
    t.p("В составе ", BODY, " ", "{{ total|count('педагог', 'педагога', 'педагогов') }}", ".", style="MOText")
    shares = [("Количество", 60, "center"), ("Доля", 60, "center")]
    share_cells = ["{{ r.label }}", "{{ r.count }}", "{{ r.percent }}%"]
    t.captioned_table("education", [("Уровень образования", 132, "left")] + shares, share_cells)
    t.captioned_table("categories", [("Категория", 132, "left")] + shares, share_cells)
    t.captioned_table("experience", [("Педагогический стаж", 132, "left")] + shares, share_cells)
    t.captioned_table("age", [("Возраст", 132, "left")] + shares, share_cells)
    t.p("2. Сведения о педагогах", style="MOSection")
    t.captioned_table("members", [
        ("№", 10, "center"), ("Педагог", 62, "left"), ("Возраст, образование, стаж", 40, "left"),
        ("Категория, аттестация", 45, "left"), ("Конкурсы, публикации", 50, "left"),
        ("Награды, звания, авторские разработки", 45, "left")], [
        "{{ r.number }}",
        ["{{ r.full_name }}", "{%p if r.position or r.organisation %}", ORG_AND_POSITION, "{%p endif %}",
         "{%p if r.role %}", "{{ r.role|capfirst }}", "{%p endif %}",
         "{%p if personal and r.birth_date %}", "Дата рождения: {{ r.birth_date|date }}", "{%p endif %}",
         "{%p if personal and r.phone %}", "Тел.: {{ r.phone }}", "{%p endif %}",
         "{%p if personal and r.email %}", "E-mail: {{ r.email }}", "{%p endif %}"],
        ["{% if r.age is not none %}{{ r.age|count('год', 'года', 'лет') }}{% else %}—{% endif %}",
         "{%p if r.education %}", "{{ r.education }}", "{%p endif %}",
         "{%p if r.experience is not none %}", "стаж {{ r.experience|count('год', 'года', 'лет') }}", "{%p endif %}"],
        ["{{ r.category }}", "{%p if r.granted %}", "присвоена {{ r.granted|date }}", "{%p endif %}",
         "{%p if r.valid %}", "{{ r.valid }}", "{%p endif %}",
         "{%p if r.szd %}", "СЗД: {{ r.szd|date }}", "{%p endif %}"],
        ["{%p for x in r.contests %}", "{{ x }}", "{%p endfor %}", "{%p for x in r.publications %}", "{{ x }}",
         "{%p endfor %}", "{%p if not r.contests and not r.publications %}", "—", "{%p endif %}"],
        ["{%p for x in r.awards %}", "{{ x }}", "{%p endfor %}", "{%p if r.authored %}", "{{ r.authored }}",
         "{%p endif %}", "{%p if not r.awards and not r.authored %}", "—", "{%p endif %}"],
    ])
    t.tag("{%p if updated %}")
    t.p("Банк данных актуализирован ", "{{ updated|date }}", ".", style="MOPlain", before=6)
    t.tag("{%p endif %}")
    t.signatures([HEAD_SIGNATURE])
    return t


def attestation_schedule() -> Template:
    t = Template("График аттестации", landscape=True)
    t.warnings()
    t.stamps()
    t.head_block("{{ org.name|upper }}", "ГРАФИК", None, None, PLACE,
                 ["прохождения аттестации педагогических работников ", BODY, " на ", "{{ year }}", " учебный год"])
    t.p("Квалификационные категории, присвоенные до ", "{{ no_expiry_since|date }}",
        ", действуют пять лет, присвоенные с ", "{{ no_expiry_since|date }}",
        " — бессрочно (приказ Минпросвещения России от 24.03.2023 № 196). Аттестация на соответствие занимаемой "
        "должности проводится один раз в пять лет.", style="MOText")
    t.tag("{%p if tables.schedule %}")
    t.captioned_table("schedule", [
        ("№", 10, "center"), ("Педагог", 60, "left"), ("Должность, ОО", 67, "left"), ("Аттестация", 45, "left"),
        ("Основание", 45, "left"), ("Срок", 25, "center")], [
        "{{ r.number }}", "{{ r.full_name }}", ORG_AND_POSITION, "{{ r.what }}", "{{ r.basis }}",
        "{{ r.due|date }}{% if r.overdue %} (истёк){% endif %}"])
    t.tag("{%p else %}")
    t.p("В ", "{{ year }}", " учебном году сроки аттестации педагогов не наступают.", style="MOText", before=12)
    t.tag("{%p endif %}")
    t.p("ПЕРСПЕКТИВНЫЙ ПЛАН", style="MOType", page_break=True)
    t.p("аттестации педагогических работников ", BODY, " на ", "{{ years[0] }}", " – ", "{{ years[-1] }}",
        " учебные годы", style="MOHeading")
    years = [(f"{{{{ years[{i}] }}}}", 25, "center") for i in range(5)]
    marks = [f"{{% if r.marks[{i}].due %}}{{{{ r.marks[{i}].what }}}} {{{{ r.marks[{i}].due|date }}}}"
             f"{{% if r.marks[{i}].overdue %}} (просрочено){{% endif %}}{{% endif %}}" for i in range(5)]
    t.captioned_table("perspective", [("№", 10, "center"), ("Педагог", 60, "left"), ("Основание", 57, "left")] + years,
                      ["{{ r.number }}", "{{ r.full_name }}",
                       ["{{ r.basis }}", "{%p if r.note %}", "{{ r.note }}", "{%p endif %}"]] + marks)
    t.tag("{%p if no_expiry %}")
    t.p("Бессрочные категории (присвоены с ", "{{ no_expiry_since|date }}", ") имеют ",
        "{{ no_expiry|count('педагог', 'педагога', 'педагогов') }}", ": обязательная аттестация им не требуется.",
        style="MOText", before=6)
    t.tag("{%p endif %}")
    t.signatures([HEAD_SIGNATURE])
    return t


CYCLOGRAM_EVENT = ("{{ e.event }}{% if e.form %} ({{ e.form }}){% endif %}{% if e.due %}, {{ e.due }}{% endif %}"
                   "{% if e.responsible %} — {{ e.responsible }}{% endif %}")


def cyclogram() -> Template:
    t = Template("Циклограмма", landscape=True)
    t.warnings()
    t.stamps()
    t.head_block("{{ org.name|upper }}", "ЦИКЛОГРАММА", None, None, PLACE,
                 ["организации методической работы ", BODY, " на ", "{{ year }}", " учебный год"])
    t.table([("Месяц", 30, "left"), ("Заседания", 100, "left"), ("Методические мероприятия", 122, "left")], [
        "{%tr for r in months %}",
        ["{{ r.month }}",
         ["{%p for m in r.meetings %}",
          "Заседание №{{ m.number }} ({{ m.date|date }}){% if m.topic %}: {{ m.topic }}{% endif %}", "{%p endfor %}",
          "{%p if not r.meetings %}", "", "{%p endif %}"],
         ["{%p for e in r.events %}", CYCLOGRAM_EVENT, "{%p endfor %}", "{%p if not r.events %}", "", "{%p endif %}"]],
        "{%tr endfor %}",
        "{%tr if whole_year %}",
        ["В течение года", "", ["{%p for e in whole_year %}", CYCLOGRAM_EVENT, "{%p endfor %}"]],
        "{%tr endif %}",
    ])
    t.signatures([HEAD_SIGNATURE])
    return t


def young_specialists_plan() -> Template:
    t = Template("План работы с молодыми специалистами")
    t.warnings()
    t.stamps()
    t.head_block("{{ org.name|upper }}", "ПЛАН РАБОТЫ", None, None, PLACE,
                 ["с молодыми и вновь прибывшими специалистами ", BODY, " на ", "{{ year }}", " учебный год"])
    t.p("1. Молодые и вновь прибывшие специалисты", style="MOSection")
    t.tag("{%p if specialists %}")
    t.table([("№", 10, "center"), ("Педагог", 45, "left"), ("Должность, ОО", 55, "left"), ("Стаж, лет", 20, "center"),
             ("Основание", 35, "left")], [
        "{%tr for r in specialists %}",
        ["{{ r.number }}", "{{ r.full_name }}", ORG_AND_POSITION,
         "{% if r.experience is not none %}{{ r.experience }}{% endif %}", "{{ r.why }}"],
        "{%tr endfor %}"])
    t.tag("{%p else %}")
    t.p("Молодых и вновь прибывших специалистов в составе нет.", style="MOText")
    t.tag("{%p endif %}")
    t.p("2. Мероприятия", style="MOSection")
    t.table([("№", 10, "center"), ("Мероприятие", 62, "left"), ("Форма", 28, "left"), ("Срок", 30, "center"),
             ("Ответственный", 35, "left")],
            _last_kept("i in items", ["{{ i.number }}", "{{ i.event }}", "{{ i.form }}", "{{ i.due }}",
                                      "{{ i.responsible }}"]))
    t.signatures([HEAD_SIGNATURE])
    return t


def needs() -> Template:
    t = Template("Сведения о профессиональных потребностях")
    t.warnings()
    t.head_block("{{ org.name|upper }}", "СВЕДЕНИЯ", None, None, PLACE,
                 ["о профессиональных потребностях педагогических работников ", BODY, " на ", "{{ year }}",
                  " учебный год"])
    t.p("Затруднения и профессиональные потребности указали ", "{{ people }}", " из ",
        "{{ members|count('педагога', 'педагогов', 'педагогов') }}", " (", "{{ people_percent }}", "%).",
        style="MOText")
    t.p("1. Потребности педагогов", style="MOSection")
    t.table([("№", 10, "center"), ("Педагог", 45, "left"), ("Затруднение, потребность", 55, "left"),
             ("Форма помощи", 30, "left"), ("Срок", 25, "center")], [
        "{%tr for r in needs %}",
        ["{{ r.number }}", ["{{ r.full_name|initials }}", "{%p if r.position or r.organisation %}", ORG_AND_POSITION,
                            "{%p endif %}"], "{{ r.need }}", "{{ r.help }}", "{{ r.due }}"],
        "{%tr endfor %}"])
    t.p("2. Сводка по затруднениям", style="MOSection")
    t.table([("№", 10, "center"), ("Затруднение, потребность", 65, "left"), ("Педагогов", 22, "center"),
             ("Доля состава", 23, "center"), ("Формы помощи", 45, "left")],
            _last_kept("r in summary", ["{{ r.number }}", "{{ r.need }}", "{{ r.people }}", "{{ r.percent }}%",
                                        "{{ r.helps }}"]))
    t.signatures([HEAD_SIGNATURE])
    return t


def practices() -> Template:
    t = Template("Банк эффективных педагогических практик", landscape=True)
    t.warnings()
    t.head_block("{{ org.name|upper }}", "БАНК ЭФФЕКТИВНЫХ ПЕДАГОГИЧЕСКИХ ПРАКТИК", None, None, PLACE,
                 [BODY, " на ", "{{ year }}", " учебный год"])
    t.table([("№", 10, "center"), ("Автор", 60, "left"), ("Практика", 100, "left"),
             ("Уровень, результат", 55, "left"), ("Дата", 27, "center")], [
        "{%tr for r in practices %}",
        ["{{ r.number }}", ["{{ r.full_name }}", "{%p if r.position or r.organisation %}", ORG_AND_POSITION,
                            "{%p endif %}"],
         ["{{ r.title }}", "{%p if r.link %}", "{{ r.link }}", "{%p endif %}"],
         "{{ [r.level, r.result]|select|join(', ') }}", "{{ r.date|date }}"],
        "{%tr endfor %}"])
    t.signatures([HEAD_SIGNATURE])
    return t


INDICATOR_VALUE = "{% if r.value is none %}нет данных{% else %}{{ r.value }}{{ r.unit }}{% endif %}"


def _indicators(t: Template):
    t.captioned_table("indicators", [("№", 12, "center"), ("Показатель", 113, "left"), ("Значение", 40, "center")],
                      ["{{ r.number }}", "{{ r.label }}", INDICATOR_VALUE])


def _conclusions(t: Template):
    t.tag("{%p for c in conclusions %}")
    t.kept_last("{{ c }}", style="MOText")
    t.tag("{%p endfor %}")


def portfolio() -> Template:
    t = Template("Портфолио объединения")
    t.warnings()
    t.stamps()
    t.tag("{%p if to %}")
    t.p("{{ to }}", style="MOStamp")
    t.tag("{%p endif %}")
    t.head_block("{{ org.name|upper }}", "ПОРТФОЛИО",
                 "{% if report_date %}{{ report_date|date }}{% else %}" + BLANK_DATE + "{% endif %}", None, PLACE,
                 [BODY, " за ", "{{ year }}", " учебный год"])
    t.p("1. Общие сведения", style="MOSection")
    t.p("Полное наименование: ", "{{ org.name }}", ".", style="MOText")
    t.p("Руководитель: ", "{% if head %}{{ head.full_name }}{% if head.position %}, {{ head.position }}{% endif %}"
        "{% if head_category %}, квалификационная категория «{{ head_category }}»{% endif %}{% else %}"
        + BLANK_NAME + "{% endif %}", ".", style="MOText")
    t.p("Членов объединения: ", "{{ members_count }}", ".", style="MOText")
    t.tag("{%p if theme %}")
    t.p("Методическая тема: «", "{{ theme }}", "».", style="MOText")
    t.tag("{%p endif %}")
    t.p("2. Показатели работы", style="MOSection")
    _indicators(t)
    t.p("3. Открытые мероприятия", style="MOSection")
    t.captioned_or("events", *EVENTS, "Открытых мероприятий в плане нет.")
    t.p("4. Достижения педагогов", style="MOSection")
    t.captioned_or("achievements", *ACHIEVEMENTS, "Достижений педагогов за учебный год не отмечено.")
    t.p("5. Аттестация педагогов", style="MOSection")
    t.captioned_or("attested", [("Педагог", 65, "left"), ("Аттестация", 70, "left"), ("Дата", 30, "center")],
                   ["{{ r.full_name }}", "{{ r.what }}", "{{ r.date|date }}"],
                   "В учебном году педагоги объединения не аттестовывались.")
    t.p("6. Отчёт о работе за учебный год", style="MOSection")
    _conclusions(t)
    t.signatures([HEAD_SIGNATURE])
    return t


def self_assessment() -> Template:
    t = Template("Самооценка качества работы")
    t.warnings()
    t.stamps()
    t.head_block("{{ org.name|upper }}", "САМООЦЕНКА",
                 "{% if report_date %}{{ report_date|date }}{% else %}" + BLANK_DATE + "{% endif %}", None, PLACE,
                 ["качества работы ", BODY, " за ", "{{ year }}", " учебный год"])
    t.p("Самооценка составлена по данным учёта ", BODY, " за учебный год и по требованиям Положения, выполнение "
        "которых видно из этих данных.", style="MOText")
    t.p("1. Показатели работы", style="MOSection")
    _indicators(t)
    t.p("2. Выполнение требований Положения", style="MOSection")
    t.captioned_or("requirements", [("№", 10, "center"), ("Пункт", 40, "left"), ("Требование", 80, "left"),
                                    ("Выполнение", 35, "left")],
                   ["{{ r.number }}", "{{ r.clause }}", "{{ r.text|capfirst }}", "{{ r.status }}"],
                   "Положение не указано: выполнение его требований не оценивалось.")
    t.p("3. Выводы", style="MOSection")
    _conclusions(t)
    t.signatures([HEAD_SIGNATURE])
    return t


TEMPLATES = {
    "protocol.docx": protocol,
    "registration_sheet.docx": registration_sheet,
    "order.docx": order,
    "work_plan.docx": work_plan,
    "annual_report.docx": annual_report,
    "data_bank.docx": data_bank,
    "attestation_schedule.docx": attestation_schedule,
    "cyclogram.docx": cyclogram,
    "young_specialists_plan.docx": young_specialists_plan,
    "needs.docx": needs,
    "portfolio.docx": portfolio,
    "self_assessment.docx": self_assessment,
    "practices.docx": practices,
}


def build(out_dir: Path = HERE) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return [make().save(out_dir / name) for name, make in TEMPLATES.items()]


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
