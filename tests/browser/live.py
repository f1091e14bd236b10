"""The real service as a person runs it: `mo-docs serve` (gunicorn) and `mo-docs worker`
(huey) as two subprocesses on a free 127.0.0.1 port, SQLite for the workspace and the
queue, in a folder of the caller's.  Used by the browser test and by bench/web_generate.py.

`serve` does not create the demo workspace (only `run` does), so `start()` creates it
first, in this process, with `create_app()` on the very settings the subprocesses get.
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def settings_for(instance: Path, port: int, **extra) -> dict:
    """The service's settings, typed; `env()` spells them as MO_DOCS_* variables."""
    return {"ENV": "production", "SECRET_KEY": secrets.token_hex(32), "PORT": port,
            "DATABASE_URL": f"sqlite:///{instance / 'mo-docs.sqlite'}",
            "QUEUE_URL": f"sqlite:///{instance / 'queue.sqlite'}", "DEMO": True, **extra}


def _env_value(value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


@dataclass
class LiveService:
    instance: Path
    settings: dict
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    logs: dict[str, Path] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.settings['PORT']}"

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MO_DOCS_")}
        env.update({f"MO_DOCS_{k}": _env_value(v) for k, v in self.settings.items()})
        env["MO_DOCS_INSTANCE"] = str(self.instance)
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def app(self):
        """A Flask app on the same settings (in this process)."""
        from service import create_app

        return create_app({"INSTANCE": str(self.instance), **self.settings})

    def create_demo(self) -> int:
        """The demo associations and, as `make run` makes them, the demo accounts (`self.demo`:
        their addresses and the one password)."""
        from service.workspace.demo import ensure_demo, ensure_demo_accounts

        ws = self.app().extensions["workspace"]
        added = ensure_demo(ws)
        self.demo = ensure_demo_accounts(ws)
        ws.engine.dispose()
        return added

    def admin_token(self) -> str:
        """A personal API token of an admin account (for clients that call the API)."""
        from service.accounts import directory, tokens

        ws = self.app().extensions["workspace"]
        account = directory.by_email(ws.sf, "api-admin@mo.example") or directory.create(
            ws.sf, "api-admin@mo.example", "admin", name="API")
        token = tokens.create(ws.sf, account.id, "live service").token
        ws.engine.dispose()
        return token

    def start(self, timeout: float = 40.0, worker: bool = True, workers: int = 1) -> "LiveService":
        """`serve` and `workers` worker processes (none without `worker`)."""
        self.instance.mkdir(parents=True, exist_ok=True)
        commands = {"serve": "serve"}
        for n in range(1, (workers if worker else 0) + 1):
            commands["worker" if n == 1 else f"worker-{n}"] = "worker"
        for name, command in commands.items():
            log = self.instance / f"{name}.log"
            self.logs[name] = log
            with open(log, "wb") as out:
                # a session of its own, so that teardown ends gunicorn's workers with their master
                self.procs[name] = subprocess.Popen([sys.executable, "-m", "service.cli", command], cwd=ROOT,
                                                    env=self.env(), stdout=out, stderr=subprocess.STDOUT,
                                                    stdin=subprocess.DEVNULL, start_new_session=True)
        self.wait_for_port(timeout)
        return self

    def wait_for_port(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, p in self.procs.items():
                if p.poll() is not None:
                    raise RuntimeError(f"`mo-docs {name}` exited with {p.returncode} before the port opened\n"
                                       + self.log_text())
            try:
                with socket.create_connection((HOST, self.settings["PORT"]), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.url} did not open within {timeout:.0f} s\n" + self.log_text())

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM to each process group we started (by its id), SIGKILL if it lingers."""
        for p in self.procs.values():
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + timeout
        for p in self.procs.values():
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            try:                                 # the group may outlive its leader (gunicorn workers)
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=5)
            except (ProcessLookupError, PermissionError, subprocess.TimeoutExpired):
                pass

    def log_text(self, tail: int = 200) -> str:
        out = []
        for name, path in self.logs.items():
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines() if path.exists() else []
            out.append(f"----- mo-docs {name} (last {min(tail, len(lines))} of {len(lines)} lines) -----")
            out += lines[-tail:]
        return "\n".join(out)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
