"""The sponsor view: what a client's sponsor sees of their organisation's mentoring, built once
and shown by the sponsor portal, the mentee's "what your sponsor sees" preview and the printable
sponsor report, so the three never disagree.

What goes in: per engagement who is mentored, the mentor, status, phase, dates, sessions held and
the rhythm against the cadence (`reporting.reports.periods`), the contract's use in sessions or
hours and its end date (`sessions.usage`; never a price), for a leadership team its size and its
attendance rate over all recorded team sessions (never who was absent), and the progress items
the mentees chose to share (`progress.sharing`). What never goes in: notes, reflections, feedback,
risk scores or reasons, intake answers, another organisation's rows. Everything is read from
engagements, session times and statuses, attendance counts and the consented progress only.

A fixed number of queries per organisation, whatever the number of engagements.
"""

import dataclasses
import datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentorship.cadence import CadenceRules, Phase, add_months
from mentorship.engagements.services import REVIEWABLE_STATUSES
from mentorship.models import Engagement, EngagementStatus, Organisation, TeamMembership
from reporting.reports.periods import Adherence, Period, adherence_of, held_dates_by_engagement
from sessions.models import MemberAttendance, held_condition
from sessions.usage import Usage, usage_by_contract
from sponsors.progress import SharedProgress, shared_progress

Status = EngagementStatus


@dataclasses.dataclass(frozen=True)
class TeamFigures:
    """A leadership team as a whole: how many are in it today and how often members came."""

    members_now: int
    attended: int
    recorded: int

    @property
    def attendance_percent(self) -> int | None:
        return round(100 * self.attended / self.recorded) if self.recorded else None


@dataclasses.dataclass(frozen=True)
class SponsorRow:
    engagement: Engagement
    held_in_period: int
    held_total: int
    adherence: Adherence
    phase: Phase | None
    usage: Usage | None
    team: TeamFigures | None
    progress: SharedProgress | None

    @property
    def contract_end(self) -> datetime.date | None:
        return self.engagement.contract.end_date if self.engagement.contract_id else None


@dataclasses.dataclass(frozen=True)
class SponsorView:
    organisation: Organisation
    period: Period
    rows: list[SponsorRow]

    @property
    def active_now(self) -> int:
        return sum(row.engagement.status == Status.ACTIVE for row in self.rows)

    @property
    def held_in_period(self) -> int:
        return sum(row.held_in_period for row in self.rows)

    @property
    def adherence(self) -> Adherence:
        return sum((row.adherence for row in self.rows), Adherence())


def default_sponsor_period(today: datetime.date | None = None) -> Period:
    """The last six months up to today."""
    today = today or timezone.localdate()
    return Period(start=add_months(today, -6) + datetime.timedelta(days=1), end=today)


def _annotated(engagements: QuerySet[Engagement], period: Period, now: datetime.datetime) -> list[Engagement]:
    held = held_condition(now, "sessions__")
    members_now = (
        TeamMembership.objects.current()
        .filter(team=OuterRef("team"))
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    attendance = (
        MemberAttendance.objects.filter(session__engagement=OuterRef("pk")).order_by().values("session__engagement")
    )
    return list(
        engagements.filter(start_date__lte=period.end)
        .select_related("mentee", "team", "mentor", "contract")
        .annotate(
            held_in_period=Count("sessions", filter=held & period.session_filter("sessions__"), distinct=True),
            held_total=Count("sessions", filter=held, distinct=True),
            members_now=Coalesce(Subquery(members_now), 0),
            attendance_recorded=Coalesce(Subquery(attendance.annotate(n=Count("pk")).values("n")), 0),
            attendance_attended=Coalesce(
                Subquery(attendance.annotate(n=Count("pk", filter=~Q(status="absent"))).values("n")), 0
            ),
        )
        .order_by("start_date", "pk")
    )


def _shown(engagement: Engagement, period: Period) -> bool:
    """Engagements that never started are left out; cancelled ones only when they held sessions
    in the period."""
    return bool(
        engagement.held_in_period
        or (
            engagement.status != Status.CANCELLED
            and (engagement.status in REVIEWABLE_STATUSES or engagement.planned_end >= period.start)
        )
    )


def _team_figures(engagement: Engagement) -> TeamFigures | None:
    if not engagement.team_id:
        return None
    return TeamFigures(
        members_now=engagement.members_now,
        attended=engagement.attendance_attended,
        recorded=engagement.attendance_recorded,
    )


def _phase(engagement: Engagement, today: datetime.date) -> Phase | None:
    if engagement.status not in (Status.ACTIVE, Status.PAUSED):
        return None
    return CadenceRules.of(engagement).phase_on(today)


def build_sponsor_view(*, organisation: Organisation, engagements: QuerySet[Engagement], period: Period) -> SponsorView:
    """The sponsor view of `engagements` (already scoped by the caller's access rules; narrowed
    here to `organisation`) over `period`."""
    now = timezone.now()
    engagements = engagements.filter(organisation=organisation).exclude(status=Status.PROPOSED)
    shown = [e for e in _annotated(engagements, period, now) if _shown(e, period)]
    dates = held_dates_by_engagement(engagements, period.end, now=now)
    contracts = {e.contract_id: e.contract for e in shown if e.contract_id}
    usage = usage_by_contract(list(contracts.values()), now=now) if contracts else {}
    progress = shared_progress(shown) if shown else {}
    today = timezone.localdate()
    rows = [
        SponsorRow(
            engagement=e,
            held_in_period=e.held_in_period,
            held_total=e.held_total,
            adherence=adherence_of(CadenceRules.of(e), dates.get(e.pk, ()), period),
            phase=_phase(e, today),
            usage=usage.get(e.contract_id),
            team=_team_figures(e),
            progress=progress.get(e.pk),
        )
        for e in shown
    ]
    return SponsorView(organisation=organisation, period=period, rows=rows)
