"""Jobs of one association take turns in the order they came, and one that waits too
long gives up instead of blocking its worker for ever."""
from __future__ import annotations

import threading
import time

from service.workspace.gate import AssociationGate


def test_waiting_jobs_go_in_the_order_they_came():
    gate, order, holding = AssociationGate(), [], threading.Event()
    release = threading.Event()

    def first():
        with gate.turn(7, timeout=5) as came:
            assert came
            holding.set()
            release.wait(5)
            order.append(1)

    def later(n):
        with gate.turn(7, timeout=5) as came:
            assert came
            order.append(n)

    threads = [threading.Thread(target=first)]
    threads[0].start()
    assert holding.wait(5)
    for n in (2, 3, 4, 5):
        t = threading.Thread(target=later, args=(n,))
        t.start()
        threads.append(t)
        while gate.waiting(7) < n:                 # each has joined the line before the next comes
            time.sleep(0.001)
    release.set()
    for t in threads:
        t.join(5)
    assert order == [1, 2, 3, 4, 5]
    assert gate.waiting(7) == 0


def test_other_associations_do_not_wait_and_a_long_wait_gives_up():
    gate = AssociationGate()
    with gate.turn(1, timeout=1) as came:
        assert came
        with gate.turn(2, timeout=0.01) as other:
            assert other                           # another association: no wait
        start = time.monotonic()
        with gate.turn(1, timeout=0.1) as mine:
            assert not mine                        # still busy after 0.1 s: the caller gives the job back
        assert 0.09 < time.monotonic() - start < 1
    assert gate.waiting(1) == 0
