"""The demo workspace `make run` starts with: the three sample associations and accounts
to try each role with."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path

from service.demo_data import write_samples
from service.schema.cells import SchoolYear
from service.workspace.service import Workspace


def ensure_demo(ws: Workspace, today: dt.date | None = None) -> int:
    """Add the sample associations once, when the workspace is empty; returns how many."""
    if ws.associations() or ws.associations(archived=True):
        return 0
    today = today or dt.date.today()
    folder = Path(ws.settings["WORKBOOKS_DIR"]) / "demo"
    paths = write_samples(folder, SchoolYear(SchoolYear.of(today).start - 1))
    for path in paths:
        ws.add_association(str(path), "демонстрация", today=today)
    return len(paths)


@dataclass(frozen=True)
class DemoAccounts:
    accounts: list[tuple[str, str]]      # (e-mail, what it is)
    password: str                        # one generated password for all, shown once


DEMO_DOMAIN = "mo.example"               # RFC 2606: never a real mailbox


def ensure_demo_accounts(ws: Workspace) -> DemoAccounts | None:
    """An admin, one curator per demo territory and the head of each demo association,
    once, while the workspace has no accounts at all; None otherwise."""
    from sqlalchemy import func, select

    from service.accounts import directory
    from service.accounts.models import Account
    from service.pipeline import check
    from service.schema.records import HEAD
    from service.workspace.service import slugify

    with ws.sf() as s:
        if s.scalar(select(func.count()).select_from(Account)):
            return None
    password = "-".join(secrets.token_urlsafe(4) for _ in range(3))
    made = []

    def add(email: str, role: str, name: str, what: str, **scope) -> None:
        directory.create(ws.sf, email, role, name=name, password=password, **scope)
        made.append((email, what))

    add(f"admin@{DEMO_DOMAIN}", "admin", "Смирнова Ирина Андреевна", "администратор: все объединения и учётные записи")
    associations = ws.associations()
    for territory in dict.fromkeys(a.territory for a in associations if a.territory):
        word = slugify(territory.split()[0])
        add(f"kurator-{word}@{DEMO_DOMAIN}", "curator", f"Куратор ({territory})",
            f"куратор: {territory}", territories=[territory])
    for a in associations:
        snap = ws.latest_snapshot(a.id)           # the check made when it was added holds its members
        if snap is not None and snap.roster is not None:
            heads = [m["full_name"] for m in snap.roster if m.get("role") == HEAD]
        else:                                     # a workspace from before the roster was kept
            heads = [m.full_name for m in check(ws.source(a.source), regulation_id=a.regulation_override).data.members
                     if m.role == HEAD]
        head = next(iter(heads), "") or "Руководитель"
        add(f"{a.slug}@{DEMO_DOMAIN}", "head", head, f"руководитель: {a.short_name or a.name}", association_ids=[a.id])
    return DemoAccounts(made, password)
