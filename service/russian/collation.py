"""Sorting Russian names as a dictionary does: «Ёлкина» between «Елисеева» and «Ершова»,
not before «Белова» as plain code points would put it."""


def sort_key(text: str) -> str:
    return (text or "").casefold().replace("ё", "е")
