"""Helpers the tests of every app share, imported by name. The data comes from demo/factories.py
and the fixtures registered in the root conftest; these only read, sign in and point."""

import datetime
import os
import re
import time
import zoneinfo

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import timezone

from demo import factories

TEST_PASSWORD = factories.PASSWORD
TEST_TOTP_SECRET = factories.TOTP_SECRET  # base32; admins need TOTP (AdminMFAMiddleware)


def missing_service(message: str) -> None:
    """Skip locally when a service is missing; in CI (CI=true) a missing service is a failure."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: services must be running)")
    pytest.skip(message)


def totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """The code an authenticator app with `secret` shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def messages_of(response) -> list[str]:
    """The flash messages the response's page shows."""
    return [str(message) for message in response.context["messages"]] if response.context else []


def local_today(user) -> datetime.date:
    """Today in `user`'s time zone: the date a page they view counts from. Outside a request
    timezone.localdate() is the UTC date, which differs from Stockholm's just after midnight."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(user.time_zone))


def days_from_now(days: float) -> datetime.datetime:
    """Now, `days` ahead (negative: back), to the second."""
    return (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days)).replace(microsecond=0)


def session_url(name: str, session, *args) -> str:
    """The URL of the session page or action `name` (mentoring_sessions:<name>)."""
    return reverse(f"mentoring_sessions:{name}", args=[session.uuid, *args])


def engagement_url(engagement) -> str:
    return reverse("overview:engagement-detail", args=[engagement.uuid])


def browser_sign_in(page, base_url: str, email: str, password: str, *, totp_secret: str | None = None) -> None:
    """Sign in through the login form; answer the two-factor step with a TOTP code if asked."""
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


def xdist_worker_number() -> int:
    """0 in a plain run; with pytest-xdist (`-n`), this worker's number (gw0, gw1, ...), so that
    tests in two workers never share a Redis database."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
