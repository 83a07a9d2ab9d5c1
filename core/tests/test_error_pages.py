"""Error pages that say what happened: a 403 names its reason, a GET on a button's address gets a
405 page with a way back (core.middleware.MethodNotAllowedPageMiddleware), not an empty answer."""

from django.urls import reverse

from core.tests.helpers import session_url


def test_a_403_shows_the_specific_reason(client, booked, mentee):
    client.force_login(mentee)
    response = client.post(session_url("session-confirm", booked))
    assert response.status_code == 403
    assert "Only the mentor can confirm this session." in response.content.decode()


def test_a_403_reason_is_in_the_readers_language(client, booked, mentee):
    mentee.language = "sv"
    mentee.save(update_fields=["language"])
    client.force_login(mentee)
    response = client.post(session_url("session-confirm", booked))
    assert response.status_code == 403
    assert "Bara mentorn kan bekräfta den här träffen." in response.content.decode()


def test_a_page_for_another_role_names_the_role(client, mentee):
    client.force_login(mentee)
    response = client.get(reverse("reporting:audit-log"))
    assert response.status_code == 403
    assert "Only a consultancy admin may open this page." in response.content.decode()


def test_the_role_is_named_in_the_readers_language(client, mentee):
    mentee.language = "sv"
    mentee.save(update_fields=["language"])
    client.force_login(mentee)
    response = client.get(reverse("reporting:audit-log"))
    assert response.status_code == 403
    assert "Bara en konsultadministratör kan öppna den här sidan." in response.content.decode()


def test_a_403_without_a_reason_shows_the_default_sentence(client, mentee):
    client.force_login(mentee)
    response = client.get(reverse("admin-login"))
    assert response.status_code == 403
    assert "Your account does not have access to this page." in response.content.decode()


def test_a_get_on_a_post_only_address_shows_a_page_with_a_way_back(client, booked, mentor):
    client.force_login(mentor)
    response = client.get(session_url("session-confirm", booked), HTTP_REFERER="http://testserver/sessions/")
    html = response.content.decode()
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "This address is for a button" in html
    assert 'href="http://testserver/sessions/"' in html
    assert f'href="{reverse("overview:home")}"' in html


def test_the_405_page_of_a_require_post_view_is_swedish_for_a_swedish_reader(client, mentor):
    mentor.language = "sv"
    mentor.save(update_fields=["language"])
    client.force_login(mentor)
    response = client.get(reverse("mentoring_sessions:time-off-delete", args=[1]))
    assert response.status_code == 405
    assert "Den här adressen hör till en knapp" in response.content.decode()


def test_the_405_page_never_links_back_to_another_site(client, booked, mentor):
    client.force_login(mentor)
    response = client.get(session_url("session-confirm", booked), HTTP_REFERER="https://evil.example/")
    assert response.status_code == 405
    assert "evil.example" not in response.content.decode()


def test_an_outsider_still_gets_404_whatever_the_method(client, booked, outsider_mentee):
    client.force_login(outsider_mentee)
    assert client.get(session_url("session-confirm", booked)).status_code == 404
