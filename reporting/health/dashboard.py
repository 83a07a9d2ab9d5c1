"""The health pages' reads, from the stored health (`store`): counts, lists and monthly totals
in SQL, so a page costs the same whatever the number of engagements and sessions. Only the rows
a page lists become `EngagementHealth` objects, their reasons worded then (no query).

Every reader first brings the store up to date (`store.refresh_due`): usually nothing is due,
because beat refreshes it every few minutes."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Q, QuerySet, Sum, When
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from accounts.models import User
from mentorship import access
from mentorship.cadence import Due, Phase, add_months
from mentorship.models import Engagement, EngagementStatus
from reporting.health import store, totals
from reporting.health.risk import RiskFacts, risk_signals
from reporting.health.rules import CHART_MONTHS, REVIEW_WITHIN_DAYS, utilisation_share
from reporting.health.selectors import EngagementHealth
from reporting.models import EngagementHealthRecord, EngagementMonth, MentorLoadRecord

LIST_LIMIT = 10  # overdue and review rows on the dashboard; each has its own paged list
AT_RISK_SHOWN = 5
MENTORS_SHOWN = 15  # the utilisation chart: the fullest mentors, not every one


def _is_every(engagements: QuerySet[Engagement]) -> bool:
    """Whether `engagements` is every engagement (an admin's unfiltered view)."""
    return engagements.model is Engagement and not engagements.query.where and not engagements.query.is_sliced


def _of(rows: QuerySet, engagements: QuerySet[Engagement]) -> QuerySet:
    """`rows` (of a table with an `engagement`) of the engagements. Every engagement needs no
    subquery: "IN (SELECT id FROM every engagement)" would make PostgreSQL hash the whole
    engagements table for nothing."""
    if _is_every(engagements):
        return rows
    return rows.filter(engagement__in=engagements.order_by().values("pk"))


def _active_records(engagements: QuerySet[Engagement]) -> QuerySet[EngagementHealthRecord]:
    return _of(EngagementHealthRecord.objects.filter(is_active=True), engagements)


def _ranked(records: QuerySet[EngagementHealthRecord]) -> QuerySet[EngagementHealthRecord]:
    """Highest score first; then the longest overdue; then by name, so the order is stable (as
    `selectors.ranked_at_risk` orders fresh rows)."""
    return records.filter(score__gt=0).order_by(
        "-score",
        Case(When(is_overdue=True, then=F("due_date"))).asc(nulls_last=True),
        Lower(Coalesce("engagement__team__name", "engagement__mentee__full_name", "engagement__mentee__email")),
        "pk",
    )


def health_rows(records: QuerySet[EngagementHealthRecord], now: datetime.datetime) -> list[EngagementHealth]:
    """The stored records as `EngagementHealth`, with their engagement's people (two queries)."""
    rows = []
    related = ("engagement__organisation", "engagement__mentee", "engagement__team", "engagement__mentor")
    # Which records, in their order, first (narrow rows; the sort reads no person); then those
    # few with their people, by primary key.
    ids = list(records.values_list("pk", flat=True))
    chosen = EngagementHealthRecord.objects.select_related(*related).in_bulk(ids)
    for record in (chosen[pk] for pk in ids):
        engagement = record.engagement
        today = now.astimezone(zoneinfo.ZoneInfo(engagement.mentor.time_zone)).date()
        overdue = (today - record.due_date).days if record.is_overdue else None
        stored = record.facts
        facts = RiskFacts(
            **{
                **stored,
                "commitments": tuple(stored.get("commitments", ())),
                "ratings": tuple(tuple(rating) for rating in stored.get("ratings", ())),
                "member_absences": tuple(tuple(row) for row in stored.get("member_absences", ())),
                "overdue_days": overdue,
            }
        )
        phase = Phase(record.phase)
        rows.append(
            EngagementHealth(
                engagement=engagement,
                today=today,
                phase=phase,
                due=Due(phase=phase, due_date=record.due_date, booked=record.next_booked) if record.due_date else None,
                last_held=record.last_held,
                next_booked=record.next_booked,
                overdue_days=overdue,
                signals=risk_signals(facts),
                facts=facts,
            )
        )
    return rows


@dataclass(frozen=True)
class ReviewRow:
    """A row of the reviews coming up: the engagement and the mentor's today (no health needed)."""

    engagement: Engagement
    today: datetime.date

    @property
    def days_to_planned_end(self) -> int:
        return (self.engagement.planned_end - self.today).days


def review_rows(engagements: QuerySet[Engagement], now: datetime.datetime) -> list[ReviewRow]:
    """The engagements with their people, in their order (two queries)."""
    ids = list(engagements.values_list("pk", flat=True))
    # Only what a row shows (the reviews table): narrower rows, fewer objects to build.
    shown = (
        "uuid",
        "planned_end",
        "organisation__name",
        "mentee__full_name",
        "mentee__email",
        "team__name",
        "mentor__full_name",
        "mentor__email",
        "mentor__time_zone",
    )
    found = Engagement.objects.select_related("organisation", "mentee", "team", "mentor").only(*shown).in_bulk(ids)
    return [
        ReviewRow(engagement, now.astimezone(zoneinfo.ZoneInfo(engagement.mentor.time_zone)).date())
        for engagement in (found[pk] for pk in ids if pk in found)
    ]


def _overdue(records: QuerySet[EngagementHealthRecord]) -> QuerySet[EngagementHealthRecord]:
    """The longest overdue first."""
    return records.filter(is_overdue=True).order_by("due_date", "pk")


def _reviews(engagements: QuerySet[Engagement], today: datetime.date) -> QuerySet[Engagement]:
    """Active engagements (with a mentor, as an active record is) whose planned end is within
    REVIEW_WITHIN_DAYS or has passed, soonest first: read along the engagements' index of
    planned ends, not through every stored record."""
    review_by = today + datetime.timedelta(days=REVIEW_WITHIN_DAYS)
    return engagements.filter(
        status=EngagementStatus.ACTIVE, mentor__isnull=False, planned_end__lte=review_by
    ).order_by("planned_end", "pk")


def list_page(kind: str, engagements: QuerySet[Engagement], number, *, per_page: int, now=None) -> tuple[Page, list]:
    """One page of a health list — "at-risk" (ranked), "overdue" or "reviews" — of `engagements`:
    the page and its rows. Ordered and cut in SQL."""
    now = now or timezone.now()
    store.refresh_due(now)
    if kind == "reviews":
        page = Paginator(_reviews(engagements, timezone.localdate(now)), per_page).get_page(number)
        return page, review_rows(page.object_list, now)
    records = _active_records(engagements)
    page = Paginator(_overdue(records) if kind == "overdue" else _ranked(records), per_page).get_page(number)
    return page, health_rows(page.object_list, now)


def engagement_risk(engagement: Engagement, *, now: datetime.datetime | None = None) -> EngagementHealth | None:
    """One engagement's health, for its page (admins only); None unless it is active. Brings
    only this engagement's record up to date."""
    now = now or timezone.now()
    records = EngagementHealthRecord.objects.filter(pk=engagement.pk)
    if records.filter(store.due_records(now)).exists():
        store.refresh([engagement.pk], now)
    rows = health_rows(records.filter(is_active=True), now)
    return rows[0] if rows else None


def home_summary_for(user: User) -> dict[str, int]:
    """Context for `templates/reporting/includes/home_health.html`: for a consultancy admin, how
    many active engagements are at risk and overdue (one query, after the refresh); empty for
    anybody else."""
    if not access.is_consultancy_admin(user):
        return {}
    store.refresh_due()
    engagements = access.engagements_visible_to(user)
    if _is_every(engagements):
        counted = totals.counts()
        return {"at_risk": counted["at_risk"], "overdue": counted["overdue"]}
    return _active_records(engagements).aggregate(
        at_risk=Count("pk", filter=Q(score__gt=0)), overdue=Count("pk", filter=Q(is_overdue=True))
    )


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
class Utilisation:
    mentors: list[MentorLoad]  # the fullest, at most MENTORS_SHOWN
    total: int  # mentors counted
    over_capacity: int


def mentor_utilisation(mentors: QuerySet[User], shown: int = MENTORS_SHOWN) -> Utilisation:
    """Mentors' active and paused engagements against their capacity: the `shown` fullest (over
    capacity first, then by share, then by load) and the totals. The loads are stored per mentor
    (`MentorLoadRecord`, kept by the database), so the fullest are read along an index."""
    loads = MentorLoadRecord.objects.filter(mentor__in=mentors.order_by().values("pk"), load__gt=0)
    fullest = list(
        loads.select_related("mentor").order_by(
            F("over_capacity").desc(), F("share").desc(nulls_last=True), F("load").desc(), "mentor"
        )[:shown]
    )
    rows = [MentorLoad(row.mentor, row.active, row.paused, row.capacity) for row in fullest]
    if len(rows) < shown:  # then mentors with nothing: those with a capacity first, by name
        idle = (
            mentors.exclude(pk__in=[row.mentor.pk for row in rows])
            .annotate(capacity=F("mentor_profile__capacity"))
            .order_by(Case(When(capacity__gt=0, then=0), default=1), "full_name", "pk")[: shown - len(rows)]
        )
        rows += [MentorLoad(mentor, 0, 0, mentor.capacity) for mentor in idle]
    over = loads.filter(over_capacity=True).count()
    return Utilisation(mentors=rows, total=mentors.count(), over_capacity=over)


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
    counts: dict[str, int]  # active, initial, steady, overdue, at_risk, reviews
    at_risk: list[EngagementHealth]  # the first AT_RISK_SHOWN
    overdue: list[EngagementHealth]  # the LIST_LIMIT longest overdue
    reviews: list[ReviewRow]  # the LIST_LIMIT soonest planned ends
    sessions_by_month: list[MonthCount]  # first: held, second: cancelled or no-show
    adherence_by_month: list[MonthCount]  # first: held, second: on time
    utilisation: Utilisation
    feedback: dict  # count, usefulness, trust

    @property
    def held(self) -> int:
        return sum(month.first for month in self.adherence_by_month)

    @property
    def held_on_time(self) -> int:
        return sum(month.second for month in self.adherence_by_month)

    @property
    def adherence(self) -> float | None:
        return self.held_on_time / self.held if self.held else None


def chart_months(today: datetime.date, count: int = CHART_MONTHS) -> list[datetime.date]:
    """The first days of the last `count` months, oldest first, ending with today's month."""
    first = today.replace(day=1)
    return [add_months(first, -back) for back in range(count - 1, -1, -1)]


def _monthly_sums(engagements: QuerySet[Engagement], months: list[datetime.date]) -> dict:
    return {
        row["month"]: row
        for row in _of(EngagementMonth.objects.filter(month__gte=months[0], month__lte=months[-1]), engagements)
        .values("month")
        .annotate(
            held=Sum("held"),
            on_time=Sum("held_on_time"),
            missed=Sum("missed"),
            ratings=Sum("ratings"),
            usefulness=Sum("usefulness_total"),
            trust=Sum("trust_total"),
        )
    }


def _monthly(engagements: QuerySet[Engagement], months: list[datetime.date]) -> tuple[list, list, dict]:
    """Sessions, adherence and feedback of the months: of every engagement from the stored
    totals, of some added up in SQL from their EngagementMonth rows."""
    rows = (
        totals.months_between(months[0], months[-1]) if _is_every(engagements) else _monthly_sums(engagements, months)
    )
    empty = {"held": 0, "on_time": 0, "missed": 0, "ratings": 0, "usefulness": 0, "trust": 0}
    by_month = [rows.get(month, empty) for month in months]
    ratings = sum(row["ratings"] for row in by_month)
    feedback = {
        "count": ratings,
        "usefulness": sum(row["usefulness"] for row in by_month) / ratings if ratings else None,
        "trust": sum(row["trust"] for row in by_month) / ratings if ratings else None,
    }
    sessions = [MonthCount(month, row["held"], row["missed"]) for month, row in zip(months, by_month, strict=True)]
    adherence = [MonthCount(month, row["held"], row["on_time"]) for month, row in zip(months, by_month, strict=True)]
    return sessions, adherence, feedback


def dashboard(
    *, engagements: QuerySet[Engagement], mentors: QuerySet[User], now: datetime.datetime | None = None
) -> Dashboard:
    """Everything on the health dashboard for `engagements` (scoped and filtered by the caller)
    and the mentors to show utilisation for: a fixed number of queries, each bounded by what the
    page shows or by months rather than sessions."""
    now = now or timezone.now()
    store.refresh_due(now)
    today = timezone.localdate(now)
    months = chart_months(today)
    records = _active_records(engagements)
    review_by = today + datetime.timedelta(days=REVIEW_WITHIN_DAYS)
    if _is_every(engagements):
        counts = totals.counts()
        # An active record is an active engagement with a mentor (`selectors.engagement_health`);
        # counted from the engagements' index of planned ends, not by joining every record.
        counts["reviews"] = Engagement.objects.filter(
            status=EngagementStatus.ACTIVE, mentor__isnull=False, planned_end__lte=review_by
        ).count()
    else:
        counts = records.aggregate(
            active=Count("pk"),
            initial=Count("pk", filter=Q(phase=Phase.INITIAL)),
            steady=Count("pk", filter=Q(phase=Phase.STEADY)),
            overdue=Count("pk", filter=Q(is_overdue=True)),
            at_risk=Count("pk", filter=Q(score__gt=0)),
            reviews=Count(
                "pk", filter=Q(engagement__planned_end__lte=review_by, engagement__status=EngagementStatus.ACTIVE)
            ),
        )
    sessions, adherence, feedback = _monthly(engagements, months)
    return Dashboard(
        today=today,
        months=months,
        counts=counts,
        at_risk=health_rows(_ranked(records)[:AT_RISK_SHOWN], now),
        overdue=health_rows(_overdue(records)[:LIST_LIMIT], now),
        reviews=review_rows(_reviews(engagements, today)[:LIST_LIMIT], now),
        sessions_by_month=sessions,
        adherence_by_month=adherence,
        utilisation=mentor_utilisation(mentors),
        feedback=feedback,
    )
