"""Background and periodic work on huey: the queue from settings (queue.py), thin
tasks over the workspace (tasks.py), periodic work as data (schedule.py), and the
consumer entry point (worker.py).  Nothing here reads settings at import time."""
