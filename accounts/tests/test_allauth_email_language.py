"""allauth's emails go out in the language saved on the recipient's account, whatever the browser
that asked for them speaks (accounts.adapter.AccountAdapter)."""

import pytest
from django.core import mail
from django.urls import reverse


def _reset_email(client, email: str, browser_language: str):
    response = client.post(reverse("account_reset_password"), {"email": email}, HTTP_ACCEPT_LANGUAGE=browser_language)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return mail.outbox[0]


@pytest.mark.django_db
def test_a_swedish_account_gets_its_password_reset_in_swedish_from_an_english_browser(client, mentee):
    mentee.language = "sv"
    mentee.save(update_fields=["language"])
    message = _reset_email(client, mentee.email, "en")
    assert "Password Reset" not in message.subject
    assert "återställ" in (message.subject + message.body).lower()


@pytest.mark.django_db
def test_an_english_account_gets_it_in_english_from_a_swedish_browser(client, mentee):
    mentee.language = "en"
    mentee.save(update_fields=["language"])
    message = _reset_email(client, mentee.email, "sv")
    assert "Password Reset" in message.subject
