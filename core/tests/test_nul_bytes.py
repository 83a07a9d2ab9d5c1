"""core.middleware.RejectNulBytesMiddleware: a NUL byte in the path is a 404, never the 500
PostgreSQL's refusal of it used to become. In the query string it is the views' to refuse."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/calendar/%00.ics", "/calendar/a%00b.ics", "/me/unsubscribe/%00/", "/%00/"])
def test_a_nul_in_the_path_is_the_sites_own_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_the_path_is_a_404_signed_in_too(client, mentor):
    client.force_login(mentor)
    assert client.get("/sessions/%00/").status_code == 404
    assert client.post("/availability/windows/%00/delete/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["week=%00", "week=2026-W01%00", "%00=1", "page=1&action=a%00b"])
def test_a_nul_in_the_query_string_reaches_the_view_which_ignores_it(client, mentor, query):
    client.force_login(mentor)
    assert client.get(f"{reverse('mentoring_sessions:agenda')}?{query}").status_code == 200


@pytest.mark.django_db
def test_other_addresses_are_untouched(client, mentor):
    client.force_login(mentor)
    assert client.get(reverse("mentoring_sessions:agenda") + "?week=2026-W49").status_code == 200
    assert client.get("/calendar/no-such-token.ics").status_code == 404
