import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from demo.factories import make_member, make_session
from mentorship.models import TeamMembership
from sessions.models import CalendarFeed, SessionStatus

pytestmark = pytest.mark.clock

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def day_at(days: int, hour: int, zone) -> datetime.datetime:
    """`days` from today at `hour`:00 wall-clock time in `zone` (a ZoneInfo)."""
    today = timezone.now().astimezone(zone).date()
    return datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(hour), tzinfo=zone)


def feed_url(feed: CalendarFeed) -> str:
    return reverse("mentoring_sessions:calendar-feed", args=[feed.token])


def fetch(client, feed: CalendarFeed) -> Calendar:
    response = client.get(feed_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_by_uid(calendar: Calendar) -> dict:
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_feed_lists_a_session_in_the_users_zone_with_venue(client, engagement, mentee, neutral_venue):
    session = make_session(engagement=engagement, start=day_at(10, 9, STOCKHOLM), venue=neutral_venue)
    feed = CalendarFeed.objects.create(user=mentee)

    calendar = fetch(client, feed)

    event = events_by_uid(calendar)[session.ical_uid]
    assert event.decoded("dtstart") == session.start
    assert event.decoded("dtend") == session.end
    assert event["dtstart"].params["TZID"] == "Europe/Stockholm"
    assert event.decoded("dtstart").hour == 9
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    location = str(event["location"])
    assert "Riverside Rooms" in location
    assert "Kajgatan 4" in location
    assert "Göteborg" in location
    assert str(event["status"]) == "CONFIRMED"
    assert int(event["sequence"]) == 0
    assert "METHOD" not in calendar  # a published feed, not an invitation
    assert str(calendar["x-wr-calname"]) == "Mentoring sessions"


def test_feed_uses_the_subscribers_own_zone(client, engagement, mentee, mentor, online_venue):
    mentee.time_zone = "America/New_York"
    mentee.save()
    session = make_session(engagement=engagement, start=day_at(10, 9, STOCKHOLM), venue=online_venue)
    mentee_feed = CalendarFeed.objects.create(user=mentee)
    mentor_feed = CalendarFeed.objects.create(user=mentor)

    mentee_event = events_by_uid(fetch(client, mentee_feed))[session.ical_uid]
    mentor_event = events_by_uid(fetch(client, mentor_feed))[session.ical_uid]

    assert mentee_event["dtstart"].params["TZID"] == "America/New_York"
    assert mentee_event.decoded("dtstart") == session.start
    assert mentee_event.decoded("dtstart").hour == session.start.astimezone(NEW_YORK).hour
    assert mentor_event["dtstart"].params["TZID"] == "Europe/Stockholm"
    assert mentor_event.decoded("dtstart").hour == 9
    assert session.meeting_url in str(mentee_event["location"])  # the session's own room


def test_uid_stays_and_sequence_rises_when_a_session_moves(client, engagement, mentee):
    session = make_session(engagement=engagement, start=day_at(10, 9, STOCKHOLM))
    feed = CalendarFeed.objects.create(user=mentee)
    before = events_by_uid(fetch(client, feed))[session.ical_uid]

    session.start = day_at(11, 13, STOCKHOLM)
    session.end = session.start + datetime.timedelta(hours=2)
    session.sequence += 1
    session.save()
    after = events_by_uid(fetch(client, feed))[session.ical_uid]

    assert str(after["uid"]) == str(before["uid"]) == session.ical_uid
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    assert after.decoded("dtstart") == session.start
    assert after.decoded("dtstart").hour == 13


def test_cancelled_and_requested_sessions_carry_their_status(client, engagement, mentee):
    cancelled = make_session(
        engagement=engagement, start=day_at(5, 9, STOCKHOLM), status=SessionStatus.CANCELLED, sequence=1
    )
    requested = make_session(engagement=engagement, start=day_at(6, 9, STOCKHOLM), status=SessionStatus.REQUESTED)
    feed = CalendarFeed.objects.create(user=mentee)

    events = events_by_uid(fetch(client, feed))

    assert str(events[cancelled.ical_uid]["status"]) == "CANCELLED"
    assert int(events[cancelled.ical_uid]["sequence"]) == 1
    assert str(events[requested.ical_uid]["status"]) == "TENTATIVE"


def test_feed_reaches_back_ninety_days_only(client, engagement, mentee):
    recent = make_session(engagement=engagement, start=day_at(-80, 9, STOCKHOLM), status=SessionStatus.COMPLETED)
    old = make_session(engagement=engagement, start=day_at(-100, 9, STOCKHOLM), status=SessionStatus.COMPLETED)
    feed = CalendarFeed.objects.create(user=mentee)

    events = events_by_uid(fetch(client, feed))

    assert recent.ical_uid in events
    assert old.ical_uid not in events


def test_team_members_get_team_sessions_with_every_member_invited(client, team_engagement, team):
    session = make_session(engagement=team_engagement, start=day_at(7, 13, STOCKHOLM))
    member = TeamMembership.objects.filter(team=team).select_related("user").first().user
    feed = CalendarFeed.objects.create(user=member)

    event = events_by_uid(fetch(client, feed))[session.ical_uid]

    attendees = sorted(str(address) for address in event["attendee"])
    emails = sorted(f"mailto:{m.user.email}" for m in TeamMembership.objects.filter(team=team).select_related("user"))
    assert attendees == emails
    assert "bob.mentor@example.org" in str(event["organizer"])


def test_feed_holds_only_the_users_own_sessions(
    client, engagement, outsider_engagement, team_engagement, mentee, mentor, other_mentor
):
    own = make_session(engagement=engagement, start=day_at(10, 9, STOCKHOLM))
    outsider = make_session(engagement=outsider_engagement, start=day_at(10, 9, STOCKHOLM))
    team_session = make_session(engagement=team_engagement, start=day_at(12, 9, STOCKHOLM))

    mentee_events = events_by_uid(fetch(client, CalendarFeed.objects.create(user=mentee)))
    mentor_events = events_by_uid(fetch(client, CalendarFeed.objects.create(user=mentor)))
    other_events = events_by_uid(fetch(client, CalendarFeed.objects.create(user=other_mentor)))

    assert set(mentee_events) == {own.ical_uid}  # not another organisation's, not a team they are not in
    assert set(mentor_events) == {own.ical_uid, team_session.ical_uid}
    assert set(other_events) == {outsider.ical_uid}


def test_a_user_without_sessions_gets_an_empty_calendar(client, outsider_mentee):
    calendar = fetch(client, CalendarFeed.objects.create(user=outsider_mentee))
    assert calendar.walk("VEVENT") == []


@pytest.mark.parametrize("token", ["wrong-token", "x" * 64, "x" * 65, "%20"])
def test_a_wrong_token_gets_404(client, mentee, token):
    CalendarFeed.objects.create(user=mentee)
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_revoked_token_gets_404(client, mentee):
    feed = CalendarFeed.objects.create(user=mentee)
    url = feed_url(feed)
    feed.delete()
    assert client.get(url).status_code == 404


def test_after_regenerating_only_the_new_token_works(client, mentee):
    feed = CalendarFeed.objects.create(user=mentee)
    old_url = feed_url(feed)
    client.force_login(mentee)
    client.post(reverse("mentoring_sessions:calendar-feed-regenerate"))
    client.logout()

    new_feed = CalendarFeed.objects.get(user=mentee)
    assert client.get(old_url).status_code == 404
    assert client.get(feed_url(new_feed)).status_code == 200


def test_a_deactivated_users_feed_gets_404(client, mentee):
    feed = CalendarFeed.objects.create(user=mentee)
    mentee.is_active = False
    mentee.save()
    assert client.get(feed_url(feed)).status_code == 404


def test_feed_needs_no_sign_in_and_refuses_writes(client, mentee):
    feed = CalendarFeed.objects.create(user=mentee)
    assert client.get(feed_url(feed)).status_code == 200
    assert client.head(feed_url(feed)).status_code == 200
    assert client.post(feed_url(feed)).status_code == 405


def test_feed_is_not_cached_by_shared_caches(client, mentee):
    response = client.get(feed_url(CalendarFeed.objects.create(user=mentee)))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_feed_takes_the_same_number_of_queries_for_3_and_30_sessions(
    client, engagement_factory, mentor, team, user_factory, neutral_venue
):
    from mentorship.models import Engagement

    engagements = [
        engagement_factory(team=team, mentor=mentor, status=Engagement.Status.ACTIVE, initiated_by="leadership_team")
    ]
    for index in range(2):
        person = user_factory(email=f"person{index}@example.org", roles=("mentee",))
        make_member(organisation=team.organisation, user=person, title="Manager")
        engagements.append(engagement_factory(mentee=person, mentor=mentor, status=Engagement.Status.ACTIVE))
    feed = CalendarFeed.objects.create(user=mentor)

    def add_sessions(first_day: int, count: int) -> None:
        for index in range(count):
            make_session(
                engagement=engagements[index % 3], start=day_at(first_day + index, 9, STOCKHOLM), venue=neutral_venue
            )

    add_sessions(1, 3)
    with CaptureQueriesContext(connection) as small:
        assert len(fetch(client, feed).walk("VEVENT")) == 3
    add_sessions(10, 27)
    with CaptureQueriesContext(connection) as large:
        assert len(fetch(client, feed).walk("VEVENT")) == 30
    assert len(small.captured_queries) == len(large.captured_queries)
    # feed, visible engagements, own teams, sessions, team members (+ nothing per session)
    assert len(large.captured_queries) <= 5


def test_feed_query_count_is_fixed(client, django_assert_num_queries, engagement, team_engagement, mentor):
    # The same, stated as the exact number: the feed with its user, the engagements the user may
    # see, the user's own teams, the sessions, the team members.
    for day in range(1, 4):
        make_session(engagement=engagement, start=day_at(day, 9, STOCKHOLM))
        make_session(engagement=team_engagement, start=day_at(day, 13, STOCKHOLM))
    feed = CalendarFeed.objects.create(user=mentor)
    with django_assert_num_queries(5):
        client.get(feed_url(feed))
