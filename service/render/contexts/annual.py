"""Анализ работы за учебный год: a methodist's analysis of the year, not a dump of the
register.  Theme, aim and tasks; staff with numbered tables and charts; the meetings
held and what they considered; plan execution; events; young specialists;
achievements; attestation ahead; conclusions; problems and next year's tasks.

Data problems of the workbook are not printed here (no cells, no codes): they refuse
or warn when the analysis is generated (service.refusals).
"""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

from service.domain import documentation, statistics
from service.domain.calendar import deadline_in
from service.pipeline import Report
from service.render.contexts.common import common_context, reference_day
from service.render.contexts.plan import aims_context
from service.render.contexts.stamps import stamps_context
from service.render.numbering import Numbering
from service.russian.plural import count
from service.russian.sentence import as_sentence
from service.schema.records import CANCELLED

PEOPLE = ("педагог", "педагога", "педагогов")


def documentation_rows(report: Report, today: dt.date) -> list[dict]:
    """The documents the regulation requires, each with what the workbook holds for it and
    what it lacks: the analysis accounts for the association's documentation."""
    if report.regulation is None:
        return []
    return [{"number": i, "title": doc.title, "clause": doc.clause, "summary": ev.summary,
             "gaps": [g.message for g in ev.gaps]}
            for i, (doc, ev) in enumerate(documentation.evidence(report.regulation, report.data, report.year, today),
                                          start=1)]


def report_date(report: Report) -> dt.date | None:
    """The analysis is dated when it was submitted («Дата представления анализа работы»),
    else by the regulation's deadline for it, else left blank — never the day it was
    printed."""
    if report.data.info.analysis_submitted:
        return report.data.info.analysis_submitted
    deadline = report.regulation.report_deadline() if report.regulation else None
    return deadline_in(report.year, *deadline) if deadline else None


def annual_report_context(report: Report, today: dt.date, warnings: list[str] = ()) -> dict:
    wb, year = report.data, report.year
    on = reference_day(report, today)
    members = wb.members_on(on)
    rules = report.regulation.rule_specs("meeting_frequency") if report.regulation else []
    quorum = float(Fraction(report.regulation.quorum)) if report.regulation and report.regulation.quorum else None

    staff = statistics.staff(members, on)
    periods = _periods(report, today, rules)
    held = statistics.meetings_held(wb, today)
    attendance = [r for r in held if r["present"] is not None]
    plan = statistics.plan_execution(wb, today)
    events = statistics.events(wb)
    young = statistics.young_specialists(members)
    for_young = statistics.for_young_specialists(wb)
    achievements = statistics.achievements(wb)
    ahead = statistics.attestation_ahead(members, year, today)

    kept = documentation_rows(report, today)

    info = wb.info
    n = Numbering()
    sections = {"aims": n.section(bool(info.theme or info.aim or info.tasks)), "staff": n.section(),
                "meetings": n.section(), "plan": n.section(), "events": n.section(bool(events)),
                "young": n.section(), "achievements": n.section(), "attestation": n.section(),
                "documentation": n.section(bool(kept)),
                "conclusions": n.section(), "problems": n.section(bool(info.problems or info.next_tasks))}
    tables = {
        "education": n.table("Уровень образования педагогов", staff["education"]),
        "categories": n.table("Квалификационные категории педагогов", staff["categories"]),
    }
    figures = {"categories": n.figure("Квалификационные категории педагогов", "count_bars", staff["categories"],
                                      unit="педагогов")}
    tables["experience"] = n.table("Педагогический стаж", staff["experience"])
    figures["experience"] = n.figure("Педагогический стаж", "count_bars", staff["experience"], unit="педагогов")
    tables["age"] = n.table("Возраст педагогов", staff["age"])
    tables["periods"] = n.table("Выполнение требований Положения к периодичности заседаний", periods)
    tables["meetings"] = n.table("Проведённые заседания", held)
    figures["attendance"] = n.figure("Посещаемость заседаний", "attendance_bars", attendance, quorum_share=quorum)
    tables["plan"] = n.table("Выполнение плана работы", plan["rows"])
    tables["events"] = n.table("Семинары, открытые уроки и другие мероприятия", events)
    tables["young"] = n.table("Молодые специалисты", young)
    tables["levels"] = n.table("Достижения педагогов по уровням", achievements["by_level"])
    tables["achievements"] = n.table("Достижения педагогов", achievements["entries"])
    tables["attestation"] = n.table("Сроки аттестации до конца следующего учебного года", ahead)
    tables["documentation"] = n.table("Документация, которую требует Положение", kept)

    ctx = common_context(report, today, list(warnings))
    ctx.update(aims_context(report))
    ctx.update(stamps_context(report, "annual-report", ctx, today))
    ctx.update({
        "report_date": report_date(report),
        "sections": sections,
        "next_year": f"{year.start + 1}/{year.start + 2}",
        "staff": {"total": staff["total"], "with_category": staff["with_category"],
                  "with_category_percent": round(100 * staff["with_category"] / staff["total"])
                  if staff["total"] else 0},
        "meetings_held": len(held),
        "cancelled": [{"number": m.number, "date": m.date} for m in sorted(wb.meetings, key=lambda m: m.date)
                      if m.state(today) == CANCELLED],
        "attendance_average": round(sum(r["percent"] for r in attendance) / len(attendance)) if attendance else None,
        "quorum_share": quorum,
        "plan": {k: plan[k] for k in ("total", "done", "percent_done", "late")},
        "young": {"count": len(young), "events": for_young},
        "achievements_total": achievements["total"],
        "tables": tables,
        "figures": figures,
        "conclusions": conclusions(staff, periods, attendance, plan, young, achievements, ahead),
        "problems": [as_sentence(p) for p in info.problems],
        "next_tasks": [as_sentence(t) for t in info.next_tasks],
    })
    return ctx


def _periods(report: Report, today: dt.date, rules: list[dict]) -> list[dict]:
    """Meetings per period of the regulation, years written «2024/2025»."""
    label = report.year.label
    return [{**p, "period": p["period"].replace(label, label.replace("-", "/"))}
            for p in statistics.meetings_by_period(report.data, report.year, today, rules)]


def year_conclusions(report: Report, today: dt.date) -> list[str]:
    """The analysis's conclusions on their own, for documents that report the year in
    short (the portfolio, the self-assessment)."""
    wb, year = report.data, report.year
    on = reference_day(report, today)
    members = wb.members_on(on)
    rules = report.regulation.rule_specs("meeting_frequency") if report.regulation else []
    return conclusions(statistics.staff(members, on), _periods(report, today, rules),
                       statistics.attendance(wb, today), statistics.plan_execution(wb, today),
                       statistics.young_specialists(members), statistics.achievements(wb),
                       statistics.attestation_ahead(members, year, today))


def conclusions(staff, periods, attendance, plan, young, achievements, ahead) -> list[str]:
    out = []
    if staff["total"]:
        out.append(f"Квалификационную категорию имеют {staff['with_category']} из "
                   f"{count(staff['total'], *PEOPLE)} ({round(100 * staff['with_category'] / staff['total'])}%).")
    missed = [p for p in periods if p["ended"] and not p["met"]]
    if periods:
        if missed:
            out.append("Требования Положения к периодичности заседаний не выполнены: "
                       + "; ".join(f"за {p['period']} проведено {p['held']} при норме {p['required']}" for p in missed)
                       + ".")
        else:
            out.append("Требования Положения к периодичности заседаний выполнены.")
    if attendance:
        avg = round(sum(r["percent"] for r in attendance) / len(attendance))
        low = [r for r in attendance if r["percent"] <= 50]
        text = f"Средняя посещаемость заседаний — {avg}%."
        if low:
            text += " Присутствовало не больше половины состава на " + ", ".join(
                f"заседании №{r['number']}" for r in low) + "."
        out.append(text)
    if plan["total"]:
        text = (f"План работы выполнен на {plan['percent_done']}%: выполнено {plan['done']} из "
                f"{count(plan['total'], 'мероприятия', 'мероприятий', 'мероприятий')}")
        late = len(plan["late"])
        out.append(text + (f"; не выполнено в срок — {late}." if late else "."))
    if young:
        out.append(f"В составе {count(len(young), 'молодой специалист', 'молодых специалиста', 'молодых специалистов')}"
                   " (стаж менее 3 лет).")
    if achievements["total"]:
        out.append(f"Достижений педагогов за учебный год: {achievements['total']}.")
    if ahead:
        out.append(f"До конца следующего учебного года истекают сроки аттестации: "
                   f"{count(len(ahead), 'случай', 'случая', 'случаев')}.")
    return out
