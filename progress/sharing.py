"""What a client's sponsor may see of their people's progress: only the items a mentee has
shared and not withdrawn. The one door for the sponsor's pages, the sponsor report and the
mentee's "what your sponsor sees" preview, so they never disagree.

The rules (the README says the same):
- a goal is listed only while its title is shared; its ratings are shown only while they are
  shared too (ratings without the words they rate mean nothing to a sponsor);
- the ratings are the mentee's own (check-ins by the mentee role), never the mentor's view; a
  member's goal shows that member's ratings, a team goal the members' ratings (several on one
  day are averaged and rounded);
- archived goals are never shown;
- a progress statement is shown while it is shared.

Three queries at most, however many engagements."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.template.loader import render_to_string

from mentorship.models import ROSTER_TIME_ZONE, Engagement
from progress.charts import dated_chart, describe
from progress.models import AuthorRole, ConsentState, Goal, GoalRating, ProgressStatement, shared_condition


@dataclass(frozen=True)
class SharedGoal:
    title: str
    focus_area: str
    member_name: str | None  # None: a goal of the whole team
    ratings: list[tuple[datetime.date, int]]  # empty unless the ratings are shared
    goal_id: int = 0  # for unique element ids on a page

    @property
    def chart(self):
        return dated_chart(
            chart_id=f"shared-goal-{self.goal_id}",
            title=self.title,
            description=describe(self.ratings),
            series=[(self.title, self.ratings)],
        )


@dataclass(frozen=True)
class SharedStatement:
    author_name: str
    text: str
    shared_on: datetime.date


@dataclass(frozen=True)
class SharedProgress:
    goals: list[SharedGoal] = field(default_factory=list)
    statements: list[SharedStatement] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.goals and not self.statements


def shared_progress(engagements: Iterable[Engagement]) -> dict[int, SharedProgress]:
    """Keyed by engagement id, one entry per engagement given (empty when nothing is shared)."""
    ids = [engagement.pk for engagement in engagements]
    goals = list(
        Goal.objects.current()
        .filter(shared_condition("title_"), engagement_id__in=ids)
        .select_related("focus_area", "member")
        .order_by("engagement_id", F("member_id").asc(nulls_first=True), "created_at", "pk")
    )
    ratings = _shared_ratings([goal.pk for goal in goals if goal.ratings_consent == ConsentState.SHARED])
    statements = (
        ProgressStatement.objects.filter(shared_condition(), engagement_id__in=ids)
        .select_related("mentee")
        .order_by("engagement_id", "shared_at", "pk")
    )
    goals_by_engagement, statements_by_engagement = defaultdict(list), defaultdict(list)
    for goal in goals:
        goals_by_engagement[goal.engagement_id].append(
            SharedGoal(
                title=goal.title,
                focus_area=goal.focus_area.name,
                member_name=goal.member.display_name if goal.member_id else None,
                ratings=ratings.get(goal.pk, []),
                goal_id=goal.pk,
            )
        )
    for statement in statements:
        statements_by_engagement[statement.engagement_id].append(
            SharedStatement(
                author_name=statement.mentee.display_name,
                text=statement.text,
                shared_on=statement.shared_at.astimezone(ROSTER_TIME_ZONE).date(),
            )
        )
    return {pk: SharedProgress(goals=goals_by_engagement[pk], statements=statements_by_engagement[pk]) for pk in ids}


def _shared_ratings(goal_ids: list[int]) -> dict[int, list[tuple[datetime.date, int]]]:
    """The mentee-side series of each goal, one point a day."""
    if not goal_ids:
        return {}
    rows = (
        GoalRating.objects.filter(goal_id__in=goal_ids, check_in__author_role=AuthorRole.MENTEE)
        .filter(Q(goal__member__isnull=True) | Q(check_in__person=F("goal__member")))
        .values_list("goal_id", "check_in__on", "score")
        .order_by("goal_id", "check_in__on")
    )
    return dated_series(rows)


def dated_series(rows: Iterable[tuple[int, datetime.date, int]]) -> dict[int, list[tuple[datetime.date, int]]]:
    """(key, day, score) rows, ordered by key and day, as a series per key with one point a day
    (the mean, halves rounded up, when several people rated on the same day)."""
    scores: dict[int, dict[datetime.date, list[int]]] = defaultdict(lambda: defaultdict(list))
    for key, day, score in rows:
        scores[key][day].append(score)
    return {
        key: [(day, int(sum(values) / len(values) + 0.5)) for day, values in sorted(days.items())]
        for key, days in scores.items()
    }


def render_shared_progress(progress: SharedProgress) -> str:
    return render_to_string("progress/_shared_progress.html", {"progress": progress})
