"""Анализ работы за учебный год: the year in numbers, against the regulation."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

from service.domain import statistics
from service.pipeline import Report
from service.render.contexts.common import common_context
from service.russian.plural import count
from service.schema.findings import ERROR, WARNING, without_cell


def annual_report_context(report: Report, today: dt.date, warnings: list[str] = ()) -> dict:
    wb, year = report.data, report.year
    on = min(today, year.last_day)
    members = wb.members_on(on)
    rules = report.regulation.rule_specs("meeting_frequency") if report.regulation else []
    staff = statistics.staff(members, on)
    periods = statistics.meetings_by_period(wb, year, today, rules)
    attendance = statistics.attendance(wb, today)
    plan = statistics.plan_execution(wb, today)
    achievements = statistics.achievements(wb)
    ahead = statistics.attestation_ahead(members, year, today)
    open_findings = [{"severity": "ошибка" if f.severity == ERROR else "предупреждение", "sheet": f.sheet or "",
                      "cell": f.cell or "", "message": without_cell(f.message, f.cell),
                      "clause": f.clause or ""}
                     for f in report.findings if f.severity in (ERROR, WARNING)]
    held = sum(1 for r in attendance)
    ctx = common_context(report, today, list(warnings))
    ctx.update({
        "staff": staff,
        "periods": periods,
        "meetings_held": len([m for m in wb.meetings if m.state(today) == "проведено"]),
        "attendance": attendance,
        "attendance_average": round(sum(r["percent"] for r in attendance) / held) if held else 0,
        "plan": plan,
        "achievements": achievements,
        "attestation": ahead,
        "findings": open_findings,
        "conclusions": conclusions(staff, periods, attendance, plan, ahead, open_findings),
        "quorum_share": float(Fraction(report.regulation.quorum)) if report.regulation and report.regulation.quorum
        else None,
    })
    return ctx


def conclusions(staff, periods, attendance, plan, ahead, findings) -> list[str]:
    out = []
    missed = [p for p in periods if p["ended"] and not p["met"]]
    if periods:
        if missed:
            out.append("Требования Положения к периодичности заседаний не выполнены: "
                       + "; ".join(f"{p['period']} — проведено {p['held']} при норме {p['required']}" for p in missed)
                       + ".")
        else:
            out.append("Требования Положения к периодичности заседаний выполнены.")
    if attendance:
        avg = round(sum(r["percent"] for r in attendance) / len(attendance))
        low = [r for r in attendance if r["percent"] <= 50]
        text = f"Средняя посещаемость заседаний — {avg}%."
        if low:
            text += " Посещаемость не выше половины состава: " + ", ".join(f"заседание №{r['number']}" for r in low) + "."
        out.append(text)
    if plan["total"]:
        out.append(f"План работы выполнен на {plan['percent_done']}%: выполнено {plan['done']} из "
                   f"{count(plan['total'], 'мероприятия', 'мероприятий', 'мероприятий')}.")
    qualified = sum(r["count"] for r in staff["categories"] if r["label"] != "нет")
    if staff["total"]:
        out.append(f"Квалификационную категорию имеют {qualified} из {staff['total']} педагогов "
                   f"({round(100 * qualified / staff['total'])}%).")
    if ahead:
        out.append(f"До конца следующего учебного года истекают сроки аттестации: "
                   f"{count(len(ahead), 'случай', 'случая', 'случаев')} (см. раздел 6).")
    errors = sum(1 for f in findings if f["severity"] == "ошибка")
    if errors:
        out.append(f"Не устранено замечаний по ведению документации: {errors} (см. раздел 7).")
    return out
