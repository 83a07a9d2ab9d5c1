import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_person_edits_name_time_zone_and_language(client, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "  Dave M. Mentee ", "time_zone": "America/New_York", "language": "en"},
    )
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert (mentee.full_name, mentee.time_zone, mentee.language) == ("Dave M. Mentee", "America/New_York", "en")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"full_name": "Dave", "time_zone": "Mars/Olympus", "language": "en"}, "time_zone"),
        ({"full_name": "Dave", "time_zone": "Europe/Stockholm", "language": "de"}, "language"),
        ({"full_name": "   ", "time_zone": "Europe/Stockholm", "language": "en"}, "full_name"),
        ({"full_name": "x" * 151, "time_zone": "Europe/Stockholm", "language": "en"}, "full_name"),
        ({}, "full_name"),
    ],
)
def test_bad_profile_input_gets_a_form_error(client, mentee, data, field):
    client.force_login(mentee)
    response = client.post(reverse("accounts:profile"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    mentee.refresh_from_db()
    assert mentee.full_name == "Dave Mentee"


@pytest.mark.django_db
def test_html_in_the_name_is_rendered_escaped(client, mentee):
    client.force_login(mentee)
    client.post(
        reverse("accounts:profile"),
        {"full_name": "<script>alert(1)</script>", "time_zone": "Europe/Stockholm", "language": "en"},
    )
    html = client.get(reverse("overview:home")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
