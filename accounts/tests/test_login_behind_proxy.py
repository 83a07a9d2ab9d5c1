"""Behind the TLS proxy every request reaches the app from the proxy's address. The failed-login
limit (five per address in five minutes) must still be per client: the address the proxy puts
last in X-Forwarded-For, trusted because ALLAUTH_TRUSTED_PROXY_COUNT says one proxy of ours
appends to it."""

import pytest
from django.test import Client
from django.urls import reverse

from core.tests.helpers import TEST_PASSWORD

PROXY = "127.0.0.1"  # what gunicorn sees as REMOTE_ADDR for everyone
ATTACKER = "198.51.100.7"
VISITOR = "203.0.113.9"
LOCKED_OUT = "Too many failed login attempts"


def _login(client, email: str, password: str, *, client_address: str, client_sent: str = ""):
    """A login as nginx (`$proxy_add_x_forwarded_for`) or Caddy forward it: whatever the client
    sent in X-Forwarded-For, then the address the proxy saw."""
    forwarded_for = f"{client_sent}, {client_address}" if client_sent else client_address
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def _fail_five_times(client, **addresses) -> None:
    # Five different (unknown) accounts: the per-address limit, not the per-account one.
    for number in range(5):
        response = _login(client, f"guess{number}@example.org", "wrong password", **addresses)
        assert response.status_code == 200
        assert LOCKED_OUT not in response.content.decode()


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


@pytest.mark.django_db
def test_failed_logins_lock_out_the_client_that_made_them_and_no_one_else(behind_one_proxy, client, mentee, mentor):
    _fail_five_times(client, client_address=ATTACKER)

    response = _login(client, mentor.email, TEST_PASSWORD, client_address=ATTACKER)
    assert "_auth_user_id" not in client.session
    assert LOCKED_OUT in response.content.decode()

    visitor = Client()
    response = _login(visitor, mentee.email, TEST_PASSWORD, client_address=VISITOR)
    assert response.status_code == 302
    assert int(visitor.session["_auth_user_id"]) == mentee.pk


@pytest.mark.django_db
def test_an_address_the_client_writes_into_the_header_itself_changes_nothing(behind_one_proxy, client, mentee, mentor):
    # The attacker claims to be the visitor: the limit still lands on the attacker's own address.
    _fail_five_times(client, client_address=ATTACKER, client_sent=VISITOR)
    response = _login(client, mentor.email, TEST_PASSWORD, client_address=ATTACKER)
    assert LOCKED_OUT in response.content.decode()

    visitor = Client()
    assert _login(visitor, mentee.email, TEST_PASSWORD, client_address=VISITOR).status_code == 302


@pytest.mark.django_db
def test_without_the_proxy_count_everyone_behind_the_proxy_shares_one_limit(settings, client, mentee):
    # What the setting is for: the default (no trusted proxy) keys on the proxy's address.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    _fail_five_times(client, client_address=ATTACKER)

    visitor = Client()
    response = _login(visitor, mentee.email, TEST_PASSWORD, client_address=VISITOR)
    assert "_auth_user_id" not in visitor.session
    assert LOCKED_OUT in response.content.decode()
