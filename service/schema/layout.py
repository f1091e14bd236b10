"""The workbook layout, loaded from sheet_schemas/workbook.yaml.

The layout is data so that a methodologist can add a header synonym without a
programmer; this module only gives it types and the lookup tables matching needs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from service.kinds import CATALOGUE

# libyaml's C parser when PyYAML was built with it (the wheels are): the layout and a
# regulation load in a few milliseconds instead of tens on every run of the CLI.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

from service.schema.cells import Choices
from service.schema.text import key

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "sheet_schemas"
TYPES = {"text", "date", "integer", "choice", "email", "phone", "person", "meeting", "mark", "due", "school_year",
         "text_list", "url"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    synonyms: tuple[str, ...]
    type: str
    required: bool = False
    choices: str | None = None
    default: str | None = None
    open: bool = False                     # a choice that keeps other values as typed
    documents: tuple[str, ...] = ()        # document kinds the column is for (see workbook.yaml)

    def names(self) -> tuple[str, ...]:
        return (self.header, *self.synonyms)


@dataclass
class Tab:
    key: str
    title: str
    synonyms: tuple[str, ...]
    kind: str                      # table | keyvalue | attendance
    required: bool
    columns: list[Column] = field(default_factory=list)
    header_index: dict[str, Column] = field(default_factory=dict)
    documents: tuple[str, ...] = ()        # document kinds the tab is for (see workbook.yaml)

    def names(self) -> tuple[str, ...]:
        return (self.title, *self.synonyms)

    def column(self, column_key: str) -> Column:
        for c in self.columns:
            if c.key == column_key:
                return c
        raise KeyError(column_key)


@dataclass
class Layout:
    tabs: dict[str, Tab]
    enums: dict[str, Choices]
    _title_index: dict[str, str] = field(default_factory=dict)

    def tab_for_title(self, title: str) -> Tab | None:
        k = self._title_index.get(key(title))
        return self.tabs[k] if k else None


def _documents(raw: dict) -> tuple[str, ...]:
    kinds = tuple(raw.get("documents") or ())
    unknown = [k for k in kinds if k not in CATALOGUE]
    if unknown:
        raise ValueError(f"unknown document kinds {unknown} in {raw}")
    return kinds


def _column(raw: dict) -> Column:
    if raw["type"] not in TYPES:
        raise ValueError(f"unknown column type {raw['type']!r} in {raw}")
    if raw.get("open") and raw["type"] != "choice":
        raise ValueError(f"only a choice column can be open: {raw}")
    return Column(
        key=raw["key"],
        header=raw.get("header") or raw["label"],
        synonyms=tuple(str(s) for s in raw.get("synonyms", [])),
        type=raw["type"],
        required=bool(raw.get("required", False)),
        choices=raw.get("choices"),
        default=raw.get("default"),
        open=bool(raw.get("open", False)),
        documents=_documents(raw),
    )


@lru_cache(maxsize=4)
def load_layout(path: Path | None = None) -> Layout:
    data = yaml.load((path or SCHEMAS_DIR / "workbook.yaml").read_text(encoding="utf-8"), Loader=SafeLoader)
    enums = {name: Choices(name, values) for name, values in data["enums"].items()}
    tabs: dict[str, Tab] = {}
    for tab_key, raw in data["tabs"].items():
        columns = [_column(c) for c in raw.get("columns", raw.get("keys", []))]
        for c in columns:
            if c.type == "choice" and c.choices not in enums:
                raise ValueError(f"column {c.key} names unknown enumeration {c.choices}")
        tab = Tab(
            key=tab_key, title=raw["title"], synonyms=tuple(raw.get("synonyms", [])),
            kind=raw["kind"], required=bool(raw.get("required", False)), columns=columns,
            documents=_documents(raw),
        )
        for c in columns:
            for name in c.names():
                tab.header_index.setdefault(key(name), c)
        tabs[tab_key] = tab
    layout = Layout(tabs=tabs, enums=enums)
    for tab in tabs.values():
        for name in tab.names():
            layout._title_index.setdefault(key(name), tab.key)
    return layout
