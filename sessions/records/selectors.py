"""Reads of session records: what the session page shows of notes, reflections and attendance,
and the engagement timeline. Every note and reflection comes through the scopers in
`sessions.access`; nothing here filters for access on its own."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from accounts.models import User
from mentorship import access as mentorship_access
from mentorship.models import Engagement
from sessions import access
from sessions.followup.access import ActionItemRights
from sessions.followup.services import possible_owners
from sessions.models import (
    ActionItem,
    MemberAttendance,
    MentoringSession,
    NoteRevision,
    ReflectionTiming,
    SessionKind,
)
from sessions.records import services as records
from sessions.records import wrapup
from sessions.records.forms import AttendanceForm, WrapUpForm

EDIT_GRACE = datetime.timedelta(seconds=5)


def session_records(user: User, session: MentoringSession) -> dict[str, Any]:
    """The notes, reflections and attendance form of one session as this user may see them
    (a fixed number of queries)."""
    notes = list(
        access.notes_visible_to(user, session)
        .select_related("author")
        .prefetch_related(
            Prefetch("revisions", queryset=NoteRevision.objects.select_related("edited_by").order_by("-replaced_at"))
        )
    )
    for note in notes:
        # Private notes keep no history, so their changed time tells the author they were edited.
        note.was_edited = bool(note.revisions.all()) or note.updated_at - note.created_at > EDIT_GRACE
    reflections = list(access.reflections_visible_to(user, session).select_related("author"))
    can_reflect = access.can_reflect(user, session)
    own = {reflection.timing: reflection for reflection in reflections if reflection.author_id == user.pk}
    may_record = records.can_record_attendance(user, session)
    return {
        "notes": notes,
        "can_write_notes": access.can_write_notes(user, session),
        "reflections": [reflection for reflection in reflections if reflection.author_id != user.pk],
        "can_reflect": can_reflect,
        "own_reflections": [
            {
                "timing": timing,
                "reflection": own.get(timing.value),
                "may_write": can_reflect and records.can_write_reflection(user, session, timing),
            }
            for timing in ReflectionTiming
        ]
        if can_reflect
        else [],
        "may_record_attendance": may_record,
        "attendance": records.attendance_of(session),
        "attendance_label": dict(AttendanceForm.base_fields["outcome"].choices).get(records.attendance_of(session), ""),
        "wrapup_form": wrapup_form(session) if may_record else None,
        "shared_with": wrapup.shared_with(session) if may_record else [],
    }


def wrapup_form(session: MentoringSession, data=None) -> WrapUpForm:
    """The wrap-up form of a session whose attendance the mentor may record, filled in with the
    attendance recorded so far."""
    if session.team_id:
        members = [seat.user for seat in session.roster().select_related("user").order_by("user__full_name")]
        recorded = dict(MemberAttendance.objects.filter(session=session).values_list("member_id", "status"))
        initial = {f"member_{member_id}": status for member_id, status in recorded.items()}
    else:
        members, initial = None, {"outcome": records.attendance_of(session)}
    default_owner = session.mentee_id if not session.team_id else None
    return WrapUpForm(
        data,
        members=members,
        owners=possible_owners(session.engagement).filter(pk__in=[session.mentor_id, session.mentee_id])
        if session.is_one_to_one
        else possible_owners(session.engagement),
        today=timezone.localdate(),
        initial={**initial, "item_owner": default_owner},
    )


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str  # "goals", "intake_goals", "session", "note", "reflection", "action_item"
    item: Any


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def engagement_timeline(user: User, engagement: Engagement) -> list[TimelineEntry]:
    """Everything of an engagement the user may read, oldest first: its goals, the mentees' own
    goals from the intake, sessions, notes, reflections and action items.

    The engagement must already be fetched for this user (`mentorship.access.get_engagement_for`).
    A fixed number of queries, however long the engagement has run.
    """
    sessions = list(access.sessions_visible_to(user).filter(engagement=engagement).select_related("venue", "mentee"))
    entries = [TimelineEntry(_start_of(engagement.start_date), "goals", engagement)]
    for response in mentorship_access.intake_responses_visible_to(user, engagement).select_related("mentee"):
        entries.append(TimelineEntry(response.submitted_at, "intake_goals", response))
    entries += [TimelineEntry(session.start, "session", session) for session in sessions]
    notes = (
        access.notes_visible_to_for_sessions(user, sessions)
        .select_related("author", "session")
        .annotate(revision_count=Count("revisions"))
    )
    entries += [TimelineEntry(note.created_at, "note", note) for note in notes]
    reflections = access.reflections_visible_to_for_sessions(user, sessions).select_related("author", "session")
    entries += [TimelineEntry(reflection.created_at, "reflection", reflection) for reflection in reflections]
    if ActionItemRights.of(user, engagement).can_view:
        # Next steps agreed in a one-to-one go with it: only for its member and its mentor.
        action_items = (
            ActionItem.objects.filter(engagement=engagement)
            .filter(Q(session__isnull=True) | ~Q(session__kind=SessionKind.ONE_TO_ONE) | Q(session__in=sessions))
            .select_related("owner")
        )
        entries += [TimelineEntry(item.created_at, "action_item", item) for item in action_items]
    entries.sort(key=lambda entry: entry.at)
    return entries
