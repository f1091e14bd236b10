"""`mo-docs run` supervises its worker: SIGKILL the worker and it is restarted (the log
says so) and the next job is done; the sweeper runs in the supervisor, so jobs of a dead
worker are re-queued with no worker alive at all.  Before, a killed worker left the web up
and every new job queued forever."""
from __future__ import annotations

import datetime as dt
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from service.db import utcnow
from service.workspace import jobs as records
from tests.browser.live import free_port

REPO = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(150)]


class Run:
    """`mo-docs run` in its own session, its output read line by line."""

    def __init__(self, instance: Path, env: dict):
        self.lines: "queue.Queue[str]" = queue.Queue()
        self.seen: list[str] = []
        self.proc = subprocess.Popen([sys.executable, "-m", "service.cli", "run"], cwd=REPO, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_line(self, pattern: str, timeout: float = 60) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            self.seen.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"no line matching {pattern!r}; output:\n" + "\n".join(self.seen[-80:]))

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)


def test_a_killed_worker_is_restarted_and_the_next_job_is_done(tmp_path):
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MO_DOCS_")}
    env.update({"MO_DOCS_INSTANCE": str(instance), "MO_DOCS_SECRET_KEY": "supervisor-test", "MO_DOCS_DEMO": "false",
                "MO_DOCS_PORT": str(free_port()), "MO_DOCS_QUEUE_URL": f"sqlite:///{instance / 'queue.sqlite'}",
                "MO_DOCS_WATCH_INTERVAL_MINUTES": "59", "PYTHONUNBUFFERED": "1"})
    run = Run(instance, env)
    try:
        first = int(run.wait_line(r"обработчик заданий запущен \(pid (\d+)\)").group(1))
        run.wait_line(r"служба слушает 127\.0\.0\.1")
        os.kill(first, signal.SIGKILL)
        run.wait_line(rf"обработчик заданий \(pid {first}\) завершился сигналом 9")
        second = int(run.wait_line(r"обработчик заданий перезапущен \(pid (\d+)\)").group(1))
        assert second != first and run.proc.poll() is None
        # the web service's side: a job recorded and its id put on the queue
        from service import create_app
        from service.web.actions import request_document
        from tests.factories import association
        app = create_app({"INSTANCE": str(instance), "SECRET_KEY": "supervisor-test", "DEMO": False,
                          "QUEUE_URL": f"sqlite:///{instance / 'queue.sqlite'}"})
        ws = app.extensions["workspace"]
        (instance / "workbooks").mkdir(exist_ok=True)
        a = ws.add_association(str(association().save(instance / "workbooks" / "b.xlsx")), "тест")
        with app.test_request_context():
            job, _ = request_document(a, {"kind": "work-plan"}, "тест")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and records.get(ws.sf, job.id).state != records.DONE:
            time.sleep(0.2)
        assert records.get(ws.sf, job.id).state == records.DONE, "\n".join(run.seen[-60:])
        ws.engine.dispose()
    finally:
        run.stop()
    assert run.proc.returncode is not None


def test_the_sweeper_needs_no_worker(tmp_path):
    from service import create_app
    from service.supervisor import Sweeper

    app = create_app({"INSTANCE": str(tmp_path / "instance"), "TESTING": True, "SECRET_KEY": "k",
                      "QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite'}"})
    ws, huey = app.extensions["workspace"], app.extensions["huey"]
    job, _ = ws.enqueue("annual-all", requested_by="тест", dedupe_key="sweep-test")
    huey.flush()                                                     # the worker died with the message
    past = utcnow() - dt.timedelta(minutes=10)
    assert records.claim(ws.sf, job.id, "dead-host:1:1", dt.timedelta(seconds=1), now=past)
    swept = Sweeper(app, every=60).run_once()
    assert swept == [job.id]
    assert [t.args[0] for t in huey.pending() if t.name == "run_job"] == [job.id]
