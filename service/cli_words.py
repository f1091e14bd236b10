"""argparse in Russian: its own words (usage, help headings, errors about arguments) are
passed through gettext, so the CLI gives them a Russian catalogue of its own — a person
running `mo-docs` sees «обязательные аргументы не указаны», not «the following arguments
are required».  Only argparse's module is touched; nothing else's gettext changes."""
from __future__ import annotations

import argparse

WORDS = {
    "usage: ": "использование: ",
    "positional arguments": "аргументы",
    "options": "параметры",
    "show this help message and exit": "показать эту справку и выйти",
    "show program's version number and exit": "показать версию и выйти",
    "argument %(argument_name)s: %(message)s": "аргумент %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "неизвестные аргументы: %s",
    "not allowed with argument %s": "нельзя вместе с аргументом %s",
    "ignored explicit argument %r": "лишнее значение %r",
    "the following arguments are required: %s": "не указаны обязательные аргументы: %s",
    "one of the arguments %s is required": "нужен один из аргументов: %s",
    "expected one argument": "нужно одно значение",
    "expected at most one argument": "нужно не больше одного значения",
    "expected at least one argument": "нужно хотя бы одно значение",
    "ambiguous option: %(option)s could match %(matches)s": "неоднозначный параметр %(option)s: подходят %(matches)s",
    "unexpected option string: %s": "неожиданный параметр: %s",
    "invalid %(type)s value: %(value)r": "неверное значение %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "недопустимое значение %(value)r (допустимы: %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "неизвестная команда %(parser_name)r (есть: %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: ошибка: %(message)s\n",
}
PLURALS = {
    ("expected %s argument", "expected %s arguments"): ("нужно значений: %s", "нужно значений: %s"),
}


def _gettext(message: str) -> str:
    return WORDS.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    one, many = PLURALS.get((singular, plural), (singular, plural))
    return one if n == 1 else many


def install() -> None:
    """Give argparse the Russian words (idempotent)."""
    argparse._ = _gettext
    argparse.ngettext = _ngettext
