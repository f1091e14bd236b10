"""Приказ о составе, generated and read back: the members of the order's date, whom each
regulation appoints, the basis and the control, the official name, the annex."""
from __future__ import annotations

import datetime as dt

import pytest

from service.documents import DocumentRefused
from tests.factories import association
from tests.support.documents import lines, make, paragraph, rows, text

D = dt.date


def order(generator, tmp_path, book, **request):
    return make(generator, tmp_path, book, "order", **request)


def names(document) -> list[str]:
    return [r[1] for r in rows(document, "Фамилия")]


def elect_at_meeting_1(book, question="Об избрании руководителя и заместителя руководителя ММО",
                       decided="Избрать руководителем Иванову М.П., заместителем — Кузнецову О.В."):
    book.agenda.insert(0, {**book.agenda[0], "№ вопроса": 3, "Вопрос": question, "Решили": decided})


# ---------------------------------------------------------------- members on the order's date

def test_members_are_those_of_the_orders_date(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[5]["Дата включения"] = D(2025, 1, 15)         # joined after the order
    book.members[6]["Дата выбытия"] = D(2024, 10, 10)          # left after the order: still in it
    _, d = order(generator, tmp_path, book, order_number="45-ОД", order_date=D(2024, 9, 5))
    listed = names(d)
    assert book.members[5]["ФИО"] not in listed and book.members[6]["ФИО"] in listed and len(listed) == 11


def test_without_a_date_the_composition_is_that_of_1_september(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[7]["Дата включения"] = D(2024, 9, 15)
    _, d = order(generator, tmp_path, book)
    assert book.members[7]["ФИО"] not in names(d) and len(names(d)) == 11


def test_a_head_who_joined_after_the_orders_date_refuses_it_and_says_why(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[0]["Дата включения"] = D(2024, 9, 10)
    with pytest.raises(DocumentRefused) as refused:
        order(generator, tmp_path, book)
    (f,) = [f for f in refused.value.findings if f.code == "role.no_head"]
    assert f.message.startswith("На 01.09.2024 (начало учебного года) в составе нет руководителя")
    assert "укажите его дату" in f.message
    _, d = order(generator, tmp_path, book, order_date=D(2024, 9, 12))       # dated after she joined: fine
    assert "Назначить руководителем ММО математиков Иванову Марию Петровну" in text(d)


# ---------------------------------------------------------------- whom each regulation appoints

def test_zdvinsky_names_the_curator_and_appoints_head_and_deputy_not_the_secretary(generator, tmp_path):
    """п. 5.1(1): приказом назначаются куратор, руководители и заместители."""
    _, d = order(generator, tmp_path, association("zdvinsky-mmo"), order_number="45-ОД", order_date=D(2024, 9, 2))
    points = [p.text for p in d.paragraphs if p.style.name == "МО: пункт"]
    assert points == [
        "Утвердить состав муниципального методического объединения учителей математики (далее – ММО математиков) "
        "на 2024/2025 учебный год (приложение).",
        "Назначить куратором ММО математиков Петрову Анну Ивановну, методиста ММС.",
        "Назначить руководителем ММО математиков Иванову Марию Петровну, учителя математики МБОУ СОШ №1.",
        "Назначить заместителем руководителя ММО математиков Кузнецову Ольгу Викторовну, учителя математики "
        "МБОУ СОШ №2.",
        "Контроль за исполнением приказа оставляю за собой.",
    ]
    assert "секретар" not in " ".join(points)


def test_zdvinsky_basis_is_the_protocol_of_the_election(generator, tmp_path):
    """п. 5.2(2): руководитель и заместитель избираются членами ММО."""
    book = association("zdvinsky-mmo")
    elect_at_meeting_1(book)
    _, d = order(generator, tmp_path, book, order_number="45-ОД", order_date=D(2024, 9, 26))
    assert paragraph(d, "Основание").text == "Основание: протокол заседания ММО математиков от 24.09.2024 № 1."


def test_zdvinsky_basis_is_left_blank_when_no_election_is_recorded_before_the_order(generator, tmp_path):
    book = association("zdvinsky-mmo")
    elect_at_meeting_1(book)
    _, d = order(generator, tmp_path, book, order_date=D(2024, 9, 2))      # before the meeting of 24.09
    assert paragraph(d, "Основание").text == "Основание: протокол заседания ММО математиков от ________ № ____."


def test_zdvinsky_without_a_curator_is_refused(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.info["Куратор"] = None
    with pytest.raises(DocumentRefused) as refused:
        order(generator, tmp_path, book)
    assert any(f.code == "document.missing_data" and "Куратор" in f.message for f in refused.value.findings)


@pytest.mark.parametrize("reg, body", [("novokuznetsk-gpmo", "ГПМО"), ("novokuznetsk-rpmo", "РПМО")])
def test_novokuznetsk_secretary_is_elected_not_appointed(generator, tmp_path, reg, body):
    """ГПМО п. 4.3, РПМО п. 10.2: секретарь избирается; основание — протокол."""
    book = association(reg)
    book.info["Краткое наименование"] = f"{body} математиков"
    elect_at_meeting_1(book, "О выборах секретаря", "Избрать секретарём Смирнову Е.С.")
    _, d = order(generator, tmp_path, book, order_date=D(2024, 9, 30))
    t = text(d)
    assert "секретарём" not in t and "Назначить заместителем" not in t
    assert f"Назначить руководителем {body} математиков Иванову Марию Петровну" in t
    assert f"Основание: протокол заседания {body} математиков от 24.09.2024 № 1." in t


def test_kamensk_order_on_composition_and_direction_of_work(generator, tmp_path):
    """п. 9.1: «Приказ о составе о направлении деятельности МО»; п. 5.3: контроль — заместитель директора ЦПМСС."""
    book = association("kamensk-uralsky-cpmss")
    book.info["Наименование МО"] = ("Методическое объединение педагогов-психологов Каменск-Уральского "
                                    "городского округа")
    book.info["Краткое наименование"] = "МО педагогов-психологов"
    _, d = order(generator, tmp_path, book, order_number="12-Д", order_date=D(2024, 9, 3))
    heading = next(p.text for p in d.paragraphs if p.style.name == "МО: заголовок")
    assert heading == ("О составе и направлении деятельности методического объединения педагогов-психологов "
                       "Каменск-Уральского городского округа на 2024/2025 учебный год")
    t = text(d)
    assert ("утверждённым приказом директора ЦПМСС от 02.09.2024 № 46-Д, в целях организации методической работы "
            "в 2024/2025 учебном году,") in t
    assert ("Определить направлением деятельности МО педагогов-психологов на 2024/2025 учебный год работу по "
            "методической теме «Формирование функциональной грамотности обучающихся на уроках математики».") in t
    assert "Назначить руководителем МО педагогов-психологов Иванову Марию Петровну" in t
    assert "Назначить секретарём МО педагогов-психологов Смирнову Елену Сергеевну" in t
    assert "Назначить заместителем" not in t
    assert "Контроль за исполнением приказа возложить на заместителя директора ЦПМСС." in t


@pytest.mark.parametrize("reg", ["biysk-social-pedagogues", "zalesovo-mmo"])
def test_regulations_that_appoint_only_the_head_and_leave_the_approval_blank(generator, tmp_path, reg):
    book = association(reg, position="социальный педагог" if reg.startswith("biysk") else "учитель математики")
    _, d = order(generator, tmp_path, book)
    t = text(d)
    assert "Назначить руководителем" in t and "Назначить заместителем" not in t and "секретарём" not in t
    assert "Основание" not in t and "куратором" not in t
    # the seed does not say which order approved the Положение: blanks, not a sentence cut short
    preamble = next(p.text for p in d.paragraphs if p.text.startswith("В соответствии с"))
    assert ", утверждённым приказом ______________________ от ________ № ____, в целях организации" in preamble


def test_novokuznetsk_preamble_puts_the_date_before_the_number(generator, tmp_path):
    _, d = order(generator, tmp_path, association("novokuznetsk-gpmo"))
    assert ("В соответствии с Положением о городских профессиональных методических объединениях, утверждённым "
            "приказом КОиН от 19.11.2021 № 3246 (приложение № 1), в целях") in text(d)


# ---------------------------------------------------------------- control

def test_control_stays_with_the_signer_unless_someone_is_named(generator, tmp_path):
    book = association("zdvinsky-mmo")
    _, d = order(generator, tmp_path, book)
    assert "Контроль за исполнением приказа оставляю за собой." in text(d)
    assert "Петрову Анну Ивановну, методиста ММС." in text(d)             # the curator is appointed, not in control
    assert "возложить" not in text(d)


@pytest.mark.parametrize("typed, expected", [
    ("Петрова Анна Ивановна, методист ММС", "возложить на Петрову Анну Ивановну, методиста ММС."),
    ("Петрова А.И.", "возложить на Петрову А.И., методиста ММС."),                    # the curator, found
    ("Кузнецова О.В.", "возложить на Кузнецову О.В., учителя математики."),            # a member, found
    ("Зорин Олег Ильич, заместитель начальника управления",
     "возложить на Зорина Олега Ильича, заместителя начальника управления."),
])
def test_control_named_in_svedeniya(generator, tmp_path, typed, expected):
    book = association("zdvinsky-mmo")
    book.info["Контроль исполнения"] = typed
    _, d = order(generator, tmp_path, book)
    assert f"Контроль за исполнением приказа {expected}" in text(d)


def test_control_naming_the_signer_is_kept_by_the_signer(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.info["Контроль исполнения"] = "Сидоров И.П."
    _, d = order(generator, tmp_path, book)
    assert "Контроль за исполнением приказа оставляю за собой." in text(d)


# ---------------------------------------------------------------- names, requisites, annex

def test_official_name_in_title_and_text_short_name_introduced_once(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.info["Наименование МО"] = "Муниципальное методическое объединение учителей математики Здвинского района"
    _, d = order(generator, tmp_path, book, order_date=D(2024, 9, 2), order_number="45-ОД")
    t = text(d)
    heading = next(p.text for p in d.paragraphs if p.style.name == "МО: заголовок")
    assert heading == ("О составе и руководстве муниципального методического объединения учителей математики "
                       "Здвинского района на 2024/2025 учебный год")
    assert t.count("(далее – ММО математиков)") == 1
    assert "2024-2025" not in t


def test_requisites_place_and_annex(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.info["Учредитель"] = "Управление образования администрации Здвинского района"
    _, d = order(generator, tmp_path, book, order_number="45-ОД", order_date=D(2024, 9, 2))
    ls = lines(d)
    assert ls[:4] == ["УПРАВЛЕНИЕ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ЗДВИНСКОГО РАЙОНА", "ПРИКАЗ", "02.09.2024\t№ 45-ОД",
                      "с. Здвинск"]
    annex = ls.index("Приложение")
    assert ls[annex + 1:annex + 3] == ["к приказу управления образования администрации Здвинского района",
                                       "от 02.09.2024 № 45-ОД"]
    listed = names(d)
    assert listed[:3] == ["Иванова Мария Петровна", "Кузнецова Ольга Викторовна", "Смирнова Елена Сергеевна"]
    rest = listed[3:]
    assert rest == sorted(rest, key=lambda n: n.casefold().replace("ё", "е"))
    assert [r[4] for r in rows(d, "Фамилия")][:4] == ["руководитель", "заместитель руководителя", "секретарь", "член"]


def test_place_of_compilation_is_left_blank_never_the_territory(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.info["Место составления"] = None
    outcome, d = order(generator, tmp_path, book)
    assert lines(d)[3] == "______________________" and "Здвинский район" not in text(d)


def test_blank_number_and_date_leave_lines_to_fill(generator, tmp_path):
    _, d = order(generator, tmp_path, association())
    assert lines(d)[2] == "«___» ____________ 20__ г.\t№ ____"
    assert "от __________ № ____" in text(d)


def test_lists_sort_like_a_dictionary_with_yo(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[4]["ФИО"] = "Ёлкина Светлана Юрьевна"
    book.attendance["Ёлкина Светлана Юрьевна"] = book.attendance.pop("Соколова Светлана Юрьевна")
    listed = names(order(generator, tmp_path, book)[1])
    assert listed.index("Ёлкина Светлана Юрьевна") > listed.index("Волкова Людмила Андреевна")
    assert listed.index("Ёлкина Светлана Юрьевна") < listed.index("Козлова Ирина Александровна")


# ---------------------------------------------------------------- refusals that are relevant

def test_an_ordinary_members_bad_category_does_not_block_the_order(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[6]["Квалификационная категория"] = "главная"
    outcome, d = order(generator, tmp_path, book)
    assert not any("ВНИМАНИЕ" in p.text for p in d.paragraphs) and outcome.blocking == []
    assert [(f.code, f.cell) for f in outcome.notes] == [("cell.bad_choice", "G8")]
    with pytest.raises(DocumentRefused) as refused:                         # the analysis prints categories
        make(generator, tmp_path, book, "annual-report")
    assert [f.cell for f in refused.value.findings] == ["G8"]


def test_an_error_in_a_printed_cell_blocks_the_order(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[6]["Дата включения"] = "32.13.2024"
    with pytest.raises(DocumentRefused) as refused:
        order(generator, tmp_path, book)
    assert [(f.code, f.cell) for f in refused.value.findings] == [("cell.bad_date", "M8")]
