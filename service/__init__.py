"""mo-docs: document automation for teachers' methodological associations.

The Flask application factory lives in `service.web` (a later stage); the core
pipeline (`service.pipeline`) is usable without it, from the CLI and the jobs.
"""
