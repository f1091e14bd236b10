"""Regulations (Положения) as data: sheet_schemas/regulations/<id>.yaml.

Each file names its seed, the clauses it enforces and, where the seed is vague,
the reading we chose (`readings`), so a curator can see why a finding appears.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from service.kinds import CATALOGUE
from service.schema.cells import shown
from service.schema.layout import SCHEMAS_DIR, SafeLoader
from service.schema.records import DEPUTY, HEAD, SECRETARY

OFFICERS = (HEAD, DEPUTY, SECRETARY)

REGULATIONS_DIR = SCHEMAS_DIR / "regulations"


STAMPS = ("УТВЕРЖДАЮ", "УТВЕРЖДЁН", "СОГЛАСОВАНО")

# What a data bank may be required to hold (`document_settings: data-bank: fields:`), with
# the words a regulation uses for it (Каменск-Уральский п. 9.4).
DATA_BANK_FIELDS = {
    "birth_date": "возраст", "education": "образование", "position": "должность",
    "experience": "педагогический стаж", "category": "квалификационная категория",
    "achievements": "участие в профессиональных конкурсах, публикации", "titles_awards": "награды, звания",
    "authored_works": "авторские разработки", "contacts": "контакты",
}
DOCUMENT_SETTINGS = {"data-bank": {"fields"}, "portfolio": {"to"}}
TOP_LEVEL = {"id", "short_title", "seed", "body", "title", "approved", "founder", "quorum", "retention_years", "order",
             "approvals", "protocol", "plan", "required_documents", "other_documents", "document_settings",
             "readings", "rules"}


@dataclass(frozen=True)
class RequiredDocument:
    """A document the regulation requires the association to keep, made by the service
    (`kind`, one of service.kinds), with the clause that requires it and its title there."""
    kind: str
    clause: str
    title: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "clause": self.clause, "title": self.title}


@dataclass(frozen=True)
class OtherDocument:
    """A document the regulation lists that the service does not make (the regulation itself,
    copies of members' publications): kept outside the service, listed for completeness."""
    clause: str
    title: str


@dataclass(frozen=True)
class Approval:
    """How the Положение itself was approved, for «утверждённым приказом … от … № …»;
    None where the seed does not say (the order then leaves blanks)."""
    act: str                        # «приказом директора ЦПМСС»
    date: dt.date | None
    number: str | None
    note: str | None = None         # «приложение № 1»


@dataclass(frozen=True)
class OrderSpec:
    """What the order on composition does under this regulation (приказ о составе).

    `appoints`: roles the order appoints, in that order; `elected`: roles the members
    elect, so the order cites the protocol of the election as its basis; `curator`: the
    order names the curator; `direction`: it sets the direction of work (the theme);
    `control`: a position the regulation puts in control (else «оставляю за собой»)."""
    clause: str | None = None
    heading: str = "О составе и руководстве"
    appoints: tuple[str, ...] = (HEAD,)
    elected: tuple[str, ...] = ()
    elected_clause: str | None = None
    curator: bool = False
    direction: bool = False
    control_position: str | None = None
    control_clause: str | None = None


@dataclass(frozen=True)
class Stamp:
    """One approval mark of a plan or report: a signed stamp («УТВЕРЖДАЮ» by a signer,
    «СОГЛАСОВАНО» by a position), a stamp by an act («УТВЕРЖДЁН приказом … от … № …»),
    or a note that the document was considered at a meeting («Рассмотрен на заседании …»)."""
    clause: str | None
    stamp: str | None = None         # None for «considered»
    signer: str | None = None        # "head": the association's head signs
    position: str | None = None      # a position outside the workbook: its holder signs by hand
    act: str | None = None
    considered: str | None = None    # «на заседании МО»
    own: bool = False                # considered at the association's own meeting: its protocol is found


@dataclass(frozen=True)
class Regulation:
    id: str
    title: str
    body: str                       # «МО», «ММО», «ГПМО», «РПМО»
    seed: str
    approved: Approval | None
    founder: str | None
    quorum: str | None              # «1/2» where a quorum is set
    retention_years: int | None
    readings: tuple[str, ...]
    rules: tuple[dict, ...] = field(default_factory=tuple)
    order: OrderSpec = field(default_factory=OrderSpec)
    approvals: dict[str, tuple[Stamp, ...]] = field(default_factory=dict)    # document kind -> stamps
    protocol_signatures: dict = field(default_factory=dict)                  # chair, secretary, clause
    plan_directions: dict = field(default_factory=dict)                      # clause, items
    short_title: str = ""            # «Здвинский район»: how people name it on the dashboard
    required_documents: tuple[RequiredDocument, ...] = ()
    other_documents: tuple[OtherDocument, ...] = ()
    document_settings: dict[str, dict] = field(default_factory=dict)        # kind -> its settings

    def requires(self, kind: str) -> RequiredDocument | None:
        """The regulation's entry for a document kind (the first, where it names several)."""
        return next((d for d in self.required_documents if d.kind == kind), None)

    def settings(self, kind: str) -> dict:
        return self.document_settings.get(kind, {})

    def rule_specs(self, kind: str) -> list[dict]:
        return [r for r in self.rules if r["kind"] == kind]

    def stamps(self, kind: str) -> tuple[Stamp, ...]:
        return self.approvals.get(kind, ())

    def report_deadline(self) -> tuple[int, int] | None:
        """(month, day) by which the year's analysis is due, where the regulation sets it."""
        for r in self.rule_specs("report_deadline"):
            month, day = (int(p) for p in str(r["by"]).split("-"))
            return month, day
        return None


class UnknownRegulation(KeyError):
    def __init__(self, reg_id: str):
        super().__init__(reg_id)
        self.reg_id = reg_id
        named = shown(reg_id) + " " if isinstance(reg_id, str) and reg_id.strip() else ""
        self.message = f"Положение {named}неизвестно. Известны: " + ", ".join(sorted(available())) + "."


def available() -> list[str]:
    return sorted(p.stem for p in REGULATIONS_DIR.glob("*.yaml"))


@lru_cache(maxsize=32)
def load_regulation(reg_id: str) -> Regulation:
    """The regulation `reg_id` names.  The id is compared with the list of files before it
    becomes a path: a workbook's «Положение» is whatever was typed (300 characters were
    ENAMETOOLONG, a 500 and a traceback)."""
    if not isinstance(reg_id, str) or reg_id not in available():
        raise UnknownRegulation(reg_id)
    path = REGULATIONS_DIR / f"{reg_id}.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    _known(data, TOP_LEVEL, path.name)
    if data["id"] != reg_id:
        raise ValueError(f"{path.name}: id {data['id']!r} differs from the file name")
    return Regulation(
        id=data["id"], title=data["title"], body=data["body"], seed=str(data["seed"]),
        approved=_approval(data.get("approved")), founder=data.get("founder"),
        quorum=data.get("quorum"), retention_years=data.get("retention_years"),
        readings=tuple(data.get("readings", [])),
        rules=tuple(data.get("rules", [])),
        short_title=data.get("short_title") or data["id"],
        order=_order(data.get("order") or {}),
        approvals={_kind(kind, "approvals"): tuple(_stamp(s) for s in stamps)
                   for kind, stamps in (data.get("approvals") or {}).items()},
        protocol_signatures=dict((data.get("protocol") or {}).get("signatures") or {}),
        plan_directions=dict((data.get("plan") or {}).get("directions") or {}),
        required_documents=tuple(_required(d) for d in data.get("required_documents") or ()),
        other_documents=tuple(_other(d) for d in data.get("other_documents") or ()),
        document_settings=_document_settings(data.get("document_settings") or {}),
    )


def _kind(kind: str, where: str) -> str:
    if kind not in CATALOGUE:
        raise ValueError(f"{where}: unknown document kind {kind!r}")
    return kind


def _text(raw: dict, name: str, where: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: «{name}» must be text: {raw}")
    return " ".join(value.split())


def _required(raw: dict) -> RequiredDocument:
    _known(raw, {"kind", "clause", "title"}, "required_documents")
    return RequiredDocument(kind=_kind(raw.get("kind"), "required_documents"),
                            clause=_text(raw, "clause", "required_documents"),
                            title=_text(raw, "title", "required_documents"))


def _other(raw: dict) -> OtherDocument:
    _known(raw, {"clause", "title"}, "other_documents")
    return OtherDocument(clause=_text(raw, "clause", "other_documents"), title=_text(raw, "title", "other_documents"))


def _document_settings(raw: dict) -> dict[str, dict]:
    out = {}
    for kind, settings in raw.items():
        if kind not in DOCUMENT_SETTINGS:
            raise ValueError(f"document_settings: no settings for {kind!r}")
        _known(settings, DOCUMENT_SETTINGS[kind], f"document_settings.{kind}")
        unknown = set(settings.get("fields") or ()) - set(DATA_BANK_FIELDS)
        if unknown:
            raise ValueError(f"document_settings.{kind}: unknown fields {sorted(unknown)}")
        out[kind] = dict(settings)
    return out


def _approval(raw: dict | None) -> Approval | None:
    if not raw:
        return None
    _known(raw, {"act", "date", "number", "note"}, "approved")
    number = raw.get("number")
    return Approval(act=raw["act"], date=raw.get("date"), number=None if number is None else str(number),
                    note=raw.get("note"))


def _order(raw: dict) -> OrderSpec:
    _known(raw, {"clause", "heading", "appoints", "elected", "curator", "direction", "control"}, "order")
    elected = raw.get("elected") or {}
    control = raw.get("control") or {}
    appoints = tuple(raw.get("appoints", (HEAD,)))
    for role in appoints + tuple(elected.get("roles", ())):
        if role not in OFFICERS:
            raise ValueError(f"order: unknown role {role!r}")
    return OrderSpec(clause=raw.get("clause"), heading=raw.get("heading") or OrderSpec.heading, appoints=appoints,
                     elected=tuple(elected.get("roles", ())), elected_clause=elected.get("clause"),
                     curator=bool(raw.get("curator")), direction=bool(raw.get("direction")),
                     control_position=control.get("position"), control_clause=control.get("clause"))


def _stamp(raw: dict) -> Stamp:
    _known(raw, {"stamp", "signer", "position", "act", "considered", "own", "clause"}, "approvals")
    if raw.get("stamp") not in STAMPS + (None,) or (raw.get("stamp") is None) == (raw.get("considered") is None):
        raise ValueError(f"approvals: a stamp is one of {STAMPS} or a «considered» note: {raw}")
    if raw.get("signer") not in (None, "head"):
        raise ValueError(f"approvals: signer must be «head»: {raw}")
    return Stamp(clause=raw.get("clause"), stamp=raw.get("stamp"), signer=raw.get("signer"),
                 position=raw.get("position"), act=raw.get("act"), considered=raw.get("considered"),
                 own=bool(raw.get("own")))


def _known(raw: dict, keys: set[str], where: str) -> None:
    unknown = set(raw) - keys
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")


def load_all() -> list[Regulation]:
    return [load_regulation(r) for r in available()]


