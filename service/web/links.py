"""Addresses the service gives out (in e-mails, in the CLI): built on PUBLIC_URL when it
is set, so a link works from wherever the person reads it."""
from __future__ import annotations

from flask import has_request_context, request


def public_base(config) -> str:
    if config.get("PUBLIC_URL"):
        return config["PUBLIC_URL"].rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return f"http://127.0.0.1:{config.get('PORT', 8000)}"


def public_url(config, path: str) -> str:
    return public_base(config) + path
