import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from core.tests.helpers import TEST_PASSWORD


def _signup(client, email="new.person@example.org"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "full_name": "New Person", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )


@pytest.mark.django_db
def test_signup_sends_verification_email_and_confirm_link_enables_login(client):
    response = _signup(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")

    user = User.objects.get(email="new.person@example.org")
    assert user.full_name == "New Person"
    assert user.roles == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    confirm_url = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)

    # Not verified yet: signing in only re-sends the verification mail.
    client.logout()
    response = client.post(reverse("account_login"), {"login": "new.person@example.org", "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session

    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new.person@example.org").verified

    response = client.post(reverse("account_login"), {"login": "new.person@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    home = client.get(reverse("overview:home"))
    assert "New Person" in home.content.decode()


@pytest.mark.django_db
def test_unverified_user_cannot_log_in(client, user_factory):
    user_factory(email="unverified@example.org", roles=("mentee",), verified=False)
    response = client.post(reverse("account_login"), {"login": "unverified@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
def test_login_is_case_insensitive_on_email(client, mentee):
    response = client.post(reverse("account_login"), {"login": mentee.email.upper(), "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == mentee.pk


@pytest.mark.django_db
def test_signup_with_an_email_in_use_creates_nobody_and_tells_the_owner(client, mentee):
    # allauth does not reveal which addresses have accounts: the page looks like a normal
    # signup, and the mail goes to the existing owner.
    response = _signup(client, email=mentee.email.upper())
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=mentee.email).count() == 1
    assert mail.outbox[0].to == [mentee.email]
    assert "/accounts/password/reset/" in mail.outbox[0].body


@pytest.mark.django_db
def test_sixth_failed_login_is_rate_limited_even_with_the_right_password(client, mentee):
    for _attempt in range(5):
        response = client.post(reverse("account_login"), {"login": mentee.email, "password": "wrong password"})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        assert "Too many failed login attempts" not in response.content.decode()

    response = client.post(reverse("account_login"), {"login": mentee.email, "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors


@pytest.mark.django_db
def test_password_reset_mails_a_working_link(client, mentee):
    response = client.post(reverse("account_reset_password"), {"email": mentee.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body).group(1)
    response = client.get(reset_path, follow=True)
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else reset_path
    response = client.post(form_path, {"password1": "a brand new passphrase", "password2": "a brand new passphrase"})
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.check_password("a brand new passphrase")


@pytest.mark.django_db
def test_password_change_needs_the_old_password(client, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not it", "password1": "another good passphrase", "password2": "another good passphrase"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["oldpassword"]
    mentee.refresh_from_db()
    assert mentee.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_allauth_pages_use_the_app_layout(client):
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert 'id="language-select"' in html
