import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_anonymous_visitor_switches_language_by_cookie(client):
    response = client.post(reverse("accounts:set-language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.url == "/accounts/login/"
    assert response.cookies["django_language"].value == "en"
    page = client.get(reverse("account_login"))
    assert page.headers["Content-Language"] == "en"
    assert "Sign in" in page.content.decode()

    client.post(reverse("accounts:set-language"), {"language": "sv", "next": "/"})
    page = client.get(reverse("account_login"))
    assert page.headers["Content-Language"] == "sv"
    assert "Logga in" in page.content.decode()


@pytest.mark.django_db
def test_signed_in_person_keeps_the_language_on_their_account(client, mentee):
    mentee.language = "sv"
    mentee.save()
    client.force_login(mentee)
    assert client.get(reverse("overview:home")).headers["Content-Language"] == "sv"
    client.post(reverse("accounts:set-language"), {"language": "en", "next": "/"})
    mentee.refresh_from_db()
    assert mentee.language == "en"
    client.cookies.clear()
    client.force_login(mentee)
    assert client.get(reverse("overview:home")).headers["Content-Language"] == "en"


@pytest.mark.django_db
def test_unknown_language_is_refused(client, mentee):
    client.force_login(mentee)
    response = client.post(reverse("accounts:set-language"), {"language": "xx", "next": "/"}, follow=True)
    mentee.refresh_from_db()
    assert mentee.language == "en"
    assert "That language is not available." in response.content.decode()


@pytest.mark.django_db
def test_language_switch_never_redirects_off_site(client):
    response = client.post(reverse("accounts:set-language"), {"language": "en", "next": "https://evil.example.net/"})
    assert response.url == "/"


@pytest.mark.django_db
def test_language_switch_needs_post(client):
    assert client.get(reverse("accounts:set-language")).status_code == 405
