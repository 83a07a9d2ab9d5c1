"""mentorship.cache.RedisCache: Django's Redis cache with one client per connection pool."""

import threading

import pytest

from mentorship.cache import RedisCache

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_cache(redis_url):
    cache = RedisCache(redis_url, {"KEY_PREFIX": "test-cache-backend"})
    yield cache
    cache.delete_many(["a", "b", "counter"])


def test_it_stores_and_reads_like_djangos_backend(redis_cache):
    redis_cache.set("a", {"page": b"<html>"}, timeout=30)
    redis_cache.set("counter", 1, timeout=30)
    redis_cache.incr("counter")

    assert redis_cache.get("a") == {"page": b"<html>"}
    assert redis_cache.get_many(["a", "counter", "b"]) == {"a": {"page": b"<html>"}, "counter": 2}
    assert redis_cache.add("a", "other") is False


def test_one_client_serves_every_call(redis_cache):
    redis_cache.get("a")
    client = redis_cache._cache.get_client()
    redis_cache.set("b", 1)
    assert redis_cache._cache.get_client(write=True) is client


def test_threads_can_share_it(redis_cache):
    errors = []

    def work(number):
        try:
            for _ in range(50):
                redis_cache.set("a", number, timeout=30)
                assert redis_cache.get("a") in range(8)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
