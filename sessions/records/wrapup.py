"""A mentor's wrap-up after a session: attendance, a note, a next step, saved in one transaction.

Each part uses the rule of its own (`sessions.records.services` for attendance and notes,
`sessions.followup.services` for action items), so the wrap-up refuses what they refuse; here
they are saved together, all or nothing. Each part is idempotent — the same attendance changes
nothing, the same note and the same open next step are not added twice — so a double submit or
a resent form saves nothing more.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.models import User
from sessions.followup import services as followup
from sessions.models import ActionItem, MentoringSession, SessionNote
from sessions.records import services as records


@dataclass
class WrapUp:
    """What the mentor wrote: attendance (`outcome` for an individual session, `statuses` per
    member for a team one), an optional note and an optional next step."""

    outcome: str | None = None
    statuses: dict[int, str] | None = None
    note_body: str = ""
    note_visibility: str = SessionNote.Visibility.PRIVATE
    item_text: str = ""
    item_owner: User | None = None
    item_due: datetime.date | None = None


@dataclass
class WrapUpSaved:
    attendance_changed: bool = False
    note: SessionNote | None = None
    item: ActionItem | None = None
    new: list[str] = field(default_factory=list)  # "attendance", "note", "item": what this submit added


def shared_with(session: MentoringSession) -> list[str]:
    """The names of the people a shared note on this session is read by: the mentee, or the
    team's members on the session's day."""
    if session.team_id:
        return [seat.user.display_name for seat in session.roster().select_related("user").order_by("user__full_name")]
    return [session.mentee.display_name] if session.mentee_id else []


@sensitive_variables()  # the note's text
@transaction.atomic
def wrap_up(*, session: MentoringSession, actor: User, parts: WrapUp) -> WrapUpSaved:
    """Save the wrap-up's parts together, or none of them (a refused part raises
    ValidationError and undoes the others)."""
    saved = WrapUpSaved()
    if parts.statuses is not None:
        if parts.statuses:
            _session, saved.attendance_changed = records.record_member_attendance(
                session=session, actor=actor, statuses=parts.statuses
            )
    elif parts.outcome:
        _session, saved.attendance_changed = records.record_attendance(
            session=session, actor=actor, outcome=parts.outcome
        )
    if saved.attendance_changed:
        saved.new.append("attendance")
    if parts.note_body.strip():
        saved.note, created = records.create_note(
            session=session, author=actor, visibility=parts.note_visibility, body=parts.note_body
        )
        if created:
            saved.new.append("note")
    if parts.item_text.strip():
        if parts.item_due is not None and parts.item_due < timezone.localdate():
            raise ValidationError(_("That day has passed: pick today or a later day for the next step."), "past_due")
        if parts.item_owner is None:
            raise ValidationError(_("Choose who does the next step."), code="owner")
        saved.item, created = followup.create_action_item(
            engagement=session.engagement,
            text=parts.item_text.strip(),
            owner=parts.item_owner,
            created_by=actor,
            due_date=parts.item_due,
            session=session,
        )
        if created:
            saved.new.append("item")
    return saved
