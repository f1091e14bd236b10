"""The data bank as an .xlsx (Каменск-Уральский п. 9.4 «в электронном виде»): one row
per teacher, one column per fact, so a curator can filter and sort; the composition's
shares on a second sheet.  Personal columns exist only in a data bank made with them."""
from __future__ import annotations

from service.render.xlsx import Column, Sheet, write

COLUMNS = [
    Column("№", 5, "number"), Column("ФИО", 32, "full_name"), Column("ОО", 30, "organisation"),
    Column("Должность", 24, "position"), Column("Роль в МО", 16, "role"), Column("Возраст, лет", 9, "age"),
    Column("Образование", 16, "education"), Column("Педагогический стаж, лет", 12, "experience"),
    Column("Квалификационная категория", 18, "category"), Column("Дата присвоения", 13, "granted"),
    Column("Срок действия", 16, "valid"), Column("Аттестация на СЗД", 13, "szd"),
    Column("Конкурсы", 36, "contests"), Column("Публикации", 36, "publications"),
    Column("Награды, звания", 36, "awards"), Column("Авторские разработки", 36, "authored"),
]
PERSONAL = [Column("Дата рождения", 13, "birth_date"), Column("Телефон", 18, "phone"), Column("E-mail", 28, "email")]
SHARES = [Column("Показатель", 34, "label"), Column("Количество", 12, "count"), Column("Доля, %", 10, "percent")]
GROUPS = (("education", "Уровень образования"), ("categories", "Квалификационная категория"),
          ("experience", "Педагогический стаж"), ("age", "Возраст"))


def data_bank_xlsx(ctx: dict) -> bytes:
    org, year = ctx["org"], ctx["year"]
    lines = [org["name"], f"Банк данных педагогов {org['short_name'] or org['body']} на {year} учебный год",
             f"по состоянию на {ctx['on']:%d.%m.%Y}"]
    if ctx["personal"]:
        lines.append("Конфиденциально: содержит персональные данные (дата рождения, телефон, e-mail).")
    members = ctx["tables"]["members"]["rows"] if ctx["tables"]["members"] else []
    shares = []
    for name, title in GROUPS:
        table = ctx["tables"][name]
        for r in table["rows"] if table else []:
            shares.append({"label": f"{title}: {r['label']}", "count": r["count"], "percent": r["percent"]})
    sheets = [Sheet("Банк данных", COLUMNS + (PERSONAL if ctx["personal"] else []), members, lines),
              Sheet("Состав по показателям", SHARES, shares, lines[:3] + [f"Всего педагогов: {ctx['total']}"])]
    return write(sheets, lines[1])
