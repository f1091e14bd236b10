"""Push notifications from Google Drive (`changes.watch`).  Authenticated by the
channel's token (compared in constant time), not by CSRF; `sync` messages and
unknown channels are acknowledged and ignored.  A change only queues the watch job,
and only when none is pending (service/google/push.py): a burst of notifications —
the service's own uploads among them — makes one pass.  Google expects an answer
within seconds."""
from __future__ import annotations

from flask import Blueprint, current_app, request

bp = Blueprint("hooks", __name__)


@bp.post("/hooks/drive")
def drive():
    ws = current_app.extensions["workspace"]
    if ws.google is None:
        return "", 404
    from service.google.changes import SqlChannelStore, handle_notification
    from service.google.push import sync_wanted

    tasks = current_app.extensions["tasks"]

    def changed(channel) -> None:
        if sync_wanted(ws.engine):
            tasks.watch()

    outcome = handle_notification(request.headers, SqlChannelStore(ws.engine), on_change=changed)
    return "", outcome.status
