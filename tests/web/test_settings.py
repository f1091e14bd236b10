"""Settings: declared once in service/settings.py; defaults, then the instance folder's
config.py, then MO_DOCS_* variables.  The service refuses to start without a secret key
outside development, and says clearly what is wrong with a bad value."""
from __future__ import annotations

import re
import stat

import pytest

from service import create_app
from service.readme_tables import README
from service.settings import SETTINGS, SettingsError, load_settings
from tests.accounts.factories import signed_in_client
from tests.web.helpers import CYRILLIC


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """An instance folder chosen the way an administrator does: MO_DOCS_INSTANCE."""
    folder = tmp_path / "instance"
    monkeypatch.setenv("MO_DOCS_INSTANCE", str(folder))
    monkeypatch.setenv("MO_DOCS_QUEUE_URL", "memory://")
    return folder


def test_refuses_to_start_without_a_secret_key_outside_development(instance):
    with pytest.raises(SettingsError) as err:
        create_app()
    message = str(err.value)
    assert "MO_DOCS_SECRET_KEY не задан" in message and "MO_DOCS_ENV=development" in message
    assert not (instance / "secret_key").exists()


@pytest.mark.parametrize("env", ["production", "staging", "Development"])
def test_anything_but_development_is_production(instance, monkeypatch, env):
    monkeypatch.setenv("MO_DOCS_ENV", env)
    with pytest.raises(SettingsError, match="MO_DOCS_SECRET_KEY"):
        create_app()


def test_starts_in_development_with_a_key_kept_in_the_instance(instance, monkeypatch):
    monkeypatch.setenv("MO_DOCS_ENV", "development")
    app = create_app()
    key = instance / "secret_key"
    assert app.secret_key and app.secret_key == key.read_text().strip()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert create_app().secret_key == app.secret_key                   # sessions survive a restart
    assert signed_in_client(app).get("/").status_code == 200


def test_starts_in_production_with_a_secret_key(instance, monkeypatch):
    monkeypatch.setenv("MO_DOCS_SECRET_KEY", "s3cr3t-from-the-environment")
    app = create_app()
    assert app.secret_key == "s3cr3t-from-the-environment" and app.config["ENV"] == "production"
    assert not (instance / "secret_key").exists()
    client = signed_in_client(app)
    assert client.get("/").status_code == 200


def test_environment_overrides_config_py_which_overrides_defaults(instance, monkeypatch, tmp_path):
    instance.mkdir(parents=True)
    (instance / "config.py").write_text(
        "SECRET_KEY = 'from-config'\nPORT = 8080\nWORKERS = 5\nMAX_UPLOAD_BYTES = 1000\nUNRELATED = 1\n",
        encoding="utf-8")
    monkeypatch.setenv("MO_DOCS_PORT", "9090")
    monkeypatch.setenv("MO_DOCS_DEMO", "да")
    monkeypatch.setenv("MO_DOCS_DOCUMENTS_DIR", str(tmp_path / "Документы"))
    monkeypatch.setenv("MO_DOCS_FAULT_DELAY_SECONDS", "0.25")
    app = create_app()
    c = app.config
    assert c["SECRET_KEY"] == "from-config"                             # config.py
    assert (c["PORT"], c["WORKERS"], c["MAX_UPLOAD_BYTES"]) == (9090, 5, 1000)   # env beats config.py
    assert c["DEMO"] is True and c["FAULT_DELAY_SECONDS"] == 0.25
    assert c["JOB_MAX_ATTEMPTS"] == 3 and c["WATCH_INTERVAL_MINUTES"] == 5     # defaults
    assert c["DOCUMENTS_DIR"] == str(tmp_path / "Документы")
    assert c["WORKBOOKS_DIR"] == str(instance / "workbooks")
    assert c["DATABASE_URL"] == f"sqlite:///{instance / 'mo-docs.sqlite'}"
    assert c["MAX_CONTENT_LENGTH"] == 1000 + 64 * 1024
    assert "UNRELATED" not in c
    ws = app.extensions["workspace"]
    assert ws.settings["DOCUMENTS_DIR"] == str(tmp_path / "Документы")
    assert (instance / "mo-docs.sqlite").exists()


def sample(setting) -> str:
    """A valid value of a setting, different from its default, as it is typed in the environment."""
    if setting.name == "PUBLIC_URL":
        return "https://mo.example.ru"
    if isinstance(setting.default, bool):
        return "false" if setting.default else "true"
    if isinstance(setting.default, int):
        return str(setting.default + 7)
    if isinstance(setting.default, float):
        return str(setting.default + 1.5)
    return f"value-of-{setting.name.lower()}"


def test_every_setting_can_come_from_the_environment(tmp_path):
    environ = {f"MO_DOCS_{s.name}": sample(s) for s in SETTINGS}
    loaded = load_settings(tmp_path, environ=environ)
    for s in SETTINGS:
        assert loaded[s.name] == s.parse(environ[f"MO_DOCS_{s.name}"]) != s.default, s.name
    assert loaded["PORT"] == 8007 and loaded["DEMO"] is True and loaded["FAULT_DELAY_SECONDS"] == 1.5


@pytest.mark.parametrize("name, value", [("PORT", "abc"), ("MAX_UPLOAD_BYTES", "20MB"), ("WORKERS", "два"),
                                         ("DEMO", "maybe"), ("FAULT_DELAY_SECONDS", "soon"),
                                         ("JOB_MAX_ATTEMPTS", "")])
def test_a_bad_value_names_the_variable_and_the_value(instance, monkeypatch, name, value):
    monkeypatch.setenv("MO_DOCS_SECRET_KEY", "k")
    monkeypatch.setenv(f"MO_DOCS_{name}", value)
    with pytest.raises(SettingsError) as err:
        create_app()
    message = str(err.value)
    assert message.startswith(f"MO_DOCS_{name}:") and repr(value) in message
    assert "Traceback" not in message


@pytest.mark.parametrize("name, value, expected", [("PORT", "abc", "целое число"),
                                                   ("FAULT_DELAY_SECONDS", "soon", "число")],
                         ids=["PORT", "FAULT_DELAY_SECONDS"])
def test_a_bad_number_is_explained_in_russian(instance, monkeypatch, name, value, expected):
    monkeypatch.setenv("MO_DOCS_SECRET_KEY", "k")
    monkeypatch.setenv(f"MO_DOCS_{name}", value)
    with pytest.raises(SettingsError) as err:
        create_app()
    assert expected in str(err.value) and "invalid literal" not in str(err.value)


def test_an_unknown_queue_is_named(instance, monkeypatch):
    monkeypatch.setenv("MO_DOCS_SECRET_KEY", "k")
    monkeypatch.setenv("MO_DOCS_QUEUE_URL", "ftp://queue.example")
    with pytest.raises(ValueError, match="MO_DOCS_QUEUE_URL: неизвестная схема очереди 'ftp'"):
        create_app()


def test_a_misspelt_setting_in_the_test_config_is_refused(tmp_path):
    with pytest.raises(SettingsError, match="PROT"):
        create_app({"INSTANCE": str(tmp_path), "TESTING": True, "SECRET_KEY": "k", "PROT": 1})


def test_the_secret_key_message_is_russian(instance):
    with pytest.raises(SettingsError) as err:
        create_app()
    assert CYRILLIC.search(str(err.value))


def test_every_setting_is_in_the_readme_table():
    text = README.read_text(encoding="utf-8")
    assert "<!-- settings:start -->" in text, "README.md has no table of settings"
    table = text.split("<!-- settings:start -->", 1)[1].split("<!-- settings:end -->", 1)[0]
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `MO_DOCS_([A-Z_]+)` \| (.*?) \|", table, re.M)}
    assert set(rows) == {s.name for s in SETTINGS}
    for s in SETTINGS:
        default = "—" if s.default is None else f"`{s.default}`"
        assert rows[s.name] == default, s.name
        assert s.help in table, s.name


def test_the_test_runs_own_switches_are_no_settings():
    """The guard that keeps the machine's MO_DOCS_* out of tests lets `make images` through;
    a switch it lets through must never be a setting of the service."""
    from service.settings import SETTINGS
    from tests.conftest import TEST_RUN_SWITCHES

    assert not TEST_RUN_SWITCHES & {f"MO_DOCS_{s.name}" for s in SETTINGS}
