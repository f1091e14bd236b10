"""Whose CPU a phase used: the service's workers, its web processes, PostgreSQL, Redis,
the storage, the bench's own clients — and everything else on the machine (it is
shared), from /proc: a group is a process and all its descendants."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, float]]:
    """{pid: (parent pid, CPU seconds)} of every process now."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # its own time and that of its children it has waited for (PostgreSQL's backends come and go)
        out[int(entry.name)] = (int(fields[1]), sum(int(v) for v in fields[11:15]) / TICK)
    return out


def _machine() -> float:
    """Busy CPU seconds of the whole machine since boot."""
    with open("/proc/stat") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICK


def _wall() -> float:
    with open("/proc/uptime") as fh:
        return float(fh.read().split()[0])


class Meter:
    def __init__(self, groups: dict[str, list[int]], alone: frozenset[str] = frozenset({"bench"})):
        self.groups = groups                   # name -> root pids
        self.alone = alone                     # groups counted without their descendants (the bench
        self.phases: dict[str, dict[str, float]] = {}     # started every other group)

    def _snapshot(self) -> dict[str, float]:
        procs = _processes()
        children: dict[int, list[int]] = {}
        for pid, (parent, _s) in procs.items():
            children.setdefault(parent, []).append(pid)
        out = {}
        for name, roots in self.groups.items():
            total, todo = 0.0, list(roots)
            while todo:
                pid = todo.pop()
                if pid in procs:
                    total += procs[pid][1]
                    if name not in self.alone:
                        todo += children.get(pid, [])
            out[name] = total
        out["machine"], out["wall"] = _machine(), _wall()
        return out

    @contextmanager
    def phase(self, name: str):
        before = self._snapshot()
        try:
            yield
        finally:
            after = self._snapshot()
            used = {k: max(0.0, after[k] - before[k]) for k in after}
            used["others"] = max(0.0, used["machine"] - sum(used[g] for g in self.groups))
            self.phases[name] = used


def postmaster(data: Path) -> int | None:
    try:
        return int((data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
