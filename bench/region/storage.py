"""The region's document storage: a real WebDAV server (WsgiDAV, as the filer tests use
it) on a bad day, in a process of its own so that its Python does not share a GIL with
anything measured.

Every call to the storage (anything under the WebDAV mount) waits LATENCY seconds
before it is answered — a Nextcloud across the town's network — and a share of the
calls (RATE_LIMITED, drawn from a seeded random sequence) answers 429 Too Many Requests
without a Retry-After, as a storage's rate limiter does.  The filers' retry policy
(service/filing/remote.py) must absorb them: the bench counts the 429s sent here and
checks that no job failed.

    python -m bench.region.storage ROOT PORT_FILE [--latency 0.15] [--rate-limited 0.02] [--threads 128]

The port (a free one on 127.0.0.1) is written to PORT_FILE once the server listens.
`GET /_weather` answers the counts as JSON (calls by method, 429s sent, the calls in
flight at most); `POST /_weather` with JSON {"latency", "rate_limited"} changes the
weather (the bench loads without it) and resets the counts.  SIGTERM stops the server.
"""
from __future__ import annotations

import argparse
import json
import random
import signal
import threading
import time
from collections import Counter
from pathlib import Path

from tests.support.webdav_server import MOUNT, dav_app, serve_in_thread

CONTROL = "/_weather"


class Weather:
    """The WSGI middleware: latency and 429s for calls under the mount, counted."""

    def __init__(self, app, latency: float, rate_limited: float, seed: int = 14):
        self.app = app
        self.latency, self.rate_limited = latency, rate_limited
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.calls: Counter = Counter()
        self.limited = 0
        self.in_flight = self.peak = 0

    def stats(self) -> dict:
        with self.lock:
            return {"latency": self.latency, "rate_limited": self.rate_limited, "calls": dict(self.calls),
                    "total": sum(self.calls.values()), "limited": self.limited, "peak_in_flight": self.peak}

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == CONTROL:
            return self.control(environ, start_response)
        if not path.startswith(MOUNT):
            return self.app(environ, start_response)
        method = environ["REQUEST_METHOD"]
        with self.lock:
            self.calls[method] += 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            limited = self.random.random() < self.rate_limited
            self.limited += limited
            latency = self.latency
        try:
            if latency:
                time.sleep(latency)
            if limited:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                if length:
                    environ["wsgi.input"].read(length)         # the client finishes sending first
                body = b"<h1>429 Too Many Requests</h1>"
                start_response("429 Too Many Requests", [("Content-Type", "text/html"),
                                                         ("Content-Length", str(len(body)))])
                return [body]
            return self.app(environ, start_response)
        finally:
            with self.lock:
                self.in_flight -= 1

    def control(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "POST":
            body = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or b"{}")
            with self.lock:
                self.latency = float(body.get("latency", self.latency))
                self.rate_limited = float(body.get("rate_limited", self.rate_limited))
                self.reset()
        answer = json.dumps(self.stats()).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(answer)))])
        return [answer]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.region.storage")
    parser.add_argument("root", type=Path)
    parser.add_argument("port_file", type=Path)
    parser.add_argument("--latency", type=float, default=0.150)
    parser.add_argument("--rate-limited", type=float, default=0.02)
    parser.add_argument("--threads", type=int, default=128)
    args = parser.parse_args(argv)
    weather = Weather(dav_app(args.root), args.latency, args.rate_limited)
    # every call is held LATENCY seconds: as many threads as calls in flight, and a backlog
    # for the connections that arrive together
    server, thread = serve_in_thread(weather, threads=args.threads, backlog=256)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    tmp = args.port_file.with_suffix(".part")
    tmp.write_text(str(server.bind_addr[1]))
    tmp.replace(args.port_file)
    while not stop.wait(0.5):
        pass
    server.stop()
    thread.join(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
