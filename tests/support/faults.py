"""What a fake or fronted server answers on bad days: rules matched by method and a part
of the path (or URL), each used `times` times, answering `status` (with `headers`) and/or
after `delay` seconds.  Shared by the WebDAV server's middleware and Yandex Disk in memory."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class Fault:
    status: int | None
    method: str | None
    path: str | None
    times: int
    delay: float
    headers: dict


@dataclass
class Faults:
    rules: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int | None = None, *, method: str | None = None, path: str | None = None, times: int = 1,
            delay: float = 0.0, headers: dict | None = None) -> None:
        with self.lock:
            self.rules.append(Fault(status, method, path, times, delay, headers or {}))

    def take(self, method: str, where: str) -> Fault | None:
        with self.lock:
            for rule in self.rules:
                if (rule.method is None or rule.method == method) and (rule.path is None or rule.path in where):
                    rule.times -= 1
                    if rule.times <= 0:
                        self.rules.remove(rule)
                    return rule
        return None

    def clear(self) -> None:
        with self.lock:
            self.rules.clear()
