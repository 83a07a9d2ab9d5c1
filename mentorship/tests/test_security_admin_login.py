"""Django's admin has no sign-in form of its own: /admin/login/ sends people to allauth's, whose
failed-login rate limit then guards the admin too."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from core.tests.helpers import TEST_PASSWORD, totp_code
from demo.factories import make_user

ADMIN_INDEX = "/admin/"


@pytest.fixture
def staff(db):
    return make_user(email="sam.staff@example.org", full_name="Sam Staff", is_staff=True, is_superuser=True)


def _login_next(response) -> str:
    """The `next` of a redirect to allauth's login page (fails if it goes anywhere else)."""
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    return parse_qs(location.query)["next"][0]


def _login_next_url(client) -> str:
    """Where an anonymous admin visit is sent: allauth's login with next=/admin/."""
    response = client.get(ADMIN_INDEX, follow=True)
    return response.redirect_chain[-1][0]


def test_admin_login_url_is_the_redirect_not_djangos_form():
    assert reverse("admin:login") == "/admin/login/"


@pytest.mark.django_db
def test_admin_login_redirects_to_allauth_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/mentorship/")
    assert _login_next(response) == "/admin/mentorship/"


@pytest.mark.django_db
def test_admin_login_without_next_goes_back_to_the_admin_index(client):
    assert _login_next(client.get("/admin/login/")) == ADMIN_INDEX


@pytest.mark.django_db
@pytest.mark.parametrize("foreign", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"])
def test_a_foreign_next_is_replaced_by_the_admin_index(client, foreign):
    response = client.get("/admin/login/", {"next": foreign})
    assert _login_next(response) == ADMIN_INDEX


@pytest.mark.django_db
def test_anonymous_admin_visit_ends_on_the_allauth_login_page(client):
    response = client.get(ADMIN_INDEX, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=%2Fadmin%2F"
    assert "account/login.html" in [template.name for template in response.templates]


def test_staff_signing_in_through_allauth_reaches_the_admin_after_the_second_factor(client, staff):
    login_url = _login_next_url(client)
    response = client.post(login_url, {"login": staff.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")  # the password alone opens nothing
    assert client.get(ADMIN_INDEX).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response["Location"] == ADMIN_INDEX
    admin_page = client.get(ADMIN_INDEX)
    assert admin_page.status_code == 200
    assert "admin/index.html" in [template.name for template in admin_page.templates]


def test_signed_in_staff_at_the_admin_login_go_on_to_next(client, staff):
    client.force_login(staff)
    response = client.get("/admin/login/?next=/admin/auth/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/auth/"


def test_signed_in_non_staff_get_403_instead_of_a_redirect_loop(client, consultancy_admin):
    client.force_login(consultancy_admin)
    assert client.get("/admin/login/?next=/admin/").status_code == 403
    response = client.get(ADMIN_INDEX, follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1  # /admin/ → /admin/login/, then refused


def test_posting_credentials_to_the_admin_login_signs_nobody_in(client, staff):
    response = client.post("/admin/login/?next=/admin/", {"username": staff.email, "password": TEST_PASSWORD})
    assert _login_next(response) == ADMIN_INDEX
    assert "_auth_user_id" not in client.session


def test_failed_admin_logins_hit_allauths_rate_limit(client, staff):
    login_url = _login_next_url(client)
    for _attempt in range(5):
        response = client.post(login_url, {"login": staff.email, "password": "wrong password"})
        assert response.status_code == 200
    response = client.post(login_url, {"login": staff.email, "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors
    assert client.get(ADMIN_INDEX).status_code == 302
