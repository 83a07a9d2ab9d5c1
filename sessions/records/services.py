"""Session records: attendance, the mentor's notes (with the history of shared ones) and the
mentee's reflections.

Writes only. Who may read a note or a reflection is decided in `sessions.access`; nothing here
puts a body into an exception message, a log line or an email.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.models import User
from sessions import access
from sessions.models import (
    MemberAttendance,
    MentoringSession,
    NoteRevision,
    NoteVisibility,
    Reflection,
    ReflectionTiming,
    ReflectionVisibility,
    SessionNote,
    SessionStatus,
)

MAX_TEXT_LENGTH = 20_000


class Attendance:
    """What the mentor records after a session has started."""

    HELD = "held"
    NO_SHOW = "no_show"
    CANCELLED_LATE = "cancelled_late"
    ALL = (HELD, NO_SHOW, CANCELLED_LATE)


# Sessions whose outcome the mentor may record (or correct) once they have started.
RECORDABLE_STATUSES = (SessionStatus.REQUESTED, SessionStatus.CONFIRMED, SessionStatus.COMPLETED, SessionStatus.NO_SHOW)


def attendance_of(session: MentoringSession) -> str | None:
    """The outcome recorded so far, or None while nothing is recorded."""
    if session.status == SessionStatus.COMPLETED:
        return Attendance.HELD
    if session.status == SessionStatus.NO_SHOW:
        return Attendance.NO_SHOW
    if recorded_as_cancelled_late(session):
        return Attendance.CANCELLED_LATE
    return None


def recorded_as_cancelled_late(session: MentoringSession) -> bool:
    # A cancellation made once the session had started can only come from recording attendance:
    # the booking pages cancel upcoming sessions only. Such a record may be corrected later.
    return (
        session.status == SessionStatus.CANCELLED
        and session.late_cancellation
        and session.cancelled_at is not None
        and session.cancelled_at >= session.start
    )


def can_record_attendance(user: User, session: MentoringSession, *, now=None) -> bool:
    """The session's mentor, once the session has started, when it was not cancelled beforehand."""
    now = now or timezone.now()
    if not access.can_write_notes(user, session) or session.start > now:
        return False
    return session.status in RECORDABLE_STATUSES or recorded_as_cancelled_late(session)


@transaction.atomic
def record_attendance(*, session: MentoringSession, actor: User, outcome: str) -> tuple[MentoringSession, bool]:
    """Record (or correct) whether a session was held, a no-show, or cancelled late.

    Returns the session and whether anything changed (a repeated submit changes nothing).
    """
    session = MentoringSession.objects.select_for_update().get(pk=session.pk)
    if outcome not in Attendance.ALL:
        raise ValidationError(_("Choose what happened."), code="invalid_outcome")
    if not access.can_write_notes(actor, session):
        raise ValidationError(_("Only the session's mentor records attendance."), code="not_allowed")
    if session.start > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the session has started."), code="not_started")
    if not can_record_attendance(actor, session):
        raise ValidationError(_("This session was cancelled before it started."), code="cancelled_before")
    if attendance_of(session) == outcome:
        return session, False
    was_cancelled = session.status == SessionStatus.CANCELLED
    if outcome == Attendance.CANCELLED_LATE:
        session.status = SessionStatus.CANCELLED
        session.late_cancellation = True
        session.cancelled_at = timezone.now()
        session.cancelled_by = actor
    else:
        session.status = SessionStatus.COMPLETED if outcome == Attendance.HELD else SessionStatus.NO_SHOW
        session.late_cancellation = False
        session.cancelled_at = None
        session.cancelled_by = None
    if was_cancelled != (session.status == SessionStatus.CANCELLED):
        session.sequence += 1  # calendars show cancelled sessions differently
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as error:
        # Un-cancelling: another session was booked into the freed time meanwhile.
        raise ValidationError(
            _("Another session now takes this time, so it cannot be recorded as held or a no-show."), code="taken"
        ) from error
    return session, True


@transaction.atomic
def record_member_attendance(
    *, session: MentoringSession, actor: User, statuses: dict[int, str]
) -> tuple[MentoringSession, bool]:
    """Record (or correct) who of a team session's members came: present, late or absent, one
    status per member on the session's roster. The session is then held if anyone came, and a
    no-show if nobody did. Returns the session and whether anything changed (a repeated submit
    changes nothing)."""
    session = MentoringSession.objects.select_for_update().get(pk=session.pk)
    if not session.team_id:
        raise ValidationError(_("Attendance per member is kept for team sessions."), code="not_a_team_session")
    if not access.can_write_notes(actor, session):
        raise ValidationError(_("Only the session's mentor records attendance."), code="not_allowed")
    if session.start > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the session has started."), code="not_started")
    roster = set(session.roster().values_list("user_id", flat=True))
    if set(statuses) != roster or not roster:
        raise ValidationError(_("Record every member of the session."), code="members")
    if any(status not in MemberAttendance.Status.values for status in statuses.values()):
        raise ValidationError(_("Choose present, late or absent for every member."), code="invalid_status")
    now = timezone.now()
    changed = bool(MemberAttendance.objects.filter(session=session).exclude(member_id__in=roster).delete()[0])
    existing = {row.member_id: row for row in MemberAttendance.objects.filter(session=session)}
    for member_id, status in statuses.items():
        row = existing.get(member_id)
        if row is None:
            MemberAttendance.objects.create(
                session=session, member_id=member_id, status=status, recorded_by=actor, recorded_at=now
            )
        elif row.status != status:
            row.status, row.recorded_by, row.recorded_at = status, actor, now
            row.save(update_fields=["status", "recorded_by", "recorded_at"])
        else:
            continue
        changed = True
    came = any(status != MemberAttendance.Status.ABSENT for status in statuses.values())
    session, session_changed = record_attendance(
        session=session, actor=actor, outcome=Attendance.HELD if came else Attendance.NO_SHOW
    )
    return session, changed or session_changed


def _clean_text(body: str) -> str:
    if not body or not body.strip():
        raise ValidationError(_("Write something first."), code="empty")
    if len(body) > MAX_TEXT_LENGTH:
        raise ValidationError(_("Keep it under %(max)d characters.") % {"max": MAX_TEXT_LENGTH}, code="too_long")
    return body


@sensitive_variables()  # every local: the text also sits in kwargs and model instances
@transaction.atomic
def create_note(*, session: MentoringSession, author: User, visibility: str, body: str) -> tuple[SessionNote, bool]:
    """The session's mentor writes a note. A repeated submit of the same note (double click,
    resent form) returns the existing note instead of a copy: (note, created)."""
    if not access.can_write_notes(author, session):
        raise ValidationError(_("Only the session's mentor writes notes on it."), code="not_allowed")
    body = _clean_text(body)
    NoteVisibility(visibility)
    # Lock the session so two concurrent submits see each other's note.
    MentoringSession.objects.select_for_update().get(pk=session.pk)
    for existing in SessionNote.objects.filter(session=session, author=author, visibility=visibility):
        if existing.body == body:  # compared after decryption: bodies are encrypted at rest
            return existing, False
    return SessionNote.objects.create(session=session, author=author, visibility=visibility, body=body), True


@sensitive_variables()  # every local: the text also sits in kwargs and model instances
@transaction.atomic
def edit_note(*, note: SessionNote, editor: User, visibility: str, body: str) -> tuple[SessionNote, bool]:
    """The author changes a note. When it was shared, its earlier text is kept as a revision, so
    the mentee(s) can see what changed; a private note's earlier text is never kept (it could
    otherwise become readable if the note is shared later). Returns (note, changed)."""
    note = SessionNote.objects.select_for_update().get(pk=note.pk)
    if note.author_id != editor.pk:
        raise ValidationError(_("Only the author can change a note."), code="not_allowed")
    body = _clean_text(body)
    NoteVisibility(visibility)
    if note.body == body and note.visibility == visibility:
        return note, False
    if note.body != body and note.visibility == NoteVisibility.SHARED:
        NoteRevision.objects.create(note=note, body=note.body, edited_by=editor, replaced_at=timezone.now())
    note.body = body
    note.visibility = visibility
    note.save()
    return note, True


@transaction.atomic
def delete_note(*, note: SessionNote, actor: User) -> None:
    """The author deletes a note and its history."""
    if note.author_id != actor.pk:
        raise ValidationError(_("Only the author can delete a note."), code="not_allowed")
    SessionNote.objects.filter(pk=note.pk).delete()


def can_write_reflection(user: User, session: MentoringSession, timing: str, *, now=None) -> bool:
    """A mentee of the session reflects before it (until it is cancelled) and after it has started."""
    if not access.can_reflect(user, session) or session.status == SessionStatus.CANCELLED:
        return False
    if timing == ReflectionTiming.AFTER:
        return session.start <= (now or timezone.now())
    return timing == ReflectionTiming.BEFORE


@sensitive_variables()  # every local: the text also sits in kwargs and model instances
@transaction.atomic
def save_reflection(
    *, session: MentoringSession, author: User, timing: str, visibility: str, body: str
) -> tuple[Reflection, bool]:
    """Write or rewrite the mentee's one reflection of this timing on this session: (reflection, created)."""
    ReflectionTiming(timing)
    ReflectionVisibility(visibility)
    if not access.can_reflect(author, session):
        raise ValidationError(_("Only the session's mentees write reflections on it."), code="not_allowed")
    if not can_write_reflection(author, session, timing):
        if session.status == SessionStatus.CANCELLED:
            raise ValidationError(_("This session was cancelled."), code="cancelled")
        raise ValidationError(_("You can reflect on the session once it has started."), code="not_started")
    body = _clean_text(body)
    return Reflection.objects.update_or_create(
        session=session, author=author, timing=timing, defaults={"visibility": visibility, "body": body}
    )
