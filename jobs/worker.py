"""`mo-docs worker`: the huey consumer with the app's settings, tasks and periodic work."""
from __future__ import annotations

import logging


def run_worker(app) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    huey = app.extensions["huey"]
    consumer = huey.create_consumer(workers=int(app.config["WORKERS"]), worker_type="thread", periodic=True,
                                    check_worker_health=True)
    consumer.run()
