"""Recording a check-in: the mentee's own ratings (or the mentor's view, kept apart by its author
role) of each current goal they see and each focus area of the engagement, once per person, kind
and session — the same form sent twice records nothing more."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship.models import Engagement, FocusArea, roster_date
from progress import access
from progress.models import CheckIn, CheckInKind, ClarityRating, Goal, GoalRating
from sessions.models import MentoringSession, held_condition

ALREADY = "already_checked_in"


def rateable_goals(user: User, engagement: Engagement) -> list[Goal]:
    return list(
        access.goals_visible_to(user, engagement).current().select_related("focus_area").order_by("created_at", "pk")
    )


def existing(*, person: User, engagement: Engagement, kind: str, session: MentoringSession | None) -> CheckIn | None:
    return CheckIn.objects.filter(engagement=engagement, person=person, kind=kind, session=session).first()


def check_session(*, user: User, engagement: Engagement, session: MentoringSession) -> None:
    """An after-session check-in is for a held session of this engagement that the person sat in
    (or led)."""
    if session.engagement_id != engagement.pk:
        raise ValidationError(_("This session belongs to another engagement."), code="other_engagement")
    if not MentoringSession.objects.filter(held_condition(timezone.now()), pk=session.pk).exists():
        raise ValidationError(_("You can check in once the session has been held."), code="not_held")


def _validate(scores: dict, allowed: set) -> None:
    if set(scores) - allowed:
        raise PermissionDenied
    if any(not isinstance(score, int) or not 1 <= score <= 10 for score in scores.values()):
        raise ValidationError(_("Give a number from 1 to 10."), code="out_of_range")


def record_check_in(
    *,
    actor: User,
    engagement: Engagement,
    kind: str,
    goal_scores: dict[Goal, int],
    area_scores: dict[FocusArea, int],
    session: MentoringSession | None = None,
) -> CheckIn:
    role = access.check_in_role(actor, engagement)
    if role is None or kind not in CheckInKind.values or (kind == CheckInKind.SESSION) != (session is not None):
        raise PermissionDenied
    if session is not None:
        check_session(user=actor, engagement=engagement, session=session)
    _validate(goal_scores, set(rateable_goals(actor, engagement)))
    _validate(area_scores, set(engagement.focus_areas.all()))
    if existing(person=actor, engagement=engagement, kind=kind, session=session):
        raise ValidationError(_("You have already made this check-in."), code=ALREADY)
    day = roster_date(session.start) if session is not None else roster_date()
    try:
        with transaction.atomic():
            check_in = CheckIn.objects.create(
                engagement=engagement, person=actor, author_role=role, kind=kind, session=session, on=day
            )
            GoalRating.objects.bulk_create(
                GoalRating(check_in=check_in, goal=goal, score=score) for goal, score in goal_scores.items()
            )
            ClarityRating.objects.bulk_create(
                ClarityRating(check_in=check_in, focus_area=area, score=score) for area, score in area_scores.items()
            )
    except IntegrityError as error:  # two submits racing: the constraint keeps one
        raise ValidationError(_("You have already made this check-in."), code=ALREADY) from error
    return check_in
