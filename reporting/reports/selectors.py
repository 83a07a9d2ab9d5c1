"""Reports for consultancy admins: the review at the planned end, CSV exports, sponsor reports.

Confidentiality: nothing in this module reads session notes, note revisions, reflections or
feedback. Exports and sponsor reports are built from engagements and from session times,
venues and statuses only, so no confidential text can leak into them.

Cadence adherence is the dashboard's (`mentorship.health.adherence_of`): the share of held
sessions held within the due window the cadence engine gives them (±7 days in the every-other-week
phase, ±10 once monthly; the first session may come early). Here it is counted over a period, with
days in the viewer's time zone.
"""

import csv
import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from mentorship import access
from mentorship.cadence import CadenceRules, Phase, add_months
from mentorship.engagements import services as engagement_services
from mentorship.models import (
    OUTCOME_WORDS_MAX_LENGTH,
    Engagement,
    EngagementEvent,
    EngagementOutcome,
    EngagementStatus,
    FocusArea,
    Organisation,
)
from reporting.health import selectors as health
from sessions.models import MentoringSession, SessionStatus

Status = EngagementStatus

REVIEWABLE_STATUSES = (Status.ACTIVE, Status.PAUSED)
# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# Periods and held sessions ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Period:
    """Whole days, both ends included, in the current time zone; an open end is None."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    def contains(self, day: datetime.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def session_filter(self, prefix: str = "") -> Q:
        """Sessions starting within the period."""
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{prefix}start__gte": _midnight(self.start)})
        if self.end is not None:
            condition &= Q(**{f"{prefix}start__lt": _midnight(self.end + datetime.timedelta(days=1))})
        return condition


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def held_filter(prefix: str = "") -> Q:
    """Held sessions. Until attendance is recorded, a confirmed session whose time has passed
    counts as held (as in the cadence engine and the reminders)."""
    return Q(**{f"{prefix}status": SessionStatus.COMPLETED}) | Q(
        **{f"{prefix}status": SessionStatus.CONFIRMED, f"{prefix}end__lte": timezone.now()}
    )


# Adherence --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Adherence:
    held: int = 0
    on_time: int = 0

    @property
    def percent(self) -> int | None:
        """Whole percent of held sessions that were on time; None with nothing held."""
        return round(100 * self.on_time / self.held) if self.held else None

    def __add__(self, other: "Adherence") -> "Adherence":
        return Adherence(held=self.held + other.held, on_time=self.on_time + other.on_time)


def adherence_of(rules: CadenceRules, held_dates: Iterable[datetime.date], period: Period | None = None) -> Adherence:
    """Adherence of one engagement's held sessions (dates in any order) that fall in `period`.

    Every held session moves the due date of the next one, also those before the period, so
    pass all held dates up to the end of the period. No query.
    """
    marks = health.adherence_of(rules, held_dates, since=period.start if period else None)
    on_time = [ok for day, ok in marks if period is None or period.contains(day)]
    return Adherence(held=len(on_time), on_time=sum(on_time))


def held_dates_by_engagement(engagements: QuerySet[Engagement], until: datetime.date | None = None) -> dict:
    """Engagement id → local dates of its held sessions (up to `until`), in one query."""
    sessions = MentoringSession.objects.filter(held_filter(), engagement__in=engagements.values("pk"))
    if until is not None:
        sessions = sessions.filter(Period(end=until).session_filter())
    dates: dict[int, list[datetime.date]] = defaultdict(list)
    for engagement_id, start in sessions.order_by("start").values_list("engagement_id", "start"):
        dates[engagement_id].append(timezone.localtime(start).date())
    return dates


def adherence_by_engagement(engagements: Iterable[Engagement], dates: dict, period: Period) -> dict:
    return {e.pk: adherence_of(CadenceRules.of(e), dates.get(e.pk, ()), period) for e in engagements}


# CSV exports ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ExportFilters:
    organisation: Organisation | None = None
    mentor: User | None = None
    status: str = ""
    period: Period = Period()


ENGAGEMENT_COLUMNS = [
    "uuid",
    "organisation",
    "mentee_or_team",
    "mentor",
    "status",
    "triggers",
    "initiated_by",
    "focus_areas",
    "start_date",
    "planned_end",
    "sessions_held",
    "no_shows",
    "late_cancellations",
    "adherence_percent",
]
SESSION_COLUMNS = [
    "uuid",
    "engagement_uuid",
    "organisation",
    "start_utc",
    "end_utc",
    "venue",
    "status",
    "late_cancellation",
]


def filtered_engagements(user: User, filters: ExportFilters) -> QuerySet[Engagement]:
    """The engagements the user may see, narrowed by the filters. With a period: those running
    in it (started by its end, planned to end after its start)."""
    engagements = access.engagements_visible_to(user)
    if filters.organisation is not None:
        engagements = engagements.filter(organisation=filters.organisation)
    if filters.mentor is not None:
        engagements = engagements.filter(mentor=filters.mentor)
    if filters.status:
        engagements = engagements.filter(status=filters.status)
    if filters.period.end is not None:
        engagements = engagements.filter(start_date__lte=filters.period.end)
    if filters.period.start is not None:
        engagements = engagements.filter(planned_end__gte=filters.period.start)
    return engagements


def engagements_for_export(user: User, filters: ExportFilters) -> list[Engagement]:
    """Engagements with session counts in the period and `adherence`, in three queries."""
    in_period = filters.period.session_filter("sessions__")
    engagements = filtered_engagements(user, filters)
    rows = list(
        engagements.select_related("organisation", "mentee", "team", "mentor")
        .prefetch_related(Prefetch("focus_areas", queryset=FocusArea.objects.only("slug").order_by("slug")))
        .annotate(
            sessions_held=Count("sessions", filter=held_filter("sessions__") & in_period),
            no_shows=Count("sessions", filter=Q(sessions__status=SessionStatus.NO_SHOW) & in_period),
            late_cancellations=Count(
                "sessions",
                filter=Q(sessions__status=SessionStatus.CANCELLED, sessions__late_cancellation=True) & in_period,
            ),
        )
        .order_by("organisation__name", "start_date", "pk")
    )
    adherence = adherence_by_engagement(rows, held_dates_by_engagement(engagements, filters.period.end), filters.period)
    for engagement in rows:
        engagement.adherence = adherence[engagement.pk]
    return rows


def engagement_rows(engagements: Iterable[Engagement]) -> Iterator[list]:
    """One CSV row per engagement: codes for states, names for people, no free text."""
    for e in engagements:
        yield [
            e.uuid,
            e.organisation.name,
            e.team.name if e.team_id else e.mentee.display_name,
            e.mentor.display_name if e.mentor_id else "",
            e.status,
            ";".join(e.triggers),
            e.initiated_by,
            ";".join(area.slug for area in e.focus_areas.all()),
            e.start_date.isoformat(),
            e.planned_end.isoformat(),
            e.sessions_held,
            e.no_shows,
            e.late_cancellations,
            "" if e.adherence.percent is None else e.adherence.percent,
        ]


def sessions_for_export(user: User, filters: ExportFilters) -> QuerySet:
    """Sessions of the filtered engagements starting in the period, as plain values (never a
    text field). Built now, while the viewer's time zone is active; read later by `session_rows`."""
    return (
        MentoringSession.objects.filter(engagement__in=filtered_engagements(user, filters).values("pk"))
        .filter(filters.period.session_filter())
        .order_by("start", "pk")
        .values_list(
            "uuid",
            "engagement__uuid",
            "engagement__organisation__name",
            "start",
            "end",
            "venue__name",
            "venue__city",
            "status",
            "late_cancellation",
        )
    )


def session_rows(sessions: QuerySet) -> Iterator[list]:
    """One CSV row per session, in one query read with a server-side cursor so a large export
    does not sit in memory."""
    for uuid, engagement_uuid, organisation, start, end, venue, city, status, late in sessions.iterator(2000):
        yield [
            uuid,
            engagement_uuid,
            organisation,
            _utc(start),
            _utc(end),
            f"{venue}, {city}" if venue and city else venue or "",
            status,
            "yes" if late else "no",
        ]


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def safe_cell(value) -> str:
    """The cell as text; text a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """CSV text line by line, starting with a byte-order mark so Excel reads it as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


# Sponsor report ---------------------------------------------------------------------------------


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
    engagements = access.engagements_visible_to(user).filter(organisation=organisation).exclude(status=Status.PROPOSED)
    annotated = list(
        engagements.filter(start_date__lte=period.end)
        .select_related("mentee", "team", "mentor")
        .annotate(
            held_in_period=Count("sessions", filter=held_filter("sessions__") & period.session_filter("sessions__")),
            held_total=Count("sessions", filter=held_filter("sessions__")),
        )
        .order_by("start_date", "pk")
    )
    dates = held_dates_by_engagement(engagements, period.end)
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


# The review at the planned end --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReviewFacts:
    held: int
    adherence: Adherence
    last_held: datetime.date | None
    days_to_planned_end: int
    in_steady_phase: bool


def review_facts(engagement: Engagement, today: datetime.date | None = None) -> ReviewFacts:
    """What an admin wants in view when deciding: sessions held, adherence, time left. One query."""
    today = today or timezone.localdate()
    dates = held_dates_by_engagement(Engagement.objects.filter(pk=engagement.pk)).get(engagement.pk, [])
    rules = CadenceRules.of(engagement)
    return ReviewFacts(
        held=len(dates),
        adherence=adherence_of(rules, dates),
        last_held=dates[-1] if dates else None,
        days_to_planned_end=(engagement.planned_end - today).days,
        in_steady_phase=rules.phase_on(today) is Phase.STEADY,
    )


def _check_reviewable(engagement: Engagement) -> None:
    if engagement.status not in REVIEWABLE_STATUSES:
        raise ValidationError(gettext("Only an active or paused engagement can be reviewed."), code="not_reviewable")


@transaction.atomic
def extend_after_review(
    *,
    engagement: Engagement,
    new_end: datetime.date,
    actor: User,
    switch_to_monthly: bool = False,
    today: datetime.date | None = None,
) -> bool:
    """Move the planned end (recorded as `extended`) and, if asked, let the steady (monthly)
    phase start today by shortening the initial phase (recorded as `edited`). Returns whether
    the cadence was switched: an engagement already in its steady phase is left as it is.
    Raises ValidationError for an engagement that is not active or paused, or a date that is
    not after the current planned end; then nothing changes."""
    current = Engagement.objects.select_for_update().get(pk=engagement.pk)
    _check_reviewable(current)
    engagement_services.extend_planned_end(engagement=current, new_end=new_end, actor=actor)
    engagement.planned_end, engagement.updated_at = current.planned_end, current.updated_at
    today = today or timezone.localdate()
    if not switch_to_monthly or CadenceRules.of(current).phase_on(today) is Phase.STEADY:
        return False
    old_weeks = current.initial_phase_weeks
    # The largest whole number of weeks that ends on or before today: steady from today.
    current.initial_phase_weeks = max((today - current.start_date).days // 7, 0)
    current.save(update_fields=["initial_phase_weeks", "updated_at"])
    EngagementEvent.objects.create(
        engagement=current,
        kind=EngagementEvent.Kind.EDITED,
        actor=actor,
        at=timezone.now(),
        detail=gettext("Monthly sessions from now on: the initial phase was shortened from %(old)d to %(new)d weeks.")
        % {"old": old_weeks, "new": current.initial_phase_weeks},
    )
    engagement.initial_phase_weeks = current.initial_phase_weeks
    return True


@transaction.atomic
def complete_with_outcome(
    *, engagement: Engagement, actor: User, mentee_words: str, mentor_words: str, final_feedback: str = ""
) -> Engagement:
    """Complete the engagement through the lifecycle (`change_status`) and record its outcome
    (`EngagementOutcome`). Raises ValidationError for missing or too long words, or an engagement
    that cannot be completed (a double submit finds it completed)."""
    words = {"mentee_words": mentee_words.strip(), "mentor_words": mentor_words.strip()}
    if not all(words.values()):
        raise ValidationError(gettext("Write the goals reached in the mentee's and in the mentor's words."))
    words["final_feedback"] = final_feedback.strip()
    if any(len(text) > OUTCOME_WORDS_MAX_LENGTH for text in words.values()):
        raise ValidationError(
            gettext("Each answer can have at most %(max)d characters.") % {"max": OUTCOME_WORDS_MAX_LENGTH},
            code="too_long",
        )
    _check_reviewable(Engagement.objects.select_for_update().get(pk=engagement.pk))
    engagement = engagement_services.change_status(engagement=engagement, to_status=Status.COMPLETED, actor=actor)
    EngagementOutcome.objects.create(engagement=engagement, recorded_by=actor, **words)
    return engagement
