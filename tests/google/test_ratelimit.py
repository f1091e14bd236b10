"""The shared limiter keeps every 60-second window under the quota, takes a slot
from all buckets or none, and is safe across threads (memory) and processes (Redis)."""
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.google.http import sheets_rates
from service.google.ratelimit import MemoryRateLimiter, Rate, RateLimitTimeout, RedisRateLimiter

USER = {"user": Rate(60, 60)}


def test_sixty_pass_in_a_minute_and_the_sixty_first_waits_for_the_first_to_leave(clock):
    lim = MemoryRateLimiter(clock=clock)
    for i in range(60):
        assert lim.reserve(USER) == 0
        clock.now += 0.5                       # one every half second: 60 in 30 s
    assert lim.reserve(USER) == pytest.approx(30.0)     # the first left at t0, leaves the window at t0+60
    clock.now += 29.9
    assert lim.reserve(USER) == pytest.approx(0.1)
    clock.now += 0.1
    assert lim.reserve(USER) == 0


def test_the_window_slides_rather_than_resetting_each_minute(clock):
    """A fixed window would allow 60 at 0:59 and 60 more at 1:00; the sliding one does not."""
    lim = MemoryRateLimiter(clock=clock)
    clock.now = 59.0
    for _ in range(60):
        assert lim.reserve(USER) == 0
    clock.now = 60.0
    assert lim.reserve(USER) == pytest.approx(59.0)


def test_a_slot_is_taken_from_every_bucket_or_from_none(clock):
    lim = MemoryRateLimiter(clock=clock)
    rates_a = {"user:a": Rate(2, 60), "project": Rate(3, 60)}
    rates_b = {"user:b": Rate(2, 60), "project": Rate(3, 60)}
    assert lim.reserve(rates_a) == 0 and lim.reserve(rates_a) == 0
    assert lim.reserve(rates_a) > 0                      # a's own bucket is full...
    assert lim.count("project") == 2                     # ...and the refused request took no project slot
    assert lim.reserve(rates_b) == 0                     # b has its own user bucket
    assert lim.reserve(rates_b) > 0                      # but the project (3) is now full
    assert lim.count("user:b") == 1


def test_acquire_sleeps_until_the_slot_frees_and_gives_up_past_its_timeout(clock):
    lim = MemoryRateLimiter(clock=clock)
    rate = {"k": Rate(1, 10)}
    assert lim.acquire(rate, sleep=clock.sleep) == 0
    assert lim.acquire(rate, sleep=clock.sleep) == 10 and clock.sleeps == [10]
    with pytest.raises(RateLimitTimeout) as info:
        lim.acquire(rate, timeout=5, sleep=clock.sleep)
    assert info.value.wait == 10 and info.value.keys == ["k"]
    assert lim.count("k", 10) == 1


def test_sheets_rates_name_both_quotas_with_headroom():
    rates = sheets_rates("sa@p.iam.gserviceaccount.com")
    assert rates == {"sheets:read:user:sa@p.iam.gserviceaccount.com": Rate(57, 60),
                     "sheets:read:project": Rate(285, 60)}


def test_threads_never_get_more_slots_than_the_limit(clock):
    lim = MemoryRateLimiter(clock=clock)
    rate = {"project": Rate(100, 60)}
    granted = []
    start = threading.Barrier(16)

    def worker():
        start.wait()
        for _ in range(50):
            if lim.reserve(rate) == 0:
                granted.append(1)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(granted) == 100


def test_a_sustained_load_keeps_every_window_under_the_quota(clock):
    """300 reads through the two Sheets quotas: the per-user one (57/min) binds."""
    lim = MemoryRateLimiter(clock=clock)
    rates = sheets_rates("sa")
    times = []
    for _ in range(300):
        lim.acquire(rates, timeout=3600, sleep=clock.sleep)
        times.append(clock.now)
    assert max(sum(1 for t in times if s <= t < s + 60) for s in times) == 57
    assert times[-1] - times[0] == pytest.approx(5 * 60, abs=1)      # 300 reads at 57/min: 5 windows of waiting


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=300, allow_nan=False), min_size=1, max_size=200),
       st.integers(min_value=1, max_value=20))
def test_property_no_sixty_second_window_holds_more_than_the_limit(arrivals, limit):
    class Clock:
        now = 0.0

    c = Clock()
    lim = MemoryRateLimiter(clock=lambda: c.now)
    accepted = []
    for t in sorted(arrivals):
        c.now = t
        if lim.reserve({"k": Rate(limit, 60)}) == 0:
            accepted.append(t)
    for t in accepted:
        assert sum(1 for a in accepted if t - 60 < a <= t) <= limit


# ---------------------------------------------------------------- Redis

class FakePipeline:
    """The few redis-py pipeline commands RedisRateLimiter uses, queued and run at
    execute() as one transaction would be."""

    def __init__(self, server):
        self.server = server
        self.ops = []

    def __getattr__(self, name):
        def queue(*args, **kwargs):
            self.ops.append((name, args, kwargs))
            return self
        return queue

    def execute(self):
        with self.server.lock:
            out = [getattr(self.server, "_" + name)(*a, **kw) for name, a, kw in self.ops]
        self.ops = []
        return out


class FakeRedis:
    def __init__(self, clock):
        self.clock = clock
        self.lock = threading.Lock()
        self.sets: dict[str, dict[str, float]] = {}
        self.expiry: dict[str, int] = {}

    def pipeline(self, transaction=True):
        assert transaction
        return FakePipeline(self)

    def time(self):
        now = self.clock()
        return int(now), int(round((now - int(now)) * 1_000_000))

    def _zremrangebyscore(self, key, low, high):
        z = self.sets.setdefault(key, {})
        lo = float("-inf") if low == "-inf" else float(low)
        gone = [m for m, s in z.items() if lo <= s <= float(high)]
        for m in gone:
            del z[m]
        return len(gone)

    def _zadd(self, key, mapping):
        z = self.sets.setdefault(key, {})
        new = sum(1 for m in mapping if m not in z)
        z.update(mapping)
        return new

    def _zcard(self, key):
        return len(self.sets.get(key, {}))

    def _zrange(self, key, start, stop, withscores=False):
        items = sorted(self.sets.get(key, {}).items(), key=lambda kv: (kv[1], kv[0]))
        items = items[start:(stop + 1) if stop >= 0 else None]
        return [(m.encode(), s) for m, s in items] if withscores else [m.encode() for m, _ in items]

    def _zrem(self, key, member):
        return 1 if self.sets.get(key, {}).pop(member, None) is not None else 0

    def _pexpire(self, key, ms):
        self.expiry[key] = ms
        return True


def test_redis_limiter_shares_the_window_between_processes(clock):
    server = FakeRedis(clock)
    a, b = RedisRateLimiter(server), RedisRateLimiter(server)          # two workers, one Redis
    rates = {"user:sa": Rate(3, 60), "project": Rate(10, 60)}
    assert [a.reserve(rates), b.reserve(rates), a.reserve(rates)] == [0, 0, 0]
    clock.now += 15
    assert b.reserve(rates) == pytest.approx(45.0)                     # the oldest leaves at +60
    assert server._zcard("mo-docs:rate:user:sa") == 3                  # the refused one was taken back
    assert server._zcard("mo-docs:rate:project") == 3
    assert server.expiry["mo-docs:rate:user:sa"] == 61_000
    clock.now += 45
    assert a.reserve(rates) == 0


def test_redis_limiter_takes_all_buckets_or_none(clock):
    server = FakeRedis(clock)
    lim = RedisRateLimiter(server, clock=clock)
    assert lim.reserve({"user:a": Rate(1, 60), "project": Rate(5, 60)}) == 0
    assert lim.reserve({"user:a": Rate(1, 60), "project": Rate(5, 60)}) > 0
    assert server._zcard("mo-docs:rate:project") == 1


# ---------------------------------------------------------------- the processes of one machine

def _take_slots(path: str, start, attempts: int, results) -> None:
    from service.google.ratelimit import FileRateLimiter, Rate

    lim = FileRateLimiter(path)
    start.wait()
    results.put(sum(1 for _ in range(attempts) if lim.reserve({"sheets:read:project": Rate(20, 60)}) == 0))


def test_the_processes_of_one_machine_share_one_quota_through_a_file(tmp_path):
    """Four worker processes (as `mo-docs run` starts several) racing for 20 slots a minute
    get 20 between them, not 20 each."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    path = str(tmp_path / "google-rate-limit.json")
    procs = [ctx.Process(target=_take_slots, args=(path, start, 15, results)) for _ in range(4)]
    for p in procs:
        p.start()
    start.set()
    granted = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert sum(granted) == 20 and all(p.exitcode == 0 for p in procs)


def test_the_file_limiter_slides_its_window_and_survives_a_torn_file(tmp_path, clock):
    from service.google.ratelimit import FileRateLimiter

    path = tmp_path / "state" / "limit.json"
    lim = FileRateLimiter(path, clock=clock)
    rate = {"k": Rate(2, 10)}
    assert lim.reserve(rate) == 0 and lim.reserve(rate) == 0
    assert lim.reserve(rate) == pytest.approx(10)
    clock.now += 10
    assert lim.reserve(rate) == 0
    path.write_text('{"k": [1, 2')                        # a half-written file (power loss)
    assert lim.reserve(rate) == 0


def test_the_service_shares_its_limiter_through_the_instance_folder(tmp_path):
    from service.google.config import GoogleSettings, make_limiter
    from service.google.ratelimit import FileRateLimiter

    lim = make_limiter(GoogleSettings(), str(tmp_path))
    assert isinstance(lim, FileRateLimiter) and lim.path == str(tmp_path / "google-rate-limit.json")
