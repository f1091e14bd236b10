import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.russian.plural import count, plural

FORMS = ("человек", "человека", "человек")       # one, few, many for «человек»
MEETING = ("заседание", "заседания", "заседаний")


@pytest.mark.parametrize("n, expected", [
    (0, "0 заседаний"),
    (1, "1 заседание"),
    (2, "2 заседания"),
    (4, "4 заседания"),
    (5, "5 заседаний"),
    (11, "11 заседаний"),
    (12, "12 заседаний"),
    (14, "14 заседаний"),
    (21, "21 заседание"),
    (22, "22 заседания"),
    (25, "25 заседаний"),
    (101, "101 заседание"),
    (111, "111 заседаний"),
    (112, "112 заседаний"),
    (1000, "1000 заседаний"),
    (1001, "1001 заседание"),
])
def test_count_reads_as_in_a_protocol(n, expected):
    assert count(n, *MEETING) == expected


def test_negative_numbers_agree_like_positive_ones():
    assert plural(-1, *MEETING) == "заседание"
    assert plural(-3, *MEETING) == "заседания"
    assert plural(-11, *MEETING) == "заседаний"


def _classic_rule(n: int) -> int:
    """The school-grammar rule, stated from the spelled-out number: look at
    the last two digits first (11-14 always «many»), then the last one."""
    digits = str(abs(n))
    last, last_two = int(digits[-1]), int(digits[-2:])
    if 11 <= last_two <= 14:
        return 2
    if last == 1:
        return 0
    if last in (2, 3, 4):
        return 1
    return 2


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_every_number_gets_the_classic_form(n):
    forms = ("one", "few", "many")
    form = plural(n, *forms)
    assert form in forms
    assert form == forms[_classic_rule(n)]


@given(st.integers(min_value=0, max_value=10**9))
def test_form_depends_only_on_the_last_two_digits(n):
    assert plural(n, *MEETING) == plural(n % 100, *MEETING) == plural(n + 100, *MEETING)


@given(st.integers(min_value=0, max_value=10**6))
def test_count_is_the_number_then_the_word(n):
    assert count(n, *FORMS) == f"{n} {plural(n, *FORMS)}"
