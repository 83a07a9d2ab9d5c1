import datetime
import zoneinfo

import pytest
from django.core import mail
from icalendar import Calendar

from sessions.booking import selectors, services
from sessions.calendars.ics import invite_ics


@pytest.fixture
def booked(engagement, mentee, open_availability, neutral_venue, django_capture_on_commit_callbacks):
    open_availability(mentor=engagement.mentor)
    slot = selectors.free_slots_for_engagement(engagement)[0]
    with django_capture_on_commit_callbacks(execute=True):
        session, _ = services.book_session(
            engagement=engagement, start=slot.start, venue=neutral_venue, booked_by=mentee
        )
    return session


def parse(ics: bytes):
    calendar = Calendar.from_ical(ics)
    return calendar, calendar.walk("VEVENT")[0]


def test_invite_round_trips_times_zone_venue_uid_and_sequence(booked):
    ics = invite_ics(booked, participants=selectors.participants(booked), zone_name="America/New_York")
    calendar, event = parse(ics)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert event.decoded("DTSTART") == booked.start
    assert event.decoded("DTEND") == booked.end
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "America/New_York"
    assert str(event["UID"]) == booked.ical_uid
    assert int(event["SEQUENCE"]) == 0
    assert "Riverside Rooms" in str(event["LOCATION"])
    assert "Kajgatan 4" in str(event["LOCATION"])
    attendees = [
        str(a) for a in ([event["ATTENDEE"]] if not isinstance(event["ATTENDEE"], list) else event["ATTENDEE"])
    ]
    assert attendees == [f"mailto:{booked.mentee.email}"]
    assert str(event["ORGANIZER"]) == f"mailto:{booked.mentor.email}"


def test_booking_email_carries_the_invite_in_each_recipients_zone(booked):
    zones = {}
    for message in mail.outbox:
        filename, content, mimetype = message.attachments[0]
        assert filename.endswith(".ics")
        assert "method=REQUEST" in mimetype
        _, event = parse(content.encode() if isinstance(content, str) else content)
        zones[message.to[0]] = event["DTSTART"].params["TZID"]
        assert event.decoded("DTSTART") == booked.start
    assert zones == {booked.mentor.email: booked.mentor.time_zone, booked.mentee.email: booked.mentee.time_zone}


def test_move_keeps_uid_and_raises_sequence_and_cancel_sends_method_cancel(
    booked, neutral_venue, django_capture_on_commit_callbacks
):
    uid = booked.ical_uid
    later = selectors.free_slots_for_engagement(booked.engagement, ignore_session=booked)[-1].start
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.reschedule_session(session=booked, start=later, venue=neutral_venue, actor=booked.mentee)
    _, event = parse(mail.outbox[0].attachments[0][1].encode())
    assert (str(event["UID"]), int(event["SEQUENCE"]), event.decoded("DTSTART")) == (uid, 1, later)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_session(session=moved, actor=booked.mentee)
    calendar, event = parse(mail.outbox[0].attachments[0][1].encode())
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (uid, 2)


def test_email_is_in_the_recipients_language_and_time_zone(booked):
    by_recipient = {m.to[0]: m for m in mail.outbox}
    mentee_mail = by_recipient[booked.mentee.email]
    local = booked.start.astimezone(zoneinfo.ZoneInfo(booked.mentee.time_zone))
    assert local.strftime("%H:%M") in mentee_mail.body
    assert mentee_mail.alternatives[0][1] == "text/html"


def test_stale_email_is_skipped_when_the_session_changed(booked, django_capture_on_commit_callbacks):
    from sessions.booking.tasks import send_session_email

    mail.outbox.clear()
    assert (
        send_session_email(booked.pk, "booked", booked.mentee_id, booked.sequence - 1 if booked.sequence else 99) == 0
    )
    assert mail.outbox == []
    assert send_session_email(booked.pk, "cancelled", booked.mentee_id, booked.sequence) == 0  # not cancelled
    assert send_session_email(booked.pk, "booked", booked.mentee_id, booked.sequence) == 0  # sent when booked
    assert mail.outbox == []


def test_dst_change_keeps_local_time_in_the_invite(engagement, mentee, neutral_venue):
    from sessions.models import MentoringSession

    start = datetime.datetime(2026, 10, 26, 8, tzinfo=datetime.UTC)  # 09:00 in Stockholm, the day after the change
    session = MentoringSession(
        engagement=engagement,
        mentor=engagement.mentor,
        mentee=mentee,
        start=start,
        end=start + datetime.timedelta(hours=2),
        venue=neutral_venue,
    )
    _, event = parse(invite_ics(session, participants=[engagement.mentor, mentee], zone_name="Europe/Stockholm"))
    assert event.decoded("DTSTART").hour == 9
    assert event.decoded("DTSTART") == start
