"""Writes for engagements: intake by an admin, edits, the lifecycle, extensions, mentee intake, and
the decisions of the review at the planned end.

Every change to an engagement records an EngagementEvent (who, what, when) in the same
transaction. `change_status` is the one place that knows which status transitions are allowed.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from core.dates import local_format
from mentorship.cadence import CadenceRules, Phase, add_months
from mentorship.models import (
    OUTCOME_WORDS_MAX_LENGTH,
    Engagement,
    EngagementEvent,
    EngagementOutcome,
    EngagementStatus,
    FocusArea,
    IntakeResponse,
    LeadershipTeam,
    TeamMembership,
    Trigger,
)

Status = EngagementStatus

# from-status → the statuses it may move to. proposed → active also needs a mentor.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PROPOSED: (Status.ACTIVE, Status.CANCELLED),
    Status.ACTIVE: (Status.PAUSED, Status.COMPLETED, Status.CANCELLED),
    Status.PAUSED: (Status.ACTIVE, Status.COMPLETED, Status.CANCELLED),
    Status.COMPLETED: (),
    Status.CANCELLED: (),
}
CLOSED_STATUSES = (Status.COMPLETED, Status.CANCELLED)
# The review before the planned end: extend, switch to monthly, or complete with an outcome.
REVIEWABLE_STATUSES = (Status.ACTIVE, Status.PAUSED)

# Fields an admin may change after the intake (everything but who is mentored).
EDITABLE_FIELDS = (
    "triggers",
    "trigger_other",
    "initiated_by",
    "goals",
    "preferred_language",
    "start_date",
    "initial_phase_weeks",
    "initial_interval_days",
    "steady_interval_months",
    "session_minutes",
    "mentee_chooses",
    "coordinator",
    "one_to_one_interval_months",
)


# Calendar months ------------------------------------------------------------------------------


def whole_months_between(start: datetime.date, end: datetime.date) -> int:
    """The most whole calendar months from `start` that still end on or before `end`."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)


# Transitions ----------------------------------------------------------------------------------


def allowed_transitions(engagement: Engagement) -> list[str]:
    """The statuses this engagement may move to now (no query)."""
    targets = ALLOWED_TRANSITIONS.get(engagement.status, ())
    return [target for target in targets if target != Status.ACTIVE or engagement.mentor_id is not None]


def _locked(engagement: Engagement) -> Engagement:
    # Re-read under a row lock: decisions are made on the committed state, so a double submit or
    # two admins at once cannot both pass a check that only one of them should.
    return Engagement.objects.select_for_update().get(pk=engagement.pk)


def _record(engagement: Engagement, kind: str, actor: User | None, **fields) -> EngagementEvent:
    return EngagementEvent.objects.create(engagement=engagement, kind=kind, actor=actor, at=timezone.now(), **fields)


@transaction.atomic
def change_status(*, engagement: Engagement, to_status: str, actor: User | None, note: str = "") -> Engagement:
    """Move the engagement to `to_status` if the lifecycle allows it; record who did it.

    The one place that validates transitions (mentor acceptance calls it too). proposed → active
    needs a mentor saved on the engagement first. Raises ValidationError and changes nothing when
    the transition is not allowed.
    """
    if to_status not in Status.values:
        raise ValidationError(gettext("Unknown status."), code="unknown_status")
    current = _locked(engagement)
    if to_status not in ALLOWED_TRANSITIONS[current.status]:
        raise ValidationError(
            gettext("An engagement that is %(from)s cannot become %(to)s.")
            % {"from": Status(current.status).label.lower(), "to": Status(to_status).label.lower()},
            code="invalid_transition",
        )
    if to_status == Status.ACTIVE and current.mentor_id is None:
        raise ValidationError(gettext("An engagement needs a mentor before it can start."), code="no_mentor")
    from_status = current.status
    current.status = to_status
    current.save(update_fields=["status", "updated_at"])
    _record(
        current,
        EngagementEvent.Kind.STATUS_CHANGED,
        actor,
        from_status=from_status,
        to_status=to_status,
        detail=note.strip(),
    )
    engagement.status, engagement.updated_at = current.status, current.updated_at
    return engagement


@transaction.atomic
def extend_planned_end(*, engagement: Engagement, new_end: datetime.date, actor: User) -> Engagement:
    """Move the planned end to a later date. Raises ValidationError for an earlier or equal date,
    or for an engagement that has already ended."""
    current = _locked(engagement)
    if current.status in CLOSED_STATUSES:
        raise ValidationError(gettext("This engagement has ended; its planned end can no longer move."), code="ended")
    if new_end <= current.planned_end:
        raise ValidationError(
            gettext("The new planned end must come after the current one (%(date)s).")
            % {"date": local_format(current.planned_end, "DATE_FORMAT")},
            code="not_later",
        )
    old_end = current.planned_end
    current.planned_end = new_end
    current.save(update_fields=["planned_end", "updated_at"])
    _record(
        current,
        EngagementEvent.Kind.EXTENDED,
        actor,
        detail=gettext("From %(old)s to %(new)s") % {"old": old_end.isoformat(), "new": new_end.isoformat()},
    )
    engagement.planned_end, engagement.updated_at = current.planned_end, current.updated_at
    return engagement


# Intake by an admin ---------------------------------------------------------------------------


def _clean_triggers(triggers: Iterable[str], trigger_other: str) -> tuple[list[str], str]:
    triggers = [value for value in Trigger.values if value in set(triggers)]  # known values, fixed order
    if not triggers:
        raise ValidationError(gettext("Choose at least one trigger."), code="no_trigger")
    trigger_other = trigger_other.strip()
    if Trigger.OTHER in triggers and not trigger_other:
        raise ValidationError(gettext("Say what the other trigger is."), code="other_trigger_unexplained")
    return triggers, trigger_other if Trigger.OTHER in triggers else ""


@transaction.atomic
def _organisation_of(mentee: User | None, team: LeadershipTeam | None):
    """The client organisation an engagement for `mentee` or `team` (exactly one) belongs to."""
    if (mentee is None) == (team is None):
        raise ValidationError(gettext("Choose either one mentee or one leadership team."), code="mentee_xor_team")
    if team is not None:
        return team.organisation
    membership = getattr(mentee, "organisation_membership", None)
    if not mentee.is_mentee or membership is None:
        raise ValidationError(gettext("This person is not a mentee of a client organisation."), code="not_a_client")
    return membership.organisation


def create_engagement(
    *,
    actor: User,
    mentee: User | None = None,
    team: LeadershipTeam | None = None,
    triggers: Iterable[str],
    trigger_other: str = "",
    initiated_by: str,
    focus_areas: Iterable[FocusArea],
    goals: str,
    preferred_language: str,
    start_date: datetime.date,
    planned_months: int = 6,
    initial_phase_weeks: int = 12,
    initial_interval_days: int = 14,
    steady_interval_months: int = 1,
    session_minutes: int = 120,
    mentee_chooses: bool = False,
) -> Engagement:
    """Open a proposed engagement for one mentee or one leadership team.

    The organisation is the mentee's or the team's; the planned end is `planned_months` calendar
    months after the start. Raises ValidationError for both or neither of mentee and team, or a
    mentee who belongs to no client organisation.
    """
    if planned_months < 1:
        raise ValidationError(gettext("The planned length is at least one month."), code="too_short")
    triggers, trigger_other = _clean_triggers(triggers, trigger_other)
    engagement = Engagement(
        organisation=_organisation_of(mentee, team),
        mentee=mentee,
        team=team,
        triggers=triggers,
        trigger_other=trigger_other,
        initiated_by=initiated_by,
        goals=goals,
        preferred_language=preferred_language,
        start_date=start_date,
        planned_end=add_months(start_date, planned_months),
        initial_phase_weeks=initial_phase_weeks,
        initial_interval_days=initial_interval_days,
        steady_interval_months=steady_interval_months,
        session_minutes=session_minutes,
        mentee_chooses=mentee_chooses,
        status=Status.PROPOSED,
        created_by=actor,
    )
    engagement.full_clean(exclude=["mentor"])
    engagement.save()
    engagement.focus_areas.set(focus_areas)
    _record(engagement, EngagementEvent.Kind.CREATED, actor)
    return engagement


@transaction.atomic
def _check_coordinator(engagement: Engagement, person: User) -> None:
    """A coordinator is someone in the engagement's team today."""
    seated = TeamMembership.objects.current().filter(team_id=engagement.team_id, user=person)
    if not engagement.team_id or not seated.exists():
        raise ValidationError(gettext("The coordinator must be a member of the team."), code="coordinator_not_member")


def update_engagement(
    *,
    engagement: Engagement,
    actor: User,
    focus_areas: Iterable[FocusArea],
    planned_months: int,
    **fields,
) -> Engagement:
    """Change the intake details (not who is mentored); record which ones changed.

    The planned end is recomputed from the start only when the start or the planned length
    changes, so an earlier extension survives an unrelated edit.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    current = _locked(engagement)
    if "triggers" in fields or "trigger_other" in fields:
        fields["triggers"], fields["trigger_other"] = _clean_triggers(
            fields.get("triggers", current.triggers), fields.get("trigger_other", current.trigger_other)
        )
    if fields.get("coordinator") is not None:
        _check_coordinator(current, fields["coordinator"])
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    old_months = whole_months_between(current.start_date, current.planned_end)
    for name, value in fields.items():
        setattr(current, name, value)
    if "start_date" in changed or planned_months != old_months:
        if planned_months < 1:
            raise ValidationError(gettext("The planned length is at least one month."), code="too_short")
        current.planned_end = add_months(current.start_date, planned_months)
        changed.append("planned_end")
    focus_areas = list(focus_areas)
    if {area.pk for area in focus_areas} != set(current.focus_areas.values_list("pk", flat=True)):
        current.focus_areas.set(focus_areas)
        changed.append("focus_areas")
    if not changed:
        return current
    current.full_clean(exclude=["mentor", "organisation", "mentee", "team", "created_by"])
    current.save()
    labels = ", ".join(str(Engagement._meta.get_field(name).verbose_name) for name in changed)
    _record(current, EngagementEvent.Kind.EDITED, actor, detail=gettext("Changed: %(fields)s") % {"fields": labels})
    return current


# Mentee intake --------------------------------------------------------------------------------


@transaction.atomic
def submit_intake(
    *, engagement: Engagement, mentee: User, own_goals: str, commitment: int, wants_from_mentor: str
) -> tuple[IntakeResponse, bool]:
    """Create or update the mentee's own intake answers; returns (answers, created).

    The caller checks that `mentee` is a mentee of the engagement (access.is_engagement_mentee).
    The first answer records an event; later changes do not. Closed engagements refuse changes.
    """
    current = _locked(engagement)  # serialises a double submit: the second one updates
    if current.status in CLOSED_STATUSES:
        raise ValidationError(
            gettext("This engagement has ended; the intake answers can no longer change."), code="ended"
        )
    response, created = IntakeResponse.objects.update_or_create(
        engagement=current,
        mentee=mentee,
        defaults={"own_goals": own_goals, "commitment": commitment, "wants_from_mentor": wants_from_mentor},
    )
    if created:
        _record(current, EngagementEvent.Kind.INTAKE_SUBMITTED, mentee)
    return response, created


# The review at the planned end -------------------------------------------------------------------


def _check_reviewable(engagement: Engagement) -> None:
    if engagement.status not in REVIEWABLE_STATUSES:
        raise ValidationError(gettext("Only an active or paused engagement can be reviewed."), code="not_reviewable")


@transaction.atomic
def extend_after_review(
    *,
    engagement: Engagement,
    new_end: datetime.date,
    actor: User,
    switch_to_monthly: bool = False,
    today: datetime.date | None = None,
) -> bool:
    """Move the planned end (recorded as `extended`) and, if asked, let the steady (monthly)
    phase start today by shortening the initial phase (recorded as `edited`). Returns whether
    the cadence was switched: an engagement already in its steady phase is left as it is.
    Raises ValidationError for an engagement that is not active or paused, or a date that is
    not after the current planned end; then nothing changes."""
    current = Engagement.objects.select_for_update().get(pk=engagement.pk)
    _check_reviewable(current)
    extend_planned_end(engagement=current, new_end=new_end, actor=actor)
    engagement.planned_end, engagement.updated_at = current.planned_end, current.updated_at
    today = today or timezone.localdate()
    if not switch_to_monthly or CadenceRules.of(current).phase_on(today) is Phase.STEADY:
        return False
    old_weeks = current.initial_phase_weeks
    # The largest whole number of weeks that ends on or before today: steady from today.
    current.initial_phase_weeks = max((today - current.start_date).days // 7, 0)
    current.save(update_fields=["initial_phase_weeks", "updated_at"])
    EngagementEvent.objects.create(
        engagement=current,
        kind=EngagementEvent.Kind.EDITED,
        actor=actor,
        at=timezone.now(),
        detail=gettext("Monthly sessions from now on: the initial phase was shortened from %(old)d to %(new)d weeks.")
        % {"old": old_weeks, "new": current.initial_phase_weeks},
    )
    engagement.initial_phase_weeks = current.initial_phase_weeks
    return True


@transaction.atomic
def complete_with_outcome(
    *, engagement: Engagement, actor: User, mentee_words: str, mentor_words: str, final_feedback: str = ""
) -> Engagement:
    """Complete the engagement through the lifecycle (`change_status`) and record its outcome
    (`EngagementOutcome`). Raises ValidationError for missing or too long words, or an engagement
    that cannot be completed (a double submit finds it completed)."""
    words = {"mentee_words": mentee_words.strip(), "mentor_words": mentor_words.strip()}
    if not all(words.values()):
        raise ValidationError(
            gettext("Write the goals reached in the mentee's and in the mentor's words."), code="words_missing"
        )
    words["final_feedback"] = final_feedback.strip()
    if any(len(text) > OUTCOME_WORDS_MAX_LENGTH for text in words.values()):
        raise ValidationError(
            gettext("Each answer can have at most %(max)d characters.") % {"max": OUTCOME_WORDS_MAX_LENGTH},
            code="too_long",
        )
    _check_reviewable(Engagement.objects.select_for_update().get(pk=engagement.pk))
    engagement = change_status(engagement=engagement, to_status=Status.COMPLETED, actor=actor)
    EngagementOutcome.objects.create(engagement=engagement, recorded_by=actor, **words)
    return engagement
