"""Generating a document from a factory workbook and reading it back with python-docx,
in the order a person reads the page: paragraphs and table rows as they come."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph

from service.documents import Generator, Outcome, Request
from service.filing.local import LocalFiler
from service.pipeline import check

AS_OF = dt.date(2025, 9, 1)


class BookSource:
    def __init__(self, book):
        self.book, self.name = book, book.name

    def read(self):
        return self.book.raw()


@pytest.fixture(scope="session")
def generator() -> Generator:
    return Generator()


def make(generator: Generator, tmp_path: Path, book, kind: str, regulation: str | None = None,
         as_of: dt.date = AS_OF, **request) -> tuple[Outcome, docx.document.Document]:
    report = check(BookSource(book), as_of=as_of, regulation_id=regulation)
    outcome = generator.generate(report, Request(kind=kind, **request), LocalFiler(tmp_path), today=as_of)
    return outcome, docx.Document(outcome.filed.location)


def blocks(document) -> list:
    """Paragraphs and tables of the body in reading order."""
    out = []
    for el in document.element.body.iterchildren():
        if el.tag.endswith("}p"):
            out.append(Paragraph(el, document))
        elif el.tag.endswith("}tbl"):
            out.append(Table(el, document))
    return out


def lines(document) -> list[str]:
    """Each paragraph, and each table row as «cell | cell» (a cell's paragraphs joined by « / »)."""
    out = []
    for b in blocks(document):
        if isinstance(b, Paragraph):
            out.append(b.text)
        else:
            for row in b.rows:
                out.append(" | ".join(" / ".join(p.text for p in c.paragraphs) for c in row.cells))
    return out


def text(document) -> str:
    return "\n".join(lines(document))


def rows(document, header: str) -> list[list[str]]:
    """The data rows of the first table whose header row mentions `header`."""
    table = next(t for t in document.tables if header in " ".join(c.text for c in t.rows[0].cells))
    return [[c.text.strip() for c in r.cells] for r in table.rows[1:]]


def paragraph(document, starts: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text.startswith(starts))


def stamp(document) -> tuple[list[str], list[str]]:
    """(left cell, right cell) of the approval marks at the top of the first page:
    «РАССМОТРЕН …» and «УТВЕРЖДАЮ/СОГЛАСОВАНО/УТВЕРЖДЁН …», their non-empty lines."""
    left, right = document.tables[0].rows[0].cells
    return [p.text for p in left.paragraphs if p.text], [p.text for p in right.paragraphs if p.text]
