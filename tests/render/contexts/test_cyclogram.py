"""Циклограмма (Бийск п. 6.1): one landscape table, month by month, read back."""
from __future__ import annotations

from tests.factories import association
from tests.support.documents import lines, make, rows, text


def book():
    b = association("biysk-social-pedagogues", position="социальный педагог")
    b.plan[1].update({"Срок": "ноябрь–декабрь", "Форма": "консультация", "Мероприятие": "Консультации по профилактике"})
    return b


def test_month_by_month_in_one_landscape_table(generator, tmp_path):
    outcome, d = make(generator, tmp_path, book(), "cyclogram")
    assert outcome.filed.location.endswith("Планы/Циклограмма на 2024-2025 учебный год.docx")
    assert lines(d)[:4] == ["МУНИЦИПАЛЬНОЕ МЕТОДИЧЕСКОЕ ОБЪЕДИНЕНИЕ УЧИТЕЛЕЙ МАТЕМАТИКИ", "ЦИКЛОГРАММА",
                            "с. Здвинск",
                            "организации методической работы ММО математиков на 2024/2025 учебный год"]
    table = rows(d, "Методические мероприятия")
    assert [r[0] for r in table] == ["Сентябрь 2024", "Октябрь 2024", "Ноябрь 2024", "Декабрь 2024", "Январь 2025",
                                     "Февраль 2025", "Март 2025", "Апрель 2025", "Май 2025", "В течение года"]
    by_month = {r[0]: r for r in table}
    assert by_month["Сентябрь 2024"][1] == "Заседание №1 (24.09.2024): Тема заседания 1"
    both = "Консультации по профилактике (консультация), ноябрь–декабрь — Иванова Мария Петровна"
    assert by_month["Ноябрь 2024"][2] == both and by_month["Декабрь 2024"][2] == both
    assert by_month["Февраль 2025"][2] == "Мероприятие 3 (семинар), 18.02.2025 — Иванова Мария Петровна"
    assert by_month["В течение года"][2] == "Мероприятие 4 (семинар) — Иванова Мария Петровна"
    assert by_month["Январь 2025"][1:] == ["", ""]
    section = d.sections[0]
    assert section.page_width > section.page_height


def test_without_plan_or_meetings_it_is_refused(generator, tmp_path):
    import pytest

    from service.documents import DocumentRefused

    b = book()
    b.plan, b.meetings, b.agenda = [], [], []
    with pytest.raises(DocumentRefused) as refused:
        make(generator, tmp_path, b, "cyclogram")
    assert "plan.missing" in {f.code for f in refused.value.findings}
    assert any("циклограмма была бы пуста" in f.message for f in refused.value.findings)
    assert "ЦИКЛОГРАММА" in text(make(generator, tmp_path, b, "cyclogram", force=True)[1])
