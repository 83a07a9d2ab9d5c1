"""Reminders exactly once through worker deaths: the claim rules, the sweep that queues stale rows
again, and session reminders that come late (sent with the time left, or recorded as missed)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.emails import message_id
from demo.factories import make_session
from mentorship.models import Engagement
from sessions.models import ReminderLog, ReminderStatus
from sessions.reminders import sending
from sessions.reminders import sweep as reminders
from sessions.reminders.tasks import send_reminder

pytestmark = pytest.mark.clock

H = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def engagement(engagement):
    """Started a month ago: only session reminders are due (no phase change, no review)."""
    today = timezone.localdate()
    Engagement.objects.filter(pk=engagement.pk).update(
        start_date=today - datetime.timedelta(days=30), planned_end=today + datetime.timedelta(days=150)
    )
    engagement.refresh_from_db()
    return engagement


@pytest.fixture
def timeout(settings) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the sweep; its queued sends run (lost=False) or the broker loses them (lost=True)."""

    def run(*, lost: bool = False) -> int:
        with django_capture_on_commit_callbacks(execute=not lost):
            return reminders.sweep()

    return run


def at(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


def mentee_reminder(engagement) -> reminders.Reminder:
    (reminder,) = [r for r in reminders.due_reminders() if r.recipient_id == engagement.mentee_id]
    return reminder


def row(reminder) -> ReminderLog:
    return ReminderLog.objects.get(key=reminder.key)


# The claim rules -------------------------------------------------------------------------------


def test_the_same_task_redelivered_with_a_fresh_claim_sends_nothing(engagement, timeout):
    make_session(engagement=engagement, start=timezone.now() + 47 * H)
    reminder = mentee_reminder(engagement)
    # task-1 claims, then its pool process is killed mid-send; the broker redelivers task-1 at once.
    assert sending.claim(reminder, task_id="task-1")
    assert send_reminder.apply(kwargs=reminder.as_kwargs(), task_id="task-1").get() == "already handled"
    with at(timezone.now() + timeout - MINUTE):
        assert send_reminder.apply(kwargs=reminder.as_kwargs(), task_id="task-1").get() == "already handled"
    assert mail.outbox == []
    assert row(reminder).status == ReminderStatus.SENDING


def test_another_attempt_takes_over_once_the_claim_has_timed_out(engagement, timeout):
    make_session(engagement=engagement, start=timezone.now() + 47 * H)
    reminder = mentee_reminder(engagement)
    _log, dead = sending.claim(reminder, task_id="task-1")
    with at(timezone.now() + timeout + MINUTE):
        assert send_reminder.apply(kwargs=reminder.as_kwargs(), task_id="task-2").get() == "sent"
    log = row(reminder)
    assert (log.status, log.attempts, log.task_id) == (ReminderStatus.SENT, 2, "task-2")
    assert not sending.finish(log, dead, ReminderStatus.FAILED)  # the dead attempt can record nothing
    (sent,) = mail.outbox
    assert sent.extra_headers["Message-ID"] == message_id("reminder", reminder.key)


def test_a_task_that_finds_its_reminder_sent_does_nothing(engagement, timeout, sweep):
    make_session(engagement=engagement, start=timezone.now() + 47 * H)
    reminder = mentee_reminder(engagement)
    assert send_reminder.apply(kwargs=reminder.as_kwargs(), task_id="task-1").get() == "sent"
    with at(timezone.now() + timeout + MINUTE):
        # The broker's redelivery after its visibility timeout, and a sweep: nothing more.
        assert send_reminder.apply(kwargs=reminder.as_kwargs(), task_id="task-1").get() == "already handled"
        assert sweep() == 1  # the mentor's reminder, new; the mentee's is done
    assert sorted(m.to[0] for m in mail.outbox) == sorted([engagement.mentee.email, engagement.mentor.email])


# The sweep -------------------------------------------------------------------------------------


def test_the_sweep_queues_again_reminders_whose_messages_were_lost(engagement, timeout, sweep):
    make_session(engagement=engagement, start=timezone.now() + 47 * H)
    assert sweep(lost=True) == 2
    assert set(ReminderLog.objects.values_list("status", "claim_token")) == {(ReminderStatus.SENDING, None)}
    assert sweep() == 0  # recorded, maybe still on their way: not yet
    with at(timezone.now() + timeout + MINUTE):
        assert sweep() == 2
        assert sweep() == 0
    assert len(mail.outbox) == 2
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_the_sweep_queues_again_a_reminder_whose_worker_died_mid_send(engagement, timeout, sweep):
    make_session(engagement=engagement, start=timezone.now() + 47 * H)
    reminder = mentee_reminder(engagement)
    sweep(lost=True)
    sending.claim(reminder, task_id="task-1")  # and then the whole worker is killed
    with at(timezone.now() + timeout - MINUTE):
        assert sweep() == 0
    assert mail.outbox == []
    with at(timezone.now() + timeout + MINUTE):
        assert sweep() == 2  # the mentee's, held by the dead worker; the mentor's, whose message was lost
    assert sorted(m.to[0] for m in mail.outbox) == sorted([engagement.mentee.email, engagement.mentor.email])
    assert row(reminder).attempts == 2


def test_a_reminder_every_attempt_dies_on_is_given_up_as_failed(engagement, timeout, sweep):
    make_session(engagement=engagement, start=timezone.now() + 47 * H)
    reminder = mentee_reminder(engagement)
    sending.claim(reminder)
    ReminderLog.objects.filter(key=reminder.key).update(attempts=10)
    with at(timezone.now() + timeout + MINUTE):
        sweep()
    log = row(reminder)
    assert (log.status, log.error) == (ReminderStatus.FAILED, "Gave up after 10 attempts")


# Late session reminders ------------------------------------------------------------------------


def test_a_two_hour_reminder_held_up_past_its_hour_is_sent_late_with_the_time_left(engagement, sweep):
    start = timezone.now() + 110 * MINUTE
    make_session(engagement=engagement, start=start)
    sweep(lost=True)  # the 2 h reminders are due; the broker loses them
    with at(start - 40 * MINUTE):
        assert reminders.due_reminders() == []  # its window (the first hour) is over
        reminder = reminders.Reminder.of(ReminderLog.objects.get(recipient=engagement.mentee))
        assert send_reminder.apply(kwargs=reminder.as_kwargs()).get() == "sent late"
    (late,) = mail.outbox
    assert "Your mentoring session starts in 40\xa0minutes." in late.body
    assert "40\xa0minutes" in late.alternatives[0][0]


def test_a_48_hour_reminder_held_up_until_the_2_hour_one_is_due_gives_way_to_it(engagement, sweep):
    start = timezone.now() + 47 * H
    make_session(engagement=engagement, start=start)
    sweep(lost=True)
    with at(start - 110 * MINUTE):
        assert sweep() == 4  # the two 48 h reminders queued again, the two 2 h reminders new
    statuses = dict(ReminderLog.objects.values_list("key", "status"))
    assert sorted(statuses.values()) == [ReminderStatus.SENT] * 2 + [ReminderStatus.SKIPPED] * 2
    assert all(":2h:" in key for key, status in statuses.items() if status == ReminderStatus.SENT)
    assert len(mail.outbox) == 2


def test_a_session_reminder_that_cannot_go_out_before_the_session_is_missed_and_shown_to_admins(
    engagement, sweep, client, consultancy_admin
):
    start = timezone.now() + 110 * MINUTE
    make_session(engagement=engagement, start=start)
    sweep(lost=True)
    with at(start + 5 * MINUTE):
        assert sweep() == 2
    assert mail.outbox == []
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {ReminderStatus.MISSED}
    client.force_login(consultancy_admin)
    html = client.get(reverse("mentoring_sessions:reminder-report")).content.decode()
    assert "<strong>2</strong>" in html  # the day's missed column
    assert html.count("Missed: the session had started") == 2
    assert engagement.mentee.email in html
