"""core.cache.FailOpenRedisCache: a Redis cache that behaves as an empty one while Redis is down,
frozen or slow, warns about it, and stops asking for a while. The fault suite
(test_redis_faults.py) runs whole pages against a real Redis that is stopped and frozen."""

import logging
import socket
import time
import uuid
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCacheClient
from django.urls import reverse
from redis.exceptions import ResponseError

from core.cache import FailOpenRedisCache
from core.tests.helpers import TEST_PASSWORD

TIMEOUT = 0.3


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def frozen_port():
    """A port that accepts connections (the kernel completes the handshake) and never answers:
    what a Redis stopped with SIGSTOP looks like to a client."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def _backend(url: str, **options) -> FailOpenRedisCache:
    options = {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT, **options}
    return FailOpenRedisCache(url, {"OPTIONS": options})


def test_an_unreachable_redis_acts_as_an_empty_cache_that_forgets():
    cache = _backend(f"redis://127.0.0.1:{_unused_port()}/0")
    for _ in range(2):  # first through Redis (refused), then past it (breaker open)
        assert cache.get("key") is None
        assert cache.get("key", "fallback") == "fallback"
        assert cache.add("key", 1) is True  # so allauth's rate-limit lock is "taken"
        assert cache.set("key", 1) is None
        assert cache.touch("key") is False
        assert cache.delete("key") is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("key") is False
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.delete_many(["a", "b"]) is None
        assert cache.get_or_set("key", "computed") == "computed"
        assert cache.clear() is False
        with pytest.raises(ValueError, match="not found"):
            cache.incr("counter")


def test_a_failure_is_a_warning_once_per_interval_without_the_url_in_the_message_text(caplog):
    cache = _backend(f"redis://127.0.0.1:{_unused_port()}/0")
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for _ in range(5):
            cache.get("key")
    warnings = [record.getMessage() for record in caplog.records if record.name == "core.cache"]
    assert len(warnings) == 1
    assert "rate limits are not enforced" in warnings[0]
    assert caplog.records[0].levelname == "WARNING"


def test_a_frozen_redis_costs_one_timeout_then_none_until_the_retry(frozen_port):
    cache = _backend(f"redis://127.0.0.1:{frozen_port}/0", RETRY_AFTER=0.5)
    started = time.monotonic()
    assert cache.get("key") is None
    assert TIMEOUT <= time.monotonic() - started < TIMEOUT + 0.5

    started = time.monotonic()
    for _ in range(20):  # about what two logins ask of the cache
        cache.add("lock", True)
        cache.get("key")
        cache.set("key", 1)
    assert time.monotonic() - started < 0.1

    time.sleep(0.5)  # the retry interval is over: Redis is asked (and waited for) again
    started = time.monotonic()
    cache.get("key")
    assert time.monotonic() - started >= TIMEOUT


def test_other_redis_errors_still_raise():
    # Only "cannot reach Redis" degrades; a command Redis refuses is a bug and is not hidden.
    cache = _backend(f"redis://127.0.0.1:{_unused_port()}/0")
    with (
        mock.patch.object(RedisCacheClient, "get", side_effect=ResponseError("WRONGTYPE")),
        pytest.raises(ResponseError),
    ):
        cache.get("key")
    assert not cache.breaker.is_open


@pytest.mark.redis
def test_with_redis_up_it_is_an_ordinary_cache(redis_url):
    cache = _backend(redis_url)
    key = f"test-cache-{uuid.uuid4()}"
    try:
        assert cache.add(key, {"a": 1}, 30) is True
        assert cache.add(key, "again", 30) is False
        assert cache.get(key) == {"a": 1}
        cache.set(key, 5, 30)
        assert cache.incr(key) == 6
        assert cache.get_many([key]) == {key: 6}
        cache.ping()
    finally:
        cache.delete(key)


@pytest.mark.django_db
def test_failed_login_limit_fails_open_while_the_cache_is_down(client, mentee, settings, caplog):
    """allauth counts failed logins in the cache. Without one the limit cannot be kept: logins go
    on (a warning says the limits are off) rather than every login answering 500."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_unused_port()}/0",
            "OPTIONS": {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT},
        }
    }
    login = reverse("account_login")
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for _ in range(6):
            response = client.post(login, {"login": mentee.email, "password": "wrong password"})
            assert response.status_code == 200
        response = client.post(login, {"login": mentee.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == mentee.pk
    assert any("rate limits are not enforced" in record.getMessage() for record in caplog.records)
    assert isinstance(caches["default"], FailOpenRedisCache)
