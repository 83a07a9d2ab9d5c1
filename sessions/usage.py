"""How much of a contract is used, derived from the sessions of the engagements that draw on it,
never typed in.

A session uses up the contract when it starts within the contract's period (whole days in the
consultancy's time zone) and it was held (`held_condition`), or cancelled late and the contract
bills late cancellations, or a no-show and the contract bills no-shows. A session cancelled in
time never counts. A leadership team's session is one row, so it counts once, not once per
member. Hours come from each session's own length.

Upcoming sessions (booked, not over) are counted apart as "booked": the package guard at booking
(sessions.booking.services) counts them too, so a package cannot be overbooked ahead.

Only counts and hours come out of here: nothing about notes, reflections or feedback, and no
money (billing multiplies by the price; only admins see it).
"""

import dataclasses
import datetime
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from mentorship.access import is_consultancy_admin, is_engagement_mentee, is_engagement_mentor
from mentorship.models import Contract, ContractUnit, Engagement
from sessions.models import MentoringSession, SessionStatus, held_condition, upcoming_condition

# The consultancy's own time zone: contract periods and billing months are its calendar days.
CONSULTANCY_TIME_ZONE = zoneinfo.ZoneInfo("Europe/Stockholm")

HOUR = Decimal(3600)
TWO_PLACES = Decimal("0.01")


def consultancy_today(now: datetime.datetime | None = None) -> datetime.date:
    """Today in the consultancy's time zone (not the server's UTC date, which differs near midnight)."""
    return (now or timezone.now()).astimezone(CONSULTANCY_TIME_ZONE).date()


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The start of `day` in the consultancy's time zone (an aware datetime; DST-safe)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=CONSULTANCY_TIME_ZONE)


def hours_of(duration: datetime.timedelta | None) -> Decimal:
    """A duration as Decimal hours to two places (1 h 30 min → 1.50)."""
    if not duration:
        return Decimal("0.00")
    return (Decimal(int(duration.total_seconds())) / HOUR).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def session_hours(engagement: Engagement) -> Decimal:
    """The hours a new session of the engagement takes (its session length)."""
    return hours_of(datetime.timedelta(minutes=engagement.session_minutes))


def plain(number: Decimal | None) -> Decimal | None:
    """A number as people write it: 17.50 → 17.5, 24.00 → 24 (the template localises the comma)."""
    if number is None:
        return None
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def late_cancellation_condition(prefix: str = "") -> Q:
    """Cancelled later than the cut-off (by the mentee or mentor, or recorded so afterwards)."""
    return Q(**{f"{prefix}status": SessionStatus.CANCELLED, f"{prefix}late_cancellation": True})


def no_show_condition(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": SessionStatus.NO_SHOW})


def counted_condition(contract: Contract, now: datetime.datetime, prefix: str = "") -> Q:
    """Sessions that use up `contract`: held, and late cancellations and no-shows when the
    contract says they are billable."""
    condition = held_condition(now, prefix)
    if contract.late_cancellation_billable:
        condition |= late_cancellation_condition(prefix)
    if contract.no_show_billable:
        condition |= no_show_condition(prefix)
    return condition


def sessions_of_contract(contract: Contract) -> QuerySet[MentoringSession]:
    """Every session (any status) of the engagements drawing on the contract that starts within
    its period."""
    return MentoringSession.objects.filter(
        engagement__contract=contract,
        start__gte=local_midnight(contract.start_date),
        start__lt=local_midnight(contract.end_date + datetime.timedelta(days=1)),
    )


_DURATION = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())


@dataclasses.dataclass(frozen=True)
class Usage:
    """How much of a contract is used (counted sessions) and booked ahead (upcoming ones)."""

    unit: str
    quantity: Decimal | None
    used_sessions: int = 0
    used_hours: Decimal = Decimal("0.00")
    booked_sessions: int = 0
    booked_hours: Decimal = Decimal("0.00")

    @property
    def by_hours(self) -> bool:
        return self.unit == ContractUnit.HOURS

    @property
    def has_package(self) -> bool:
        return self.unit != ContractUnit.FIXED_FEE and self.quantity is not None

    @property
    def shown(self) -> dict[str, Decimal | None]:
        """The numbers as the pages write them (no trailing zeros)."""
        return {
            "used_hours": plain(self.used_hours),
            "booked_hours": plain(self.booked_hours),
            "quantity": plain(self.quantity),
        }

    @property
    def used(self) -> Decimal:
        """Used, in the contract's unit (sessions or hours)."""
        return self.used_hours if self.by_hours else Decimal(self.used_sessions)

    @property
    def booked(self) -> Decimal:
        return self.booked_hours if self.by_hours else Decimal(self.booked_sessions)

    @property
    def committed(self) -> Decimal:
        """Used and booked ahead: what the package guard compares with the package."""
        return self.used + self.booked

    @property
    def left(self) -> Decimal | None:
        """What is left to book, never below zero; None without a package."""
        if not self.has_package:
            return None
        return max(self.quantity - self.committed, Decimal(0))

    @property
    def percent_used(self) -> int | None:
        """Whole percent of the package used (held and billable); None without a package."""
        if not self.has_package:
            return None
        return int(self.used * 100 // self.quantity)

    @property
    def next_session_number(self) -> int:
        """The number the next booked session gets: "session 6 of 12"."""
        return self.used_sessions + self.booked_sessions + 1

    def room_for(self, hours: Decimal) -> bool:
        """Whether one more session of `hours` fits in the package (always, without one)."""
        if not self.has_package:
            return True
        extra = hours if self.by_hours else Decimal(1)
        return self.committed + extra <= self.quantity


def usage_of(contract: Contract, *, now: datetime.datetime | None = None) -> Usage:
    """The contract's usage, in one aggregate query."""
    now = now or timezone.now()
    counted, upcoming = counted_condition(contract, now), upcoming_condition(now)
    totals = sessions_of_contract(contract).aggregate(
        used_sessions=Count("pk", filter=counted),
        used_duration=Sum(_DURATION, filter=counted),
        booked_sessions=Count("pk", filter=upcoming),
        booked_duration=Sum(_DURATION, filter=upcoming),
    )
    return Usage(
        unit=contract.unit,
        quantity=contract.quantity,
        used_sessions=totals["used_sessions"],
        used_hours=hours_of(totals["used_duration"]),
        booked_sessions=totals["booked_sessions"],
        booked_hours=hours_of(totals["booked_duration"]),
    )


def may_see_usage(user: User, engagement: Engagement) -> bool:
    """Admins, the engagement's mentor and its mentee(s) see how much of its package is used;
    nobody else does (and nobody but admins sees the contract behind it)."""
    return (
        is_consultancy_admin(user) or is_engagement_mentor(user, engagement) or is_engagement_mentee(user, engagement)
    )


def usage_for(user: User, engagement: Engagement) -> Usage | None:
    """The usage of the contract the engagement draws on, if it has one and the user may see it."""
    if engagement.contract_id is None or not may_see_usage(user, engagement):
        return None
    return usage_of(engagement.contract)


def session_number(session: MentoringSession, *, now: datetime.datetime | None = None) -> int | None:
    """Which session of its contract's package this one is ("session 5 of 12"): its place among
    the contract's counted and upcoming sessions, by start. None when the session does not count
    (cancelled in time, or not billable) or its engagement draws on no contract."""
    contract = session.engagement.contract
    if contract is None:
        return None
    now = now or timezone.now()
    counting = sessions_of_contract(contract).filter(counted_condition(contract, now) | upcoming_condition(now))
    if not counting.filter(pk=session.pk).exists():
        return None
    return counting.filter(Q(start__lt=session.start) | Q(start=session.start, pk__lte=session.pk)).count()


def usage_by_contract(contracts: list[Contract], *, now: datetime.datetime | None = None) -> dict[int, Usage]:
    """`usage_of` for many contracts in one grouped query (each contract's own terms and period
    applied in SQL), by contract id. Contracts without sessions get an empty Usage."""
    now = now or timezone.now()
    by_id = {contract.pk: contract for contract in contracts}
    counted = (
        held_condition(now)
        | (late_cancellation_condition() & Q(engagement__contract__late_cancellation_billable=True))
        | (no_show_condition() & Q(engagement__contract__no_show_billable=True))
    )
    upcoming = upcoming_condition(now)
    rows = (
        MentoringSession.objects.filter(engagement__contract__in=list(by_id))
        .annotate(local_day=TruncDate("start", tzinfo=CONSULTANCY_TIME_ZONE))
        .filter(
            local_day__gte=F("engagement__contract__start_date"), local_day__lte=F("engagement__contract__end_date")
        )
        .values("engagement__contract")
        .annotate(
            used_sessions=Count("pk", filter=counted),
            used_duration=Sum(_DURATION, filter=counted),
            booked_sessions=Count("pk", filter=upcoming),
            booked_duration=Sum(_DURATION, filter=upcoming),
        )
        .order_by()
    )
    result = {pk: Usage(unit=contract.unit, quantity=contract.quantity) for pk, contract in by_id.items()}
    for row in rows:
        contract = by_id[row["engagement__contract"]]
        result[contract.pk] = Usage(
            unit=contract.unit,
            quantity=contract.quantity,
            used_sessions=row["used_sessions"],
            used_hours=hours_of(row["used_duration"]),
            booked_sessions=row["booked_sessions"],
            booked_hours=hours_of(row["booked_duration"]),
        )
    return result


# Alerts: admins and the mentors of a contract's engagements hear when its package is three
# quarters used, when it is used up, and a month before it ends (sessions.reminders sends them).

USAGE_ALERT_PERCENTS = (75, 100)


@dataclasses.dataclass(frozen=True)
class ContractAlert:
    contract: Contract
    usage: Usage
    percent_reached: int | None  # the highest of USAGE_ALERT_PERCENTS reached, if any
    ends_soon: bool  # its last day is within CONTRACT_END_ALERT_DAYS_BEFORE days

    @property
    def days_left(self) -> int:
        return (self.contract.end_date - consultancy_today()).days


def contract_alerts(*, now: datetime.datetime | None = None, contract_id: int | None = None) -> list[ContractAlert]:
    """Open contracts that need attention now: their package is at least 75 % used, or they end
    within CONTRACT_END_ALERT_DAYS_BEFORE days. Contracts past their last day are left out (the
    billing run deals with them). Two queries whatever the number of contracts."""
    now = now or timezone.now()
    today = consultancy_today(now)
    end_soon = today + datetime.timedelta(days=settings.CONTRACT_END_ALERT_DAYS_BEFORE)
    contracts = Contract.objects.filter(status=Contract.Status.OPEN, end_date__gte=today).select_related("organisation")
    if contract_id is not None:
        contracts = contracts.filter(pk=contract_id)
    candidates = list(contracts.filter(~Q(unit=ContractUnit.FIXED_FEE) | Q(end_date__lte=end_soon)))
    usages = usage_by_contract(candidates, now=now)
    alerts = []
    for contract in candidates:
        used = usages[contract.pk]
        percent = used.percent_used
        reached = max((p for p in USAGE_ALERT_PERCENTS if percent is not None and percent >= p), default=None)
        ends_soon = contract.end_date <= end_soon
        if reached is not None or ends_soon:
            alerts.append(ContractAlert(contract, used, reached, ends_soon))
    return alerts
