"""The Google rate limiter shared by all workers, on a real Redis server."""
import threading

import pytest

from service.google.ratelimit import Rate, RedisRateLimiter

pytestmark = pytest.mark.system("redis")


def test_the_quota_is_shared_across_limiters(redis_url):
    import redis

    first = RedisRateLimiter(redis.Redis.from_url(redis_url))
    second = RedisRateLimiter(redis.Redis.from_url(redis_url))        # another worker process
    rates = {"user:head@school.ru": Rate(2, 60), "project": Rate(300, 60)}
    assert first.reserve(rates) == 0 and second.reserve(rates) == 0
    wait = first.reserve(rates)
    assert 0 < wait <= 60                                            # the third read this minute waits


def test_concurrent_workers_never_exceed_the_quota(redis_url):
    import redis

    rates = {"project": Rate(25, 60)}
    granted = []

    def worker():
        limiter = RedisRateLimiter(redis.Redis.from_url(redis_url))
        for _ in range(10):
            if limiter.reserve(rates) == 0:
                granted.append(1)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(granted) == 25                                        # 80 attempts, exactly the quota
