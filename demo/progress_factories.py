"""The progress side of `demo/factories.py` (and re-exported there: import from `demo.factories`):
development goals, check-ins with their ratings, progress statements and consent. Same
conventions: `make_*` saves, every argument a keyword."""

import datetime
from collections.abc import Mapping

from django.utils import timezone

from accounts.models import User
from mentorship.models import Engagement, FocusArea
from progress.models import (
    AuthorRole,
    CheckIn,
    CheckInKind,
    ClarityRating,
    Goal,
    GoalRating,
    ProgressStatement,
)
from sessions.models import MentoringSession


def make_goal(
    *,
    engagement: Engagement,
    title: str = "Lead the new team with confidence",
    focus_area: FocusArea | None = None,
    member: User | None = None,
    team_goal: bool = False,
    shared: tuple[str, ...] = (),
    withdrawn: tuple[str, ...] = (),
    **fields,
) -> Goal:
    """A goal of the engagement's plan: the mentee's (individual engagements), `member`'s, or the
    whole team's (`team_goal`). `shared` / `withdrawn` name the items ("title", "ratings") shared
    now or shared and then withdrawn."""
    if focus_area is None:
        focus_area = engagement.focus_areas.first() or FocusArea.objects.order_by("pk").first()
    if member is None and not team_goal:
        member = engagement.mentee
    now = timezone.now()
    for item in shared + withdrawn:
        fields[f"{item}_shared_at"] = now - datetime.timedelta(days=7)
    for item in withdrawn:
        fields[f"{item}_withdrawn_at"] = now - datetime.timedelta(days=1)
    return Goal.objects.create(engagement=engagement, title=title, focus_area=focus_area, member=member, **fields)


def make_check_in(
    *,
    engagement: Engagement,
    person: User,
    kind: str = CheckInKind.START,
    on: datetime.date | None = None,
    session: MentoringSession | None = None,
    goals: Mapping[Goal, int] | None = None,
    clarity: Mapping[FocusArea, int] | None = None,
    role: str | None = None,
) -> CheckIn:
    """A check-in with its ratings: `goals` and `clarity` map goals / focus areas to 1–10."""
    if role is None:
        role = AuthorRole.MENTOR if person.pk == engagement.mentor_id else AuthorRole.MENTEE
    fields = {"on": on} if on is not None else {}
    check_in = CheckIn.objects.create(
        engagement=engagement, person=person, author_role=role, kind=kind, session=session, **fields
    )
    GoalRating.objects.bulk_create(
        GoalRating(check_in=check_in, goal=goal, score=score) for goal, score in (goals or {}).items()
    )
    ClarityRating.objects.bulk_create(
        ClarityRating(check_in=check_in, focus_area=area, score=score) for area, score in (clarity or {}).items()
    )
    return check_in


def make_statement(
    *, engagement: Engagement, mentee: User | None = None, text: str = "I say no more often.", state: str = "private"
) -> ProgressStatement:
    """A progress statement, `state` "private", "shared" or "withdrawn"."""
    now = timezone.now()
    fields = {}
    if state in ("shared", "withdrawn"):
        fields["shared_at"] = now - datetime.timedelta(days=7)
    if state == "withdrawn":
        fields["withdrawn_at"] = now - datetime.timedelta(days=1)
    return ProgressStatement.objects.create(
        engagement=engagement, mentee=mentee or engagement.mentee, text=text, **fields
    )
