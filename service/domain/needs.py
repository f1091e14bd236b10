"""Teachers' professional needs (Здвинский разд. 6: «сведения о профессиональных
потребностях педагогических работников»): the rows of «Потребности» and a summary by
need, so the head sees which difficulty is shared and plans help for it."""
from __future__ import annotations

from dataclasses import dataclass, field

from service.schema.records import Need
from service.schema.text import key


@dataclass
class NeedGroup:
    need: str                                     # as first typed
    people: list[str] = field(default_factory=list)
    helps: list[str] = field(default_factory=list)

    def share(self, members: int) -> int:
        return round(100 * len(self.people) / members) if members else 0


def by_need(needs: list[Need]) -> list[NeedGroup]:
    """Needs typed alike (case, spaces, punctuation, «ё») are one need; the most shared
    first, then alphabetically.  A person is counted once per need."""
    groups: dict[str, NeedGroup] = {}
    for n in needs:
        g = groups.setdefault(key(n.need), NeedGroup(n.need))
        who = n.member.full_name if n.member else n.full_name
        if who not in g.people:
            g.people.append(who)
        if n.help and n.help not in g.helps:
            g.helps.append(n.help)
    return sorted(groups.values(), key=lambda g: (-len(g.people), g.need.lower()))
