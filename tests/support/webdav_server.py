"""A real WebDAV server for the tests: WsgiDAV (the filesystem provider) served by cheroot
on 127.0.0.1 with a free port, basic authentication, mounted where Nextcloud mounts a
user's files (`/remote.php/dav/files/<user>`).

In front of it sits a small WSGI middleware that can make the server answer what real
servers answer on bad days — 507 Insufficient Storage, 423 Locked, 503 with
Retry-After — or answer slowly, for requests matching a method and a path:

    webdav.faults.add(507, method="PUT")              # the next PUT: no space
    webdav.faults.add(423, method="MOVE", times=2)    # the next two MOVEs: locked
    webdav.faults.add(delay=2.0, method="GET")        # the next GET: two seconds late

Every request is logged (`webdav.requests`: method and decoded path).
"""
from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

import pytest

from tests.support.faults import Faults

USER, PASSWORD = "mo-docs", "app-password-Пароль-1"
MOUNT = f"/remote.php/dav/files/{USER}"


class FaultMiddleware:
    def __init__(self, app, faults: Faults, log: list):
        self.app, self.faults, self.log = app, faults, log

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
        self.log.append((method, path))
        rule = self.faults.take(method, path)
        if rule is not None:
            if rule.delay:
                time.sleep(rule.delay)
            if rule.status is not None:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                if length:
                    environ["wsgi.input"].read(length)       # the client finishes sending first
                body = f"<h1>{rule.status}</h1>".encode()
                start_response(f"{rule.status} {HTTPStatus(rule.status).phrase}",
                               [("Content-Type", "text/html"), ("Content-Length", str(len(body))),
                                *rule.headers.items()])
                return [body]
        return self.app(environ, start_response)


@dataclass
class WebDavServer:
    root: Path                      # the folder the server serves (for a test: its own collection)
    port: int
    faults: Faults
    requests: list
    collection: str = ""            # the test's collection under the mount

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{MOUNT}{self.collection}"

    @property
    def filing_url(self) -> str:
        return f"webdav+http://127.0.0.1:{self.port}{MOUNT}{self.collection}"


def dav_app(root: Path):
    """WsgiDAV serving `root` at MOUNT with basic authentication (USER, PASSWORD).
    Raises ImportError when WsgiDAV is not installed."""
    from wsgidav.wsgidav_app import WsgiDAVApp

    root.mkdir(parents=True, exist_ok=True)
    config = {
        "provider_mapping": {MOUNT: str(root)},
        "simple_dc": {"user_mapping": {"*": {USER: {"password": PASSWORD, "roles": []}}}},
        "http_authenticator": {"accept_basic": True, "accept_digest": False, "default_to_digest": False},
        "verbose": 0,
        "logging": {"enable": False},
        "dir_browser": {"enable": False},
        "lock_storage": True,
    }
    return WsgiDAVApp(config)


def serve_in_thread(app, threads: int = 8, backlog: int = 5):
    """A cheroot server for `app` on a free 127.0.0.1 port: (server, thread); stop with
    `server.stop()` and `thread.join()`."""
    from cheroot import wsgi

    server = wsgi.Server(("127.0.0.1", 0), app, numthreads=threads, request_queue_size=backlog,
                         server_name="webdav-test")
    server.prepare()
    thread = threading.Thread(target=server.serve, name="webdav-test", daemon=True)
    thread.start()
    return server, thread


def start_webdav(root: Path):
    """(server, cheroot server, thread); stop with `cheroot.stop()` and `thread.join()`."""
    faults, log = Faults(), []
    try:
        server, thread = serve_in_thread(FaultMiddleware(dav_app(root), faults, log))
    except ImportError:
        pytest.skip("WsgiDAV and cheroot are not installed (pip install -e '.[test]')")
    return WebDavServer(root, server.bind_addr[1], faults, log), server, thread


@pytest.fixture(scope="session")
def webdav_server(tmp_path_factory):
    served, server, thread = start_webdav(tmp_path_factory.mktemp("webdav") / "root")
    try:
        yield served
    finally:
        server.stop()
        thread.join(timeout=10)


_collections = itertools.count(1)


@pytest.fixture
def webdav(webdav_server):
    """The server, seen through a collection of this test's own (an empty folder), with
    no faults left over from other tests."""
    name = f"/test-{next(_collections)}"
    root = webdav_server.root / name.lstrip("/")
    root.mkdir()
    webdav_server.faults.clear()
    webdav_server.requests.clear()
    return WebDavServer(root, webdav_server.port, webdav_server.faults, webdav_server.requests, name)
