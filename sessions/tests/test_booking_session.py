"""A session's page, its .ics download, and moving, cancelling and confirming it."""

import zoneinfo

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.tests.helpers import messages_of, session_url
from demo.factories import make_booking_settings, make_member, make_team_member, make_venue
from sessions.booking.selectors import free_slots_for_engagement
from sessions.models import MentoringSession, SessionStatus, VenueKind

pytestmark = pytest.mark.clock

# Detail ---------------------------------------------------------------------------------------


def test_the_detail_page_shows_time_in_the_viewers_zone_venue_map_and_participants(client, booked, mentee):
    mentee.time_zone = "America/New_York"
    mentee.save()
    client.force_login(mentee)
    response = client.get(booked.get_absolute_url())
    html = response.content.decode()
    local = booked.start.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    local_end = booked.end.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert f"{local:%H:%M}–{local_end:%H:%M}" in html
    assert "America/New_York" in html
    assert "Riverside Rooms" in html
    assert "Kajgatan 4, Göteborg" in html
    assert f'href="{booked.venue.map_url}"' in html
    assert "openstreetmap.org" in html
    assert "<iframe" not in html
    assert booked.mentor.display_name in html
    assert mentee.display_name in html
    assert f'href="/engagements/{booked.engagement.uuid}/"' in html
    assert f'href="/sessions/{booked.uuid}/invite.ics"' in html
    assert "Move to another time or place" in html
    assert "Yes, cancel this session" in html


def test_an_online_session_shows_its_meeting_link(client, ready, mentee, session_factory, online_venue):
    session = session_factory(ready, venue=online_venue)
    client.force_login(mentee)
    html = client.get(session.get_absolute_url()).content.decode()
    assert session.meeting_url.startswith("https://meet.jit.si/")
    assert f'href="{session.meeting_url}"' in html
    assert "openstreetmap" not in html


def test_a_team_session_lists_every_member_with_their_title(client, team_ready, session_factory):
    session = session_factory(team_ready)
    memberships = list(team_ready.team.memberships.select_related("user"))
    client.force_login(memberships[0].user)
    response = client.get(session.get_absolute_url())
    html = response.content.decode()
    for membership in memberships:
        assert f'{membership.user.display_name} <span class="muted">– {membership.title}</span>' in html
    # A member may see the session but not change it: the team's sessions are the mentor's to book.
    assert "Move to another time or place" not in html
    assert "cancel this session" not in html


def test_the_detail_page_makes_the_same_number_of_queries_for_a_bigger_team(
    client, team_ready, session_factory, user_factory
):
    session = session_factory(team_ready)
    client.force_login(team_ready.mentor)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(session.get_absolute_url()).status_code == 200
        return len(queries)

    few = count()
    for index in range(10):
        member = user_factory(email=f"extra{index}@example.org", roles=("mentee",))
        make_member(organisation=team_ready.organisation, user=member, title="Director")
        make_team_member(team=team_ready.team, user=member, title="Director")
    assert count() == few


def test_a_mentor_downloads_an_ics_invite_in_their_own_zone(client, booked):
    mentor = booked.mentor
    mentor.time_zone = "America/New_York"
    mentor.save()
    client.force_login(mentor)
    response = client.get(session_url("session-ics", booked))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith('attachment; filename="mentoring-session-')
    assert response["Content-Disposition"].endswith('.ics"')
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]) == booked.ical_uid
    start = event["DTSTART"].dt
    assert start == booked.start
    assert str(start.tzinfo) == "America/New_York"
    assert "Riverside Rooms" in str(event["LOCATION"])


# Reschedule -----------------------------------------------------------------------------------


def test_mentee_moves_a_session_same_uuid_higher_sequence_and_emails(
    client, ready, mentee, neutral_venue, online_venue, session_factory, django_capture_on_commit_callbacks
):
    session = session_factory(
        ready, start=free_slots_for_engagement(ready)[0].start, venue=neutral_venue, booked_by=mentee
    )
    client.force_login(mentee)
    page = client.get(session_url("session-reschedule", session))
    assert page.status_code == 200
    offered = [slot.start for day in page.context["week"].days for slot in day.slots]
    assert session.start in offered  # its own time stays on offer
    assert f'value="{session.start.isoformat()}" checked' in page.content.decode()
    target = offered[-1]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            session_url("session-reschedule", session), {"start": target.isoformat(), "venue": online_venue.pk}
        )
    assert response["Location"] == session.get_absolute_url()
    moved = MentoringSession.objects.get()
    assert (moved.uuid, moved.start, moved.venue, moved.sequence) == (session.uuid, target, online_venue, 1)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([ready.mentor.email, mentee.email])
    for message in mail.outbox:
        event = icalendar.Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")[0]
        assert (str(event["UID"]), int(event["SEQUENCE"])) == (session.ical_uid, 1)
    assert "Session moved. Everyone gets an updated invitation by email." in messages_of(
        client.get(moved.get_absolute_url())
    )


def test_a_repeated_move_changes_nothing_more(client, booked, mentee):
    client.force_login(mentee)
    target = free_slots_for_engagement(booked.engagement, ignore_session=booked)[-1].start
    data = {"start": target.isoformat(), "venue": booked.venue_id}
    client.post(session_url("session-reschedule", booked), data)
    second = client.post(session_url("session-reschedule", booked), data)
    booked.refresh_from_db()
    assert (booked.start, booked.sequence) == (target, 1)
    assert "Nothing changed" in messages_of(client.get(second["Location"]))[-1]


def test_moving_to_a_taken_time_is_a_friendly_error(client, booked, mentee, session_factory):
    client.force_login(mentee)
    target = free_slots_for_engagement(booked.engagement, ignore_session=booked)[-1].start
    session_factory(booked.engagement, start=target, status=SessionStatus.CONFIRMED)
    response = client.post(
        session_url("session-reschedule", booked), {"start": target.isoformat(), "venue": booked.venue_id}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["start"] == ["This time was just taken — pick another."]
    booked.refresh_from_db()
    assert booked.sequence == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"start": "garbage"}, "start"),
        ({"start": "2020-01-01T08:00:00+00:00"}, "start"),
        ({"venue": "999999"}, "venue"),
        ({"venue": ""}, "venue"),
        ({"venue": "client_site"}, "client_site_confirmed"),
    ],
)
def test_bad_input_when_moving_is_a_friendly_error(client, booked, mentee, data, field):
    site = make_venue(name="Alder HQ", kind=VenueKind.CLIENT_SITE, organisation=booked.engagement.organisation)
    target = free_slots_for_engagement(booked.engagement, ignore_session=booked)[-1].start
    posted = {"start": target.isoformat(), "venue": booked.venue_id, **data}
    if posted["venue"] == "client_site":
        posted["venue"] = site.pk
    client.force_login(mentee)
    response = client.post(session_url("session-reschedule", booked), posted)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    booked.refresh_from_db()
    assert booked.sequence == 0


def test_within_the_cutoff_the_mentee_sees_why_and_cannot_move_it(client, ready, mentee, session_factory):
    session = session_factory(ready, hours_from_now=5)
    client.force_login(mentee)
    detail = client.get(session.get_absolute_url()).content.decode()
    assert "It is too late to move this session online" in detail
    assert "Move to another time or place" not in detail
    assert "Yes, cancel this session" in detail
    assert "recorded as late" in detail
    page = client.get(session_url("session-reschedule", session))
    assert page.status_code == 200
    assert "Too late to move it here" in page.content.decode()
    assert '<form method="post" novalidate>' not in page.content.decode()
    target = free_slots_for_engagement(ready)[-1].start
    client.post(session_url("session-reschedule", session), {"start": target.isoformat(), "venue": ""})
    session.refresh_from_db()
    assert session.sequence == 0


def test_within_the_cutoff_the_mentor_may_still_move_it(client, ready, neutral_venue, session_factory):
    session = session_factory(ready, hours_from_now=5, venue=neutral_venue)
    client.force_login(ready.mentor)
    assert "Move to another time or place" in client.get(session.get_absolute_url()).content.decode()
    target = free_slots_for_engagement(ready, ignore_session=session)[-1].start
    client.post(session_url("session-reschedule", session), {"start": target.isoformat(), "venue": neutral_venue.pk})
    session.refresh_from_db()
    assert (session.start, session.sequence) == (target, 1)


def test_the_cutoff_follows_the_mentors_setting(client, ready, mentee, session_factory):
    make_booking_settings(mentor=ready.mentor, change_cutoff_hours=2)
    session = session_factory(ready, hours_from_now=5)
    client.force_login(mentee)
    assert "Move to another time or place" in client.get(session.get_absolute_url()).content.decode()


@pytest.mark.parametrize("status", [SessionStatus.CANCELLED, SessionStatus.COMPLETED])
def test_only_upcoming_sessions_can_be_moved(client, ready, mentee, session_factory, status):
    session = session_factory(ready, status=status)
    client.force_login(mentee)
    page = client.get(session_url("session-reschedule", session))
    assert "Only upcoming sessions can be moved." in page.content.decode()
    assert "Move to another time or place" not in client.get(session.get_absolute_url()).content.decode()


# Cancel ---------------------------------------------------------------------------------------


def test_cancelling_in_good_time_is_not_late(client, booked, mentee, django_capture_on_commit_callbacks):
    client.force_login(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(session_url("session-cancel", booked), {"reason": "Travelling <b>abroad</b>"})
    booked.refresh_from_db()
    assert (booked.status, booked.late_cancellation, booked.cancelled_by) == (SessionStatus.CANCELLED, False, mentee)
    assert booked.cancellation_reason == "Travelling <b>abroad</b>"
    assert sorted(message.to[0] for message in mail.outbox) == sorted([booked.mentor.email, mentee.email])
    for message in mail.outbox:
        calendar = icalendar.Calendar.from_ical(message.attachments[0][1])
        assert str(calendar["METHOD"]) == "CANCEL"
    detail = client.get(response["Location"])
    html = detail.content.decode()
    assert "Session cancelled. Everyone is told by email." in messages_of(detail)
    assert "Travelling &lt;b&gt;abroad&lt;/b&gt;" in html
    assert "<b>abroad</b>" not in html
    assert "Cancelled late" not in html


def test_a_late_cancellation_is_recorded_as_such(client, ready, mentee, session_factory):
    session = session_factory(ready, hours_from_now=5)
    client.force_login(mentee)
    response = client.post(session_url("session-cancel", session), {"reason": ""})
    session.refresh_from_db()
    assert (session.status, session.late_cancellation) == (SessionStatus.CANCELLED, True)
    detail = client.get(response["Location"])
    assert "recorded as such" in messages_of(detail)[0]
    assert "Cancelled late" in detail.content.decode()


def test_cancelling_twice_is_harmless(client, booked, mentee):
    client.force_login(mentee)
    client.post(session_url("session-cancel", booked))
    second = client.post(session_url("session-cancel", booked))
    booked.refresh_from_db()
    assert booked.sequence == 1
    assert "This session was already cancelled." in messages_of(client.get(second["Location"]))


def test_an_overlong_reason_is_refused(client, booked, mentee):
    client.force_login(mentee)
    response = client.post(session_url("session-cancel", booked), {"reason": "x" * 501})
    booked.refresh_from_db()
    assert booked.status == SessionStatus.CONFIRMED
    assert "at most 500 characters" in messages_of(client.get(response["Location"]))[0]


def test_a_past_session_cannot_be_cancelled(client, ready, mentee, session_factory):
    session = session_factory(ready, hours_from_now=-240)
    client.force_login(mentee)
    response = client.post(session_url("session-cancel", session))
    session.refresh_from_db()
    assert session.status == SessionStatus.CONFIRMED
    assert "Only upcoming sessions can be cancelled." in messages_of(client.get(response["Location"]))


# Confirm --------------------------------------------------------------------------------------


def test_confirming_a_confirmed_session_is_harmless(client, booked):
    client.force_login(booked.mentor)
    client.post(session_url("session-confirm", booked))
    booked.refresh_from_db()
    assert (booked.status, booked.sequence) == (SessionStatus.CONFIRMED, 0)


def test_a_cancelled_session_cannot_be_confirmed(client, ready, session_factory):
    session = session_factory(ready, status=SessionStatus.CANCELLED)
    client.force_login(ready.mentor)
    response = client.post(session_url("session-confirm", session))
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert "Only a requested session can be confirmed." in messages_of(client.get(response["Location"]))
