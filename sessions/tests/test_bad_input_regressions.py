"""Inputs that answered 500 (issue 13) and now get a 404 or a form error with a clear message."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone, translation

from sessions.booking import selectors, services

pytestmark = pytest.mark.clock  # free slots and "this week" depend on the day

NOT_OFFERED = "That is not one of the offered times — pick one of those shown."


def test_a_calendar_feed_token_with_a_nul_byte_is_a_404(client, db):
    assert client.get("/calendar/%00.ics").status_code == 404


@pytest.fixture
def booking(engagement, open_availability, neutral_venue):
    open_availability(mentor=engagement.mentor)
    return {"engagement": engagement, "venue": neutral_venue}


@pytest.mark.parametrize(
    "start",
    [
        "9999-12-31T23:59:59+00:00",  # overflowed when the session's end was worked out
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00",
        "2030-06-03T09:00:00+00:00",  # well formed, beyond any booking horizon
    ],
)
def test_booking_a_time_at_the_far_end_of_the_calendar_is_a_form_error(client, mentee, booking, start):
    client.force_login(mentee)
    url = reverse("mentoring_sessions:book", args=[booking["engagement"].uuid])
    response = client.post(url, {"start": start, "venue": booking["venue"].pk})
    assert response.status_code == 200
    assert response.context["form"].errors["start"] == [NOT_OFFERED]


def test_moving_a_session_to_the_far_end_of_the_calendar_is_a_form_error(client, mentee, booking):
    engagement = booking["engagement"]
    first = selectors.free_slots_for_engagement(engagement)[0].start
    session, _created = services.book_session(
        engagement=engagement, start=first, venue=booking["venue"], booked_by=mentee
    )
    client.force_login(mentee)
    url = reverse("mentoring_sessions:session-reschedule", args=[session.uuid])
    response = client.post(url, {"start": "9999-12-31T23:59:59+00:00", "venue": booking["venue"].pk})
    assert response.status_code == 200
    assert response.context["form"].errors["start"] == [NOT_OFFERED]


def test_the_booking_service_refuses_the_calendars_far_end_as_a_taken_time(mentee, booking):
    far_end = datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError) as refused:
        services.book_session(engagement=booking["engagement"], start=far_end, venue=booking["venue"], booked_by=mentee)
    assert refused.value.code == "taken"


def test_extending_an_engagement_into_year_9999_is_a_form_error_and_the_page_still_opens(
    client, consultancy_admin, engagement
):
    client.force_login(consultancy_admin)
    url = reverse("mentorship:engagement-extend", args=[engagement.uuid])
    response = client.post(url, {"new_end": "9999-12-31"})
    assert response.status_code == 200
    first = engagement.planned_end + datetime.timedelta(days=1)
    with translation.override(response.wsgi_request.LANGUAGE_CODE):  # dates as the page writes them
        earliest = formats.date_format(first, "DATE_FORMAT")
    assert response.context["form"].errors["new_end"] == [f"Choose a date between {earliest} and 31 December 2100."]
    engagement.refresh_from_db()
    assert engagement.planned_end.year < 2100
    assert client.get(url).status_code == 200


def test_a_week_at_the_ends_of_the_calendar_shows_this_week(client, mentor):
    client.force_login(mentor)
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(mentor.time_zone))
    for week in ("9999-W52", "0001-W01", "0000-W01", "2026-W99"):
        response = client.get(reverse("mentoring_sessions:agenda"), {"week": week})
        assert response.status_code == 200
        assert response.context["monday"] == today - datetime.timedelta(days=today.weekday())


def test_the_extend_forms_date_range_is_written_as_a_swedish_reader_reads_dates(client, consultancy_admin, engagement):
    consultancy_admin.language = "sv"
    consultancy_admin.save()
    client.force_login(consultancy_admin)
    url = reverse("mentorship:engagement-extend", args=[engagement.uuid])
    response = client.post(url, {"new_end": "9999-12-31"}, HTTP_ACCEPT_LANGUAGE="sv")
    [error] = response.context["form"].errors["new_end"]
    assert error.startswith("Välj ett datum mellan ")
    assert error.endswith(" och 31 december 2100.")
    assert "-" not in error  # no ISO dates
