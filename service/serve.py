"""`mo-docs serve`, `mo-docs worker`, `mo-docs run`: the web server (gunicorn), the job
consumer (huey), and both together for `make run`."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

HOST = "127.0.0.1"          # until accounts and roles exist, never reachable from the network


def banner(app) -> str:
    return (f"mo-docs: http://{HOST}:{app.config['PORT']}/ — служба слушает только {HOST}: учётных записей пока нет, "
            "поэтому открыть её можно лишь с этого компьютера.")


def serve(app, workers: int = 2, threads: int = 4) -> None:
    from gunicorn.app.base import BaseApplication

    class _Gunicorn(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{HOST}:{app.config['PORT']}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)
            self.cfg.set("control_socket_disable", True)   # one shared ~/.gunicorn socket would collide

        def load(self):
            return app

    print(banner(app), flush=True)
    _Gunicorn().run()


def run_all(app) -> int:
    """The web server and the job consumer together, as `make run` wants them."""
    from service.workspace.demo import ensure_demo

    if app.config.get("DEMO"):
        added = ensure_demo(app.extensions["workspace"])
        if added:
            print(f"mo-docs: создано демонстрационное рабочее пространство ({added} объединения).", flush=True)
    worker = subprocess.Popen([sys.executable, "-m", "service.cli", "worker"], env=os.environ.copy())
    try:
        serve(app)
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
    return 0
