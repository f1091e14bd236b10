"""Periodic work as data: what runs how often.  tasks.py turns each into a huey
periodic task."""
from huey import crontab

SWEEP = crontab(minute="*")                     # re-queue jobs whose worker died
RENEW_CHANNELS = crontab(minute="17", hour="*/6")  # Drive push channels live about a week


def watch_schedule(minutes: int):
    """Look for changed workbooks every `minutes`."""
    return crontab(minute=f"*/{max(1, min(59, minutes))}")
DIGESTS = crontab(minute="7")                   # hourly: the week's digests go out once their hour has come
