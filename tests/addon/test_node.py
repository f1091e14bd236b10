"""The add-on's Apps Script code under Node's built-in test runner: one pytest test per
`tests/addon/node/*.test.js` file, so `make test` runs them.  Node comes from Debian's
packages (scripts/system-deps.sh); where it cannot be installed these tests skip with
the reason, and fail under CI=true."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

NODE_TESTS = Path(__file__).parent / "node"
FILES = sorted(NODE_TESTS.glob("*.test.js"))
MIN_NODE = 18                    # node:test and node:assert/strict


def node_binary() -> str:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("Node.js is not installed: run scripts/system-deps.sh as root (apt-get install nodejs)")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    major = int(re.match(r"v(\d+)", version).group(1)) if re.match(r"v(\d+)", version) else 0
    if major < MIN_NODE:
        pytest.skip(f"Node.js {version} is too old for node --test (needs {MIN_NODE} or newer)")
    return node


def tap_counts(output: str) -> dict[str, int]:
    """The summary `node --test` prints in TAP: «# tests 27», «# pass 27», «# fail 0»…"""
    return {name: int(n) for name, n in re.findall(r"^# (tests|pass|fail|cancelled|skipped|todo) (\d+)$",
                                                     output, re.M)}


@pytest.mark.system("node")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_node_file(path):
    node = node_binary()
    run = subprocess.run([node, "--test", "--test-reporter=tap", str(path)], capture_output=True, text=True,
                         timeout=300, cwd=NODE_TESTS)
    counts = tap_counts(run.stdout)
    failures = "\n".join(line for line in run.stdout.splitlines() if line.startswith("not ok"))
    assert run.returncode == 0 and counts.get("fail", 1) == 0, (
        f"node --test {path.name}: {counts}\n{failures}\n{run.stdout[-4000:]}\n{run.stderr[-2000:]}")
    assert counts.get("tests", 0) > 0 and counts["pass"] == counts["tests"], counts

