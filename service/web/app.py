"""The application factory (Flask's tutorial pattern): settings, database, queue,
blueprints.  Nothing is configured at import time."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from service.settings import load_settings


def create_app(test_config: dict | None = None) -> Flask:
    instance = Path(os.environ.get("MO_DOCS_INSTANCE", Path.cwd() / "instance")).resolve()
    if test_config and "INSTANCE" in test_config:
        instance = Path(test_config.pop("INSTANCE"))
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True)
    instance.mkdir(parents=True, exist_ok=True)
    settings = load_settings(instance, test_config)
    app.config.update(settings)
    app.config["MAX_CONTENT_LENGTH"] = settings["MAX_UPLOAD_BYTES"] + 64 * 1024   # the form around the file
    app.config["JSON_AS_ASCII"] = False
    # Until accounts exist the only protection is listening on 127.0.0.1: refuse other Host
    # names too, so a page on another site cannot reach the service by DNS rebinding.
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.json.ensure_ascii = False

    from jobs.queue import create_huey
    from jobs.tasks import register
    from service.workspace.service import Workspace

    workspace = Workspace(settings)
    huey = create_huey(settings["QUEUE_URL"])
    app.extensions["workspace"] = workspace
    app.extensions["huey"] = huey
    app.extensions["tasks"] = register(huey, workspace)

    from service.web import api, auth, csrf, errors, hooks, pages
    auth.init_app(app)
    csrf.init_app(app)
    errors.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    app.register_blueprint(hooks.bp)
    app.jinja_env.filters.update(pages.FILTERS)
    return app
