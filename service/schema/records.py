"""Typed records of an association's workbook, each remembering where it came from.

`cells` maps a field to its A1 address so that any later stage (rules, documents)
can point a person at the exact cell without knowing about sheets.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from service.schema.cells import Due, SchoolYear
from service.schema.names import NameKey

HEAD, DEPUTY, SECRETARY, MEMBER = "руководитель", "заместитель руководителя", "секретарь", "член"
PRESENT, ABSENT, EXCUSED = "present", "absent", "excused"
HELD, PLANNED, CANCELLED = "проведено", "запланировано", "отменено"


@dataclass
class Member:
    row: int
    full_name: str
    organisation: str | None = None
    position: str | None = None
    role: str = MEMBER
    education: str | None = None
    experience: int | None = None
    category: str = "нет"
    category_date: dt.date | None = None
    szd_date: dt.date | None = None
    birth_date: dt.date | None = None
    email: str | None = None
    phone: str | None = None
    joined: dt.date | None = None
    left: dt.date | None = None
    titles_awards: str | None = None      # «Звания, награды» as typed (the data bank)
    authored_works: str | None = None     # «Авторские разработки» as typed (the data bank)
    cells: dict[str, str] = field(default_factory=dict)

    def active_on(self, day: dt.date) -> bool:
        """A member on `day`: included on or before it, and not yet gone."""
        return (self.joined is None or self.joined <= day) and (self.left is None or self.left > day)

    @property
    def short(self) -> str:
        """«Иванова М.П.» for lists."""
        k = NameKey.parse(self.full_name)
        parts = self.full_name.split()
        if not k or len(parts) < 2:
            return self.full_name
        return f"{parts[0]} " + "".join(f"{p[0]}." for p in parts[1:])


@dataclass
class Meeting:
    row: int
    number: int
    date: dt.date
    form: str | None = None
    place: str | None = None
    chair_name: str | None = None
    secretary_name: str | None = None
    chair: Member | None = None
    secretary: Member | None = None
    status: str | None = None            # as typed; None when the cell is empty
    topic: str | None = None
    invited: str | None = None
    cells: dict[str, str] = field(default_factory=dict)

    def state(self, as_of: dt.date) -> str:
        """Empty status means held once the meeting's day has come (see README)."""
        if self.status:
            return self.status
        return HELD if self.date <= as_of else PLANNED


@dataclass
class AgendaItem:
    row: int
    meeting: int
    number: int
    question: str
    heard: str | None = None
    spoke: str | None = None
    decided: str | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstained: int | None = None
    cells: dict[str, str] = field(default_factory=dict)

    @property
    def has_votes(self) -> bool:
        return any(v is not None for v in (self.votes_for, self.votes_against, self.votes_abstained))


@dataclass(slots=True)
class AttendanceMark:
    meeting: int
    name: str
    member: Member | None
    mark: str
    cell: str


@dataclass
class PlanItem:
    row: int
    number: int
    event: str
    due: Due | None
    form: str | None = None
    responsible: str | None = None
    mark: str | None = None
    audience: str | None = None          # «Для кого»: canonical value of the enumeration, or as typed
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class Achievement:
    row: int
    full_name: str
    kind: str
    member: Member | None = None
    title: str | None = None
    level: str | None = None
    result: str | None = None
    date: dt.date | None = None
    link: str | None = None              # an http(s) address of its materials
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class Need:
    """A row of «Потребности»: a teacher's professional difficulty and the help planned."""
    row: int
    full_name: str
    need: str
    member: Member | None = None
    help: str | None = None
    due: Due | None = None
    cells: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class UndatedMeeting:
    number: int
    cell: str                            # A1 of its date cell
    typed: str | None                    # what the date cell holds, None when empty


@dataclass
class Info:
    name: str | None = None
    short_name: str | None = None
    territory: str | None = None
    regulation: str | None = None
    school_year: SchoolYear | None = None
    curator: str | None = None
    curator_position: str | None = None
    curator_email: str | None = None
    founder: str | None = None
    founder_head: str | None = None
    founder_head_position: str | None = None
    databank_updated: dt.date | None = None
    analysis_submitted: dt.date | None = None
    time_zone: str | None = None             # «Часовой пояс» as typed (service/schema/time_zones.py)
    place: str | None = None                 # «с. Здвинск»: the place of compilation (ГОСТ Р 7.0.97)
    control: str | None = None               # whom an order puts in charge of its execution
    theme: str | None = None                 # the methodological theme of the year
    aim: str | None = None
    tasks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    next_tasks: list[str] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class Workbook:
    """The association's registers, typed.  `sheets` maps tab keys to the titles found."""

    name: str
    info: Info
    members: list[Member] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    agenda: list[AgendaItem] = field(default_factory=list)
    attendance: list[AttendanceMark] = field(default_factory=list)
    attendance_columns: set[int] = field(default_factory=set)
    plan: list[PlanItem] = field(default_factory=list)
    achievements: list[Achievement] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    sheets: dict[str, str] = field(default_factory=dict)
    # Rows of «Заседания» with a number but no readable date: still meetings a person
    # refers to («заседание №3»), so a request for one is answered with the date's problem.
    undated_meetings: dict[int, "UndatedMeeting"] = field(default_factory=dict)
    _marks_index: dict[int, list[AttendanceMark]] | None = field(default=None, repr=False, compare=False)
    _marks_count: int = field(default=0, repr=False, compare=False)

    def meeting(self, number: int) -> Meeting | None:
        return next((m for m in self.meetings if m.number == number), None)

    def agenda_of(self, number: int) -> list[AgendaItem]:
        return sorted((a for a in self.agenda if a.meeting == number), key=lambda a: a.number)

    def marks_of(self, number: int) -> list[AttendanceMark]:
        if self._marks_index is None or self._marks_count != len(self.attendance):
            self._marks_index = {}
            for a in self.attendance:
                self._marks_index.setdefault(a.meeting, []).append(a)
            self._marks_count = len(self.attendance)
        return self._marks_index.get(number, [])

    def members_on(self, day: dt.date) -> list[Member]:
        return [m for m in self.members if m.active_on(day)]

    def with_role(self, role: str) -> list[Member]:
        return [m for m in self.members if m.role == role]
