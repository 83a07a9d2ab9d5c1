"""A mentor's own calendar, served by a local HTTP server, read into busy times that mentees are
never offered: recurring meetings with their exceptions, all-day, transparent, free and cancelled
events, and the autumn clock change in Stockholm."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from demo.factories import make_booking_settings, make_busy_calendar
from sessions.booking import services
from sessions.booking.selectors import free_slots_for_engagement
from sessions.busy.services import refresh_calendar
from sessions.models import BusyCalendar, BusyInterval, MentoringSession

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
# Sunday 17 October 2027, two weeks before the autumn clock change (Sunday 31 October, 03:00).
MOMENT = datetime.datetime(2027, 10, 17, 10, 0, tzinfo=STOCKHOLM)

# Floating times are in the calendar's X-WR-TIMEZONE (as Google writes them); others carry a TZID.
CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//Busy times//EN
X-WR-CALNAME:Work
X-WR-TIMEZONE:Europe/Stockholm
BEGIN:VEVENT
UID:weekly@example.net
SUMMARY:Steering group at Acme
DESCRIPTION:Confidential: the reorganisation
ATTENDEE;CN=Anna Andersson:mailto:anna@acme.example
DTSTART:20271019T090000
DTEND:20271019T100000
RRULE:FREQ=WEEKLY;COUNT=6
EXDATE:20271026T090000
END:VEVENT
BEGIN:VEVENT
UID:weekly@example.net
RECURRENCE-ID:20271102T090000
SUMMARY:Steering group at Acme (moved)
DTSTART:20271102T140000
DTEND:20271102T150000
END:VEVENT
BEGIN:VEVENT
UID:weekly@example.net
RECURRENCE-ID:20271109T090000
STATUS:CANCELLED
DTSTART:20271109T090000
DTEND:20271109T100000
END:VEVENT
BEGIN:VEVENT
UID:board@example.net
SUMMARY:Board meeting
DTSTART:20271020T090000
DTEND:20271020T100000
END:VEVENT
BEGIN:VEVENT
UID:free@example.net
SUMMARY:Lunch talk (free)
X-MICROSOFT-CDO-BUSYSTATUS:FREE
DTSTART:20271020T130000
DTEND:20271020T150000
END:VEVENT
BEGIN:VEVENT
UID:transparent@example.net
SUMMARY:Reminder to self
TRANSP:TRANSPARENT
DTSTART:20271021T090000
DTEND:20271021T120000
END:VEVENT
BEGIN:VEVENT
UID:allday@example.net
SUMMARY:Conference
DTSTART;VALUE=DATE:20271022
DTEND;VALUE=DATE:20271023
END:VEVENT
BEGIN:VEVENT
UID:night@example.net
SUMMARY:Night train across the clock change
DTSTART;TZID=Europe/Stockholm:20271030T200000
DTEND;TZID=Europe/Stockholm:20271031T120000
END:VEVENT
BEGIN:VEVENT
UID:standup@example.net
SUMMARY:Stand-up
DTSTART;TZID=Europe/Stockholm:20271029T090000
DTEND;TZID=Europe/Stockholm:20271029T093000
RRULE:FREQ=DAILY;COUNT=4
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def ready(ready):
    """The shared `ready` engagement, planned to run through 2027: the calendar's events lie then."""
    ready.planned_end = datetime.date(2027, 12, 31)
    ready.save(update_fields=["planned_end"])
    return ready


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2027, month, day, hour, minute, tzinfo=STOCKHOLM).astimezone(datetime.UTC)


@pytest.fixture
def read_calendar(ready, calendar_server):
    """The engagement's mentor (free 08–18 every day, no buffer, 2-hour sessions) with CALENDAR
    connected and read, at MOMENT."""
    make_booking_settings(mentor=ready.mentor, buffer_minutes=0)
    with time_machine.travel(MOMENT, tick=True):
        calendar = make_busy_calendar(mentor=ready.mentor, url=calendar_server.serve_ics("/work.ics", CALENDAR))
        assert refresh_calendar(calendar.pk) == "read"
        yield calendar


@pytest.fixture
def offered(read_calendar, ready):
    starts = {slot.start for slot in free_slots_for_engagement(ready)}
    return lambda month, day, hour, minute=0: local(month, day, hour, minute) in starts


def test_a_weekly_meeting_blocks_its_hour(offered):
    assert not offered(10, 19, 9)
    assert not offered(10, 19, 8)  # 08:00–10:00 runs into it
    assert offered(10, 19, 10)
    assert not offered(11, 16, 9)


def test_an_excluded_instance_frees_its_time(offered):
    assert offered(10, 26, 9)  # EXDATE


def test_a_moved_instance_blocks_its_new_time_and_frees_the_old(offered):
    assert offered(11, 2, 9)
    assert not offered(11, 2, 13)  # 13:00–15:00 overlaps 14:00–15:00
    assert not offered(11, 2, 14)
    assert offered(11, 2, 15)


def test_a_cancelled_instance_frees_its_time(offered):
    assert offered(11, 9, 9)


def test_an_all_day_event_blocks_the_whole_day_in_the_mentors_zone(offered, ready):
    friday = datetime.date(2027, 10, 22)
    assert [
        slot for slot in free_slots_for_engagement(ready) if slot.start.astimezone(STOCKHOLM).date() == friday
    ] == []
    assert offered(10, 21, 16)  # the evening before
    assert offered(10, 23, 8)  # the morning after


def test_transparent_and_free_events_do_not_block(offered):
    assert offered(10, 21, 9)  # TRANSP:TRANSPARENT
    assert not offered(10, 20, 9)  # the board meeting
    assert offered(10, 20, 13)  # X-MICROSOFT-CDO-BUSYSTATUS:FREE


def test_an_event_across_the_autumn_clock_change_ends_at_its_local_time(offered):
    # 20:00 CEST Saturday to 12:00 CET Sunday: 11:00 UTC, not 10:00.
    assert not offered(10, 31, 11)
    assert offered(10, 31, 12)


def test_a_daily_event_keeps_its_local_time_across_the_clock_change(offered):
    assert not offered(10, 29, 9)
    assert offered(10, 29, 9, 30)
    assert not offered(11, 1, 9)  # 09:00 CET is 08:00 UTC
    assert offered(11, 1, 9, 30)


def test_only_times_are_kept(read_calendar):
    rows = list(BusyInterval.objects.filter(calendar=read_calendar).values())
    assert rows
    assert {key for row in rows for key in row} == {"id", "calendar_id", "mentor_id", "start", "end"}
    assert (local(10, 22, 0), local(10, 23, 0)) in [(row["start"], row["end"]) for row in rows]
    calendar = BusyCalendar.objects.get(pk=read_calendar.pk)
    assert calendar.error == ""
    assert calendar.read_at is not None


def test_booking_into_a_busy_time_is_refused_with_a_clear_message(read_calendar, ready, mentee, neutral_venue):
    with pytest.raises(ValidationError) as refused:
        services.book_session(engagement=ready, start=local(11, 16, 9), venue=neutral_venue, booked_by=mentee)
    assert refused.value.code == "mentor_busy"
    assert "own calendar shows them busy" in refused.value.messages[0]
    session, created = services.book_session(
        engagement=ready, start=local(11, 16, 10), venue=neutral_venue, booked_by=mentee
    )
    assert created


def test_a_busy_time_read_after_the_page_was_shown_still_refuses_the_booking(
    ready, calendar_server, mentee, neutral_venue
):
    make_booking_settings(mentor=ready.mentor, buffer_minutes=0)
    with time_machine.travel(MOMENT, tick=True):
        assert local(10, 20, 9) in {slot.start for slot in free_slots_for_engagement(ready)}
        calendar = make_busy_calendar(mentor=ready.mentor, url=calendar_server.serve_ics("/work.ics", CALENDAR))
        refresh_calendar(calendar.pk)
        with pytest.raises(ValidationError) as refused:
            services.book_session(engagement=ready, start=local(10, 20, 9), venue=neutral_venue, booked_by=mentee)
    assert refused.value.code == "mentor_busy"


def test_moving_a_session_into_a_busy_time_is_refused(read_calendar, ready, mentee, neutral_venue):
    session, _created = services.book_session(
        engagement=ready, start=local(11, 16, 10), venue=neutral_venue, booked_by=mentee
    )
    with pytest.raises(ValidationError) as refused:
        services.reschedule_session(session=session, start=local(10, 19, 9), venue=neutral_venue, actor=mentee)
    assert refused.value.code == "mentor_busy"


def test_the_booking_page_says_why_a_busy_time_cannot_be_booked(read_calendar, ready, mentee, neutral_venue, client):
    client.force_login(mentee)
    url = reverse("mentoring_sessions:book", args=[ready.uuid])
    response = client.post(url, {"start": local(11, 16, 9).isoformat(), "venue": neutral_venue.pk})
    assert response.status_code == 200
    assert "own calendar shows them busy" in " ".join(response.context["form"].errors["start"])
    assert not MentoringSession.objects.filter(engagement=ready).exists()
    offered_starts = {slot.start for day in response.context["week"].days for slot in day.slots}
    assert local(11, 16, 9) not in offered_starts
