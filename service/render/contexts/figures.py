"""The year's figures in the one form every association gets (service.domain.indicators),
for the portfolio (Залесово п. 4.4) and the self-assessment (п. 5.7)."""
from __future__ import annotations

import datetime as dt

from service.domain.indicators import year_indicators
from service.pipeline import Report
from service.render.contexts.annual import report_date


def figures_context(report: Report, today: dt.date) -> dict:
    """`report_date` (as the analysis is dated) and `indicators`: numbered rows, the parts
    («в том числе …») unnumbered under their whole; a value the workbook cannot tell is None."""
    rules = report.regulation.rule_specs("meeting_frequency") if report.regulation else []
    rows, number = [], 0
    for i in year_indicators(report.data, report.year, today, rules):
        number += not i.part
        rows.append({**i.as_dict(), "number": "" if i.part else number})
    return {"report_date": report_date(report), "indicators": rows}
