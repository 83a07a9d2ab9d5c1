"""The Redis cache backend, made to degrade instead of break when Redis is down or frozen.

What the cache holds here is expendable: allauth's rate-limit counters (logins, signups,
password resets, and the contact form's INQUIRY_RATE_LIMIT), allauth's note of TOTP codes
already used, and the claims the inquiry emails take. Sessions live in PostgreSQL. So when Redis
cannot be reached, or does not answer within its socket timeout, every call behaves as on an
empty cache that forgets what it is given: `get` misses, `add` succeeds, `set` and `delete` do
nothing. Rate limits then let everything through (fail open) and a warning says so; pages,
logins and bookings go on as usual.

After a failure the backend does not try Redis again for `RETRY_AFTER` seconds (an OPTIONS key,
default 10), so a frozen Redis costs each process one timeout per interval rather than one per
call: a login makes about ten cache calls. The timeouts themselves are redis-py's
`socket_connect_timeout` and `socket_timeout` in OPTIONS (mentorship/settings.py sets both).
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.breaker import CircuitBreaker

logger = logging.getLogger(__name__)

# Unreachable, refused, timed out, still loading its data after a restart, wrong password (an
# AuthenticationError is a ConnectionError too). A command Redis rejects is a bug: it still raises.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
DEFAULT_RETRY_AFTER = 10.0


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        retry_after = float(options.pop("RETRY_AFTER", DEFAULT_RETRY_AFTER))
        super().__init__(server, {**params, "OPTIONS": options})
        self.breaker = CircuitBreaker(retry_after=retry_after)

    def _guarded(self, call, *args, fallback, **kwargs):
        if self.breaker.is_open:
            return fallback()
        try:
            return call(*args, **kwargs)
        except UNREACHABLE as error:
            self.breaker.trip()
            # Once per interval and process. The error text names the host: fine in the log.
            logger.warning(
                "Cache unavailable (%s: %s): rate limits are not enforced and nothing is cached; "
                "trying Redis again in %g s",
                type(error).__name__,
                error,
                self.breaker.retry_after,
            )
            return fallback()

    def ping(self) -> None:
        """Ask Redis directly, past the breaker, raising if it does not answer; then let the
        connection go (/healthz asks through a backend object of its own, each time)."""
        client = self._cache.get_client(write=True)
        try:
            client.ping()
        finally:
            client.connection_pool.disconnect()

    # As on an empty cache -----------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # The key cannot be there, so adding it "works": allauth's rate-limit lock is an add().
        return self._guarded(super().add, key, value, timeout, version, fallback=lambda: True)

    def get(self, key, default=None, version=None):
        return self._guarded(super().get, key, default, version, fallback=lambda: default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().set, key, value, timeout, version, fallback=lambda: None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().touch, key, timeout, version, fallback=lambda: False)

    def delete(self, key, version=None):
        return self._guarded(super().delete, key, version, fallback=lambda: False)

    def get_many(self, keys, version=None):
        return self._guarded(super().get_many, keys, version, fallback=dict)

    def has_key(self, key, version=None):
        return self._guarded(super().has_key, key, version, fallback=lambda: False)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key {key!r} not found.")

        return self._guarded(super().incr, key, delta, version, fallback=missing)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # The keys that were not stored: all of them.
        return self._guarded(super().set_many, data, timeout, version, fallback=lambda: list(data))

    def delete_many(self, keys, version=None):
        return self._guarded(super().delete_many, keys, version, fallback=lambda: None)

    def clear(self):
        return self._guarded(super().clear, fallback=lambda: False)
