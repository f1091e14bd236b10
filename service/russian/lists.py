"""Joining values the way Russian prose does: «первая», «высшая» или «педагог-методист»."""


def join(items, last: str = "и", quote: bool = True) -> str:
    words = [f"«{i}»" if quote else str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def join_or(items, quote: bool = True) -> str:
    return join(items, "или", quote)
