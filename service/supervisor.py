"""`mo-docs run` (what `make run` starts): the web server and the job worker as child
processes, watched.

A worker that dies (killed, out of memory, a crash) is restarted, with a growing pause
if it keeps dying, and the log says so; if the web server exits, everything stops.
Jobs of a dead worker are re-queued by a sweeper that runs here, in the supervisor,
every SWEEP_SECONDS — it does not depend on any worker being alive."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time

log = logging.getLogger("mo-docs.run")

RESTART_PAUSE_MAX = 30.0        # seconds between restarts of a worker that keeps dying
HEALTHY_AFTER = 60.0            # a worker that lived this long starts the pause afresh


def _say(text: str) -> None:
    print(f"mo-docs: {text}", flush=True)


class Sweeper(threading.Thread):
    """Re-queues jobs whose worker died or whose queue message was lost."""

    def __init__(self, app, every: float):
        super().__init__(daemon=True, name="sweeper")
        self.app, self.every = app, every
        self._stop = threading.Event()

    def run_once(self) -> list[str]:
        from jobs.tasks import sweep_once

        tasks = self.app.extensions["tasks"]
        return sweep_once(self.app.extensions["workspace"], tasks.dispatch)

    def run(self):
        while not self._stop.wait(self.every):
            try:
                again = self.run_once()
                if again:
                    _say(f"снова поставлены в очередь задания без живого обработчика: {len(again)}")
            except Exception:                       # a locked database now is no reason to stop sweeping
                log.exception("sweep failed")

    def stop(self):
        self._stop.set()


class Child:
    def __init__(self, name: str, command: str):
        self.name, self.command = name, command
        self.proc: subprocess.Popen | None = None
        self.started = 0.0
        self.pause = 1.0

    def start(self) -> int:
        self.proc = subprocess.Popen([sys.executable, "-m", "service.cli", self.command], env=os.environ.copy())
        self.started = time.monotonic()
        return self.proc.pid

    def stop(self, timeout: float = 15) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM if self.name == "web" else signal.SIGINT)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


def announce_demo(app) -> None:
    from service.workspace.demo import ensure_demo, ensure_demo_accounts

    ws = app.extensions["workspace"]
    added = ensure_demo(ws)
    if added:
        _say(f"создано демонстрационное рабочее пространство ({added} объединения).")
    created = ensure_demo_accounts(ws)
    if created:
        _say("демонстрационные учётные записи (пароль показывается один раз; сменить: mo-docs users password АДРЕС):")
        for email, what in created.accounts:
            print(f"    {email:<36} {what}", flush=True)
        print(f"    пароль для всех: {created.password}", flush=True)


def run_all(app, poll: float = 0.5) -> int:
    """The web server and the worker together, as `make run` wants them."""
    from service.accounts.directory import count_admins
    from service.serve import check_host

    check_host(app)                                  # refuse a network address without an admin before starting
    if app.config.get("DEMO"):
        announce_demo(app)
    elif count_admins(app.extensions["workspace"].sf) == 0:
        _say("учётных записей нет: создайте администратора — mo-docs users add АДРЕС --role admin")
    stopping = threading.Event()

    def _stop(signum, _frame):
        stopping.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _stop)
    web, worker = Child("web", "serve"), Child("worker", "worker")
    sweeper = Sweeper(app, float(app.config["SWEEP_SECONDS"]))
    web.start()
    _say(f"обработчик заданий запущен (pid {worker.start()})")
    sweeper.start()
    code = 0
    try:
        while not stopping.wait(poll):
            if web.proc.poll() is not None:
                code = web.proc.returncode or 0
                _say(f"веб-служба завершилась (код {code}); останавливаю обработчик заданий")
                break
            if worker.proc.poll() is not None:
                status = worker.proc.returncode
                lived = time.monotonic() - worker.started
                worker.pause = 1.0 if lived > HEALTHY_AFTER else min(RESTART_PAUSE_MAX, worker.pause * 2)
                why = f"сигналом {-status}" if status < 0 else f"с кодом {status}"
                _say(f"обработчик заданий (pid {worker.proc.pid}) завершился {why}; перезапуск через "
                     f"{worker.pause:.0f} с")
                if stopping.wait(worker.pause):
                    break
                _say(f"обработчик заданий перезапущен (pid {worker.start()})")
    finally:
        sweeper.stop()
        worker.stop()
        web.stop()
    return code
