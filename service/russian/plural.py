"""Russian plural agreement: 1 человек, 3 человека, 12 человек, 21 человек."""


def plural(n: int, one: str, few: str, many: str) -> str:
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    """«3 человека»."""
    return f"{n} {plural(n, one, few, many)}"
