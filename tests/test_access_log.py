"""The web server's access log never holds the secret of a one-time link
(service/access_log.py): gunicorn's own logger, given the atoms of real requests."""
from __future__ import annotations

import datetime as dt
import logging
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from service.access_log import AccessLogger, mask, secret_paths

@pytest.fixture
def app(tmp_path):
    from service import create_app

    return create_app({"INSTANCE": str(tmp_path / "instance"), "TESTING": True, "QUEUE_URL": "memory://",
                       "SECRET_KEY": "test"})


@pytest.fixture
def ws(app):
    return app.extensions["workspace"]


@pytest.fixture
def anonymous(app):
    return app.test_client()


TOKEN = "WyI0ZjU3YjQ2ZTk1ZDg0NjFhOWIxZjJhZjNkNTRlMzdjZSIsInNlY3JldCJd.abcDEF-123_x"


def log_line(app, path: str, query: str = "", referer: str = "-") -> str:
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", '%(h)s "%(r)s" "%(m)s %(U)s" %(s)s "%(f)s"')
    AccessLogger.secrets = secret_paths(app)
    logger = AccessLogger(cfg)
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger.access_log.handlers = [handler]
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path + ("?" + query if query else ""), "PATH_INFO": path,
               "QUERY_STRING": query, "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
               "HTTP_REFERER": referer}
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    logger.access(resp, SimpleNamespace(headers=[("Referer", referer)]), environ, dt.timedelta(seconds=0.01))
    return lines[-1]


def test_the_routes_with_a_token_are_found_in_the_app(app):
    pattern = secret_paths(app)
    assert pattern.search("/reset/x") and pattern.search("/invitation/x") and not pattern.search("/a/mmo")


def test_one_time_links_are_masked_in_every_field(app):
    for path in (f"/reset/{TOKEN}", f"/invitation/{TOKEN}"):
        line = log_line(app, path, query="next=1", referer=f"https://mo.example.ru{path}")
        assert TOKEN not in line and path.rsplit("/", 1)[0] + "/..." in line, line
    ordinary = log_line(app, "/a/mmo-matematikov/documents/3")
    assert '"GET /a/mmo-matematikov/documents/3"' in ordinary


def test_mask_leaves_other_values_alone(app):
    pattern = secret_paths(app)
    assert mask(5, pattern) == 5 and mask("/resets/x", pattern) == "/resets/x"


def test_the_pages_opened_by_a_link_send_no_referrer(app, ws, anonymous):
    from service.accounts.invitations import invitation_url
    from tests.accounts.factories import make_account

    account = make_account(ws.sf, "head", email="new@test.example")
    url = invitation_url(app.config, ws.sf, account, "тест", "")
    r = anonymous.get(url)
    assert r.status_code == 200 and r.headers["Referrer-Policy"] == "no-referrer"
    assert anonymous.get("/reset/broken").headers["Referrer-Policy"] == "no-referrer"
    assert anonymous.get("/login").headers["Referrer-Policy"] == "same-origin"
