"""The sponsor report: for a client's contact person, sessions held and cadence adherence per
engagement of their organisation in a period (see `periods` on confidentiality)."""

import dataclasses
import datetime

from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from mentorship import access
from mentorship.cadence import CadenceRules, add_months
from mentorship.engagements.services import REVIEWABLE_STATUSES
from mentorship.models import Engagement, EngagementStatus, Organisation
from reporting.reports.periods import Adherence, Period, adherence_of, held_dates_by_engagement
from sessions.models import held_condition

Status = EngagementStatus


@dataclasses.dataclass(frozen=True)
class SponsorRow:
    engagement: Engagement
    held_in_period: int
    held_total: int
    adherence: Adherence


@dataclasses.dataclass(frozen=True)
class SponsorReport:
    organisation: Organisation
    period: Period
    rows: list[SponsorRow]
    active_now: int

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


def sponsor_report(*, user: User, organisation: Organisation, period: Period) -> SponsorReport:
    """Sessions held and adherence per engagement of one client organisation in a period, for
    the client's contact person. Engagements that never started are left out; cancelled ones
    only when they held sessions in the period. Two queries whatever the number of engagements.
    """
    now = timezone.now()
    engagements = access.engagements_visible_to(user).filter(organisation=organisation).exclude(status=Status.PROPOSED)
    held = held_condition(now, "sessions__")
    annotated = list(
        engagements.filter(start_date__lte=period.end)
        .select_related("mentee", "team", "mentor")
        .annotate(
            held_in_period=Count("sessions", filter=held & period.session_filter("sessions__")),
            held_total=Count("sessions", filter=held),
        )
        .order_by("start_date", "pk")
    )
    dates = held_dates_by_engagement(engagements, period.end, now=now)
    rows = [
        SponsorRow(
            engagement=e,
            held_in_period=e.held_in_period,
            held_total=e.held_total,
            adherence=adherence_of(CadenceRules.of(e), dates.get(e.pk, ()), period),
        )
        for e in annotated
        if e.held_in_period
        or (e.status != Status.CANCELLED and (e.status in REVIEWABLE_STATUSES or e.planned_end >= period.start))
    ]
    active_now = sum(row.engagement.status == Status.ACTIVE for row in rows)
    return SponsorReport(organisation=organisation, period=period, rows=rows, active_now=active_now)
