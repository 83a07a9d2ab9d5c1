"""Sending one reminder: claim its row, decide whether it is still right to send, record the outcome.

The claim rules are core.claims': each attempt claims with a token of its own, a fresh claim is
left alone (a redelivered task cannot know whether the attempt before it got the email out), a
claim older than REMINDER_CLAIM_TIMEOUT_SECONDS is taken over, a finished row is never sent again.

A session reminder is about a time, so it can come late: its worker died and the sweep queued it
again, or the broker redelivered it after its visibility timeout. Once recorded it is never
dropped for being late. It is sent late — its text says how long until the session starts, as
of the sending — unless the next, shorter reminder is already due (that one goes instead), or
recorded as missed, for the admins' reminder report, once the session has started.
"""

import datetime
import enum
import uuid

from django.conf import settings
from django.utils import timezone

from core import claims
from mentorship.models import EngagementStatus
from sessions.models import MentoringSession, ReminderKind, ReminderLog, ReminderStatus, SessionStatus
from sessions.reminders.sweep import Reminder, due_reminders, grace, offsets, session_reminder_key


class Verdict(enum.Enum):
    SEND = "send"
    SEND_LATE = "send late"  # a session reminder after its window, before the session
    SKIP = "skip"  # not right any more: cancelled, moved, booked, superseded by the next reminder
    MISSED = "missed"  # a session reminder that can no longer go out before the session


def _timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS)


def claim(reminder: Reminder, *, task_id: str = "") -> tuple[ReminderLog, uuid.UUID] | None:
    """Take the reminder's row for this attempt: (row, token), or None when it is not ours to
    send (already finished, or held by another attempt whose claim is fresh). Records the row
    first if the sweep has not (a task queued by an older release, or a test)."""
    ReminderLog.objects.get_or_create(
        key=reminder.key,
        defaults={
            "kind": reminder.kind,
            "recipient_id": reminder.recipient_id,
            "session_id": reminder.session_id,
            "engagement_id": reminder.engagement_id,
            "contract_id": reminder.contract_id,
            "about": reminder.about,
            "claim_token": None,
        },
    )
    rows = ReminderLog.objects.filter(key=reminder.key)
    token = claims.claim(rows, open_status=ReminderStatus.SENDING, timeout=_timeout(), task_id=task_id)
    return (rows.get(), token) if token else None


def finish(log: ReminderLog, token: uuid.UUID, status: str, *, error: BaseException | None = None) -> bool:
    return claims.finish(ReminderLog.objects.filter(pk=log.pk), token, status, error=error)


def release(log: ReminderLog, token: uuid.UUID, error: BaseException) -> bool:
    """A temporary failure: the email did not go out; the retry (or the sweep) may claim at once."""
    return claims.release(ReminderLog.objects.filter(pk=log.pk), token, error=error)


def verdict(reminder: Reminder, now: datetime.datetime | None = None) -> tuple[Verdict, Reminder]:
    """Re-read the current state: should the reminder go out now? Returns the verdict and the
    reminder to send (for date reminders, as the sweep's rules see it now)."""
    now = now or timezone.now()
    if reminder.kind == ReminderKind.SESSION:
        return _session_verdict(reminder, now), reminder
    if reminder.kind == ReminderKind.NOTES_NUDGE:
        current = due_reminders(now, session_id=reminder.session_id)
    elif reminder.contract_id is not None:
        current = due_reminders(now, contract_id=reminder.contract_id)
    else:
        current = due_reminders(now, engagement_id=reminder.engagement_id)
    # The same key: the same session, due date or planned end, and the same person. These windows
    # are days long, so the delays of a dead worker do not push a reminder out of them.
    same = next((r for r in current if r.key == reminder.key), None)
    return (Verdict.SEND, same) if same else (Verdict.SKIP, reminder)


def _session_verdict(reminder: Reminder, now: datetime.datetime) -> Verdict:
    offset = reminder.offset_hours
    session = MentoringSession.objects.filter(pk=reminder.session_id).select_related("engagement").first()
    if offset is None or session is None or session.status != SessionStatus.CONFIRMED:
        return Verdict.SKIP
    if session.engagement.status != EngagementStatus.ACTIVE:
        return Verdict.SKIP  # paused or completed since the reminder was recorded
    if session_reminder_key(session, offset, reminder.recipient_id) != reminder.key:
        return Verdict.SKIP  # moved: its reminders at the new time have keys of their own
    if reminder.recipient_id not in _participant_ids(session):
        return Verdict.SKIP
    if now >= session.start:
        return Verdict.MISSED
    if any(now >= session.start - datetime.timedelta(hours=later) for later in offsets() if later < offset):
        return Verdict.SKIP  # the next reminder is due: it goes instead of this one
    due_at = session.start - datetime.timedelta(hours=offset)
    return Verdict.SEND_LATE if now >= due_at + grace(offset) else Verdict.SEND


def _participant_ids(session: MentoringSession) -> set[int]:
    if session.team_id:
        return {session.mentor_id, *session.roster().values_list("user_id", flat=True)}
    return {session.mentor_id, session.mentee_id}
