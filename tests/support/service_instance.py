"""A real instance of the service for tests that start `mo-docs worker` processes:
an instance folder, the app of the test process (which plays the web service), and
the workers started for it, with their logs."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from service.workspace import jobs as records
from tests.factories import association

REPO = Path(__file__).resolve().parents[2]


class ServiceInstance:
    def __init__(self, root: Path, monkeypatch, **settings):
        self.root = root
        self.env = {
            "MO_DOCS_INSTANCE": str(root),
            "MO_DOCS_QUEUE_URL": f"sqlite:///{root / 'queue.sqlite'}",
            "MO_DOCS_SECRET_KEY": "worker-process-test",
            "MO_DOCS_WATCH_INTERVAL_MINUTES": "59",
            **{f"MO_DOCS_{k}": str(v) for k, v in settings.items()},
        }
        for name, value in self.env.items():
            monkeypatch.setenv(name, value)
        from service import create_app

        self.app = create_app()
        self.ws = self.app.extensions["workspace"]
        self.tasks = self.app.extensions["tasks"]
        self.huey = self.app.extensions["huey"]
        self.workers: list[tuple[subprocess.Popen, Path]] = []
        self.killed: set[int] = set()

    # ---------------------------------------------------------------- processes

    def start_worker(self, **settings) -> subprocess.Popen:
        env = {**os.environ, **self.env, **{f"MO_DOCS_{k}": str(v) for k, v in settings.items()}}
        log = self.root / f"worker-{len(self.workers) + 1}.log"
        with open(log, "wb") as fh:
            proc = subprocess.Popen([sys.executable, "-m", "service.cli", "worker"], cwd=REPO, env=env,
                                    stdout=fh, stderr=subprocess.STDOUT)
        self.workers.append((proc, log))
        return proc

    def kill(self, proc: subprocess.Popen) -> None:
        """SIGKILL a worker on purpose (wait_for accepts its exit, and only its)."""
        self.killed.add(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)

    def logs(self) -> str:
        parts = []
        for proc, log in self.workers:
            text = log.read_text(errors="replace") if log.exists() else ""
            parts.append(f"----- worker pid {proc.pid} (exit {proc.poll()}) -----\n{text[-6000:]}")
        return "\n".join(parts)

    def stop_all(self) -> None:
        for proc, _ in self.workers:
            if proc.poll() is None:
                proc.kill()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self.ws.engine.dispose()

    # ---------------------------------------------------------------- database and queue

    def job(self, job_id: str):
        return records.get(self.ws.sf, job_id)

    def wait_for(self, what: str, condition, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            for proc, _ in self.workers:
                if proc.poll() is not None and proc.pid not in self.killed:
                    raise AssertionError(f"a worker exited while waiting for {what}\n{self.logs()}")
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{self.logs()}")

    def wait_state(self, job_id: str, state: str, timeout: float = 30):
        return self.wait_for(f"job {job_id} to be {state}",
                             lambda: (j := self.job(job_id)) is not None and j.state == state and j, timeout)

    def queued_jobs(self) -> list[str]:
        """Job ids carried by the run_job messages waiting on the huey queue (periodic
        sweep/watch messages the consumer enqueues are left out)."""
        return [t.args[0] for t in self.huey.pending() if t.name == "run_job"]

    def docx_files(self) -> list[Path]:
        return sorted(Path(self.ws.settings["DOCUMENTS_DIR"]).rglob("*.docx"))

    def add_association(self):
        folder = Path(self.ws.settings["WORKBOOKS_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        path = association("zdvinsky-mmo").save(folder / "mmo-matematikov.xlsx")
        return self.ws.add_association(str(path), "Петрова А.И.")

    def request(self, association_row, **params):
        """Record a generate job and put its id on the queue, as the web pages do."""
        from service.web.actions import request_document

        with self.app.app_context():
            return request_document(association_row, params, "Иванова М.П.")


@pytest.fixture
def make_instance(tmp_path, monkeypatch):
    made: list[ServiceInstance] = []

    def make(**settings) -> ServiceInstance:
        inst = ServiceInstance(tmp_path / f"instance-{len(made) + 1}", monkeypatch, **settings)
        made.append(inst)
        return inst

    yield make
    for inst in made:
        inst.stop_all()
        print(inst.logs())                # shown by pytest only when the test failed
