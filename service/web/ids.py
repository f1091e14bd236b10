"""Row ids in URLs (`<int:version_id>`, `<int:account_id>`): every `int` in a route is
a database id, and the databases' integer columns stop at 2³¹−1.  A larger number was
a 500 (PostgreSQL's «integer out of range», SQLite's OverflowError); here it does not
match the route at all, so it is the same 404 as an id that does not exist.  Only ASCII
digits, at most ten of them: «٣» is not 3."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class RowId(IntegerConverter):
    regex = r"[0-9]{1,10}"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 0)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app) -> None:
    """Before any blueprint is registered: every `<int:…>` of the app is a RowId."""
    app.url_map.converters["int"] = RowId
