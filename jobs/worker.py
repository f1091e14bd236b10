"""`mo-docs worker`: the huey consumer with the app's settings, tasks and periodic work."""
from __future__ import annotations

import logging


def run_worker(app) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    huey = app.extensions["huey"]
    poll = float(app.config["QUEUE_POLL_SECONDS"])
    # huey backs an idle worker off to 10 s between looks at a SQLite queue; bounded
    # here, a job starts within `poll` seconds of being queued (Redis blocks on BRPOP).
    consumer = huey.create_consumer(workers=int(app.config["WORKERS"]), worker_type="thread", periodic=True,
                                    check_worker_health=True, initial_delay=poll, max_delay=poll, backoff=1.0)
    consumer.run()
