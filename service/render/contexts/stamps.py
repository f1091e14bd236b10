"""Approval marks of a plan or an analysis, as the regulation words them.

The stamp on the right: «УТВЕРЖДАЮ» signed by the head (Здвинский п. 5.2(3)),
«СОГЛАСОВАНО» by a position outside the workbook (Новокузнецк п. 4.7, 10.5), or
«УТВЕРЖДЁН приказом директора ЦПМСС от ___ № ___» (Каменск-Уральский п. 5.1).  The
note on the left: «Рассмотрен на заседании …» with the protocol, found in the agenda
when the meeting is the association's own.  Where the regulation names nobody, the
stamp has blanks: the service never invents an official.
"""
from __future__ import annotations

import datetime as dt

from service.domain.minutes import plan_meeting
from service.pipeline import Report


def stamps_context(report: Report, kind: str, ctx: dict, today: dt.date) -> dict:
    """{"approval": the stamp or None, "considered": the note or None}."""
    stamps = report.regulation.stamps(kind) if report.regulation else ()
    approval = considered = None
    for s in stamps:
        if s.considered:
            meeting = plan_meeting(report.data, report.year, today) if s.own and kind == "work-plan" else None
            considered = {"where": s.considered, "date": meeting.date if meeting else None,
                          "number": meeting.number if meeting else None, "clause": s.clause or ""}
        else:
            head = ctx["head"] if s.signer == "head" else None
            position = s.position or (f"Руководитель {ctx['org']['short_name'] or ctx['org']['body']}"
                                      if s.signer == "head" else "")
            approval = {"title": s.stamp, "act": s.act or "", "position": position, "person": head,
                        "clause": s.clause or ""}
    return {"approval": approval, "considered": considered}
