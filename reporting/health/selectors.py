"""Engagement health for consultancy admins: cadence adherence, overdue engagements, reviews
coming up, mentor utilisation, feedback averages and an at-risk score that explains itself.

Two layers. Pure functions over plain data (dates, numbers, `RiskFacts`) hold the rules and are
fixed by table tests. Selectors (`engagement_health`, `dashboard`) load what the rules need for a
queryset of engagements in a fixed number of queries, whatever the number of engagements and
sessions. Intervals come from the cadence engine (`mentorship.cadence`); nothing here knows how
often a mentorship meets.

Definitions
-----------
Held session
    Completed, or confirmed and already over (as in the reminder sweep: a mentor who has not
    recorded attendance yet still held the session). Days are the mentor's local days.
Cadence adherence
    A held session is *on time* when it falls within the due window of its engagement. The due
    date is `cadence.next_due` anchored on the engagement's previous held session (on its start
    for the first session). The window is the due date ± 7 days when the anchor lies in the
    initial phase (every other week), ± 10 days in the steady phase (monthly). The first session
    has no lower bound: starting early is never late. Adherence is the share of sessions held in
    the last 12 months (by the month they were held in) that were on time.
Overdue
    An active engagement with nothing booked whose next session was due more than 7 days (the
    grace period) ago.
Review coming up
    An active engagement whose planned end is within 30 days, or already past.
Utilisation
    A mentor's active and paused engagements (a paused one keeps its place, as in matching)
    against the capacity on their profile.
Feedback averages
    Mean usefulness and trust of the ratings given for sessions held in the last 12 months.

The at-risk score is the sum of the weights of the signals that apply; see `risk_signals`.
"""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial

from django.db.models import Avg, Count, Exists, F, Max, Min, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from mentorship import access
from mentorship.cadence import CadenceRules, Due, Phase, add_months, next_due
from mentorship.models import Engagement, EngagementStatus, InitiatedBy, IntakeResponse
from reporting.charts import Chart, Series
from sessions.models import HELD_STATUSES, UPCOMING_STATUSES, Feedback, MentoringSession, SessionStatus

INITIAL_TOLERANCE_DAYS = 7
STEADY_TOLERANCE_DAYS = 10
OVERDUE_GRACE_DAYS = 7
REVIEW_WITHIN_DAYS = 30
MISSED_LOOKBACK_DAYS = 90
CHART_MONTHS = 12
LOW_RATING = 2  # a commitment or feedback rating at or below this is low
FEEDBACK_DROP = 1  # the latest two ratings this much below the earlier average is a fall
_INITIAL_TOLERANCE = datetime.timedelta(days=INITIAL_TOLERANCE_DAYS)
_STEADY_TOLERANCE = datetime.timedelta(days=STEADY_TOLERANCE_DAYS)

# A held session: completed, or confirmed and over — always combine with Q(end__lte=now).
# The same definitions as the booking page and the reminder sweep (sessions/models.py).
HELD = Q(status__in=HELD_STATUSES)
BOOKED = UPCOMING_STATUSES


# Adherence, overdue, utilisation: pure rules ---------------------------------------------------


Window = tuple[datetime.date | None, datetime.date]


def due_windows(rules: CadenceRules) -> Callable[[datetime.date | None], Window]:
    """`due_window` for one engagement's rules, with what depends only on the rules worked out
    once: adherence asks for the window of every held session of every engagement."""
    start_date, steady_from, due_after = rules.start_date, rules.steady_from, rules.due_after

    def window(previous: datetime.date | None) -> Window:
        anchor = previous or start_date
        # `due_after` is `cadence.next_due` without its status check: adherence looks back at
        # finished engagements too.
        due_date = due_after(anchor)
        tolerance = _INITIAL_TOLERANCE if anchor < steady_from else _STEADY_TOLERANCE
        return (None if previous is None else due_date - tolerance), due_date + tolerance

    return window


def due_window(rules: CadenceRules, previous: datetime.date | None) -> Window:
    """The first and last day on which the session after `previous` (a held session's day, or None
    for the first session) counts as on time. The first day is None for the first session."""
    return due_windows(rules)(previous)


def held_on_time(rules: CadenceRules, previous: datetime.date | None, held: datetime.date) -> bool:
    earliest, latest = due_window(rules, previous)
    return (earliest is None or earliest <= held) and held <= latest


def adherence_of(
    rules: CadenceRules, held_days: Iterable[datetime.date], *, since: datetime.date | None = None
) -> list[tuple[datetime.date, bool]]:
    """(day, on time?) for each held session of one engagement from `since` on. Every held session,
    also those before `since`, anchors the next one."""
    window = due_windows(rules)
    out: list[tuple[datetime.date, bool]] = []
    previous: datetime.date | None = None
    for day in sorted(held_days):
        if since is None or day >= since:
            earliest, latest = window(previous)
            out.append((day, (earliest is None or earliest <= day) and day <= latest))
        previous = day
    return out


def overdue_days(due: Due | None, today: datetime.date) -> int | None:
    """Days since the due date for an engagement with nothing booked, once the grace period is
    over; None when it is not overdue (or not active)."""
    if due is None or due.is_booked:
        return None
    late = (today - due.due_date).days
    return late if late > OVERDUE_GRACE_DAYS else None


def utilisation_share(load: int, capacity: int | None) -> float | None:
    """Load as a share of capacity (1.0 = full); None without a capacity to compare with."""
    if not capacity:
        return None
    return load / capacity


# At-risk score: pure rules ----------------------------------------------------------------------


class Weight:
    """What each signal adds to the at-risk score."""

    MANAGER_INITIATED = 2
    LOW_COMMITMENT = 2
    MISSED_PER_SESSION = 1  # per no-show or late cancellation by the mentee side …
    MISSED_CAP = 3  # … up to this many
    OVERDUE = 3
    FALLING_FEEDBACK = 2
    NEVER_BOOKS = 1


SIGNAL_LABELS = {
    "manager_initiated": gettext_lazy("Initiated by a manager"),
    "low_commitment": gettext_lazy("Low commitment at intake"),
    "missed_sessions": gettext_lazy("No-shows and late cancellations"),
    "overdue": gettext_lazy("Due with nothing booked"),
    "falling_feedback": gettext_lazy("Falling feedback"),
    "never_books": gettext_lazy("Never books their own sessions"),
}


@dataclass(frozen=True)
class RiskFacts:
    """What the at-risk score looks at, for one engagement, as plain data."""

    is_team: bool = False
    initiated_by: str = InitiatedBy.MENTEE
    commitments: tuple[int, ...] = ()  # intake answers, one per mentee who answered
    no_shows: int = 0  # in the last MISSED_LOOKBACK_DAYS
    late_cancellations: int = 0  # by the mentee side, in the last MISSED_LOOKBACK_DAYS
    overdue_days: int | None = None
    ratings: tuple[tuple[int, int], ...] = ()  # (usefulness, trust), oldest session first
    sessions: int = 0  # every session, whatever its status
    booked_by_mentee: int = 0


@dataclass(frozen=True)
class Signal:
    code: str
    weight: int
    explain: Callable[[], str] = field(repr=False, compare=False)  # words `reason`

    @property
    def label(self) -> str:
        return str(SIGNAL_LABELS[self.code])

    @cached_property
    def reason(self) -> str:
        """Why the signal applies, in plain words in the active language. Worked out when first
        asked for: the dashboard scores every active engagement but explains only the few it lists."""
        return self.explain()


def _number(value: float) -> str:
    return formats.number_format(value, decimal_pos=1)


def _mean(values: Sequence[int]) -> float:
    # Whole numbers: as `statistics.mean` (both round the exact quotient once), much cheaper.
    return sum(values) / len(values)


def _fell(recent: Sequence[int], earlier: Sequence[int]) -> bool:
    """mean(recent) <= mean(earlier) - FEEDBACK_DROP, in whole numbers: exact like
    `statistics.mean`, without its cost (the dashboard asks this for every active engagement)."""
    return sum(recent) * len(earlier) <= (sum(earlier) - FEEDBACK_DROP * len(earlier)) * len(recent)


_RATING_NAMES = {0: gettext_lazy("usefulness"), 1: gettext_lazy("trust")}


# (which rating: 0 usefulness, 1 trust; the latest two; the earlier ones, or None for a low rating)
FeedbackFinding = tuple[int, list[int], list[int] | None]


def _feedback_findings(ratings: Sequence[tuple[int, int]]) -> list[FeedbackFinding]:
    latest, earlier = ratings[-2:], ratings[:-2]
    findings: list[FeedbackFinding] = []
    for index in _RATING_NAMES:
        recent = [rating[index] for rating in latest]
        before = [rating[index] for rating in earlier]
        if before and _fell(recent, before):
            findings.append((index, recent, before))
        elif min(recent) <= LOW_RATING:
            findings.append((index, recent, None))
    return findings


def _feedback_reasons(findings: Sequence[FeedbackFinding]) -> str:
    reasons = []
    for index, recent, before in findings:
        name = _RATING_NAMES[index]
        if before is not None:
            reasons.append(
                _("%(what)s fell to %(recent)s on the latest ratings from %(earlier)s before.")
                % {"what": name.capitalize(), "recent": _number(_mean(recent)), "earlier": _number(_mean(before))}
            )
        else:
            reasons.append(
                _("A recent %(what)s rating was %(rating)d of 5.") % {"what": str(name), "rating": min(recent)}
            )
    return " ".join(reasons)


def _manager_reason() -> str:
    return _("Their manager asked for this mentorship, not the mentee themselves.")


def _low_commitment_reason(is_team: bool, low: list[int], answers: int) -> str:
    if is_team:
        return ngettext(
            "%(low)d of %(total)d team members rated their own commitment 2 or lower at intake.",
            "%(low)d of %(total)d team members rated their own commitment 2 or lower at intake.",
            len(low),
        ) % {"low": len(low), "total": answers}
    return _("The mentee rated their own commitment %(rating)d of 5 at intake.") % {"rating": min(low)}


def _missed_reason(no_shows: int, late: int) -> str:
    parts = []
    if no_shows:
        parts.append(ngettext("%(count)d no-show", "%(count)d no-shows", no_shows) % {"count": no_shows})
    if late:
        parts.append(ngettext("%(count)d late cancellation", "%(count)d late cancellations", late) % {"count": late})
    what = parts[0] if len(parts) == 1 else _("%(no_shows)s and %(late)s") % {"no_shows": parts[0], "late": parts[1]}
    return _("%(what)s by the mentee side in the last %(days)d days.") % {"what": what, "days": MISSED_LOOKBACK_DAYS}


def _overdue_reason(days: int) -> str:
    return ngettext(
        "Nothing is booked, and the next session was due %(days)d day ago.",
        "Nothing is booked, and the next session was due %(days)d days ago.",
        days,
    ) % {"days": days}


def _never_books_reason(sessions: int) -> str:
    return ngettext(
        "The mentee booked none of the %(count)d session themselves.",
        "The mentee booked none of the %(count)d sessions themselves.",
        sessions,
    ) % {"count": sessions}


def risk_signals(facts: RiskFacts) -> list[Signal]:
    """The signals that apply to an engagement, each with its weight and a reason in plain words.

    - Initiated by a manager rather than the mentee (a leadership team's own decision is not a
      signal): +2.
    - Low commitment at intake: any answer of 2 or less on the 1–5 scale (for a team, one member
      at 2 is enough — a team's mean hides the one who is not on board): +2.
    - No-shows and late cancellations by the mentee side in the last 90 days: +1 each, at most +3.
    - Due with nothing booked (overdue, see `overdue_days`): +3.
    - Falling feedback: the latest two ratings' average is 1 or more below the earlier average,
      or one of the latest two is 2 or less, for usefulness or trust (each team member's rating
      counts as one rating): +2.
    - A mentee who never books their own sessions: an individual engagement with 2 or more
      sessions, none of them booked by the mentee: +1.
    """
    # Each reason is worded only when shown (see `Signal.reason`).
    signals: list[Signal] = []
    if facts.initiated_by == InitiatedBy.MANAGER:
        signals.append(Signal("manager_initiated", Weight.MANAGER_INITIATED, _manager_reason))
    low = [value for value in facts.commitments if value <= LOW_RATING]
    if low:
        reason = partial(_low_commitment_reason, facts.is_team, low, len(facts.commitments))
        signals.append(Signal("low_commitment", Weight.LOW_COMMITMENT, reason))
    missed = facts.no_shows + facts.late_cancellations
    if missed:
        weight = min(missed, Weight.MISSED_CAP) * Weight.MISSED_PER_SESSION
        reason = partial(_missed_reason, facts.no_shows, facts.late_cancellations)
        signals.append(Signal("missed_sessions", weight, reason))
    if facts.overdue_days is not None:
        signals.append(Signal("overdue", Weight.OVERDUE, partial(_overdue_reason, facts.overdue_days)))
    if facts.ratings and (findings := _feedback_findings(facts.ratings)):
        signals.append(Signal("falling_feedback", Weight.FALLING_FEEDBACK, partial(_feedback_reasons, findings)))
    if not facts.is_team and facts.sessions >= 2 and facts.booked_by_mentee == 0:
        signals.append(Signal("never_books", Weight.NEVER_BOOKS, partial(_never_books_reason, facts.sessions)))
    return signals


def risk_level(score: int) -> str:
    """ "high" from 5, "medium" from 3, "low" from 1, "" for no risk."""
    if score >= 5:
        return "high"
    if score >= 3:
        return "medium"
    return "low" if score > 0 else ""


RISK_LEVEL_LABELS = {
    "high": gettext_lazy("High risk"),
    "medium": gettext_lazy("Some risk"),
    "low": gettext_lazy("Low risk"),
}


# Selectors -----------------------------------------------------------------------------------


def _local_day(instant: datetime.datetime | None, zone_name: str) -> datetime.date | None:
    return instant.astimezone(zoneinfo.ZoneInfo(zone_name)).date() if instant else None


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


def engagement_health(
    engagements: QuerySet[Engagement], *, now: datetime.datetime | None = None
) -> list[EngagementHealth]:
    """The active engagements among `engagements` (already scoped by `access`), each with its
    cadence state and risk signals, in four queries whatever their number."""
    now = now or timezone.now()
    active = engagements.filter(status=EngagementStatus.ACTIVE, mentor__isnull=False).order_by()
    active_ids = active.values("pk")
    rows = list(active.select_related("organisation", "mentee", "team", "mentor"))
    lookback = now - datetime.timedelta(days=MISSED_LOOKBACK_DAYS)
    late_by_mentee_side = (
        Q(status=SessionStatus.CANCELLED, late_cancellation=True, start__gte=lookback)
        # The mentor's own late cancellations do not count; one the mentor records once the
        # session has started (attendance: "cancelled late") does: the mentee side called it off.
        & (Q(cancelled_by__isnull=True) | ~Q(cancelled_by=F("mentor")) | Q(cancelled_at__gte=F("start")))
    )
    stats = {
        row["engagement_id"]: row
        for row in MentoringSession.objects.filter(engagement__in=active_ids)
        .order_by()
        .values("engagement_id")
        .annotate(
            last_held=Max("start", filter=HELD & Q(end__lte=now)),
            next_booked=Min("start", filter=Q(status__in=BOOKED, start__gt=now)),
            no_shows=Count("pk", filter=Q(status=SessionStatus.NO_SHOW, start__gte=lookback, start__lte=now)),
            late_cancellations=Count("pk", filter=late_by_mentee_side),
            sessions=Count("pk"),
            booked_by_mentee=Count("pk", filter=Q(booked_by=F("mentee"))),
        )
    }
    commitments: dict[int, list[int]] = defaultdict(list)
    for engagement_id, commitment in IntakeResponse.objects.filter(engagement__in=active_ids).values_list(
        "engagement_id", "commitment"
    ):
        commitments[engagement_id].append(commitment)
    ratings: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for engagement_id, usefulness, trust in (
        Feedback.objects.filter(session__engagement__in=active_ids)
        .order_by("session__start", "created_at", "pk")
        .values_list("session__engagement_id", "usefulness", "trust")
    ):
        ratings[engagement_id].append((usefulness, trust))

    todays: dict[str, datetime.date] = {}  # by the mentor's time zone: a few zones, many engagements
    out = []
    for engagement in rows:
        zone = engagement.mentor.time_zone
        if zone not in todays:
            todays[zone] = _local_day(now, zone)
        today = todays[zone]
        row = stats.get(engagement.pk, {})
        rules = CadenceRules.of(engagement)
        last_held = _local_day(row.get("last_held"), zone)
        next_booked = _local_day(row.get("next_booked"), zone)
        due = next_due(rules, last_held=last_held, next_booked=next_booked, today=today)
        late = overdue_days(due, today)
        facts = RiskFacts(
            is_team=engagement.is_team,
            initiated_by=engagement.initiated_by,
            commitments=tuple(commitments.get(engagement.pk, ())),
            no_shows=row.get("no_shows", 0),
            late_cancellations=row.get("late_cancellations", 0),
            overdue_days=late,
            ratings=tuple(ratings.get(engagement.pk, ())),
            sessions=row.get("sessions", 0),
            booked_by_mentee=row.get("booked_by_mentee", 0),
        )
        out.append(
            EngagementHealth(
                engagement=engagement,
                today=today,
                phase=rules.phase_on(today),
                due=due,
                last_held=last_held,
                next_booked=next_booked,
                overdue_days=late,
                signals=risk_signals(facts),
            )
        )
    return out


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
    held_recently = MentoringSession.objects.filter(HELD, engagement=OuterRef("pk"), end__lte=now, end__gte=since)
    in_scope = engagements.filter(Exists(held_recently)).order_by().values("pk")
    rows = (
        MentoringSession.objects.filter(HELD, engagement__in=in_scope, end__lte=now)
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
            held=Count("pk", filter=HELD & Q(end__lte=now)),
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


# Charts ----------------------------------------------------------------------------------------


def _month_labels(months: list[datetime.date]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    short = tuple(formats.date_format(month, "M") for month in months)
    long = tuple(formats.date_format(month, "YEAR_MONTH_FORMAT") for month in months)
    return short, long


def dashboard_charts(data: Dashboard) -> list[Chart]:
    """The dashboard's three charts: sessions per month, adherence per month, utilisation."""
    short, long = _month_labels(data.months)
    first, last = long[0], long[-1]
    held = sum(month.first for month in data.sessions_by_month)
    missed = sum(month.second for month in data.sessions_by_month)
    sessions = Chart(
        id="chart-sessions",
        kind="columns",
        title=_("Sessions per month"),
        description=_("%(held)d held and %(missed)d cancelled or no-show from %(first)s to %(last)s.")
        % {"held": held, "missed": missed, "first": first, "last": last},
        category_header=_("Month"),
        categories=short,
        category_names=long,
        series=(
            Series(_("Held"), tuple(month.first for month in data.sessions_by_month)),
            Series(_("Cancelled or no-show"), tuple(month.second for month in data.sessions_by_month)),
        ),
    )
    share = data.adherence
    adherence = Chart(
        id="chart-adherence",
        kind="line",
        title=_("Cadence adherence per month"),
        description=(
            _("%(share)s of %(held)d sessions held from %(first)s to %(last)s were held on time.")
            % {"share": _percent(share), "held": data.held, "first": first, "last": last}
            if share is not None
            else _("No sessions held from %(first)s to %(last)s.") % {"first": first, "last": last}
        ),
        category_header=_("Month"),
        categories=short,
        category_names=long,
        series=(
            Series(_("Held on time"), tuple(month.share for month in data.adherence_by_month), fmt="percent"),
            Series(_("Sessions held"), tuple(month.first for month in data.adherence_by_month), drawn=False),
            Series(_("Of these on time"), tuple(month.second for month in data.adherence_by_month), drawn=False),
        ),
        y_max=1.0,
    )
    over = sum(1 for row in data.utilisation if row.over_capacity)
    utilisation = Chart(
        id="chart-utilisation",
        kind="bars",
        title=_("Mentor utilisation"),
        description=ngettext(
            "Active and paused engagements against capacity for %(count)d mentor; %(over)d over capacity.",
            "Active and paused engagements against capacity for %(count)d mentors; %(over)d over capacity.",
            len(data.utilisation),
        )
        % {"count": len(data.utilisation), "over": over},
        category_header=_("Mentor"),
        categories=tuple(row.mentor.display_name for row in data.utilisation),
        category_names=tuple(row.mentor.display_name for row in data.utilisation),
        series=(
            Series(_("Engagements (active and paused)"), tuple(row.load for row in data.utilisation)),
            Series(_("Capacity"), tuple(row.capacity for row in data.utilisation), marker=True),
            Series(_("Active"), tuple(row.active for row in data.utilisation), drawn=False),
            Series(_("Paused"), tuple(row.paused for row in data.utilisation), drawn=False),
            Series(_("Utilisation"), tuple(row.share for row in data.utilisation), fmt="percent", drawn=False),
        ),
    )
    return [sessions, adherence, utilisation]


def _percent(share: float | None) -> str:
    if share is None:
        return "—"
    return _("%(percent)s%%") % {"percent": formats.number_format(round(share * 100))}
