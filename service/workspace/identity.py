"""Who a register is: its name, short name, territory and school year.  The same
register uploaded twice is one association (the database's unique `register_key`);
replacing a workbook with another association's is refused unless the person confirms."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from service.schema.text import key as _norm


def register_key(name: str | None, short_name: str | None, territory: str | None, school_year: str | None) -> str:
    text = "\x1f".join(_norm(x) for x in (name, short_name, territory, school_year))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Identity:
    name: str
    short_name: str
    territory: str
    regulation_id: str | None

    @classmethod
    def of_association(cls, a) -> "Identity":
        return cls(a.name or "", a.short_name or "", a.territory or "", a.regulation_id)

    @classmethod
    def of_report(cls, report) -> "Identity":
        info = report.data.info
        return cls(info.name or info.short_name or "", info.short_name or "", info.territory or "",
                   report.regulation.id if report.regulation else None)

    @property
    def title(self) -> str:
        """How a person recognises it: «ММО математиков (Здвинский район)»."""
        main = self.short_name or self.name or "без названия"
        return f"{main} ({self.territory})" if self.territory else main

    def differences(self, other: "Identity") -> list[str]:
        """What differs, in Russian: [] when `other` is the same association."""
        out = []
        for attr, what in (("name", "наименование"), ("short_name", "краткое наименование"),
                           ("territory", "территория")):
            if _norm(getattr(self, attr)) != _norm(getattr(other, attr)):
                out.append(f"{what}: «{getattr(self, attr) or '—'}» → «{getattr(other, attr) or '—'}»")
        if self.regulation_id and other.regulation_id and self.regulation_id != other.regulation_id:
            out.append(f"Положение: {self.regulation_id} → {other.regulation_id}")
        return out
