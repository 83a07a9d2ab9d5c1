import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demo.factories import make_booking_settings, make_member, make_session, make_time_off
from mentorship.models import Engagement
from sessions.models import SessionStatus

pytestmark = pytest.mark.clock

AGENDA = reverse("mentoring_sessions:agenda")
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def next_monday() -> datetime.date:
    today = timezone.now().astimezone(STOCKHOLM).date()
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=7)


def week_of(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def at(day: datetime.date, hour: int, minute: int = 0, zone=STOCKHOLM) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def day_section(page: str, day: datetime.date) -> str:
    start = page.index(f'id="day-{day:%Y-%m-%d}"')
    return page[start : page.index("</section>", start)]


def day_text(page: str, day: datetime.date) -> str:
    """A day's text as a reader hears it: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", day_section(page, day)).split())


def get_week(client, day: datetime.date) -> str:
    response = client.get(AGENDA, {"week": week_of(day)})
    assert response.status_code == 200
    return response.content.decode()


# Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in(client, db, method):
    response = getattr(client, method)(AGENDA)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["mentee", "outsider_mentee", "consultancy_admin"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_people_who_are_not_mentors_get_403(client, request, who, method):
    client.force_login(request.getfixturevalue(who))
    assert getattr(client, method)(AGENDA).status_code == 403


def test_the_agenda_is_read_only(client, mentor):
    client.force_login(mentor)
    assert client.post(AGENDA).status_code == 405


def test_an_unrelated_mentor_sees_only_their_own_sessions(client, engagement, other_mentor, outsider_engagement):
    monday = next_monday()
    make_session(engagement=engagement, start=at(monday, 10))
    make_session(engagement=outsider_engagement, start=at(monday, 14))
    client.force_login(other_mentor)

    section = day_section(get_week(client, monday), monday)

    assert "Erin Outsider" in section
    assert "Dave Mentee" not in section


# What a week shows ----------------------------------------------------------------------------


def test_the_week_lists_sessions_with_time_person_venue_status_and_link(
    client, mentor, engagement, team_engagement, neutral_venue
):
    monday = next_monday()
    individual = make_session(engagement=engagement, start=at(monday, 10), venue=neutral_venue)
    team_session = make_session(engagement=team_engagement, start=at(monday + datetime.timedelta(days=2), 13))
    make_session(engagement=engagement, start=at(monday + datetime.timedelta(days=7), 10))  # the week after
    client.force_login(mentor)

    page = get_week(client, monday)

    monday_html = day_section(page, monday)
    assert "10:00–12:00" in monday_html
    assert "Dave Mentee" in monday_html
    assert "Riverside Rooms, Göteborg" in monday_html
    assert "Confirmed" in monday_html
    assert reverse("mentoring_sessions:session-detail", args=[individual.uuid]) in monday_html
    wednesday_html = day_section(page, monday + datetime.timedelta(days=2))
    assert "13:00–15:00" in wednesday_html
    assert "Alder leadership team (leadership team)" in wednesday_html
    assert reverse("mentoring_sessions:session-detail", args=[team_session.uuid]) in wednesday_html
    assert page.count("Dave Mentee") == 1


def test_requested_sessions_are_highlighted_with_a_confirm_link(client, mentor, engagement):
    monday = next_monday()
    requested = make_session(engagement=engagement, start=at(monday, 10), status=SessionStatus.REQUESTED)
    client.force_login(mentor)

    page = get_week(client, monday)

    section = day_section(page, monday)
    assert 'class="agenda-requested"' in section
    assert "Waiting for your confirmation" in section
    assert "Review and confirm" in section
    assert reverse("mentoring_sessions:session-detail", args=[requested.uuid]) in section
    assert "One session this week is waiting for your confirmation." in page


def test_text_from_users_is_escaped(client, mentor, engagement, mentee):
    mentee.full_name = "<script>alert(1)</script>"
    mentee.save()
    make_session(engagement=engagement, start=at(next_monday(), 10))
    client.force_login(mentor)

    page = get_week(client, next_monday())

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_free_time_is_availability_minus_sessions_buffers_and_time_off(
    client, mentor, engagement, outsider_engagement, open_availability
):
    open_availability(mentor=mentor)  # 08:00–18:00 every day; buffer 15 min; sessions of 120 min
    monday = next_monday()
    make_session(engagement=engagement, start=at(monday, 10))
    make_session(
        engagement=engagement, start=at(monday + datetime.timedelta(days=2), 10), status=SessionStatus.CANCELLED
    )
    make_session(engagement=outsider_engagement, start=at(monday + datetime.timedelta(days=1), 10))  # another mentor's
    thursday = monday + datetime.timedelta(days=3)
    make_time_off(mentor=mentor, start_date=thursday, end_date=thursday)
    client.force_login(mentor)

    page = get_week(client, monday)

    # 08:00–09:45 is too short for a 120-minute session, so only the afternoon is free.
    assert "Free: 12:15–18:00" in day_text(page, monday)
    assert "08:00–18:00" in day_section(page, monday + datetime.timedelta(days=1))
    assert "08:00–18:00" in day_section(page, monday + datetime.timedelta(days=2))  # cancelled frees it
    assert "Time off." in day_section(page, thursday)
    assert "Free:" not in day_section(page, thursday)


def test_free_time_fits_the_shortest_session_of_the_mentors_engagements(client, mentor, engagement, open_availability):
    open_availability(mentor=mentor)
    make_booking_settings(mentor=mentor, buffer_minutes=0)
    Engagement.objects.filter(pk=engagement.pk).update(session_minutes=90)
    monday = next_monday()
    make_session(engagement=engagement, start=at(monday, 10), minutes=90)
    client.force_login(mentor)

    section = day_section(get_week(client, monday), monday)

    assert "08:00–10:00, 11:30–18:00" in section


def test_past_time_is_not_free(client, mentor, open_availability):
    open_availability(mentor=mentor)
    client.force_login(mentor)
    previous_monday = next_monday() - datetime.timedelta(days=14)

    page = get_week(client, previous_monday)

    assert "Free:" not in page
    assert "Nothing planned." in page


def test_without_weekly_hours_the_page_links_to_the_availability_page(client, mentor):
    client.force_login(mentor)
    page = client.get(AGENDA).content.decode()
    assert reverse("mentoring_sessions:availability") in page
    assert page.count("Nothing planned.") + page.count("Time off.") == 7


# Weeks ----------------------------------------------------------------------------------------


def test_the_week_parameter_picks_an_iso_week_with_links_to_its_neighbours(client, mentor):
    client.force_login(mentor)
    page = client.get(AGENDA, {"week": "2026-W49"}).content.decode()
    assert "Week 49: 30 Nov – 6 Dec 2026" in page
    assert 'href="?week=2026-W48"' in page
    assert 'href="?week=2026-W50"' in page
    assert 'id="day-2026-11-30"' in page
    assert 'id="day-2026-12-06"' in page


def test_week_links_cross_the_year(client, mentor):
    client.force_login(mentor)
    last = client.get(AGENDA, {"week": "2026-W53"}).content.decode()  # 2026 has 53 ISO weeks
    first = client.get(AGENDA, {"week": "2027-W01"}).content.decode()
    assert 'href="?week=2027-W01"' in last
    assert 'href="?week=2026-W53"' in first
    assert 'id="day-2027-01-03"' in last


@pytest.mark.parametrize(
    "week", ["", "nonsense", "2026-W00", "2026-W54", "2027-W53", "2026-W5", "0001-W01", "9999-W52", "<b>", "2026-W49x"]
)
def test_a_malformed_week_shows_this_week(client, mentor, week):
    client.force_login(mentor)
    today = timezone.now().astimezone(STOCKHOLM).date()
    this_monday = today - datetime.timedelta(days=today.weekday())

    response = client.get(AGENDA, {"week": week})

    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="day-{this_monday:%Y-%m-%d}"' in page
    assert 'aria-current="page">This week' in page
    assert 'aria-current="date"' in page


def test_the_week_follows_the_mentors_time_zone(client, mentor, engagement):
    mentor.time_zone = "America/New_York"
    mentor.save()
    # Monday 02:00 in Stockholm is still Sunday evening in New York.
    monday = next_monday()
    make_session(engagement=engagement, start=at(monday, 2), minutes=90)
    client.force_login(mentor)

    page = get_week(client, monday)

    assert "Dave Mentee" not in day_section(page, monday)
    assert "America/New_York" in page


def test_a_week_across_the_autumn_clock_change_keeps_local_times(client, mentor, engagement, open_availability):
    # Clocks in Stockholm go back on Sunday 2026-10-25; ISO week 43 runs 19–25 October.
    open_availability(mentor=mentor)
    make_session(engagement=engagement, start=at(datetime.date(2026, 10, 19), 9))  # 07:00 UTC, summer time
    make_session(engagement=engagement, start=at(datetime.date(2026, 10, 25), 9))  # 08:00 UTC, winter time
    client.force_login(mentor)

    with time_machine.travel(datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)):
        page = client.get(AGENDA, {"week": "2026-W43"}).content.decode()

    monday = day_section(page, datetime.date(2026, 10, 19))
    sunday = day_section(page, datetime.date(2026, 10, 25))
    assert "09:00–11:00" in monday
    assert "09:00–11:00" in sunday
    assert "Free: 11:15–18:00" in day_text(page, datetime.date(2026, 10, 25))
    assert "08:00–18:00" in day_section(page, datetime.date(2026, 10, 24))


# Queries --------------------------------------------------------------------------------------


def test_the_agenda_takes_the_same_number_of_queries_for_3_and_30_sessions(
    client, mentor, team, engagement_factory, user_factory, open_availability, neutral_venue
):
    open_availability(mentor=mentor)
    engagements = [
        engagement_factory(team=team, mentor=mentor, status=Engagement.Status.ACTIVE, initiated_by="leadership_team")
    ]
    for index in range(2):
        person = user_factory(email=f"person{index}@example.org", roles=("mentee",))
        make_member(organisation=team.organisation, user=person, title="Manager")
        engagements.append(engagement_factory(mentee=person, mentor=mentor, status=Engagement.Status.ACTIVE))
    monday = next_monday()
    starts = [at(monday + datetime.timedelta(days=day), hour) for day in range(6) for hour in (8, 10, 12, 14, 16)]
    for index, start in enumerate(starts[:3]):
        make_session(engagement=engagements[index % 3], start=start, minutes=60, venue=neutral_venue)
    client.force_login(mentor)

    with CaptureQueriesContext(connection) as small:
        get_week(client, monday)
    for index, start in enumerate(starts[3:], start=3):
        status = SessionStatus.REQUESTED if index % 4 == 0 else SessionStatus.CONFIRMED
        make_session(engagement=engagements[index % 3], start=start, minutes=60, venue=neutral_venue, status=status)
    with CaptureQueriesContext(connection) as large:
        page = get_week(client, monday)

    assert page.count('class="agenda-time"') == 30
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_agenda_query_count_is_fixed(client, django_assert_num_queries, mentor, engagement, open_availability):
    open_availability(mentor=mentor)
    monday = next_monday()
    for day in range(5):
        make_session(engagement=engagement, start=at(monday + datetime.timedelta(days=day), 10))
    client.force_login(mentor)
    # session + user, the engagements the mentor may see, sessions, booking settings, windows,
    # time off, own calendars' busy times, shortest session length, own calendars' conflicts
    with django_assert_num_queries(10):
        get_week(client, monday)
