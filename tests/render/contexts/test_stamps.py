"""Approval marks shared by the plan and the analysis where one clause covers both
(Новокузнецк: ГПМО п. 4.7, РПМО п. 10.5)."""
from __future__ import annotations

import pytest

from tests.factories import association
from tests.support.documents import make, stamp, text


@pytest.mark.parametrize("kind", ["work-plan", "annual-report"])
@pytest.mark.parametrize("reg, position, where", [
    ("novokuznetsk-gpmo", "Заместитель председателя КОиН",
     "на заседании организационно-методического совета муниципальной методической службы"),
    ("novokuznetsk-rpmo", "Руководитель ГПМО", "на заседании ГПМО"),
])
def test_novokuznetsk_agreed_and_considered(generator, tmp_path, kind, reg, position, where):
    """Рассматриваются на совете (на ГПМО) и согласовываются; the signer's name is written by hand."""
    _, d = make(generator, tmp_path, association(reg), kind)
    left, right = stamp(d)
    assert right == ["СОГЛАСОВАНО", position, "________ / ____________", "«___» ____________ 20__ г."]
    assert left == ["РАССМОТРЕН", where, "(протокол от ________ № ____)"]
    assert "И.П. Сидоров" not in text(d)                          # nobody is invented
