"""What an association still has to prepare this year: each document its regulation
requires that the registry holds none of for the school year, and the protocol of each
held meeting that has none yet.  Read from the registry and the stored obligations:
no workbook is opened."""
from __future__ import annotations

import datetime as dt

from service.domain.obligations import DONE, stored
from service.kinds import CATALOGUE
from service.schema.regulations import UnknownRegulation, load_regulation


def to_prepare(ws, a, today: dt.date) -> list[str]:
    try:
        reg = load_regulation(a.regulation_id) if a.regulation_id else None
    except UnknownRegulation:
        reg = None
    if reg is None or not a.school_year:
        return []
    made = {(v.kind, v.number) for v in ws.documents(a) if v.year == a.school_year}
    kinds_made = {k for k, _n in made}
    out = []
    for doc in reg.required_documents:
        kind = CATALOGUE.get(doc.kind)
        if kind is None:
            continue
        if kind.per_year and doc.kind not in kinds_made:
            out.append(f"{kind.title} ({doc.clause} Положения)")
        elif doc.kind == "protocol":
            for o in stored(a.obligations):
                if o.meeting is not None and o.state(today) == DONE and ("protocol", str(o.meeting)) not in made:
                    out.append(f"Протокол заседания №{o.meeting}")
    return list(dict.fromkeys(out))
