"""mo-docs: document automation for teachers' methodological associations.

`create_app` is the Flask application factory (service/web/app.py); the core pipeline
(`service.pipeline`) works without Flask, from the CLI and the jobs.
"""


def create_app(test_config: dict | None = None):
    from service.web.app import create_app as _create_app

    return _create_app(test_config)
