"""The fault suite: Redis stopped or frozen costs people a slower page at most, never a 500.

Each test starts a Redis of its own (the machine's redis-server on a free port, no persistence)
and points the cache and the Celery broker at it exactly as mentorship/settings.py does in
production (REDIS_URL, CELERY_BROKER_URL, the default REDIS_TIMEOUT_SECONDS). Then it stops or
freezes (SIGSTOP) that Redis and goes through what people do: sign in through allauth's form
(rate limits live in the cache), open their home page, book a session (its emails are queued on
the broker), and a monitor asks /healthz. Pages must answer within 3 s, /healthz within 2 s.

Django's test client runs the requests in this process, so the per-process state the fallbacks
keep (which Redis calls to skip for a while) is what one gunicorn worker would have.
"""

import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from core.queueing import broker_breaker
from core.tests.helpers import TEST_PASSWORD, missing_service
from core.tests.redis_server import (
    RedisServer,
    close_celery_pool,
    find_redis_server,
    point_celery_at,
    settings_for,
)
from mentorship.celery import app
from sessions.booking import selectors

pytestmark = pytest.mark.redis

PAGE_BUDGET = 3.0
HEALTHZ_BUDGET = 2.0


@pytest.fixture
def redis_server():
    binary = find_redis_server()
    if binary is None:
        missing_service("redis-server not found (apt-get install redis-server)")
    server = RedisServer(binary)
    server.start()
    yield server
    server.stop()  # SIGCONT first if the test froze it


@pytest.fixture
def production_redis(redis_server, settings, monkeypatch):
    """The cache (database 1) and the broker (database 0) on the test's Redis, as in production."""
    production = settings_for(REDIS_URL=redis_server.url(1), CELERY_BROKER_URL=redis_server.url(0))
    settings.CACHES = production["CACHES"]  # Django makes new cache objects: no state carried over
    settings.SESSION_ENGINE = production["SESSION_ENGINE"]
    point_celery_at(app, monkeypatch, production["CELERY_BROKER_URL"], production["CELERY_BROKER_TRANSPORT_OPTIONS"])
    app.conf.task_always_eager = False  # publish for real (the root conftest's default is eager)
    broker_breaker.reset()
    yield redis_server
    broker_breaker.reset()
    close_celery_pool(app)


@pytest.fixture
def bookable(engagement, open_availability, neutral_venue):
    open_availability(mentor=engagement.mentor)
    start = selectors.free_slots_for_engagement(engagement)[0].start
    return {
        "url": reverse("mentoring_sessions:book", args=[engagement.uuid]),
        "start": start,
        "venue": neutral_venue,
        "people": {engagement.mentee.email, engagement.mentor.email},
    }


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def _go_through_the_site(client, mentee, bookable, capture) -> tuple[dict[str, float], dict]:
    """Sign in, open the home page, book, ask /healthz: each answer checked, each timed."""
    timings = {}
    response, timings["login"] = _timed(
        lambda: client.post(reverse("account_login"), {"login": mentee.email, "password": TEST_PASSWORD})
    )
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == "/"

    response, timings["home"] = _timed(lambda: client.get(reverse("overview:home")))
    assert response.status_code == 200
    assert response.context["user"] == mentee

    post = {"start": bookable["start"].isoformat(), "venue": bookable["venue"].pk}
    started = time.monotonic()
    # In a request the commit queues the emails; in this test's transaction, leaving this block does.
    with capture(execute=True):
        response = client.post(bookable["url"], post)
    timings["booking"] = time.monotonic() - started
    assert response.status_code == 302, response.context["form"].errors if response.context else ""

    response, timings["healthz"] = _timed(lambda: client.get(reverse("healthz")))
    health = response.json()
    assert response.status_code == 200, health  # pages work: no load balancer should drop us

    for step, seconds in timings.items():
        assert seconds < (HEALTHZ_BUDGET if step == "healthz" else PAGE_BUDGET), (step, timings)
    print({step: round(seconds, 2) for step, seconds in timings.items()})  # the timings, with pytest -s
    return timings, health


def _redis_keys(server: RedisServer, db: int) -> list[bytes]:
    import redis

    return redis.Redis.from_url(server.url(db)).keys("*")


def test_with_redis_up_rate_limits_and_emails_go_through_it(
    client, mentee, bookable, production_redis, django_capture_on_commit_callbacks
):
    timings, health = _go_through_the_site(client, mentee, bookable, django_capture_on_commit_callbacks)
    assert health == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}
    assert any(b"allauth" in key for key in _redis_keys(production_redis, 1))  # the login's rate limit
    assert b"celery" in _redis_keys(production_redis, 0)  # the booking email, queued for a worker
    assert mail.outbox == []  # no worker in this test: nothing sent in-process
    assert not broker_breaker.is_open


def test_with_redis_stopped_everything_works_and_healthz_says_degraded(
    client, mentee, bookable, production_redis, django_capture_on_commit_callbacks, caplog
):
    production_redis.stop()
    timings, health = _go_through_the_site(client, mentee, bookable, django_capture_on_commit_callbacks)
    assert health == {"status": "degraded", "database": "ok", "broker": "error", "cache": "error"}
    assert str(production_redis.port) not in str(health)
    # The booking emails were sent from this process instead of being lost.
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(bookable["people"])
    assert "rate limits are not enforced" in caplog.text
    assert "Broker unreachable" in caplog.text


def test_with_redis_frozen_everything_answers_in_time_and_healthz_says_degraded(
    client, mentee, bookable, production_redis, django_capture_on_commit_callbacks
):
    # Connected while Redis was up, as a running site is.
    assert cache.add("warm", 1) is True
    production_redis.freeze()
    timings, health = _go_through_the_site(client, mentee, bookable, django_capture_on_commit_callbacks)
    assert health == {"status": "degraded", "database": "ok", "broker": "error", "cache": "error"}
    # The mentor's and the mentee's booking email, sent in-process.
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(bookable["people"])


def test_rate_limits_count_again_once_redis_is_back(client, mentee, production_redis, settings):
    settings.CACHES = {"default": {**settings.CACHES["default"]}}
    settings.CACHES["default"]["OPTIONS"] = {**settings.CACHES["default"]["OPTIONS"], "RETRY_AFTER": 0.5}
    production_redis.freeze()
    assert cache.get("anything", "missed") == "missed"
    production_redis.thaw()
    time.sleep(0.6)
    login = reverse("account_login")
    for _ in range(5):
        client.post(login, {"login": mentee.email, "password": "wrong password"})
    response = client.post(login, {"login": mentee.email, "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session  # the sixth attempt is refused again
    assert response.context["form"].errors
