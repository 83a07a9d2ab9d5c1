"""The demo's development plans (progress/): Erik Nyström's three goals at Björkvik with check-ins
from the start and after each held session, the mentor's own view beside them, some items shared
with the sponsor, some not, one shared and withdrawn; and the Björkvik leadership team's goals (two
of the team, one of Karin Alm's own), the team goal shared by the coordinator. Once per
engagement: an engagement that has goals is left as it is."""

import datetime

from django.db import transaction

from accounts.models import User
from demo import factories
from mentorship.models import Engagement, FocusArea, LeadershipTeam, roster_date
from progress.consent import services as consent
from progress.models import CheckInKind, Goal, GoalEvent
from progress.plan.services import snapshot
from sessions.models import SessionStatus

ERIK_GOALS = [
    # title, focus slug, success, shared items, withdrawn items
    (
        "Lead the warehouse team through the move to the new terminal",
        "leadership",
        "The move happens on the planned weekend and nobody hears about it first from rumours.",
        ("goal_title", "goal_ratings"),
        (),
    ),
    (
        "Build trust with the night shift",
        "new-in-role",
        "The night-shift lead brings problems to me before they grow.",
        ("goal_title",),
        (),
    ),
    (
        "Say no to meetings that do not need me",
        "leadership",
        "Two free afternoons a week.",
        ("goal_title",),
        ("goal_title",),
    ),
]
ERIK_STATEMENT = "I plan the week with my team leads now instead of alone, and the night shift calls me first."
TEAM_GOALS = [
    ("Speak with one voice about the nationwide plan", "change-management", ("goal_title", "goal_ratings")),
    ("Decide faster in the Monday meeting", "team-development", ()),
]
KARIN_GOAL = ("Hand over the daily operations to the regional managers", "leadership")


def _goal(engagement: Engagement, *, actor: User, title: str, slug: str, member: User | None, success: str = ""):
    goal = factories.make_goal(
        engagement=engagement, title=title, focus_area=FocusArea.objects.get(slug=slug), member=member, success=success
    )
    goal.created_by = actor
    goal.save(update_fields=["created_by"])
    GoalEvent.objects.create(goal=goal, kind=GoalEvent.Kind.ADDED, actor=actor, after=snapshot(goal))
    return goal


def _share(goal: Goal, *, owner: User, shared: tuple, withdrawn: tuple = ()) -> None:
    for item in shared:
        consent.set_goal_consent(actor=owner, goal=goal, item=item, share=True)
    for item in withdrawn:
        consent.set_goal_consent(actor=owner, goal=goal, item=item, share=False)


def _check_ins(engagement: Engagement, person: User, goals: list[Goal], *, start: int, step: int, role=None) -> None:
    """A start check-in and one after each held session, the ratings rising by `step`."""
    areas = list(engagement.focus_areas.all())
    held = engagement.sessions.filter(status=SessionStatus.COMPLETED).order_by("start")
    # The start check-in comes before the kickoff (one point a day: a same-day pair would be averaged).
    moments = [(CheckInKind.START, None, engagement.start_date - datetime.timedelta(days=3))]
    moments += [(CheckInKind.SESSION, session, roster_date(session.start)) for session in held]
    for index, (kind, session, day) in enumerate(moments):
        score = min(10, start + index * step)
        factories.make_check_in(
            engagement=engagement,
            person=person,
            kind=kind,
            session=session,
            on=day,
            role=role,
            goals={goal: min(10, score + offset % 2) for offset, goal in enumerate(goals)},
            clarity={area: min(10, score - 1 + offset) for offset, area in enumerate(areas)},
        )


@transaction.atomic
def seed_progress(people: dict[str, User]) -> None:
    erik = people["mentee@example.com"]
    engagement = Engagement.objects.filter(mentee=erik, status=Engagement.Status.ACTIVE).first()
    if engagement is not None and not engagement.development_goals.exists():
        goals = []
        for title, slug, success, _shared, _withdrawn in ERIK_GOALS:
            goal = _goal(engagement, actor=erik, title=title, slug=slug, member=erik, success=success)
            goals.append(goal)
        _check_ins(engagement, erik, goals, start=3, step=2)
        _check_ins(engagement, engagement.mentor, goals, start=4, step=1)
        for goal, (_title, _slug, _success, shared, withdrawn) in zip(goals, ERIK_GOALS, strict=True):
            _share(goal, owner=erik, shared=shared, withdrawn=withdrawn)
        statement = factories.make_statement(engagement=engagement, mentee=erik, text=ERIK_STATEMENT)
        consent.set_statement_consent(actor=erik, statement=statement, share=True)
    seed_team_progress(people)


def seed_team_progress(people: dict[str, User]) -> None:
    team = LeadershipTeam.objects.filter(engagements__status=Engagement.Status.ACTIVE).first()
    engagement = team.engagements.filter(status=Engagement.Status.ACTIVE).first() if team else None
    if engagement is None or engagement.development_goals.exists():
        return
    karin, mentor = people["karin.alm@example.com"], engagement.mentor
    team_goals = [_goal(engagement, actor=mentor, title=title, slug=slug, member=None) for title, slug, _ in TEAM_GOALS]
    own = _goal(engagement, actor=karin, title=KARIN_GOAL[0], slug=KARIN_GOAL[1], member=karin)
    _check_ins(engagement, karin, [*team_goals, own], start=4, step=1)
    _check_ins(engagement, people["maria.sjoberg@example.com"], team_goals, start=5, step=1)
    _check_ins(engagement, mentor, [*team_goals, own], start=4, step=1)
    if engagement.coordinator_id:
        for goal, (_title, _slug, shared) in zip(team_goals, TEAM_GOALS, strict=True):
            _share(goal, owner=engagement.coordinator, shared=shared)
