"""The CLI speaks Russian, argparse's own words included: help headings, missing and
wrong arguments — with exit code 2 and never an English sentence."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

LATIN_SENTENCE = re.compile(r"\b(usage|the following|invalid choice|required|expected|unrecognized|show this "
                            r"help|positional arguments|options:)\b", re.I)


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("args, says", [
    ((), "не указаны обязательные аргументы: КОМАНДА"),
    (("validate",), "не указаны обязательные аргументы: workbook"),
    (("generate", "protokol", "x.xlsx"), "недопустимое значение 'protokol' (допустимы: 'protocol'"),
    (("validate", "x.xlsx", "--format", "yaml"), "недопустимое значение 'yaml'"),
    (("validate", "x.xlsx", "--frobnicate"), "неизвестные аргументы: --frobnicate"),
    (("validate", "x.xlsx", "--as-of"), "нужно одно значение"),
    (("users",), "не указаны обязательные аргументы: ДЕЙСТВИЕ"),
])
def test_argument_errors_in_russian(args, says):
    r = _run(*args)
    assert r.returncode == 2
    assert says in r.stderr and "использование: mo-docs" in r.stderr
    assert not LATIN_SENTENCE.search(r.stderr), r.stderr


def test_help_in_russian():
    r = _run("validate", "--help")
    assert r.returncode == 0
    assert "использование: mo-docs validate" in r.stdout and "аргументы:" in r.stdout and "параметры:" in r.stdout
    assert "показать эту справку и выйти" in r.stdout
    assert not LATIN_SENTENCE.search(r.stdout), r.stdout
    top = _run("--help").stdout
    assert "команды:" in top and "digests" in top and "еженедельные сводки" in top
