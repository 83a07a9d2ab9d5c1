"""Engagement health computed afresh: the definition of what `store` keeps (and the pages read
through `dashboard`). `engagement_health` loads what the rules (`rules`, `risk`) need for a
queryset of engagements in a fixed number of queries and applies them. Held and booked sessions
follow the row rules in `sessions.models`; due dates come from `sessions.due`."""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from mentorship.cadence import CadenceRules, Due, Phase
from mentorship.models import Engagement, EngagementStatus, IntakeResponse, TeamMembership
from reporting.health.risk import RISK_LEVEL_LABELS, RiskFacts, Signal, risk_level, risk_signals
from reporting.health.rules import (
    MEMBER_MISSED_AT_LEAST,
    MEMBER_RECENT_SESSIONS,
    MISSED_LOOKBACK_DAYS,
    overdue_days,
)
from sessions.due import due_from_stats, session_stats
from sessions.models import Feedback, MemberAttendance, MentoringSession, SessionStatus


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
    facts: RiskFacts | None = None  # what the signals were worked out from

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


def _member_absences(engagement_ids: QuerySet) -> dict[int, list[tuple[str, int, int]]]:
    """Per team engagement, the current members who keep missing (`rules.MEMBER_RECENT_SESSIONS`),
    by name. One query: the recorded attendance of members still in the team, latest first."""
    still_in_team = TeamMembership.objects.filter(
        team=OuterRef("session__team"), user=OuterRef("member"), left_on__isnull=True
    )
    rows = (
        MemberAttendance.objects.filter(
            session__engagement__in=engagement_ids,
            session__status__in=[SessionStatus.COMPLETED, SessionStatus.NO_SHOW],
        )
        .filter(Exists(still_in_team))
        .order_by("-session__start", "pk")
        .values_list("session__engagement_id", "member_id", "member__full_name", "member__email", "status")
    )
    recent: dict[tuple[int, int], list[str]] = defaultdict(list)
    names: dict[int, str] = {}
    for engagement_id, member_id, full_name, email, status in rows:
        names[member_id] = full_name or email
        if len(recent[engagement_id, member_id]) < MEMBER_RECENT_SESSIONS:
            recent[engagement_id, member_id].append(status)
    found: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for (engagement_id, member_id), statuses in recent.items():
        missed = statuses.count(MemberAttendance.Status.ABSENT)
        if missed >= MEMBER_MISSED_AT_LEAST:
            found[engagement_id].append((names[member_id], missed, len(statuses)))
    return {engagement_id: sorted(rows) for engagement_id, rows in found.items()}


def _health_of(
    engagement: Engagement,
    row: dict,
    commitments: list[int],
    ratings: list,
    now: datetime.datetime,
    member_absences: list[tuple[str, int, int]] = (),
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
        member_absences=tuple(member_absences),
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
        facts=facts,
    )


def engagement_health(
    engagements: QuerySet[Engagement], *, now: datetime.datetime | None = None
) -> list[EngagementHealth]:
    """The active engagements among `engagements` (already scoped by `access`), each with its
    cadence state and risk signals, in five queries whatever their number."""
    now = now or timezone.now()
    active = engagements.filter(status=EngagementStatus.ACTIVE, mentor__isnull=False).order_by()
    active_ids = active.values("pk")
    rows = list(active.select_related("organisation", "mentee", "team", "mentor"))
    stats, commitments, ratings = _session_facts(active_ids, now), _commitments(active_ids), _ratings(active_ids)
    absences = _member_absences(active_ids) if any(engagement.team_id for engagement in rows) else {}
    return [
        _health_of(
            engagement,
            stats.get(engagement.pk, {}),
            commitments[engagement.pk],
            ratings[engagement.pk],
            now,
            absences.get(engagement.pk, ()),
        )
        for engagement in rows
    ]


def ranked_at_risk(rows: Iterable[EngagementHealth]) -> list[EngagementHealth]:
    """Engagements with at least one signal, highest score first; then the longest overdue, then
    by name, so the order is stable."""
    return sorted(
        (row for row in rows if row.signals),
        key=lambda row: (-row.score, -(row.overdue_days or 0), row.engagement.subject_name.lower(), row.engagement.pk),
    )
