"""The kinds of documents the service makes: one catalogue for the CLI, the pages, the
API (and through it the Sheets add-on), the filing folders and the regulation files.

Pure data, imported by every stage that names a kind, so a new kind is added here once
and appears everywhere: `mo-docs generate` offers it, the association page shows its
button, `GET /api/v1/kinds` lists it, documents of it are filed into its folder.
"""
from __future__ import annotations

from dataclasses import dataclass

DOCX, XLSX = "docx", "xlsx"
MEDIA_TYPES = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Kind:
    id: str
    title: str                    # for people: buttons, lists, the add-on's menu
    folder: str                   # where its documents are filed: <МО>/<год>/<folder>/
    formats: tuple[str, ...] = (DOCX,)           # the first is the default
    needs: str | None = None      # "meeting", or "meeting_or_plan_item": which one the request names
    options: tuple[str, ...] = ()                # request fields beyond kind and format
    per_year: bool = True         # one document per school year (a button on the association page)

    @property
    def template(self) -> str:
        """doc_templates/<template> of its .docx form."""
        return f"{self.id.replace('-', '_')}.docx"

    def as_dict(self) -> dict:
        return {"kind": self.id, "title": self.title, "formats": list(self.formats), "needs": self.needs,
                "options": list(self.options)}


CATALOGUE: dict[str, Kind] = {k.id: k for k in (
    Kind("protocol", "Протокол", "Протоколы", needs="meeting", per_year=False),
    Kind("registration-sheet", "Лист регистрации", "Листы регистрации", needs="meeting_or_plan_item",
         per_year=False),
    Kind("order", "Приказ о составе", "Приказы", options=("number", "date")),
    Kind("work-plan", "План работы", "Планы"),
    Kind("annual-report", "Анализ работы", "Отчёты"),
    Kind("data-bank", "Банк данных педагогов", "Банк данных", formats=(XLSX, DOCX), options=("personal",)),
    Kind("attestation-schedule", "График аттестации", "Аттестация"),
    Kind("cyclogram", "Циклограмма", "Планы"),
    Kind("young-specialists-plan", "План работы с молодыми специалистами", "Планы"),
    Kind("needs", "Сведения о профессиональных потребностях", "Сведения"),
    Kind("portfolio", "Портфолио объединения", "Отчёты"),
    Kind("self-assessment", "Самооценка качества работы", "Отчёты"),
    Kind("practices", "Банк эффективных практик", "Банк практик"),
)}
KINDS = tuple(CATALOGUE)


def kind(kind_id: str) -> Kind:
    return CATALOGUE[kind_id]


def media_type(filename: str) -> str:
    """The media type of a filed document by its extension (.docx, .xlsx, .pdf)."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext == "pdf":
        return "application/pdf"
    return MEDIA_TYPES.get(ext, "application/octet-stream")
