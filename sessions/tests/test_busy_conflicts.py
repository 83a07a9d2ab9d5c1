"""A calendar read that finds an already booked session inside a busy time warns the mentor on
their agenda and by email — once per conflict, even when two reads run at once. And the sweep
reads every calendar, whatever a bad one holds."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxEmail
from demo.factories import make_busy_calendar, make_session
from sessions.busy import tasks
from sessions.busy.services import refresh_calendar
from sessions.models import BusyCalendar, BusyConflict, BusyInterval, SessionStatus

pytestmark = pytest.mark.clock


def calendar_busy_at(start: datetime.datetime, end: datetime.datetime) -> str:
    fmt = "%Y%m%dT%H%M%SZ"
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:clash@example.net\r\n"
        "SUMMARY:Client workshop\r\n"
        f"DTSTART:{start.astimezone(datetime.UTC):{fmt}}\r\nDTEND:{end.astimezone(datetime.UTC):{fmt}}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


@pytest.fixture
def clash(engagement, calendar_server):
    """A session three days ahead and the mentor's calendar busy for an hour inside it."""
    session = make_session(engagement=engagement)
    busy = calendar_busy_at(
        session.start + datetime.timedelta(minutes=30), session.start + datetime.timedelta(minutes=90)
    )
    url = calendar_server.serve_ics("/work.ics", busy)
    return session, make_busy_calendar(mentor=engagement.mentor, url=url)


def conflict_emails():
    return OutboxEmail.objects.filter(sender="sessions.busy_conflict")


@pytest.mark.django_db
def test_a_conflict_is_recorded_and_emailed_once(clash, django_capture_on_commit_callbacks):
    session, calendar = clash
    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_calendar(calendar.pk) == "read"
        assert refresh_calendar(calendar.pk) == "read"
    assert BusyConflict.objects.get().session == session
    assert conflict_emails().count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [session.mentor.email]
    assert "busy during a session" in mail.outbox[0].subject
    body = mail.outbox[0].body
    assert "Client workshop" not in body  # only times are known


@pytest.mark.django_db
def test_the_warning_is_in_the_mentors_language(clash, django_capture_on_commit_callbacks):
    session, calendar = clash
    session.mentor.language = "sv"
    session.mentor.save()
    with django_capture_on_commit_callbacks(execute=True):
        refresh_calendar(calendar.pk)
    assert "Din kalender" in mail.outbox[0].subject


@pytest.mark.django_db
def test_a_moved_session_that_still_clashes_is_a_new_conflict(clash, django_capture_on_commit_callbacks):
    session, calendar = clash
    refresh_calendar(calendar.pk)
    session.start += datetime.timedelta(minutes=30)
    session.end += datetime.timedelta(minutes=30)
    session.save()
    refresh_calendar(calendar.pk)
    assert BusyConflict.objects.count() == 2
    assert conflict_emails().count() == 2


@pytest.mark.django_db
def test_no_warning_for_a_session_that_does_not_clash(engagement, calendar_server):
    session = make_session(engagement=engagement)
    busy = calendar_busy_at(session.end, session.end + datetime.timedelta(hours=1))  # right after it
    calendar = make_busy_calendar(mentor=engagement.mentor, url=calendar_server.serve_ics("/work.ics", busy))
    refresh_calendar(calendar.pk)
    assert not BusyConflict.objects.exists()
    assert not conflict_emails().exists()


@pytest.mark.django_db
def test_no_warning_for_another_mentors_session(engagement, other_mentor, calendar_server):
    session = make_session(engagement=engagement)
    busy = calendar_busy_at(session.start, session.end)
    calendar = make_busy_calendar(mentor=other_mentor, url=calendar_server.serve_ics("/work.ics", busy))
    refresh_calendar(calendar.pk)
    assert not BusyConflict.objects.exists()


@pytest.mark.django_db
def test_the_email_is_dropped_when_the_session_was_cancelled_before_it_went_out(clash):
    from core.outbox import deliver

    session, calendar = clash
    refresh_calendar(calendar.pk)
    session.status = SessionStatus.CANCELLED
    session.save()
    assert deliver(conflict_emails().get().pk) == "not needed any more"
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_agenda_warns_about_open_conflicts_only(clash, client):
    session, calendar = clash
    refresh_calendar(calendar.pk)
    client.force_login(session.mentor)
    page = client.get(reverse("mentoring_sessions:agenda")).content.decode()
    assert "Your own calendar is busy during these sessions" in page
    assert session.get_absolute_url() in page
    # The busy time leaves the calendar: the warning goes too.
    BusyInterval.objects.all().delete()
    page = client.get(reverse("mentoring_sessions:agenda")).content.decode()
    assert "Your own calendar is busy during these sessions" not in page


@pytest.mark.django_db
def test_the_agenda_drops_the_warning_once_the_session_is_cancelled(clash, client):
    session, calendar = clash
    refresh_calendar(calendar.pk)
    session.status = SessionStatus.CANCELLED
    session.save()
    client.force_login(session.mentor)
    assert "busy during these sessions" not in client.get(reverse("mentoring_sessions:agenda")).content.decode()


@pytest.mark.django_db
def test_another_mentor_does_not_see_the_warning(clash, client, other_mentor):
    _session, calendar = clash
    refresh_calendar(calendar.pk)
    client.force_login(other_mentor)
    assert "busy during these sessions" not in client.get(reverse("mentoring_sessions:agenda")).content.decode()


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_two_reads_at_once_warn_once(clash):
    """Two workers read the same calendar at the same moment (a beat sweep and the mentor's
    "read again"): one conflict, one email."""
    _session, calendar = clash
    barrier = threading.Barrier(2)
    outcomes = []

    def read():
        try:
            barrier.wait()
            outcomes.append(refresh_calendar(calendar.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["read", "read"]
    assert BusyConflict.objects.count() == 1
    assert conflict_emails().count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_two_calendars_read_at_once_that_both_clash_warn_once(engagement, calendar_server):
    session = make_session(engagement=engagement)
    busy = calendar_busy_at(session.start, session.end)
    calendars = [
        make_busy_calendar(mentor=engagement.mentor, url=calendar_server.serve_ics(f"/{name}.ics", busy))
        for name in ("work", "board")
    ]
    barrier = threading.Barrier(2)

    def read(calendar):
        try:
            barrier.wait()
            refresh_calendar(calendar.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=[calendar]) for calendar in calendars]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert BusyConflict.objects.count() == 1
    assert len(mail.outbox) == 1


# The sweep --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_reads_every_calendar_and_a_bad_one_stops_nothing(
    mentor, other_mentor, calendar_server, django_capture_on_commit_callbacks
):
    soon = timezone.now() + datetime.timedelta(days=2)
    broken = make_busy_calendar(
        mentor=mentor, url=calendar_server.serve_ics("/broken.ics", "BEGIN:VCALENDAR\r\nnonsense")
    )
    missing = make_busy_calendar(mentor=mentor, url=calendar_server.url("/gone.ics"))
    good = make_busy_calendar(
        mentor=other_mentor,
        url=calendar_server.serve_ics("/good.ics", calendar_busy_at(soon, soon + datetime.timedelta(hours=1))),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.refresh_busy_calendars.delay().get() == 3
    states = {calendar.pk: calendar for calendar in BusyCalendar.objects.all()}
    assert states[broken.pk].error == "malformed"
    assert states[missing.pk].error == "http_error"
    assert states[good.pk].error == ""
    assert states[good.pk].read_at is not None
    assert BusyInterval.objects.filter(calendar=good).count() == 1


@pytest.mark.django_db
def test_the_sweep_skips_people_who_left_or_no_longer_mentor(mentor, other_mentor, calendar_server):
    make_busy_calendar(mentor=mentor, url=calendar_server.url("/cal.ics"))
    make_busy_calendar(mentor=other_mentor, url=calendar_server.url("/cal.ics"))
    mentor.is_active = False
    mentor.save()
    other_mentor.is_mentor = False
    other_mentor.save()
    assert tasks.refresh_busy_calendars.delay().get() == 0
    assert calendar_server.requests == []


def test_beat_reads_the_calendars_every_15_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["busy-calendars-refresh"]
    assert entry["task"] == "sessions.refresh_busy_calendars"
    assert entry["schedule"] == 900
