"""Rate caps hold under concurrency on both stores, and fail closed when the store is gone."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection

from majlis.core import ratelimit
from majlis.core.ratelimit import (
    RateLimiterUnavailable,
    rate_count,
    rate_give_back,
    rate_take,
)

WINDOW = timedelta(minutes=15)


@pytest.fixture(params=["redis", "database"])
def store(request, settings):
    if request.param == "database":
        settings.REDIS_URL = ""
    else:
        assert settings.REDIS_URL, "the suite runs with REDIS_URL (make test sets it)"
    ratelimit._redis.cache_clear()
    yield request.param
    ratelimit._redis.cache_clear()


def _key() -> str:
    return f"test:{uuid.uuid4().hex}"


@pytest.mark.django_db
def test_it_allows_up_to_the_limit_then_refuses(store):
    key = _key()
    assert [rate_take(key, limit=3, window=WINDOW) for _ in range(5)] == [
        True, True, True, False, False,
    ]  # fmt: skip
    assert rate_count(key, window=WINDOW) == 3


@pytest.mark.django_db
def test_it_gives_back_the_last_action(store):
    key = _key()
    for _ in range(3):
        rate_take(key, limit=3, window=WINDOW)
    rate_give_back(key)
    assert rate_take(key, limit=3, window=WINDOW) is True
    assert rate_take(key, limit=3, window=WINDOW) is False


@pytest.mark.django_db
def test_it_forgets_actions_older_than_the_window(store):
    key = _key()
    assert rate_take(key, limit=1, window=timedelta(milliseconds=300)) is True
    assert rate_take(key, limit=1, window=timedelta(milliseconds=300)) is False
    import time

    time.sleep(0.4)
    assert rate_take(key, limit=1, window=timedelta(milliseconds=300)) is True


@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_the_limit_through_when_many_race(store):
    key = _key()

    def take(_: int) -> bool:
        try:
            return rate_take(key, limit=5, window=WINDOW)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(take, range(200)))
    assert results.count(True) == 5
    assert rate_count(key, window=WINDOW) == 5


def test_it_fails_closed_when_redis_is_unreachable(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    ratelimit._redis.cache_clear()
    try:
        with pytest.raises(RateLimiterUnavailable):
            rate_take(_key(), limit=3, window=WINDOW)
    finally:
        ratelimit._redis.cache_clear()
