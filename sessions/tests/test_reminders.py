import datetime
import smtplib
import threading
from unittest import mock

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.unsubscribe import make_token
from demo.factories import make_note, make_session
from mentorship.models import Engagement, EngagementStatus
from sessions.models import ReminderLog, ReminderStatus, SessionStatus
from sessions.reminders import sweep as reminders
from sessions.reminders.tasks import send_reminder

pytestmark = pytest.mark.clock

H = datetime.timedelta(hours=1)


@pytest.fixture
def engagement(engagement):
    """Started a month ago: no phase change, no review due; tests add what they need."""
    today = timezone.localdate()
    Engagement.objects.filter(pk=engagement.pk).update(
        start_date=today - datetime.timedelta(days=30), planned_end=today + datetime.timedelta(days=150)
    )
    engagement.refresh_from_db()
    return engagement


@pytest.fixture
def team_engagement(team_engagement):
    today = timezone.localdate()
    Engagement.objects.filter(pk=team_engagement.pk).update(
        start_date=today - datetime.timedelta(days=30), planned_end=today + datetime.timedelta(days=150)
    )
    team_engagement.refresh_from_db()
    return team_engagement


@pytest.fixture
def run_sweep(django_capture_on_commit_callbacks):
    def run(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.sweep(now)

    return run


def sent_to(kind_fragment=""):
    return sorted(m.to[0] for m in mail.outbox if kind_fragment.lower() in m.subject.lower())


def test_session_reminders_48h_before_go_to_every_participant_once(engagement, run_sweep):
    session = make_session(engagement=engagement, start=timezone.now() + 47 * H)
    assert run_sweep() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([engagement.mentor.email, engagement.mentee.email])
    assert run_sweep() == 0  # the second sweep finds the log rows
    assert len(mail.outbox) == 2
    logs = ReminderLog.objects.filter(session=session)
    assert {log.status for log in logs} == {ReminderStatus.SENT}
    assert all(m.attachments and "text/calendar" in m.attachments[0][2] for m in mail.outbox)


def test_two_hour_reminder_is_a_second_reminder(engagement, run_sweep):
    make_session(engagement=engagement, start=timezone.now() + 110 * datetime.timedelta(minutes=1))
    assert run_sweep() == 2
    assert all(":2h:" in log.key for log in ReminderLog.objects.all())


def test_a_reminder_missed_for_long_is_not_sent_late(engagement, run_sweep):
    make_session(engagement=engagement, start=timezone.now() + 30 * H)  # the 48 h reminder was due 18 h ago
    assert run_sweep() == 0


def test_team_session_reminds_every_member(team_engagement, run_sweep):
    make_session(engagement=team_engagement, start=timezone.now() + 47 * H)
    members = [m.user.email for m in team_engagement.team.memberships.all()]
    run_sweep()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([team_engagement.mentor.email, *members])


def test_cancelled_after_enqueue_gets_no_reminder(engagement, django_capture_on_commit_callbacks):
    session = make_session(engagement=engagement, start=timezone.now() + 47 * H)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        reminders.sweep()
    assert len(queued) == 2
    session.status = SessionStatus.CANCELLED
    session.save()
    for send in queued:
        send()
    assert mail.outbox == []
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {ReminderStatus.SKIPPED}


def test_moved_session_is_reminded_at_its_new_time_only(engagement, django_capture_on_commit_callbacks, run_sweep):
    session = make_session(engagement=engagement, start=timezone.now() + 47 * H)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        reminders.sweep()
    session.start += 72 * H
    session.end += 72 * H
    session.save()
    for send in queued:
        send()
    assert mail.outbox == []  # the old time's reminders are dropped
    later = session.start - 47 * H
    with time_machine.travel(later):
        assert run_sweep(later) == 2
    assert len(mail.outbox) == 2


def test_sweep_run_concurrently_from_two_threads_sends_each_reminder_once(transactional_db, engagement):
    make_session(engagement=engagement, start=timezone.now() + 47 * H)
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait(timeout=10)
            reminders.sweep()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.filter(status=ReminderStatus.SENT).count() == 2


def test_retry_of_the_same_task_never_sends_twice(engagement):
    session = make_session(engagement=engagement, start=timezone.now() + 47 * H)
    due = [r for r in reminders.due_reminders() if r.recipient_id == engagement.mentee_id]
    (reminder,) = due
    assert send_reminder.apply(kwargs=reminder.as_kwargs(), task_id="task-1").get() == "sent"
    assert send_reminder.apply(kwargs=reminder.as_kwargs(), task_id="task-1").get() == "already handled"
    assert send_reminder.apply(kwargs=reminder.as_kwargs(), task_id="task-2").get() == "already handled"
    assert len(mail.outbox) == 1
    assert session.reminders.get().attempts == 1


def test_a_claim_held_by_a_killed_worker_is_taken_over_after_the_timeout(engagement, settings):
    make_session(engagement=engagement, start=timezone.now() + 47 * H)
    (reminder, _) = reminders.due_reminders()
    ReminderLog.objects.create(
        key=reminder.key, kind=reminder.kind, recipient_id=reminder.recipient_id, task_id="dead-task",
        claimed_at=timezone.now() - datetime.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS + 5),
    )  # fmt: skip
    assert send_reminder.apply(kwargs=reminder.as_kwargs(), task_id="new-task").get() == "sent"
    assert ReminderLog.objects.get(key=reminder.key).attempts == 1


def test_a_fresh_claim_by_another_task_is_left_alone(engagement):
    make_session(engagement=engagement, start=timezone.now() + 47 * H)
    (reminder, _) = reminders.due_reminders()
    ReminderLog.objects.create(key=reminder.key, kind=reminder.kind, recipient_id=reminder.recipient_id, task_id="busy")
    assert send_reminder.apply(kwargs=reminder.as_kwargs(), task_id="other").get() == "already handled"
    assert mail.outbox == []


def test_temporary_smtp_failure_is_retried_then_sent(engagement):
    make_session(engagement=engagement, start=timezone.now() + 47 * H)
    (reminder, _) = reminders.due_reminders()
    calls = {"n": 0}
    real_send = mail.EmailMessage.send

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise smtplib.SMTPServerDisconnected("try later")
        return real_send(self, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", flaky), pytest.raises(Retry):
        send_reminder.apply(kwargs=reminder.as_kwargs(), task_id="t").get()
    log = ReminderLog.objects.get(key=reminder.key)
    assert (log.status, mail.outbox) == (ReminderStatus.SENDING, [])
    assert "SMTPServerDisconnected" in log.error
    # The broker delivers the retry: the same task id takes its claim back and sends.
    with mock.patch.object(mail.EmailMessage, "send", flaky):
        assert send_reminder.apply(kwargs=reminder.as_kwargs(), task_id="t", retries=1).get() == "sent"
    log.refresh_from_db()
    assert (log.status, log.attempts) == (ReminderStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_permanent_smtp_failure_is_recorded_and_not_resent(engagement, run_sweep):
    make_session(engagement=engagement, start=timezone.now() + 47 * H)
    refused = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")})
    with mock.patch.object(mail.EmailMessage, "send", side_effect=refused):
        run_sweep()
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {ReminderStatus.FAILED}
    assert "SMTPRecipientsRefused" in ReminderLog.objects.first().error
    assert run_sweep() == 0


def _with_held_session(engagement, days_ago):
    start = timezone.now() - datetime.timedelta(days=days_ago)
    return make_session(engagement=engagement, start=start, status=SessionStatus.COMPLETED)


def test_booking_nudge_goes_to_the_mentee_when_due_within_a_week(engagement, run_sweep):
    Engagement.objects.filter(pk=engagement.pk).update(start_date=timezone.localdate() - datetime.timedelta(days=30))
    _with_held_session(engagement, days_ago=9)  # next due in 5 days
    run_sweep()
    assert sent_to() == [engagement.mentee.email]
    assert "book" in mail.outbox[0].subject.lower()
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_booking_nudge_on_the_due_date_and_later_to_the_mentor(engagement, run_sweep):
    Engagement.objects.filter(pk=engagement.pk).update(start_date=timezone.localdate() - datetime.timedelta(days=40))
    _with_held_session(engagement, days_ago=18)  # due 4 days ago: soon + due + overdue stages
    run_sweep()
    keys = sorted(ReminderLog.objects.values_list("key", flat=True))
    assert sum(":soon:" in k for k in keys) == 1
    assert sum(":due:" in k for k in keys) == 1
    assert sum(":overdue:" in k for k in keys) == 2  # mentee and mentor
    assert engagement.mentor.email in sent_to()


def test_no_nudge_when_the_next_session_is_booked(engagement, run_sweep):
    Engagement.objects.filter(pk=engagement.pk).update(start_date=timezone.localdate() - datetime.timedelta(days=30))
    _with_held_session(engagement, days_ago=9)
    make_session(engagement=engagement, start=timezone.now() + 5 * 24 * H)
    run_sweep()
    assert not ReminderLog.objects.filter(kind="booking_nudge").exists()


@pytest.mark.parametrize("status", [EngagementStatus.PAUSED, EngagementStatus.COMPLETED, EngagementStatus.CANCELLED])
def test_inactive_engagements_get_no_nudges(engagement, run_sweep, status):
    Engagement.objects.filter(pk=engagement.pk).update(
        start_date=timezone.localdate() - datetime.timedelta(days=30), status=status
    )
    _with_held_session(engagement, days_ago=12)
    run_sweep()
    assert not ReminderLog.objects.filter(kind="booking_nudge").exists()


def test_team_booking_nudge_goes_to_the_mentor_who_books(team_engagement, run_sweep):
    Engagement.objects.filter(pk=team_engagement.pk).update(
        start_date=timezone.localdate() - datetime.timedelta(days=30)
    )
    _with_held_session(team_engagement, days_ago=9)
    run_sweep()
    assert sent_to() == [team_engagement.mentor.email]


def test_people_who_opted_out_get_no_nudge(engagement, run_sweep):
    engagement.mentee.email_booking_nudges = False
    engagement.mentee.save()
    Engagement.objects.filter(pk=engagement.pk).update(start_date=timezone.localdate() - datetime.timedelta(days=30))
    _with_held_session(engagement, days_ago=9)
    run_sweep()
    assert mail.outbox == []


def test_notes_nudge_a_day_after_a_held_session_without_notes(engagement, run_sweep):
    session = _with_held_session(engagement, days_ago=2)
    Engagement.objects.filter(pk=engagement.pk).update(status=EngagementStatus.PAUSED)  # no cadence nudges
    run_sweep()
    assert sent_to() == [engagement.mentor.email]
    assert ReminderLog.objects.get().session == session


def test_no_notes_nudge_when_the_mentor_wrote_notes(engagement, run_sweep):
    session = _with_held_session(engagement, days_ago=2)
    Engagement.objects.filter(pk=engagement.pk).update(status=EngagementStatus.PAUSED)
    make_note(session=session, author=engagement.mentor, visibility="private", body="Went well")
    run_sweep()
    assert mail.outbox == []


def test_review_reminder_to_mentor_and_admins_two_weeks_before_the_end(engagement, consultancy_admin, run_sweep):
    Engagement.objects.filter(pk=engagement.pk).update(planned_end=timezone.localdate() + datetime.timedelta(days=10))
    make_session(engagement=engagement, start=timezone.now() + 5 * 24 * H)  # booked: no nudge noise
    run_sweep()
    review = ReminderLog.objects.filter(kind="review")
    assert sorted(log.recipient.email for log in review) == sorted([engagement.mentor.email, consultancy_admin.email])


def test_extension_brings_a_new_review_reminder_later(engagement, run_sweep):
    Engagement.objects.filter(pk=engagement.pk).update(planned_end=timezone.localdate() + datetime.timedelta(days=10))
    make_session(engagement=engagement, start=timezone.now() + 5 * 24 * H)
    run_sweep()
    Engagement.objects.filter(pk=engagement.pk).update(planned_end=timezone.localdate() + datetime.timedelta(days=100))
    assert run_sweep() == 0


def test_phase_change_note_when_the_monthly_rhythm_begins(engagement, run_sweep):
    Engagement.objects.filter(pk=engagement.pk).update(
        start_date=timezone.localdate() - datetime.timedelta(weeks=12, days=1)
    )
    make_session(engagement=engagement, start=timezone.now() + 5 * 24 * H)
    run_sweep()
    phase = ReminderLog.objects.filter(kind="phase_change")
    assert sorted(log.recipient.email for log in phase) == sorted([engagement.mentor.email, engagement.mentee.email])


def test_reminder_email_is_in_the_recipients_language_and_zone(engagement, run_sweep):
    mentee = engagement.mentee
    mentee.language, mentee.time_zone = "sv", "America/New_York"
    mentee.save()
    session = make_session(engagement=engagement, start=timezone.now() + 47 * H)
    run_sweep()
    message = next(m for m in mail.outbox if m.to == [mentee.email])
    assert message.subject.startswith("Påminnelse")
    local = timezone.localtime(session.start, timezone=__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert local.strftime("%H:%M") in message.body
    event = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert reverse("mentoring_sessions:session-reschedule", args=[session.uuid]) in message.body


def test_sweep_runs_a_fixed_number_of_queries(
    django_assert_num_queries, engagement_factory, mentee, mentor, engagement
):
    from django.test.utils import CaptureQueriesContext

    for days in (1, 2, 3):
        make_session(engagement=engagement, start=timezone.now() + days * 24 * H - H)
    engagement_factory(mentee=mentee, mentor=mentor, status="active")  # nothing booked: a candidate
    with CaptureQueriesContext(connection) as small:
        reminders.due_reminders()
    for index in range(30):
        other = engagement_factory(mentee=mentee, mentor=mentor, status="active")
        make_session(engagement=other, start=timezone.now() + (100 + index * 3) * H)
    with django_assert_num_queries(len(small)):
        reminders.due_reminders()


def test_one_click_unsubscribe(client, mentee):
    token = make_token(mentee, "email_booking_nudges")
    url = reverse("accounts:unsubscribe", args=[token])
    assert client.get(url).status_code == 200
    mentee.refresh_from_db()
    assert mentee.email_booking_nudges  # a GET (link scanner) changes nothing
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    mentee.refresh_from_db()
    assert not mentee.email_booking_nudges


def test_forged_unsubscribe_token_is_refused(client, mentee):
    token = make_token(mentee, "email_booking_nudges")
    assert client.post(reverse("accounts:unsubscribe", args=[token[:-2] + "xx"])).status_code == 404
    mentee.refresh_from_db()
    assert mentee.email_booking_nudges


def test_email_settings_are_saved_from_the_profile(client, mentee):
    client.force_login(mentee)
    client.post(reverse("accounts:email-preferences"), {"email_session_reminders": "on"})
    mentee.refresh_from_db()
    assert mentee.email_session_reminders
    assert not mentee.email_booking_nudges
    assert not mentee.email_engagement_updates


@pytest.mark.parametrize("name", ["mentoring_sessions:reminder-report"])
def test_reminder_report_is_for_admins_only(client, mentor, mentee, consultancy_admin, name):
    url = reverse(name)
    assert client.get(url).status_code == 302
    for person in (mentor, mentee):
        client.force_login(person)
        assert client.get(url).status_code == 403
    client.force_login(consultancy_admin)
    assert client.get(url).status_code == 200


def test_report_counts_sent_and_failed_per_day_and_lists_failures(client, consultancy_admin, engagement, run_sweep):
    make_session(engagement=engagement, start=timezone.now() + 47 * H)
    refused = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")})
    with mock.patch.object(mail.EmailMessage, "send", side_effect=refused):
        run_sweep()
    client.force_login(consultancy_admin)
    html = client.get(reverse("mentoring_sessions:reminder-report")).content.decode()
    assert "<strong>2</strong>" in html
    assert "SMTPRecipientsRefused" in html
    assert engagement.mentee.email in html


def test_engagement_reminder_plan_for_admins(
    client, consultancy_admin, engagement, outsider_mentee, other_mentor, mentor
):
    session = make_session(engagement=engagement, start=timezone.now() + 5 * 24 * H)
    url = reverse("mentoring_sessions:engagement-reminders", args=[engagement.uuid])
    for person in (outsider_mentee, other_mentor, mentor):
        client.force_login(person)
        assert client.get(url).status_code in (403, 404)
    client.force_login(consultancy_admin)
    response = client.get(url)
    planned = response.context["planned"]
    assert [p.kind for p in planned if p.kind == "session"] == ["session", "session"]
    assert planned[0].at == session.start - 48 * H
    assert any(p.kind == "review" for p in planned)
