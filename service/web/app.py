"""The application factory (Flask's tutorial pattern): settings, database, queue,
blueprints.  Nothing is configured at import time."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from flask import Flask

from service.filemodes import secure_process, tighten
from service.settings import load_settings


def create_app(test_config: dict | None = None) -> Flask:
    instance = Path(os.environ.get("MO_DOCS_INSTANCE", Path.cwd() / "instance")).resolve()
    if test_config and "INSTANCE" in test_config:
        instance = Path(test_config.pop("INSTANCE"))
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True)
    secure_process()                            # everything this process writes: 0600 files, 0700 folders
    settings = load_settings(instance, test_config)
    tighten(instance, settings["WORKBOOKS_DIR"], settings["DOCUMENTS_DIR"], settings["OUTBOX_DIR"])
    app.config.update(settings)
    app.config["MAX_CONTENT_LENGTH"] = settings["MAX_UPLOAD_BYTES"] + 64 * 1024   # the form around the file
    app.config["JSON_AS_ASCII"] = False
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(hours=int(settings["SESSION_HOURS"]))
    app.json.ensure_ascii = False

    from jobs.queue import create_huey
    from jobs.tasks import register
    from service.workspace.service import Workspace

    workspace = Workspace(settings)
    huey = create_huey(settings["QUEUE_URL"])
    app.extensions["workspace"] = workspace
    app.extensions["huey"] = huey
    app.extensions["tasks"] = register(huey, workspace)

    from service.web import (
        account_pages, addon, admin, api, auth, csrf, desk, errors, google_signin, hooks, ids, pages, registers,
        security,
    )
    ids.init_app(app)                           # every <int:…> is a row id: out of range is 404, not 500
    security.init_app(app)                      # the Host check runs before anything else
    auth.init_app(app)                          # who is asking, and may they (service/web/access.py)
    csrf.init_app(app)
    errors.init_app(app)
    google_signin.init_app(app)
    app.register_blueprint(account_pages.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(registers.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    app.register_blueprint(addon.bp, url_prefix="/api/v1/addon")
    app.register_blueprint(hooks.bp)
    app.register_blueprint(desk.bp)
    app.jinja_env.filters.update(pages.FILTERS)
    app.jinja_env.globals.update(pages.GLOBALS)
    return app
