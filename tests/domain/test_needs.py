"""Needs summed up by need: typed alike is one need, a person counted once."""
from service.domain.needs import by_need
from service.schema.records import Need


def n(name, need, help=None):
    return Need(row=2, full_name=name, need=need, help=help)


def test_needs_typed_alike_are_one_and_the_most_shared_first():
    groups = by_need([n("Иванова", "Работа с одарёнными детьми", "семинар"),
                      n("Петрова", "Смысловое чтение"),
                      n("Сидорова", "работа с одаренными  детьми.", "курсы повышения квалификации"),
                      n("Иванова", "Работа с одарёнными детьми", "семинар")])
    assert [(g.need, g.people, g.helps) for g in groups] == [
        ("Работа с одарёнными детьми", ["Иванова", "Сидорова"], ["семинар", "курсы повышения квалификации"]),
        ("Смысловое чтение", ["Петрова"], [])]
    assert groups[0].share(8) == 25 and groups[0].share(0) == 0
