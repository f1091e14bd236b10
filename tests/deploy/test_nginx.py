"""docs/deploy.md as an administrator follows it: Debian's nginx with the site file
docs/deploy/nginx.conf (names, ports and certificate paths replaced), TLS with a throwaway
CA, in front of the real `mo-docs serve` with MO_DOCS_PUBLIC_URL and MO_DOCS_PROXY_HOPS=1.
Through it: http goes to https, sign-in works with `Secure` cookies, the client's address is
the one nginx saw (a forged X-Forwarded-For is ignored), other Host names are refused."""
from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.browser.live import LiveService, free_port, settings_for
from tests.support.certs import make_certs

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy"
NAME = "mo.example.test"
PASSWORD = "пароль руководителя 1"
pytestmark = [pytest.mark.system("nginx"), pytest.mark.slow, pytest.mark.timeout(120)]


def _nginx() -> str:
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        pytest.skip("nginx is not installed: scripts/system-deps.sh installs the `nginx` package")
    return binary


@pytest.fixture
def stack(tmp_path):
    nginx = _nginx()
    certs = make_certs(tmp_path / "tls", (NAME, "127.0.0.1"))
    https_port, http_port, app_port = free_port(), free_port(), free_port()
    instance = tmp_path / "instance"
    service = LiveService(instance, settings_for(instance, app_port, DEMO=False,
                                                 PUBLIC_URL=f"https://{NAME}:{https_port}", PROXY_HOPS=1))
    app = service.app()
    from tests.accounts.factories import make_account
    make_account(app.extensions["workspace"].sf, "admin", email="admin@mo.example", password=PASSWORD)
    app.extensions["workspace"].engine.dispose()
    service.start(worker=False)

    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    site = site.replace("mo.example.ru", NAME).replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace(f"/etc/letsencrypt/live/{NAME}/fullchain.pem", str(certs.cert))
    site = site.replace(f"/etc/letsencrypt/live/{NAME}/privkey.pem", str(certs.key))
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
    root = tmp_path / "nginx"
    site = site.replace("/var/log/nginx/mo-docs.access.log", str(root / "mo-docs.access.log"))
    (root / "tmp").mkdir(parents=True)
    (root / "site.conf").write_text(site, encoding="utf-8")
    user = "user root;\n" if __import__("os").geteuid() == 0 else ""
    (root / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {root}/nginx.pid;\nerror_log {root}/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n  access_log {root}/access.log;\n  client_body_temp_path {root}/tmp/body;\n"
        f"  proxy_temp_path {root}/tmp/proxy;\n  fastcgi_temp_path {root}/tmp/fcgi;\n"
        f"  uwsgi_temp_path {root}/tmp/uwsgi;\n  scgi_temp_path {root}/tmp/scgi;\n"
        f"  include {root}/site.conf;\n}}\n", encoding="utf-8")
    check = subprocess.run([nginx, "-t", "-c", str(root / "nginx.conf"), "-p", str(root)], capture_output=True,
                           text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([nginx, "-c", str(root / "nginx.conf"), "-p", str(root)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        import socket
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.5).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                time.sleep(0.1)
        yield {"https": https_port, "http": http_port, "ca": str(certs.ca), "service": service, "root": root}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        service.stop()


def test_the_service_behind_nginx_and_tls(stack):
    import requests

    base = f"https://127.0.0.1:{stack['https']}"
    host = {"Host": f"{NAME}:{stack['https']}"}
    r = requests.get(f"http://127.0.0.1:{stack['http']}/login", headers={"Host": NAME}, allow_redirects=False,
                     timeout=10)
    assert r.status_code == 301 and r.headers["Location"] == f"https://{NAME}/login"
    s = requests.Session()
    s.verify = stack["ca"]
    s.trust_env = False                  # else REQUESTS_CA_BUNDLE from the environment wins over `verify`
    page = s.get(f"{base}/login", headers=host, timeout=10)
    assert page.status_code == 200 and "Вход в службу" in page.text
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = next(c for c in s.cookies)
    assert cookie.name.startswith("__Host-") and cookie.secure
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = s.post(f"{base}/login", data={"csrf_token": token, "email": "admin@mo.example", "password": PASSWORD},
               headers={**host, "X-Forwarded-For": "203.0.113.9"}, allow_redirects=False, timeout=10)
    assert r.status_code == 302 and r.headers["Location"] == "/"
    dashboard = s.get(f"{base}/", headers=host, timeout=10)
    assert dashboard.status_code == 200 and "Методические объединения" in dashboard.text
    from sqlalchemy import create_engine, text
    engine = create_engine(stack["service"].settings["DATABASE_URL"])
    with engine.connect() as conn:
        assert conn.execute(text("SELECT address FROM login_sessions")).scalar() == "127.0.0.1"   # not 203.0.113.9
    engine.dispose()
    evil = s.get(f"{base}/login", headers={"Host": "evil.example"}, timeout=10)
    assert evil.status_code == 400
    rebind = s.get(f"{base}/login", headers={"Host": "evil.example", "X-Forwarded-Host": NAME}, timeout=10)
    assert rebind.status_code == 400                                    # a client's X-Forwarded-Host is no Host
    api = requests.get(f"{base}/api/v1/associations", headers=host, verify=stack["ca"], timeout=10)
    assert api.status_code == 401 and api.json()["error"]["code"] == "auth.required"


def test_the_deployment_files_name_real_commands_and_settings():
    from service.cli import build_parser
    from service.settings import BY_NAME

    commands = set(build_parser()._subparsers._group_actions[0].choices)
    for unit in DEPLOY.glob("*.service"):
        for line in unit.read_text(encoding="utf-8").splitlines():
            if line.startswith(("ExecStart=", "ExecStartPre=")):
                args = line.split("=", 1)[1].split()
                assert args[0].endswith("/mo-docs") and args[1] in commands, (unit.name, line)
    for line in (DEPLOY / "env").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name = line.split("=", 1)[0]
            assert name == "MO_DOCS_INSTANCE" or name.removeprefix("MO_DOCS_") in BY_NAME, name
    assert "mo-docs-sweep.service" in (DEPLOY / "mo-docs-sweep.timer").name.replace("timer", "service")


def test_the_logs_never_hold_a_one_time_links_secret(stack):
    """Whoever reads nginx's access log or the service's (journald) must not find a reset or
    invitation link that still works: the secret is written «...»."""
    import requests

    from service.accounts import directory
    from service.accounts.invitations import invitation_url, reset_url

    app = stack["service"].app()
    ws = app.extensions["workspace"]
    account = directory.by_email(ws.sf, "admin@mo.example")
    links = [invitation_url(app.config, ws.sf, account, "тест", ""), reset_url(app.config, ws.sf, account, "")]
    ws.engine.dispose()
    base = f"https://127.0.0.1:{stack['https']}"
    host = {"Host": f"{NAME}:{stack['https']}"}
    for link in links:
        page = requests.get(f"{base}{link}", headers=host, verify=stack["ca"], timeout=10)
        assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
        requests.get(f"{base}/static/style.css", headers={**host, "Referer": f"https://{NAME}{link}"},
                     verify=stack["ca"], timeout=10)
    deadline = time.monotonic() + 10
    nginx_log = stack["root"] / "mo-docs.access.log"
    while time.monotonic() < deadline and nginx_log.read_text().count("/static/style.css") < 2:
        time.sleep(0.1)
    logs = {"nginx": nginx_log.read_text(), "mo-docs serve": stack["service"].log_text()}
    for link in links:
        secret = link.rsplit("/", 1)[1]
        for name, text in logs.items():
            assert secret not in text, (name, link)
    assert "/invitation/..." in logs["nginx"] and "/reset/..." in logs["nginx"]
    assert f"https://{NAME}/reset/..." in logs["nginx"]
    assert '"GET /reset/..."' in logs["mo-docs serve"] and '"GET /invitation/..."' in logs["mo-docs serve"]
