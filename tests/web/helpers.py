"""Helpers that act like a person in a browser (GET a page, post its form with the CSRF
token the page carries) and read what the person sees."""
from __future__ import annotations

import datetime as dt
import html as htmlmod
import io
import re
from pathlib import Path

import docx

from service.workspace import batch

from tests.factories import association

XSS = "<script>alert(1)</script>"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")

# ---------------------------------------------------------------- acting like a browser

def csrf_token(client, page: str = "/") -> str:
    body = client.get(page).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', body)
    assert match, f"no CSRF token in the form of {page}"
    return match.group(1)


def submit(client, url: str, data: dict | None = None, page: str = "/", **kwargs):
    """Post a form as the browser does after showing `page`."""
    return client.post(url, data={"csrf_token": csrf_token(client, page), **(data or {})}, **kwargs)


def upload(client, content: bytes, filename: str = "Книга МО.xlsx", **fields):
    data = {"workbook": (io.BytesIO(content), filename), **fields}
    return submit(client, "/upload", data, page="/upload", content_type="multipart/form-data")


def follow(client, response):
    assert response.status_code == 302, (response.status_code, response.get_data(as_text=True)[:500])
    return client.get(response.headers["Location"])


def job_id_of(response) -> str:
    match = re.fullmatch(r"/jobs/([0-9a-f-]{36})", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def main(body: str) -> str:
    """The page's own part, between <main> and </main>."""
    return re.split(r"<main[^>]*>", body, maxsplit=1)[1].split("</main>", 1)[0]


def visible(fragment: str) -> str:
    """Text a person reads: tags removed, entities decoded, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", fragment)
    text = re.sub(r"\s+", " ", htmlmod.unescape(text)).strip()
    return re.sub(r" ([,.;:!?)»])", r"\1", text)


def row_of(body: str, needle: str) -> str:
    """The <tr> of a table that contains `needle`."""
    rows = [r for r in re.findall(r"<tr[^>]*>.*?</tr>", body, flags=re.S) if needle in r]
    assert len(rows) == 1, f"{len(rows)} rows contain {needle!r}"
    return rows[0]


def forms(body: str) -> list[dict]:
    """Every <form>: its action, its fields (hidden inputs) and its button."""
    out = []
    for action, inner in re.findall(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', body, flags=re.S):
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', inner))
        button = re.search(r"<button([^>]*)>(.*?)</button>", inner, flags=re.S)
        out.append({"action": action, "fields": {k: htmlmod.unescape(v) for k, v in fields.items()},
                    "button": visible(button.group(2)) if button else None,
                    "disabled": bool(button and "disabled" in button.group(1))})
    return out


def pages_while_generating(monkeypatch, ws, client, job_id: str) -> list[str]:
    """The job's page as a person sees it each time the job starts a document (filled in as
    the job runs)."""
    seen: list[str] = []
    original = ws.generate

    def generate(*args, **kwargs):
        seen.append(visible(main(client.get(f"/jobs/{job_id}").get_data(as_text=True))))
        return original(*args, **kwargs)

    monkeypatch.setattr(ws, "generate", generate)
    monkeypatch.setattr(batch, "PROGRESS_SECONDS", 0.0)    # a bulk job's progress recorded at each document
    return seen


# ---------------------------------------------------------------- data

def add(ws, folder: Path, book, name: str = "book.xlsx", today: dt.date | None = None):
    """Save `book` as an .xlsx and add it to the workspace as a person would by upload."""
    path = book.save(Path(folder) / name)
    return ws.add_association(str(path), "тест", today=today)


def docx_text(content: bytes) -> str:
    d = docx.Document(io.BytesIO(content))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def no_traceback(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text and "Error:" not in text, text[:2000]


# ---------------------------------------------------------------- the OpenAPI description

class Contract:
    """Checks JSON bodies against the schemas of the OpenAPI description the service
    serves, resolving `$ref`s against the description itself."""

    URI = "urn:mo-docs:openapi"

    def __init__(self, spec: dict):
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        self.spec = spec
        self.registry = Registry().with_resource(self.URI, Resource.from_contents(
            spec, default_specification=DRAFT202012))

    def _validate(self, pointer: str, body) -> None:
        from jsonschema import Draft202012Validator, FormatChecker

        validator = Draft202012Validator({"$ref": f"{self.URI}#{pointer}"}, registry=self.registry,
                                         format_checker=FormatChecker())
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)

    def response(self, path: str, method: str, status: int, body) -> None:
        """`body` is what the spec promises for `method path` answering `status`."""
        responses = self.spec["paths"][path][method.lower()]["responses"]
        assert str(status) in responses, f"{method.upper()} {path} answered {status}: not in the description"
        escaped = path.replace("~", "~0").replace("/", "~1")
        self._validate(f"/paths/{escaped}/{method.lower()}/responses/{status}/content/application~1json/schema",
                       body)

    def schema(self, name: str, body) -> None:
        self._validate(f"/components/schemas/{name}", body)


def three_associations(ws, tmp_path):
    """ММО математиков, физиков и химиков: three clean associations for work on all of them."""
    made = []
    for short, subject in (("ММО математиков", "математики"), ("ММО физиков", "физики"), ("ММО химиков", "химии")):
        book = association("zdvinsky-mmo")
        book.info["Краткое наименование"] = short
        book.info["Наименование МО"] = f"Муниципальное методическое объединение учителей {subject}"
        made.append(add(ws, tmp_path, book, f"{subject}.xlsx"))
    return made
