"""The web server's access log without the secrets of one-time links.

An invitation or a password-reset link carries its secret in the path
(`/invitation/<token>`, `/reset/<token>`): whoever reads the journal (journald, a log
collector) could use a link not yet used.  Every route with a `<token>` is found in the
app's own URL map, and its token is replaced by «...» in every field of the log line: the
path, the request line, the referrer (a stylesheet asked for by the reset page names the
page).  docs/deploy/nginx.conf does the same for nginx's log."""
from __future__ import annotations

import re

from gunicorn.glogging import Logger

MASK = "..."


def secret_paths(app) -> re.Pattern:
    """A pattern of the paths that carry a secret: the part of each rule before `<token>`."""
    prefixes = sorted({rule.rule.split("<token>", 1)[0] for rule in app.url_map.iter_rules() if "<token>" in rule.rule})
    if not prefixes:
        return re.compile(r"(?!)")                 # matches nothing
    return re.compile("(" + "|".join(re.escape(p) for p in prefixes) + r")[^/?#\s\"]+")


def mask(text, pattern: re.Pattern):
    return pattern.sub(r"\g<1>" + MASK, text) if isinstance(text, str) else text


class AccessLogger(Logger):
    """gunicorn's logger, with the secret paths (`AccessLogger.secrets`, set from the app
    before the server starts) masked in every atom of the access log."""

    secrets: re.Pattern = re.compile(r"(?!)")

    def atoms(self, resp, req, environ, request_time):
        return {k: mask(v, self.secrets) for k, v in super().atoms(resp, req, environ, request_time).items()}
