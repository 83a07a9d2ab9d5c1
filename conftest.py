"""Shared fixtures: one named user per role, a pinned clock, Redis and Chromium discovery, clean
caches."""

import datetime
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
from allauth.account.models import EmailAddress  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_PASSWORD = "correct horse battery staple"
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32; admins need TOTP (AdminMFAMiddleware)
# Every test starts at this instant, so no test depends on the hour, day or season it runs in.
# A Wednesday morning in Stockholm, in the weeks the suite was written against. `TEST_CLOCK`
# moves it (`make test` also runs the `clock` tests just before midnight and across the autumn
# clock change); it needs an offset: TEST_CLOCK=2026-11-18T23:50:00+01:00.
DEFAULT_TEST_CLOCK = "2026-11-25T10:00:00+01:00"


def _test_clock() -> datetime.datetime:
    value = os.environ.get("TEST_CLOCK") or DEFAULT_TEST_CLOCK
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(f"TEST_CLOCK={value!r} is not an ISO 8601 date and time") from error
    if moment.tzinfo is None:
        raise pytest.UsageError(f"TEST_CLOCK={value!r} needs a UTC offset, e.g. +01:00")
    # In UTC: time-machine sets the process's TZ when given a ZoneInfo; Django keeps TZ=UTC.
    return moment.astimezone(datetime.UTC)


TEST_CLOCK = _test_clock()


def totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def missing_service(message: str) -> None:
    """Skip locally when a service is missing; in CI a missing service is a failure."""
    if IN_CI:
        pytest.fail(f"{message} (CI=true: services must be running)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _pinned_clock():
    """Start every test at TEST_CLOCK; time goes on from there (tick), so timeouts and ordering by
    creation time still work. A test can travel further itself (`time_machine.travel(...)` or the
    `time_machine` fixture) and comes back here afterwards. Only this process moves (the live
    server's thread too): PostgreSQL (no SQL now() in the code base), the Celery worker
    subprocess and Chromium keep real time. Chromium still keeps our cookies: Django sends their
    lifetime as Max-Age, which Chromium counts from its own clock, and a sign-in without
    "remember me" is a browser-session cookie (checked with TEST_CLOCK two years back)."""
    with time_machine.travel(TEST_CLOCK, tick=True):
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


def make_user(
    email: str,
    *,
    roles: tuple[str, ...] = (),
    full_name: str = "",
    verified: bool = True,
    with_totp: bool = True,
    **fields,
):
    from accounts.models import User

    fields.setdefault("language", "en")  # tests read English; Swedish has tests of its own
    user = User.objects.create_user(
        email=email, password=TEST_PASSWORD, full_name=full_name or email.split("@")[0].title(), **fields
    )
    for role in roles:
        user.add_role(role)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    from accounts.mfa import needs_second_factor

    if needs_second_factor(user) and with_totp:
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, TEST_TOTP_SECRET)
    return user


@pytest.fixture
def user_factory(db):
    return make_user


@pytest.fixture
def consultancy_admin(db):
    return make_user("alice.admin@example.org", roles=("consultancy_admin",), full_name="Alice Admin")


@pytest.fixture
def mentor(db):
    return make_user("bob.mentor@example.org", roles=("mentor",), full_name="Bob Mentor")


@pytest.fixture
def other_mentor(db):
    return make_user("carol.mentor@example.org", roles=("mentor",), full_name="Carol Mentor")


@pytest.fixture
def mentee(db):
    return make_user("dave.mentee@example.org", roles=("mentee",), full_name="Dave Mentee")


@pytest.fixture
def outsider_mentee(db):
    return make_user("erin.outsider@example.org", roles=("mentee",), full_name="Erin Outsider")


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        url = "redis://127.0.0.1:6379/15"
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            pass
    except OSError:
        missing_service(f"Redis is not reachable at {url}")
    return url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
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


def browser_sign_in(page, base_url: str, email: str, password: str, *, totp_secret: str | None = None) -> None:
    """Sign in through the login form; answer the two-factor step with a TOTP code if asked."""
    import re

    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r"(/$|/2fa/authenticate/)"))
    if "/2fa/authenticate/" in page.url:
        page.locator("input[name=code]").fill(totp_code(totp_secret or TEST_TOTP_SECRET))
        page.locator("input[name=code]").press("Enter")
        page.wait_for_url(re.compile(r"/$"))
