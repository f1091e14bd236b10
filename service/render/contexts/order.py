"""Приказ о составе: issued by the founder on a given day, for the members of that day.

Whom it appoints, whether it names the curator or the direction of work, and which
protocol it cites as its basis come from the regulation (`Regulation.order`): an
officer the members elect is not «назначен» by an order that ignores the election.
"""
from __future__ import annotations

import datetime as dt

from service.domain.minutes import election_meeting
from service.pipeline import Report
from service.render.contexts.common import ROLE_ORDER, common_context, named, person
from service.russian.collation import sort_key
from service.schema.names import NameIndex
from service.schema.records import DEPUTY, HEAD, SECRETARY, Member
from service.schema.regulations import OrderSpec

ROLE_ABLT = {HEAD: "руководителем", DEPUTY: "заместителем руководителя", SECRETARY: "секретарём"}


def order_day(report: Report, date: dt.date | None) -> dt.date:
    """The order's composition is the one on its date; without a date, on 1 September."""
    return date or report.year.first_day


def members_in_order(members: list[Member]) -> list[Member]:
    """Officers first (руководитель, заместитель, секретарь), then everyone alphabetically."""
    def rank(m: Member):
        return (ROLE_ORDER.index(m.role) if m.role in ROLE_ORDER else len(ROLE_ORDER), sort_key(m.full_name))
    return sorted(members, key=rank)


def order_context(report: Report, today: dt.date, number: str | None = None, date: dt.date | None = None,
                  warnings: list[str] = ()) -> dict:
    on = order_day(report, date)
    ctx = common_context(report, today, list(warnings), on=on)
    spec = report.regulation.order if report.regulation else OrderSpec()
    members = members_in_order(report.data.members_on(on))
    appointed = []
    for role in spec.appoints:
        holder = next((m for m in members if m.role == role), None)
        if holder is not None:
            appointed.append({"role": role, "as": ROLE_ABLT[role], **person(holder)})
    basis = None
    if spec.elected:
        meeting = election_meeting(report.data, spec.elected, today, until=date)
        basis = {"date": meeting.date if meeting else None, "number": meeting.number if meeting else None,
                 "clause": spec.elected_clause or ""}
    ctx.update({
        "order": {"number": number or "", "date": date, "place": ctx["org"]["place"],
                  "heading": spec.heading, "clause": spec.clause or "", "on": on},
        "members": [{"number": i, **person(m)} for i, m in enumerate(members, start=1)],
        "appointed": appointed,
        "appoint_curator": spec.curator and ctx["curator"] is not None,
        "direction": {"theme": report.data.info.theme or ""} if spec.direction else None,
        "basis": basis,
        "control": control(report, ctx, spec),
    })
    return ctx


def control(report: Report, ctx: dict, spec: OrderSpec) -> dict | None:
    """Whom the order puts in charge of its execution: the person «Контроль исполнения»
    names («Кравец Л.П., методист ММС», or just a name found among the curator and the
    members), else the position the regulation names (Каменск-Уральский п. 5.3), else
    nobody — «оставляю за собой».  Never someone of another organisation by default."""
    typed = (report.data.info.control or "").strip()
    if not typed:
        if spec.control_position:
            return {"full_name": "", "position": spec.control_position, "organisation": "", "role": "",
                    "clause": spec.control_clause or ""}
        return None
    name, _, position = (x.strip() for x in typed.partition(","))
    index = NameIndex()
    known: list[dict] = [p for p in (ctx["founder_head"], ctx["curator"]) if p]
    for m in report.data.members:
        known.append(person(m))
    for i, p in enumerate(known):
        index.add(p["full_name"], i)
    found = index.find(name)
    match = known[found[0]] if len(found) == 1 else None
    if match is not None and match is ctx["founder_head"]:
        return None                                   # the signer keeps control: «оставляю за собой»
    if position:
        return {**named(name, position), "clause": ""}
    if match is not None:
        return {**match, "full_name": name, "clause": ""}
    return {**named(name), "clause": ""}
