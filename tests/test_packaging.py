"""What an installation gets: every library the service imports is a declared dependency
(a library that happens to be in the developer's virtualenv breaks a fresh install), and
every template or data file inside the package ships with it."""
from __future__ import annotations

import ast
import fnmatch
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _imported_top_level(package: Path) -> set[str]:
    names = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _with_their_requirements(names: set[str]) -> set[str]:
    """The declared distributions and what they install in turn (Flask brings Werkzeug): a
    library is guaranteed when something declared requires it unconditionally."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            wanted = requires(name) or []
        except PackageNotFoundError:
            continue
        for line in wanted:
            r = Requirement(line)
            if r.marker is None or r.marker.evaluate({"extra": ""}):
                todo.append(_canonical(r.name))
    return seen


def test_every_library_the_service_imports_is_declared():
    declared = _with_their_requirements({_canonical(Requirement(r).name) for r in PROJECT["project"]["dependencies"]})
    owners = packages_distributions()
    missing = []
    for name in sorted(_imported_top_level(ROOT / "service") | _imported_top_level(ROOT / "jobs")):
        if name in sys.stdlib_module_names or name in ("service", "jobs", "bench", "tests"):
            continue
        dists = {_canonical(d) for d in owners.get(name, [])}
        if dists and not dists & declared:
            missing.append(f"{name} ({', '.join(sorted(dists))})")
    assert not missing, f"imported by the service but not in [project] dependencies: {missing}"


def test_every_file_inside_the_package_ships_with_it():
    patterns = PROJECT["tool"]["setuptools"]["package-data"]["service"]
    package = ROOT / "service"
    left_out = []
    for path in package.rglob("*"):
        if (not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts
                or path.name == "README.md"):
            continue
        inside = path.relative_to(package).as_posix()
        if not any(fnmatch.fnmatch(inside, p) for p in patterns):
            left_out.append(inside)
    assert not left_out, f"not in [tool.setuptools.package-data]: {left_out}"
