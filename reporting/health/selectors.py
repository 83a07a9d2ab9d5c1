"""Engagement health, the reads: what the rules (`rules`, `risk`) need for a queryset of
engagements, loaded in a fixed number of queries whatever the number of engagements and
sessions, and the dashboard built from it. Held and booked sessions follow the row rules in
`sessions.models`; due dates come from `sessions.due`."""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import User
from mentorship import access
from mentorship.cadence import CadenceRules, Due, Phase, add_months
from mentorship.models import Engagement, EngagementStatus, IntakeResponse
from reporting.health.risk import RISK_LEVEL_LABELS, RiskFacts, Signal, risk_level, risk_signals
from reporting.health.rules import (
    CHART_MONTHS,
    MISSED_LOOKBACK_DAYS,
    REVIEW_WITHIN_DAYS,
    adherence_of,
    overdue_days,
    utilisation_share,
)
from sessions.due import due_from_stats, session_stats
from sessions.models import Feedback, MentoringSession, SessionStatus, held_condition


def _local_day(instant: datetime.datetime | None, zone: zoneinfo.ZoneInfo) -> datetime.date | None:
    return instant.astimezone(zone).date() if instant else None


@dataclass
class EngagementHealth:
    """One active engagement: where it stands in its cadence and what puts it at risk."""

    engagement: Engagement
    today: datetime.date
    phase: Phase
    due: Due | None
    last_held: datetime.date | None
    next_booked: datetime.date | None
    overdue_days: int | None
    signals: list[Signal] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(signal.weight for signal in self.signals)

    @property
    def level(self) -> str:
        return risk_level(self.score)

    @property
    def level_label(self) -> str:
        return str(RISK_LEVEL_LABELS.get(self.level, ""))

    @property
    def days_to_planned_end(self) -> int:
        return (self.engagement.planned_end - self.today).days


def _session_facts(engagement_ids: QuerySet, now: datetime.datetime) -> dict[int, dict]:
    """Per engagement: the due-date aggregates (`sessions.due.session_stats`) and what the risk
    signals count. One query."""
    lookback = now - datetime.timedelta(days=MISSED_LOOKBACK_DAYS)
    late_by_mentee_side = (
        Q(status=SessionStatus.CANCELLED, late_cancellation=True, start__gte=lookback)
        # The mentor's own late cancellations do not count; one the mentor records once the
        # session has started (attendance: "cancelled late") does: the mentee side called it off.
        & (Q(cancelled_by__isnull=True) | ~Q(cancelled_by=F("mentor")) | Q(cancelled_at__gte=F("start")))
    )
    rows = (
        MentoringSession.objects.filter(engagement__in=engagement_ids)
        .order_by()
        .values("engagement_id")
        .annotate(
            **session_stats(now),
            no_shows=Count("pk", filter=Q(status=SessionStatus.NO_SHOW, start__gte=lookback, start__lte=now)),
            late_cancellations=Count("pk", filter=late_by_mentee_side),
            sessions=Count("pk"),
            booked_by_mentee=Count("pk", filter=Q(booked_by=F("mentee"))),
        )
    )
    return {row["engagement_id"]: row for row in rows}


def _commitments(engagement_ids: QuerySet) -> dict[int, list[int]]:
    commitments: dict[int, list[int]] = defaultdict(list)
    rows = IntakeResponse.objects.filter(engagement__in=engagement_ids).values_list("engagement_id", "commitment")
    for engagement_id, commitment in rows:
        commitments[engagement_id].append(commitment)
    return commitments


def _ratings(engagement_ids: QuerySet) -> dict[int, list[tuple[int, int]]]:
    """(usefulness, trust) per engagement, oldest session first."""
    ratings: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = (
        Feedback.objects.filter(session__engagement__in=engagement_ids)
        .order_by("session__start", "created_at", "pk")
        .values_list("session__engagement_id", "usefulness", "trust")
    )
    for engagement_id, usefulness, trust in rows:
        ratings[engagement_id].append((usefulness, trust))
    return ratings


def _health_of(
    engagement: Engagement, row: dict, commitments: list[int], ratings: list, now: datetime.datetime
) -> EngagementHealth:
    zone = zoneinfo.ZoneInfo(engagement.mentor.time_zone)
    today = now.astimezone(zone).date()
    due = due_from_stats(engagement, last_held=row.get("last_held"), next_booked=row.get("next_booked"), now=now)
    late = overdue_days(due, today)
    facts = RiskFacts(
        is_team=engagement.is_team,
        initiated_by=engagement.initiated_by,
        commitments=tuple(commitments),
        no_shows=row.get("no_shows", 0),
        late_cancellations=row.get("late_cancellations", 0),
        overdue_days=late,
        ratings=tuple(ratings),
        sessions=row.get("sessions", 0),
        booked_by_mentee=row.get("booked_by_mentee", 0),
    )
    return EngagementHealth(
        engagement=engagement,
        today=today,
        phase=CadenceRules.of(engagement).phase_on(today),
        due=due,
        last_held=_local_day(row.get("last_held"), zone),
        next_booked=_local_day(row.get("next_booked"), zone),
        overdue_days=late,
        signals=risk_signals(facts),
    )


def engagement_health(
    engagements: QuerySet[Engagement], *, now: datetime.datetime | None = None
) -> list[EngagementHealth]:
    """The active engagements among `engagements` (already scoped by `access`), each with its
    cadence state and risk signals, in four queries whatever their number."""
    now = now or timezone.now()
    active = engagements.filter(status=EngagementStatus.ACTIVE, mentor__isnull=False).order_by()
    active_ids = active.values("pk")
    rows = list(active.select_related("organisation", "mentee", "team", "mentor"))
    stats, commitments, ratings = _session_facts(active_ids, now), _commitments(active_ids), _ratings(active_ids)
    return [
        _health_of(engagement, stats.get(engagement.pk, {}), commitments[engagement.pk], ratings[engagement.pk], now)
        for engagement in rows
    ]


def ranked_at_risk(rows: Iterable[EngagementHealth]) -> list[EngagementHealth]:
    """Engagements with at least one signal, highest score first; then the longest overdue, then
    by name, so the order is stable."""
    return sorted(
        (row for row in rows if row.signals),
        key=lambda row: (-row.score, -(row.overdue_days or 0), row.engagement.subject_name.lower(), row.engagement.pk),
    )


def engagement_risk(engagement: Engagement, *, now: datetime.datetime | None = None) -> EngagementHealth | None:
    """One engagement's health, for its page (admins only); None unless it is active. Four queries."""
    rows = engagement_health(Engagement.objects.filter(pk=engagement.pk), now=now)
    return rows[0] if rows else None


def home_summary_for(user: User) -> dict[str, int]:
    """Context for `templates/mentorship/includes/home_health.html`: for a consultancy admin,
    how many active engagements are at risk and overdue (four queries); empty for anybody else."""
    if not access.is_consultancy_admin(user):
        return {}
    rows = engagement_health(access.engagements_visible_to(user))
    return {
        "at_risk": len(ranked_at_risk(rows)),
        "overdue": sum(1 for row in rows if row.overdue_days is not None),
    }


@dataclass(frozen=True)
class MentorLoad:
    mentor: User
    active: int
    paused: int
    capacity: int | None  # None: no mentor profile yet

    @property
    def load(self) -> int:
        return self.active + self.paused

    @property
    def share(self) -> float | None:
        return utilisation_share(self.load, self.capacity)

    @property
    def over_capacity(self) -> bool:
        return self.capacity is not None and self.load > self.capacity


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date  # the first of the month
    first: int  # held sessions (sessions chart) or held sessions (adherence)
    second: int  # cancelled or no-show (sessions chart) or held on time (adherence)

    @property
    def share(self) -> float | None:
        return self.second / self.first if self.first else None


@dataclass
class Dashboard:
    today: datetime.date
    months: list[datetime.date]
    engagements: list[EngagementHealth]
    sessions_by_month: list[MonthCount]  # first: held, second: cancelled or no-show
    adherence_by_month: list[MonthCount]  # first: held, second: on time
    utilisation: list[MentorLoad]
    feedback: dict

    @cached_property
    def phase_counts(self) -> dict[str, int]:
        counts = {Phase.INITIAL.value: 0, Phase.STEADY.value: 0}
        for row in self.engagements:
            counts[row.phase.value] += 1
        return counts

    @property
    def held(self) -> int:
        return sum(month.first for month in self.adherence_by_month)

    @property
    def held_on_time(self) -> int:
        return sum(month.second for month in self.adherence_by_month)

    @property
    def adherence(self) -> float | None:
        return self.held_on_time / self.held if self.held else None

    @cached_property
    def overdue(self) -> list[EngagementHealth]:
        rows = [row for row in self.engagements if row.overdue_days is not None]
        return sorted(rows, key=lambda row: (-row.overdue_days, row.engagement.pk))

    @cached_property
    def reviews(self) -> list[EngagementHealth]:
        rows = [row for row in self.engagements if row.days_to_planned_end <= REVIEW_WITHIN_DAYS]
        return sorted(rows, key=lambda row: (row.engagement.planned_end, row.engagement.pk))

    @cached_property
    def at_risk(self) -> list[EngagementHealth]:
        return ranked_at_risk(self.engagements)


def chart_months(today: datetime.date, count: int = CHART_MONTHS) -> list[datetime.date]:
    """The first days of the last `count` months, oldest first, ending with today's month."""
    first = today.replace(day=1)
    return [add_months(first, -back) for back in range(count - 1, -1, -1)]


def _adherence_by_month(
    engagements: QuerySet[Engagement], months: list[datetime.date], now: datetime.datetime
) -> list[MonthCount]:
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time()))
    held_recently = MentoringSession.objects.held(now).filter(engagement=OuterRef("pk"), end__gte=since)
    in_scope = engagements.filter(Exists(held_recently)).order_by().values("pk")
    rows = (
        MentoringSession.objects.held(now)
        .filter(engagement__in=in_scope)
        .order_by("engagement_id", "start")
        .values_list(
            "engagement_id",
            "start",
            "mentor__time_zone",
            "engagement__start_date",
            "engagement__initial_phase_weeks",
            "engagement__initial_interval_days",
            "engagement__steady_interval_months",
        )
    )
    days: dict[int, list[datetime.date]] = defaultdict(list)
    rules: dict[int, CadenceRules] = {}
    zones: dict[str, zoneinfo.ZoneInfo] = {}
    for engagement_id, start, zone, start_date, weeks, interval, months_between in rows:
        # A row per held session: look zones up once, make the rules once per engagement.
        if zone not in zones:
            zones[zone] = zoneinfo.ZoneInfo(zone)
        days[engagement_id].append(start.astimezone(zones[zone]).date())
        if engagement_id not in rules:
            rules[engagement_id] = CadenceRules(start_date, weeks, interval, months_between)
    held: dict[datetime.date, int] = defaultdict(int)
    on_time: dict[datetime.date, int] = defaultdict(int)
    for engagement_id, held_days in days.items():
        for day, ok in adherence_of(rules[engagement_id], held_days, since=months[0]):
            month = day.replace(day=1)
            held[month] += 1
            on_time[month] += ok
    return [MonthCount(month, held[month], on_time[month]) for month in months]


def _sessions_by_month(
    engagements: QuerySet[Engagement], months: list[datetime.date], now: datetime.datetime
) -> list[MonthCount]:
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time()))
    until = timezone.make_aware(datetime.datetime.combine(add_months(months[-1], 1), datetime.time()))
    rows = (
        MentoringSession.objects.filter(
            engagement__in=engagements.order_by().values("pk"), start__gte=since, start__lt=until
        )
        .annotate(month=TruncMonth("start"))
        .order_by()
        .values("month")
        .annotate(
            held=Count("pk", filter=held_condition(now)),
            missed=Count("pk", filter=Q(status__in=[SessionStatus.CANCELLED, SessionStatus.NO_SHOW])),
        )
    )
    counts = {timezone.localtime(row["month"]).date(): row for row in rows}
    return [
        MonthCount(month, counts.get(month, {}).get("held", 0), counts.get(month, {}).get("missed", 0))
        for month in months
    ]


def mentor_utilisation(mentors: QuerySet[User]) -> list[MentorLoad]:
    """Each mentor's active and paused engagements against their capacity, in one query."""
    rows = (
        mentors.select_related("mentor_profile")
        .annotate(
            active_count=Count(
                "engagements_as_mentor",
                filter=Q(engagements_as_mentor__status=EngagementStatus.ACTIVE),
                distinct=True,
            ),
            paused_count=Count(
                "engagements_as_mentor",
                filter=Q(engagements_as_mentor__status=EngagementStatus.PAUSED),
                distinct=True,
            ),
        )
        .order_by("full_name", "email", "pk")
    )
    out = []
    for mentor in rows:
        profile = getattr(mentor, "mentor_profile", None)
        out.append(MentorLoad(mentor, mentor.active_count, mentor.paused_count, profile.capacity if profile else None))
    return out


def dashboard(
    *, engagements: QuerySet[Engagement], mentors: QuerySet[User], now: datetime.datetime | None = None
) -> Dashboard:
    """Everything on the health dashboard for `engagements` (scoped and filtered by the caller)
    and the mentors to show utilisation for, in eight queries whatever the data size."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    months = chart_months(today)
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time()))
    feedback = Feedback.objects.filter(
        session__engagement__in=engagements.order_by().values("pk"), session__start__gte=since
    ).aggregate(usefulness=Avg("usefulness"), trust=Avg("trust"), count=Count("pk"))
    return Dashboard(
        today=today,
        months=months,
        engagements=engagement_health(engagements, now=now),
        sessions_by_month=_sessions_by_month(engagements, months, now),
        adherence_by_month=_adherence_by_month(engagements, months, now),
        utilisation=mentor_utilisation(mentors),
        feedback=feedback,
    )
