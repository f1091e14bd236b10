"""The add-on as the tests drive it from Python: the real addon/Code.gs run by Node
against a fake spreadsheet (tests/addon/node/run_code.js), talking over real HTTP to the
real Flask app served on a free 127.0.0.1 port, signed in by a real RS256 ID token from a
provider that calls itself Google."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from werkzeug.serving import make_server

from tests.accounts.factories import make_account
from tests.support.oidc_provider import FakeProvider

RUN_CODE = Path(__file__).parent / "node" / "run_code.js"
GOOGLE = "https://accounts.google.com"
CLIENT_ID = "1234567890-addon.apps.googleusercontent.com"


def google_provider() -> FakeProvider:
    return FakeProvider(client_id=CLIENT_ID, issuer=GOOGLE).start()


def addon_settings(provider: FakeProvider, **extra) -> dict:
    return {"GOOGLE_ID_TOKEN_AUDIENCE": provider.client_id, "GOOGLE_ID_TOKEN_CERTS_URL": provider.certs_url, **extra}


class Served:
    """A Flask app served by werkzeug on 127.0.0.1 in a thread (stopped by `stop`)."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def tabs_of(book) -> list[dict]:
    """A factories.Book's tabs as the fake spreadsheet's cells (dates as date cells)."""
    def cell(value):
        if isinstance(value, dt.datetime):
            return {"date": value.strftime("%Y-%m-%dT%H:%M")}
        if isinstance(value, dt.date):
            return {"date": value.isoformat()}
        return "" if value is None else value

    return [{"title": title, "rows": [[cell(v) for v in row] for row in rows]} for title, rows in book.tables().items()]


@dataclass
class Run:
    results: list
    requests: list
    cells: dict


def run_code(node: str, service_url: str, token: str, tabs: list[dict], calls: list[dict],
             time_zone: str = "Asia/Novosibirsk", name: str = "ММО математиков (Google Таблица)",
             spreadsheet_id: str = "1AddonContractTest_abcdefghijklmnop") -> Run:
    data = {"service_url": service_url, "token": token, "time_zone": time_zone, "name": name, "id": spreadsheet_id,
            "tabs": tabs, "calls": calls}
    done = subprocess.run([node, str(RUN_CODE)], input=json.dumps(data, ensure_ascii=False), capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout)
    return Run(out["results"], out["requests"], out["cells"])


def with_mistakes(regulation: str = "zdvinsky-mmo", title_rows: int = 0):
    """A register with the mistakes heads make: every kind of position a finding can have."""
    from tests.factories import D, association

    book = association(regulation)
    book.title_rows = title_rows
    book.members[4]["Дата присвоения категории"] = "31.02.2024"            # not a date
    book.members[5]["Педагогический стаж"] = "много"                       # not a number
    book.members[6]["E-mail"] = "teacher6.school.ru"                       # not an address
    book.meetings[1]["Председатель"] = "Сидоров П.П."                      # not a member
    book.meetings[2]["Секретарь"] = None                                   # nobody keeps the minutes
    book.meetings[3]["Дата"] = D(2025, 5, 20)
    book.agenda[3]["Решили"] = None                                        # a question without a decision
    book.plan[1]["Отметка о выполнении"] = None                            # overdue
    book.mark(2, present=3)                                                # no quorum where one is set
    book.info["Дата актуализации банка данных"] = D(2024, 10, 30)
    return book


def head_of(app, association=None, email: str = "belova@zdvinsk-edu.ru", role: str = "head"):
    """An account of `role` (in `association`'s scope, if given)."""
    sf = app.extensions["workspace"].sf
    return make_account(sf, role, email=email, associations=[association] if association is not None else [])

