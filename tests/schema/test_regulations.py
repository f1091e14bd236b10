"""Regulation files: what each says about its documents loads as data, and a typo in a
file is refused when it is loaded, not when a curator's document is made."""
from __future__ import annotations

import datetime as dt

import pytest

from service.schema import regulations
from service.schema.regulations import load_all, load_regulation


def test_every_regulation_says_how_its_plan_is_approved_and_whom_the_order_appoints():
    for reg in load_all():
        assert reg.stamps("work-plan"), reg.id
        assert reg.order.appoints and reg.order.appoints[0] == "руководитель", reg.id
        assert all(r for r in reg.readings)


def test_the_approval_of_a_regulation_is_dated():
    kamensk = load_regulation("kamensk-uralsky-cpmss").approved
    assert (kamensk.act, kamensk.date, kamensk.number) == ("приказом директора ЦПМСС", dt.date(2024, 9, 2), "46-Д")
    assert load_regulation("zdvinsky-mmo").approved is None


@pytest.mark.parametrize("raw, message", [
    ({"order": {"appoint": ["руководитель"]}}, "unknown keys"),
    ({"order": {"appoints": ["председатель"]}}, "unknown role"),
    ({"approvals": {"work-plan": [{"stamp": "УТВЕРЖДЕНО"}]}}, "a stamp is one of"),
    ({"approvals": {"work-plan": [{"stamp": "УТВЕРЖДАЮ", "signer": "founder"}]}}, "signer must be"),
    ({"approvals": {"plan": [{"stamp": "УТВЕРЖДАЮ"}]}}, "unknown document kind 'plan'"),
    ({"required_documents": [{"kind": "databank", "clause": "п. 1", "title": "Банк"}]}, "unknown document kind"),
    ({"required_documents": [{"kind": "data-bank", "title": "Банк"}]}, "«clause» must be text"),
    ({"required_documents": [{"kind": "data-bank", "clause": "п. 1", "title": "Банк", "form": "xlsx"}]},
     "unknown keys"),
    ({"other_documents": [{"title": "Положение"}]}, "«clause» must be text"),
    ({"document_settings": {"data-bank": {"fields": ["age"]}}}, "unknown fields"),
    ({"document_settings": {"needs": {"to": "x"}}}, "no settings for 'needs'"),
    ({"documents": ["Протоколы"]}, "unknown keys"),              # the old list of titles, replaced
])
def test_mistakes_in_a_regulation_file_are_refused(tmp_path, monkeypatch, raw, message):
    import yaml

    data = {"id": "broken", "title": "Положение", "body": "МО", "seed": "9", **raw}
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(regulations, "REGULATIONS_DIR", tmp_path)
    load_regulation.cache_clear()
    try:
        with pytest.raises(ValueError, match=message):
            load_regulation("broken")
    finally:
        load_regulation.cache_clear()


def test_required_documents_and_their_settings_are_read():
    kamensk = load_regulation("kamensk-uralsky-cpmss")
    bank = kamensk.requires("data-bank")
    assert (bank.clause, bank.title) == ("п. 9.4", "Банк данных о педагогах МО (в электронном виде)")
    assert bank.as_dict() == {"kind": "data-bank", "clause": "п. 9.4",
                              "title": "Банк данных о педагогах МО (в электронном виде)"}
    assert "contacts" in kamensk.settings("data-bank")["fields"] and kamensk.settings("needs") == {}
    assert [(d.clause, d.title) for d in kamensk.other_documents] == [
        ("п. 9.6", "Планы и сценарии проведения открытых мероприятий")]
    assert load_regulation("zalesovo-mmo").settings("portfolio")["to"].startswith("Отдел по образованию")
    assert load_regulation("zdvinsky-mmo").requires("data-bank") is None
