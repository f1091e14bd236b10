"""The year month by month: September to May always, summer months when used; a span of
months in each of its months; «в течение года» apart; meetings from «Заседания» only."""
from __future__ import annotations

from service.domain.cyclogram import months
from service.pipeline import check
from tests.domain import BIYSK, BookSource, D, compliant, year_end


def test_months_meetings_and_events():
    book = compliant(BIYSK)
    book.plan[1]["Срок"] = "ноябрь–декабрь"
    book.plan.append({"№": 5, "Мероприятие": "Заседание ММО", "Форма": "заседание", "Срок": "октябрь"})
    book.plan.append({"№": 6, "Мероприятие": "Летняя школа", "Форма": "семинар", "Срок": "июль"})
    book.meeting(2)["Статус"] = "отменено"
    report = check(BookSource(book), as_of=year_end())
    shown, whole = months(report.data, report.year, year_end())
    by_name = {(m.name, m.year): m for m in shown}
    assert [(m.name, m.year) for m in shown] == [
        ("сентябрь", 2024), ("октябрь", 2024), ("ноябрь", 2024), ("декабрь", 2024), ("январь", 2025),
        ("февраль", 2025), ("март", 2025), ("апрель", 2025), ("май", 2025), ("июль", 2025)]
    assert [p.event for p in by_name["ноябрь", 2024].items] == ["Мероприятие 2"]
    assert [p.event for p in by_name["декабрь", 2024].items] == ["Мероприятие 2"]
    assert by_name["октябрь", 2024].items == []                  # «заседание» items are the meetings
    assert by_name["декабрь", 2024].meetings == []               # the cancelled meeting of 10.12.2024
    assert [x.number for x in by_name["февраль", 2025].meetings] == [3]
    assert [p.event for p in whole] == ["Мероприятие 4"]
    assert [p.event for p in by_name["июль", 2025].items] == ["Летняя школа"]
    assert D(2025, 7, 1) <= by_name["июль", 2025].items[0].due.first
