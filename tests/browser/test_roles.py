"""Each person sees exactly their associations, in a real browser on the real service:
the head of «ММО математиков», the curator of Новокузнецк, and a member who cannot
generate (no buttons, and the request itself is refused)."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.system("chromium"), pytest.mark.slow, pytest.mark.timeout(180)]


def _names(page) -> set[str]:
    return set(page.locator("#associations tbody tr th[scope=row] > a").all_inner_texts())


def test_head_curator_and_member_each_see_their_own(browser_context, live_service):
    from playwright.sync_api import expect

    demo = {email: what for email, what in live_service.demo.accounts}
    assert "mmo-matematikov@mo.example" in demo and "kurator-novokuznetskiy@mo.example" in demo

    head = browser_context()
    sign_in(head, live_service, "mmo-matematikov@mo.example")
    expect(head.locator("#associations tbody tr")).to_have_count(1)
    assert _names(head) == {"ММО математиков"}
    expect(head.locator("header.top")).to_contain_text("руководитель МО")
    r = head.goto(live_service.url + "/a/gpmo-istorikov")               # another territory's slug typed in
    assert r.status == 404
    expect(head.locator(".alert.error")).to_contain_text("не найдено")
    head.goto(live_service.url + "/a/mmo-matematikov")
    expect(head.get_by_role("button", name="Сформировать протокол").first).to_be_visible()

    curator = browser_context()
    sign_in(curator, live_service, "kurator-novokuznetskiy@mo.example")
    expect(curator.locator("#associations tbody tr")).to_have_count(1)
    assert _names(curator) == {"ГПМО историков"}
    curator.get_by_role("link", name="ГПМО историков").click()
    curator.wait_for_url(re.compile(r"/a/gpmo-istorikov$"))
    curator.get_by_role("link", name="Состав").click()
    expect(curator.locator("#members thead")).to_contain_text("Дата рождения")     # a curator sees personal data
    assert curator.goto(live_service.url + "/a/mmo-matematikov").status == 404

    # a member of «ММО математиков», invited by its head
    from service.accounts import directory
    ws = live_service.app().extensions["workspace"]
    a = ws.association("mmo-matematikov")
    directory.create(ws.sf, "member@mo.example", "member", name="Орлова Е.В.", association_ids=[a.id],
                     password="пароль члена МО 1")
    ws.engine.dispose()
    member = browser_context()
    sign_in(member, live_service, "member@mo.example", "пароль члена МО 1")
    assert _names(member) == {"ММО математиков"}
    expect(member.locator("button", has_text="Анализ работы для всех МО")).to_have_count(0)
    member.get_by_role("link", name="ММО математиков").click()
    member.wait_for_url(re.compile(r"/a/mmo-matematikov$"))
    expect(member.locator("#meetings")).to_be_visible()
    expect(member.get_by_role("button", name="Сформировать протокол")).to_have_count(0)
    expect(member.get_by_role("button", name="Проверить снова")).to_have_count(0)
    expect(member.get_by_role("link", name="Заменить книгу")).to_have_count(0)
    token = member.locator("header form input[name=csrf_token]").get_attribute("value")
    refused = member.request.post(live_service.url + "/a/mmo-matematikov/documents",
                                  form={"csrf_token": token, "kind": "protocol", "meeting": "1"})
    assert refused.status == 403 and "руководитель МО или куратор" in refused.text()
    member.get_by_role("link", name="Состав").click()
    expect(member.locator("#members thead")).not_to_contain_text("Дата рождения")
