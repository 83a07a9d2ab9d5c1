"""Reads for the plan page and the engagement page's progress panel, in a bounded number of
queries: the goals the viewer sees, their history and consent, the check-ins' series as charts,
and before/after (the first rating against the latest)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship.access import is_consultancy_admin, is_engagement_mentee, is_team_coordinator
from mentorship.models import Engagement
from progress import access
from progress.charts import dated_chart, describe
from progress.models import AuthorRole, CheckInKind, ClarityRating, ConsentEvent, Goal, GoalEvent, GoalRating
from progress.sharing import dated_series

Series = dict[int, list[tuple[datetime.date, int]]]


@dataclass(frozen=True)
class BeforeAfter:
    label: str
    first: int
    latest: int

    @property
    def change(self) -> int:
        return self.latest - self.first


def _ratings(user: User, engagement: Engagement, goals: list[Goal]) -> tuple[Series, Series]:
    """Per goal: the mentee side's series and the mentor's view, from the check-ins the user sees."""
    visible = access.check_ins_visible_to(user, engagement)
    rows = GoalRating.objects.filter(goal__in=goals, check_in__in=visible).values_list(
        "goal_id", "check_in__on", "score", "check_in__author_role", "check_in__person_id", "goal__member_id"
    )
    own, mentor = [], []
    for goal_id, day, score, role, person_id, member_id in rows.order_by("goal_id", "check_in__on"):
        if role == AuthorRole.MENTOR:
            mentor.append((goal_id, day, score))
        elif member_id is None or member_id == person_id:
            own.append((goal_id, day, score))
    return dated_series(own), dated_series(mentor)


def _clarity(user: User, engagement: Engagement) -> tuple[Series, Series, dict[int, str]]:
    visible = access.check_ins_visible_to(user, engagement)
    rows = ClarityRating.objects.filter(check_in__in=visible).values_list(
        "focus_area_id", "check_in__on", "score", "check_in__author_role"
    )
    own, mentor = [], []
    for area_id, day, score, role in rows.order_by("focus_area_id", "check_in__on"):
        (mentor if role == AuthorRole.MENTOR else own).append((area_id, day, score))
    names = {area.pk: area.name for area in engagement.focus_areas.all()}
    return dated_series(own), dated_series(mentor), names


def goal_chart(goal: Goal, own: list, mentor: list):
    series = [(_("Mentee's rating") if goal.member_id else _("The team's rating"), own)]
    if mentor:
        series.append((_("The mentor's view"), mentor))
    return dated_chart(chart_id=f"goal-{goal.pk}", title=goal.title, description=describe(own), series=series)


def clarity_chart(own: Series, names: dict[int, str], *, chart_id: str, title: str):
    series = [(names[area_id], points) for area_id, points in own.items() if area_id in names]
    return dated_chart(
        chart_id=chart_id,
        title=title,
        description=_("How clear each focus area feels, from 1 (confused) to 10 (clear), at each check-in."),
        series=series,
    )


def before_after(series: Series, labels: dict[int, str]) -> list[BeforeAfter]:
    """First rating against the latest, for each key with at least two days."""
    return [
        BeforeAfter(labels[key], points[0][1], points[-1][1])
        for key, points in series.items()
        if key in labels and len(points) > 1
    ]


def progress_overview(user: User, engagement: Engagement) -> dict:
    """Charts and before/after for the goals the user sees (the engagement page, the plan page)."""
    goals = list(access.goals_visible_to(user, engagement).current().select_related("focus_area", "member"))
    own, mentor = _ratings(user, engagement, goals)
    clarity_own, clarity_mentor, names = _clarity(user, engagement)
    goal_titles = {goal.pk: goal.title for goal in goals}
    return {
        "goal_charts": [goal_chart(goal, own.get(goal.pk, []), mentor.get(goal.pk, [])) for goal in goals],
        "clarity_chart": clarity_chart(clarity_own, names, chart_id="clarity-map", title=_("Clarity map")),
        "mentor_clarity_chart": (
            clarity_chart(
                clarity_mentor, names, chart_id="clarity-map-mentor", title=_("Clarity map: the mentor's view")
            )
            if clarity_mentor
            else None
        ),
        "goals_before_after": before_after(own, goal_titles),
        "clarity_before_after": before_after(clarity_own, names),
    }


def engagement_panel(user: User, engagement: Engagement) -> dict | None:
    """The engagement page's progress panel: for its mentee(s), its mentor and admins (not for a
    mentor only asked to take it)."""
    if not (is_consultancy_admin(user) or access.check_in_role(user, engagement)):
        return None
    return progress_overview(user, engagement)


def plan_page(user: User, engagement: Engagement) -> dict:
    goals = list(access.goals_visible_to(user, engagement).select_related("focus_area", "member"))
    # access.may_share_goal, answered once for all the goals (no query per goal).
    is_mentee, is_coordinator = is_engagement_mentee(user, engagement), is_team_coordinator(user, engagement)
    for goal in goals:
        goal.may_share = (goal.member_id == user.pk and is_mentee) if goal.member_id else is_coordinator
    events = GoalEvent.objects.filter(goal__in=goals).select_related("goal", "actor")[:100]
    statements = list(access.statements_visible_to(user, engagement).select_related("mentee", "engagement"))
    for statement in statements:
        statement.may_share = statement.mentee_id == user.pk and access.may_share_statement(user, statement)
    role = access.check_in_role(user, engagement)
    return {
        "engagement": engagement,
        "current_goals": [goal for goal in goals if goal.archived_at is None],
        "archived_goals": [goal for goal in goals if goal.archived_at is not None],
        "events": events,
        "consent_events": _consent_history(user, engagement, goals),
        "statements": statements,
        "own_statement": next((s for s in statements if s.mentee_id == user.pk), None),
        "can_edit": access.can_edit_plan(user, engagement),
        "role": role,
        "is_admin": is_consultancy_admin(user),
        "is_coordinator": is_coordinator,
        "done_kinds": _done_kinds(user, engagement) if role else set(),
        **progress_overview(user, engagement),
    }


def _consent_history(user: User, engagement: Engagement, goals: list[Goal]) -> list[ConsentEvent]:
    """Sharing and withdrawals of the items the user sees (their own statement only, for a member)."""
    statement_ids = access.statements_visible_to(user, engagement).values("pk")
    return list(
        ConsentEvent.objects.filter(engagement=engagement)
        .filter(Q(goal__in=[goal.pk for goal in goals]) | Q(statement__in=statement_ids))
        .select_related("goal", "statement__mentee", "actor")[:100]
    )


def _done_kinds(user: User, engagement: Engagement) -> set[str]:
    """The kinds of check-in (other than after a session) this person has made."""
    return set(
        access.check_ins_visible_to(user, engagement)
        .filter(person=user)
        .exclude(kind=CheckInKind.SESSION)
        .values_list("kind", flat=True)
    )


def own_goal_titles(engagement: Engagement, member_ids: list[int]) -> dict[int, list[str]]:
    """Each member's own current goals of a team engagement, by member id, oldest first (the team
    view's column). One query."""
    titles: dict[int, list[str]] = {member_id: [] for member_id in member_ids}
    goals = (
        Goal.objects.current()
        .filter(engagement=engagement, member_id__in=member_ids)
        .order_by("created_at", "pk")
        .values_list("member_id", "title")
    )
    for member_id, title in goals:
        titles[member_id].append(title)
    return titles
