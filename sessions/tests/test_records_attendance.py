"""The mentor records after a session whether it was held, a no-show, or cancelled late."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.tests.helpers import messages_of, session_url
from sessions.models import MentoringSession, SessionStatus
from sessions.records import services as records

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(engagement, past_session):
    """A confirmed session that began two days ago, nothing recorded yet."""
    return past_session(engagement, status=SessionStatus.CONFIRMED)


def _record(client, session, outcome):
    return client.post(session_url("session-attendance", session), {"outcome": outcome}, follow=True)


@pytest.mark.parametrize(
    ("outcome", "status", "late"),
    [("held", "completed", False), ("no_show", "no_show", False), ("cancelled_late", "cancelled", True)],
)
def test_mentor_records_what_happened(client, mentor, started, outcome, status, late):
    client.force_login(mentor)
    response = _record(client, started, outcome)
    started.refresh_from_db()
    assert (started.status, started.late_cancellation) == (status, late)
    assert response.redirect_chain[-1][0].endswith("#attendance")
    assert messages_of(response)[0].startswith("Recorded:")


def test_cancelled_late_records_the_mentor_as_the_one_who_cancelled(client, mentor, started):
    client.force_login(mentor)
    _record(client, started, "cancelled_late")
    started.refresh_from_db()
    assert started.cancelled_by == mentor
    assert started.cancelled_at >= started.start
    assert started.sequence == 1  # calendars learn it was cancelled


def test_a_recorded_outcome_can_be_changed_including_back_from_cancelled_late(client, mentor, started):
    client.force_login(mentor)
    for outcome, status in [
        ("held", "completed"),
        ("no_show", "no_show"),
        ("cancelled_late", "cancelled"),
        ("held", "completed"),
    ]:
        _record(client, started, outcome)
        started.refresh_from_db()
        assert started.status == status
    assert (started.late_cancellation, started.cancelled_at, started.cancelled_by) == (False, None, None)
    assert started.sequence == 2  # into cancelled and out again


def test_a_requested_session_that_took_place_can_be_recorded(client, mentor, engagement, past_session):
    session = past_session(engagement, status=SessionStatus.REQUESTED)
    client.force_login(mentor)
    _record(client, session, "held")
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED


def test_recording_the_same_outcome_twice_changes_nothing_more(client, mentor, started):
    client.force_login(mentor)
    _record(client, started, "cancelled_late")
    started.refresh_from_db()
    first = (started.cancelled_at, started.sequence)
    response = _record(client, started, "cancelled_late")
    started.refresh_from_db()
    assert (started.cancelled_at, started.sequence) == first
    assert messages_of(response) == ["Recorded: cancelled late."]


def test_attendance_cannot_be_recorded_before_the_session_starts(client, mentor, engagement, session_factory):
    session = session_factory(engagement)
    client.force_login(mentor)
    response = _record(client, session, "held")
    session.refresh_from_db()
    assert session.status == SessionStatus.CONFIRMED
    assert messages_of(response) == ["Attendance can be recorded once the session has started."]


def test_a_session_cancelled_before_it_started_cannot_be_turned_into_held(
    client, mentor, engagement, mentee, past_session
):
    session = past_session(engagement, status=SessionStatus.CANCELLED, cancelled_by=mentee, late_cancellation=True)
    session.cancelled_at = session.start - datetime.timedelta(hours=3)
    session.save()
    client.force_login(mentor)
    response = _record(client, session, "held")
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.cancelled_by == mentee
    assert messages_of(response) == ["This session was cancelled before it started."]
    assert "Save the wrap-up" not in response.content.decode()


@pytest.mark.parametrize("outcome", ["", "completed", "deleted", "<script>alert(1)</script>"])
def test_a_bad_outcome_is_refused_with_a_message(client, mentor, started, outcome):
    client.force_login(mentor)
    response = _record(client, started, outcome)
    started.refresh_from_db()
    assert started.status == SessionStatus.CONFIRMED
    assert messages_of(response) == ["Choose what happened."]
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_uncancelling_into_a_time_now_taken_is_refused_without_an_error_page(client, mentor, engagement, past_session):
    session = past_session(engagement, status=SessionStatus.CONFIRMED)
    client.force_login(mentor)
    _record(client, session, "cancelled_late")
    past_session(engagement, status=SessionStatus.COMPLETED, days_ago=2)  # booked into the freed time
    response = _record(client, session, "held")
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert messages_of(response) == [
        "Another session now takes this time, so it cannot be recorded as held or a no-show."
    ]


def test_the_service_refuses_anybody_but_the_sessions_mentor(started, other_mentor, mentee, consultancy_admin):
    for actor in (other_mentor, mentee, consultancy_admin):
        with pytest.raises(ValidationError):
            records.record_attendance(session=started, actor=actor, outcome="held")
    assert MentoringSession.objects.get(pk=started.pk).status == SessionStatus.CONFIRMED


# On the session page --------------------------------------------------------------------------


def test_the_session_page_offers_the_mentor_the_wrap_up_with_the_current_outcome(client, mentor, started):
    client.force_login(mentor)
    html = client.get(started.get_absolute_url()).content.decode()
    assert 'id="wrapup-heading"' in html
    assert session_url("session-wrapup", started) in html
    assert "Save the wrap-up" in html
    _record(client, started, "no_show")  # the attendance view of before still works
    html = client.get(started.get_absolute_url()).content.decode()
    assert 'value="no_show" required id="id_outcome_1" checked>' in html
    assert "Recorded: No-show." in html


def test_the_attendance_form_is_not_offered_before_the_start_or_to_anybody_else(
    client, mentor, mentee, engagement, past_session, session_factory
):
    upcoming = session_factory(engagement)
    client.force_login(mentor)
    assert session_url("session-wrapup", upcoming) not in client.get(upcoming.get_absolute_url()).content.decode()
    started = past_session(engagement, days_ago=5, status=SessionStatus.CONFIRMED)
    client.force_login(mentee)
    assert session_url("session-wrapup", started) not in client.get(started.get_absolute_url()).content.decode()
