"""The sandboxed environment: values come out exactly, templates cannot escape or hang."""
import datetime as dt

import pytest

from service.render.environment import Budget, make_environment
from service.render.errors import RenderError


@pytest.fixture
def env():
    return make_environment()


def render(env, source, **ctx):
    return env.from_string(source).render(**ctx)


def test_values_are_escaped_for_xml(env):
    assert render(env, "{{ v }}", v="Иванов & Сын <b>") == "Иванов &amp; Сын &lt;b&gt;"
    assert render(env, "{{ v }}", v="</w:t><w:t>x") == "&lt;/w:t&gt;&lt;w:t&gt;x"


@pytest.mark.parametrize("source", [
    "{{ lipsum.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ v.__class__ }}",
    "{{ range.__globals__ }}",
])
def test_escapes_are_refused(env, source):
    with pytest.raises(Exception) as exc:
        render(env, source, v="x")
    assert exc.type.__name__ in ("SecurityError", "UndefinedError")


def test_huge_strings_and_loops_are_refused(env):
    with pytest.raises(RenderError) as exc:
        render(env, "{{ 'a' * 100000000 }}")
    assert exc.value.code == "template.too_expensive"
    with pytest.raises(RenderError):
        render(env, "{% for i in range(1000000) %}{% endfor %}")
    with pytest.raises(RenderError):
        render(env, "{{ 10 ** 100000 }}")


def test_nested_loops_stop_on_the_time_budget(env):
    env.budget = Budget(0.2)
    with pytest.raises(RenderError) as exc:
        render(env, "{% for a in range(9000) %}{% for b in range(9000) %}{% endfor %}{% endfor %}")
    assert exc.value.code == "template.too_expensive"


def test_missing_names_are_errors_not_blanks(env):
    with pytest.raises(Exception) as exc:
        render(env, "{{ meeting.number }}")
    assert exc.type.__name__ == "UndefinedError"


def test_office_filters(env):
    ctx = dict(d=dt.date(2024, 11, 12), n="Иванова Мария Петровна", p="учитель математики")
    out = render(env, "{{ d|date }}|{{ d|date_words }}|{{ n|initials }}|{{ n|signature }}|"
                      "{{ n|name_case('accs') }}|{{ p|phrase_case('accs') }}|{{ 3|count('человек','человека','человек') }}|"
                      "{{ none_value|date }}", none_value=None, **ctx)
    assert out == ("12.11.2024|12 ноября 2024 г.|Иванова М.П.|М.П. Иванова|Иванову Марию Петровну|"
                   "учителя математики|3 человека|")
