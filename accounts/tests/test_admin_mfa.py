"""Consultancy admins, staff and superusers must use two-factor authentication (TOTP through
allauth.mfa), and the Django admin shows no authenticator."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from core.tests.helpers import TEST_PASSWORD, totp_code

pytestmark = pytest.mark.django_db


def test_admin_without_an_authenticator_is_sent_to_set_one_up(client, user_factory):
    admin = user_factory(email="new.admin@example.org", roles=("consultancy_admin",), with_totp=False)
    client.force_login(admin)
    for path in (
        reverse("overview:home"),
        reverse("mentorship:engagement-list"),
        reverse("mentorship:organisation-list"),
    ):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")
    # The setup page itself is open (allauth first asks to confirm the password).
    setup = client.get(reverse("mfa_activate_totp"), follow=True)
    assert setup.status_code == 200
    assert all(url.startswith("/accounts/") for url, _ in setup.redirect_chain)
    assert client.post(reverse("account_logout")).status_code == 302  # and so is signing out


def test_removing_the_authenticator_takes_effect_on_the_next_request(client, consultancy_admin):
    client.force_login(consultancy_admin)
    assert client.get(reverse("mentorship:engagement-list")).status_code == 200

    Authenticator.objects.filter(user=consultancy_admin).delete()

    response = client.get(reverse("mentorship:engagement-list"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_other_roles_are_not_forced(client, mentor, mentee):
    for person in (mentor, mentee):
        client.force_login(person)
        assert client.get(reverse("overview:home")).status_code == 200


def test_admin_sign_in_asks_for_the_code_and_refuses_a_wrong_one(client, consultancy_admin):
    assert Authenticator.objects.filter(user=consultancy_admin, type="totp").exists()
    response = client.post(reverse("account_login"), {"login": consultancy_admin.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = "000000" if totp_code() != "000000" else "111111"
    client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == consultancy_admin.pk
    assert client.get(reverse("overview:home")).status_code == 200


def test_the_requirement_can_be_switched_off(client, user_factory, settings):
    settings.REQUIRE_ADMIN_MFA = False
    admin = user_factory(email="new.admin@example.org", roles=("consultancy_admin",), with_totp=False)
    client.force_login(admin)
    assert client.get(reverse("overview:home")).status_code == 200


@pytest.mark.parametrize("flags", [{"is_superuser": True, "is_staff": True}, {"is_staff": True}])
def test_superusers_and_staff_without_an_authenticator_are_sent_to_set_one_up(client, user_factory, flags):
    operator = user_factory(email="root@example.org", with_totp=False, **flags)
    client.force_login(operator)
    for path in (reverse("admin:index"), reverse("overview:home"), reverse("admin:accounts_user_changelist")):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")


def test_a_superuser_with_an_authenticator_reaches_the_admin(client, user_factory):
    operator = user_factory(email="root@example.org", is_superuser=True, is_staff=True)
    client.force_login(operator)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_django_admin_has_no_pages_for_authenticators(client, user_factory, consultancy_admin):
    operator = user_factory(email="root@example.org", is_superuser=True, is_staff=True)
    client.force_login(operator)
    authenticator = Authenticator.objects.get(user=consultancy_admin, type="totp")
    for path in ("/admin/mfa/authenticator/", f"/admin/mfa/authenticator/{authenticator.pk}/change/"):
        assert client.get(path).status_code == 404
    assert "/admin/mfa/" not in client.get(reverse("admin:index")).content.decode()
