"""The test setup every app shares: the fixture modules (registered once, below), a pinned clock,
Redis and Chromium discovery, clean caches. Shared helpers are in core/tests/helpers.py, the data comes
from demo/factories.py."""

import os
import shutil
import socket
from urllib.parse import urlparse

# pytest-playwright's sync API runs an event loop in the main thread; Django would otherwise
# refuse ORM calls from the live-server tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# A fixed key for tests only, so tests never write .devdata/notes.key.
os.environ.setdefault("NOTES_ENCRYPTION_KEYS", "OvGJvekpxi27NlhnqncF9EcVTeTXNPmAk1yZjPK5RDU=")

import pytest  # noqa: E402
import time_machine  # noqa: E402

from core.tests import clock  # noqa: E402
from core.tests.clock import TEST_CLOCK  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# The fixtures, each defined once: the named people and organisations, engagements, sessions and
# the own-data records. Thin wrappers around demo/factories.py.
pytest_plugins = [
    "accounts.tests.fixtures",
    "mentorship.tests.fixtures",
    "sessions.tests.fixtures",
    "privacy.tests.fixtures",
    "progress.tests.fixtures",
    "sponsors.tests.fixtures",
]


def pytest_generate_tests(metafunc):
    """With CLOCK_TEST_TIMES, each `clock` test runs once more at each of those instants, in this
    same session (one database setup, one collection, one xdist pool for everything)."""
    parametrization = clock.clock_parametrization(metafunc.definition)
    if parametrization is not None:
        instants, ids = parametrization
        metafunc.parametrize("_pinned_clock", instants, indirect=True, ids=ids)


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    """Start every test at TEST_CLOCK; time goes on from there (tick), so timeouts and ordering by
    creation time still work. A test can travel further itself (`time_machine.travel(...)` or the
    `time_machine` fixture) and comes back here afterwards. Only this process moves (the live
    server's thread too): PostgreSQL (no SQL now() in the code base), the Celery worker
    subprocess and Chromium keep real time. Chromium still keeps our cookies: Django sends their
    lifetime as Max-Age, which Chromium counts from its own clock, and a sign-in without
    "remember me" is a browser-session cookie (checked with TEST_CLOCK two years back)."""
    instant = getattr(request, "param", TEST_CLOCK)
    clock.start_at(instant)
    with time_machine.travel(instant, tick=True):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth keeps its rate-limit counters in the cache.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    # Tests read English; the Swedish catalogue has tests of its own (test_translations,
    # test_language). Production's default stays Swedish.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Run tasks in-process unless a test asks for a real worker."""
    from mentorship.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def redis_url() -> str:
    """Database 15 of the Redis that CELERY_BROKER_URL names (else 127.0.0.1:6379); with
    pytest-xdist, 15 less the worker's number."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        url = "redis://127.0.0.1:6379/15"
    from core.tests.helpers import xdist_worker_number

    url = urlparse(url)._replace(path=f"/{15 - xdist_worker_number()}").geturl()
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            pass
    except OSError:
        from core.tests.helpers import missing_service

        missing_service(f"Redis is not reachable at {url}")
    return url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        from core.tests.helpers import missing_service

        missing_service(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
