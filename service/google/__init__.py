"""Google adapters: Sheets reading (gspread), Drive filing and change detection
(google-api-python-client), with bounded retries and a shared rate limiter.

Nothing here reads the environment at import time; settings are passed in
(`service.google.config.GoogleSettings`).
"""
