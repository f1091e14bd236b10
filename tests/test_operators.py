"""`mo-docs users …` and `mo-docs tokens …` as an operator types them on the server, and
`mo-docs serve --host 0.0.0.0`, refused until an admin exists."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import association

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def mo_docs(tmp_path):
    instance = tmp_path / "instance"
    env = {"PATH": "/usr/bin:/bin", "MO_DOCS_INSTANCE": str(instance), "MO_DOCS_SECRET_KEY": "operator-test",
           "MO_DOCS_QUEUE_URL": "memory://", "MO_DOCS_PUBLIC_URL": "https://mo.example.ru"}

    def run(*args, stdin: str | None = None, timeout: float = 60):
        return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=REPO, env=env, input=stdin,
                              capture_output=True, text=True, timeout=timeout)
    run.instance = instance
    run.env = env
    return run


def _app(mo_docs):
    from service import create_app
    return create_app({"INSTANCE": str(mo_docs.instance), "SECRET_KEY": "operator-test", "QUEUE_URL": "memory://",
                       "PUBLIC_URL": "https://mo.example.ru", "TESTING": True})


def test_the_first_admin_then_a_head_by_invitation_then_a_token(mo_docs, tmp_path):
    r = mo_docs("users", "list")
    assert r.returncode == 0 and "mo-docs users add АДРЕС --role admin" in r.stdout
    r = mo_docs("users", "add", "Admin@Mo.Example", "--role", "admin", "--name", "Иванова И.И.", "--password-stdin",
                stdin="длинный пароль админа\n")
    assert r.returncode == 0, r.stderr
    assert "admin@mo.example (администратор) создана" in r.stdout and "http" not in r.stdout
    app = _app(mo_docs)
    ws = app.extensions["workspace"]
    folder = Path(ws.settings["WORKBOOKS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    a = ws.add_association(str(association().save(folder / "b.xlsx")), "тест")
    r = mo_docs("users", "add", "head@mo.example", "--role", "head", "--association", a.slug)
    assert r.returncode == 0, r.stderr
    link = re.search(r"https://mo\.example\.ru/invitation/\S+", r.stdout).group(0)
    assert "Письмо: отправлено" in r.stderr and len(list((mo_docs.instance / "outbox").glob("*.eml"))) == 1
    client = app.test_client()
    assert client.get(link.replace("https://mo.example.ru", ""), headers={"Host": "mo.example.ru"}).status_code == 200
    r = mo_docs("users", "list")
    assert re.search(r"head@mo\.example\tруководитель МО\tприглашена\t" + a.slug, r.stdout)
    r = mo_docs("tokens", "create", "head@mo.example", "--name", "отчёты")
    token = r.stdout.strip()
    assert r.returncode == 0 and token.startswith("mod_") and "один раз" in r.stderr
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Host": "mo.example.ru"}
    assert [x["slug"] for x in api.get("/api/v1/associations", headers=headers).json["associations"]] == [a.slug]
    listed = mo_docs("tokens", "list").stdout
    assert "отчёты" in listed and token not in listed and token[:10] in listed
    token_id = listed.split("\t", 1)[0]
    assert mo_docs("tokens", "revoke", token_id).returncode == 0
    assert api.get("/api/v1/associations", headers=headers).status_code == 401
    assert mo_docs("tokens", "revoke", token_id).returncode == 2


@pytest.mark.parametrize("args, stdin, words", [
    (("users", "add", "x@mo.example", "--role", "king"), None, "недопустимое значение 'king'"),
    (("users", "add", "not-an-address", "--role", "head"), None, "не адрес"),
    (("users", "add", "x" * 300 + "@mo.example", "--role", "head"), None, "слишком длинный"),
    (("users", "add", "x@mo.example", "--role", "head", "--association", "nobody"), None, "объединения «nobody» нет"),
    (("users", "add", "x@mo.example", "--role", "curator"), None, "куратору нужна"),
    (("users", "add", "x@mo.example", "--role", "admin", "--password-stdin"), "123\n", "не короче"),
    (("tokens", "create", "nobody@mo.example"), None, "учётной записи nobody@mo.example нет"),
    (("users", "deactivate", "nobody@mo.example"), None, "нет"),
])
def test_operator_mistakes_are_one_russian_line(mo_docs, args, stdin, words):
    r = mo_docs(*args, stdin=stdin)
    assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr


def test_the_last_admin_cannot_be_deactivated_and_a_deactivated_account_gets_no_token(mo_docs):
    mo_docs("users", "add", "a@mo.example", "--role", "admin", "--password-stdin", stdin="пароль администратора\n")
    r = mo_docs("users", "deactivate", "a@mo.example")
    assert r.returncode == 2 and "последний активный администратор" in r.stderr
    mo_docs("users", "add", "c@mo.example", "--role", "curator", "--territory", "Здвинский район")
    assert mo_docs("users", "deactivate", "c@mo.example").returncode == 0
    r = mo_docs("tokens", "create", "c@mo.example")
    assert r.returncode == 2 and "отключена" in r.stderr


def test_serve_on_the_network_is_refused_until_an_admin_exists(mo_docs):
    r = mo_docs("serve", "--host", "0.0.0.0", "--port", "1")
    assert r.returncode == 2 and "нет учётной записи администратора" in r.stderr and "mo-docs users add" in r.stderr
    env_host = subprocess.run([sys.executable, "-m", "service.cli", "serve", "--port", "1"], cwd=REPO,
                              env={**mo_docs.env, "MO_DOCS_HOST": "::"}, capture_output=True, text=True, timeout=60)
    assert env_host.returncode == 2 and "нет учётной записи администратора" in env_host.stderr


def test_the_host_check_decides_by_address(tmp_path):
    from service.serve import RefusedHost, check_host, is_loopback
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.5", "mo.example.ru"))
    from service import create_app
    from tests.accounts.factories import make_account
    app = create_app({"INSTANCE": str(tmp_path / "i"), "TESTING": True, "SECRET_KEY": "k", "QUEUE_URL": "memory://",
                      "HOST": "0.0.0.0"})
    with pytest.raises(RefusedHost):
        check_host(app)
    make_account(app.extensions["workspace"].sf, "head")
    with pytest.raises(RefusedHost):                                   # a head is not an admin
        check_host(app)
    make_account(app.extensions["workspace"].sf, "admin")
    assert check_host(app) == "0.0.0.0"


def test_an_operator_changes_a_role_an_association_and_a_curators_territories(mo_docs, tmp_path):
    from service.accounts import directory
    from service.accounts.principal import principal_for_account

    app = _app(mo_docs)
    ws = app.extensions["workspace"]
    folder = Path(ws.settings["WORKBOOKS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    a = ws.add_association(str(association().save(folder / "b.xlsx")), "тест")
    assert mo_docs("users", "add", "head@mo.example", "--role", "head", "--association", a.slug).returncode == 0
    assert mo_docs("users", "add", "cur@mo.example", "--role", "curator", "--territory", "Нигде").returncode == 0
    head = directory.by_email(ws.sf, "head@mo.example")
    r = mo_docs("users", "grant", "head@mo.example", a.slug, "--role", "member")
    assert r.returncode == 0 and "член МО" in r.stdout
    assert not principal_for_account(ws.sf, head.id).may("generate", a)
    r = mo_docs("users", "revoke", "head@mo.example", a.slug)
    assert r.returncode == 0 and not principal_for_account(ws.sf, head.id).sees(a)
    assert mo_docs("users", "revoke", "head@mo.example", a.slug).returncode == 2
    r = mo_docs("users", "territories", "cur@mo.example", "--territory", a.territory)
    cur = directory.by_email(ws.sf, "cur@mo.example")
    assert r.returncode == 0 and principal_for_account(ws.sf, cur.id).may("archive", a)
    r = mo_docs("users", "role", "cur@mo.example", "member")
    assert r.returncode == 0 and not principal_for_account(ws.sf, cur.id).sees(a)      # territories go with the role
    r = mo_docs("users", "territories", "head@mo.example", "--territory", "Где-то")
    assert r.returncode == 2 and "только куратору" in r.stderr and "Traceback" not in r.stderr
    assert {"access.invite", "access.revoke"} <= {e.action for e in ws.audit(a.id, 20)}
