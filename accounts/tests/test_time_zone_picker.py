"""The time-zone picker: current zones only, searchable without JavaScript (a <datalist>), and
forgiving about what people type."""

import pytest
from django.urls import reverse

from accounts.timezones import current_time_zone_names, find_time_zone, time_zone_names


def test_the_picker_offers_current_zones_not_old_aliases():
    names = current_time_zone_names()
    assert {"Europe/Stockholm", "Europe/Kyiv", "Asia/Kolkata", "America/New_York", "UTC"} <= set(names)
    assert not {"Europe/Kiev", "Asia/Calcutta", "US/Eastern", "Europe/Belfast"} & set(names)
    assert set(names) <= set(time_zone_names())


def test_an_old_alias_stays_valid_for_accounts_that_have_it():
    assert find_time_zone("US/Eastern") == "US/Eastern"


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Stockholm", "Europe/Stockholm"),
        ("stockholm", "Europe/Stockholm"),
        (" New York ", "America/New_York"),
        ("Mars/Olympus", None),
        ("", None),
    ],
)
def test_a_typed_city_finds_its_zone(typed, zone):
    assert find_time_zone(typed) == zone


@pytest.mark.django_db
def test_the_profile_page_lists_the_zones_in_a_datalist(client, mentee):
    client.force_login(mentee)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'list="id_time_zone_list"' in html
    assert '<datalist id="id_time_zone_list">' in html
    assert '<option value="Europe/Stockholm">Europe/Stockholm</option>' in html
    assert 'value="Europe/Kiev"' not in html


@pytest.mark.django_db
def test_typing_a_city_saves_its_zone(client, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Dave Mentee", "time_zone": "new york", "language": "en"}
    )
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.time_zone == "America/New_York"


@pytest.mark.django_db
def test_an_unknown_zone_is_refused_with_a_linked_error(client, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Dave Mentee", "time_zone": "Atlantis", "language": "en"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a time zone from the list" in html
    assert 'aria-describedby="id_time_zone_helptext id_time_zone_error"' in html
    mentee.refresh_from_db()
    assert mentee.time_zone != "Atlantis"
