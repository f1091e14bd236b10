"""Rendering .docx templates fast and safely.

docxtpl reloads the template, re-patches its XML, recompiles Jinja and re-saves every
part through python-docx on each document.  A protocol template does not change
between documents, so here all of that happens once per template (`CompiledTemplate`)
and each document costs one Jinja render of the body (and headers/footers), docxtpl's
table and listing fix-ups, and appending those parts to a zip of the unchanged parts
compressed once in advance (compression was half the time of a document).

Pictures (the annual report's charts) are placed by the same path: their drawings in
the text, their media parts and relationships added to the zip
(service/render/pictures.py).
"""
from __future__ import annotations

import io
import re
import threading
import zipfile
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, UndefinedError, meta
from jinja2.exceptions import SecurityError
from lxml import etree

from service.render.environment import Budget, DocumentEnvironment, make_environment
from service.render.pictures import Picture, content_types, place, relationships
from service.render.errors import RenderError
from service.sources.base import SourceError
from service.sources.guard import check_zip_entries
from service.sources.limits import Limits

HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MAX_OUTPUT_CHARS = 20_000_000
RENDER_SECONDS = 10.0

_P_SPLIT = re.compile(r"<w:p([ >])")
_P_JOIN = re.compile(r"\n<w:p([ >])")


def _read_template(source: Path | bytes) -> bytes:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if len(data) > MAX_TEMPLATE_BYTES:
        raise RenderError("template.unreadable", "Шаблон больше 10 МБ.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip_entries(zf.infolist(), Limits(), required_prefix="word/", what="документ Word (.docx)")
    except (zipfile.BadZipFile, SourceError) as exc:
        raise RenderError("template.unreadable", getattr(exc, "message", "Шаблон не является файлом .docx."))
    return data


class CompiledTemplate:
    """A .docx template prepared once: its parts as bytes, its Jinja templates compiled."""

    def __init__(self, source: Path | bytes, env: DocumentEnvironment | None = None, name: str = "шаблон"):
        self.name = name
        self.env = env or make_environment()
        self.data = _read_template(source)
        try:
            tpl = DocxTemplate(io.BytesIO(self.data))
            tpl.init_docx()
        except Exception as exc:                          # python-docx raises many kinds on bad input
            raise RenderError("template.unreadable", f"Шаблон «{name}» не открывается как .docx ({exc.__class__.__name__}).")
        self._tpl = tpl
        with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
            self.entries = [(info, zf.read(info.filename)) for info in zf.infolist()]
        document_name = tpl.docx.part.partname.lstrip("/")
        original = dict((i.filename, b) for i, b in self.entries)[document_name].decode("utf-8")
        start = original.index("<w:body")
        end = original.rindex("</w:body>") + len("</w:body>")
        self._prefix, self._suffix = original[:start].encode("utf-8"), original[end:].encode("utf-8")
        self.parts: dict[str, Any] = {}
        sources = {}
        body = _P_SPLIT.sub(r"\n<w:p\1", tpl.patch_xml(tpl.get_xml()))
        sources[document_name] = body
        for rel in tpl.docx.part.rels.values():
            if rel.reltype in (HEADER, FOOTER) and not rel.is_external:
                part = rel.target_part
                xml = tpl.patch_xml(tpl.get_part_xml(part))
                sources[part.partname.lstrip("/")] = _P_SPLIT.sub(r"\n<w:p\1", xml)
        try:
            for part_name, xml in sources.items():
                self.parts[part_name] = self.env.from_string(xml)
            self.variables = set().union(*(meta.find_undeclared_variables(self.env.parse(x)) for x in sources.values()))
        except TemplateSyntaxError as exc:
            raise RenderError("template.syntax", f"Шаблон «{name}»: ошибка разметки Jinja — {exc.message}.")
        self.document_name = document_name
        # The document's relationships and the content types gain entries for pictures
        # (service/render/pictures.py): written with each document.
        folder, _, leaf = document_name.rpartition("/")
        self._with_pictures = {f"{folder}/_rels/{leaf}.rels": relationships, "[Content_Types].xml": content_types}
        # Parts that never change are compressed once, into a zip each document is appended to.
        base = io.BytesIO()
        with zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in self.entries:
                if info.filename not in self.parts and info.filename not in self._with_pictures:
                    zf.writestr(info, data)
        self._base = base.getvalue()
        self._rendered_infos = [info for info, _ in self.entries if info.filename in self.parts]
        self._picture_infos = [(info, data) for info, data in self.entries if info.filename in self._with_pictures]
        self._lock = threading.Lock()

    def missing(self, context: dict) -> list[str]:
        """Top-level names the template uses but the data lacks (checked before rendering)."""
        return sorted(v for v in self.variables if v not in context and v not in self.env.globals)

    def render(self, context: dict, seconds: float = RENDER_SECONDS,
               pictures: dict[str, Picture | None] | None = None) -> bytes:
        """`pictures`: template variables that stand for pictures (None: left out)."""
        placed = []
        if pictures:
            variables, placed = place(pictures)
            context = {**context, **variables}
        missing = self.missing(context)
        if missing:
            raise RenderError("template.missing_variables",
                              f"Шаблон «{self.name}» использует данные, которых нет: {', '.join(missing)}.")
        with self._lock:                  # docxtpl's fix-ups keep a counter on the shared template
            return self._render(context, seconds, placed)

    def _render(self, context: dict, seconds: float, placed: list) -> bytes:
        rendered: dict[str, bytes] = {}
        budget = Budget(seconds)
        self.env.budget = budget
        try:
            for part_name, template in self.parts.items():
                xml = _P_JOIN.sub(r"<w:p\1", _bounded(template, context, budget))
                xml = self._tpl.resolve_listing(xml)
                if part_name == self.document_name:
                    tree = self._tpl.fix_tables(xml)
                    self._tpl.docx_ids_index = 1000
                    self._tpl.fix_docpr_ids(tree)
                    rendered[part_name] = self._prefix + etree.tostring(tree, encoding="utf-8") + self._suffix
                else:
                    rendered[part_name] = xml.encode("utf-8")
        except SecurityError as exc:
            raise RenderError("template.unsafe", f"Шаблон «{self.name}» обращается к недопустимым объектам ({exc}).")
        except UndefinedError as exc:
            raise RenderError("template.missing_variables", f"Шаблон «{self.name}»: {exc.message}.")
        except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError) as exc:
            raise RenderError("template.syntax", f"Шаблон «{self.name}» не сформировался: {exc}.")
        finally:
            self.env.budget = Budget(3600)
        out = io.BytesIO(self._base)
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zf:
            for info in self._rendered_infos:
                zf.writestr(info, rendered[info.filename])
            for info, data in self._picture_infos:
                zf.writestr(info, self._with_pictures[info.filename](data, placed))
            for picture in placed:
                zf.writestr(zipfile.ZipInfo(picture.part, date_time=(1980, 1, 1, 0, 0, 0)), picture.png,
                            compress_type=zipfile.ZIP_STORED)        # a PNG is compressed already
        return out.getvalue()


def _bounded(template, context: dict, budget: Budget) -> str:
    """Stream the render so that an enormous output is stopped, not built."""
    chunks, size = [], 0
    for chunk in template.generate(context):
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise RenderError("template.too_expensive", "Документ получается слишком большим (больше 20 млн знаков).")
        budget.check()
        chunks.append(chunk)
    return "".join(chunks)


class TemplateCache:
    """Compiled templates by path, recompiled when the file changes (a head edits it)."""

    def __init__(self, env: DocumentEnvironment | None = None):
        self.env = env or make_environment()
        self._items: dict[Path, tuple[float, int, CompiledTemplate]] = {}
        self._lock = threading.Lock()

    def get(self, path: Path) -> CompiledTemplate:
        path = Path(path).resolve()
        stat = path.stat()
        with self._lock:
            cached = self._items.get(path)
            if cached and cached[:2] == (stat.st_mtime, stat.st_size):
                return cached[2]
        compiled = CompiledTemplate(path, self.env, name=path.name)
        with self._lock:
            self._items[path] = (stat.st_mtime, stat.st_size, compiled)
        return compiled
