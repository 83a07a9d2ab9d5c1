"""The booking page's week view: one week of free times at a time, the suggested time, and why a
week has no times.

The page shows one week (Monday to Sunday in the viewer's time zone), chosen by `?week=` (any
day of it, ISO); by default the week of the suggested time — the due date's week. Navigation is
plain links, so it works without JavaScript.

The suggested time (one prominent button) is the free time nearest the due date, with one rule
about sessions already booked: **no suggestion lies within half the initial interval (7 days with
the default 14) of another session of the engagement still to come**, and when a session is
already booked the target moves on to the due date after it (the cadence's interval after the
booked session). So a mentee who booked Tue 8 Dec is not offered Wed 9 Dec as "the" time.
Every free time stays bookable as a chip; only the suggestion keeps its distance.

Times are offered only within the engagement's dates (from its start date to its planned end);
a week outside them, or one the mentor is away, or one of public holidays, or one fully booked,
says so in words instead of showing nothing.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorship import workdays
from mentorship.cadence import CadenceRules
from mentorship.models import Engagement
from sessions.booking import selectors
from sessions.booking.slots import Slot
from sessions.models import UPCOMING_STATUSES, AvailabilityWindow, MentoringSession, TimeOff

ONE_DAY = datetime.timedelta(days=1)
ONE_WEEK = datetime.timedelta(days=7)


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def parse_week(value: str | None) -> datetime.date | None:
    """The Monday of the week `?week=` names (any ISO day of it), or None when it names none."""
    try:
        return monday_of(datetime.date.fromisoformat((value or "").strip()[:10]))
    except ValueError:
        return None


def engagement_bounds(engagement: Engagement) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants between which the engagement's sessions may lie: from its start date to the
    end of its planned last day, in the mentor's days."""
    zone = zoneinfo.ZoneInfo(engagement.mentor.time_zone)
    first = datetime.datetime.combine(engagement.start_date, datetime.time(0), tzinfo=zone)
    after = datetime.datetime.combine(engagement.planned_end + ONE_DAY, datetime.time(0), tzinfo=zone)
    return first.astimezone(datetime.UTC), after.astimezone(datetime.UTC)


def min_gap(engagement: Engagement) -> datetime.timedelta:
    """How far a suggestion keeps from a session already booked: half the initial interval."""
    return datetime.timedelta(days=max(1, engagement.initial_interval_days // 2))


def booked_starts(engagement: Engagement, *, ignore: MentoringSession | None = None) -> list[datetime.datetime]:
    """The starts of the engagement's sessions still to come (one query)."""
    sessions = MentoringSession.objects.filter(
        engagement=engagement, status__in=UPCOMING_STATUSES, start__gt=timezone.now()
    )
    if ignore is not None:
        sessions = sessions.exclude(pk=ignore.pk)
    return sorted(sessions.values_list("start", flat=True))


def suggestion_target(engagement: Engagement, due_date: datetime.date | None, booked: list) -> datetime.date | None:
    """The day to suggest a time near: the due date, or with a session already booked on or after
    it, the due date after the last one booked (the cadence's interval after it)."""
    if due_date is None or not booked:
        return due_date
    zone = zoneinfo.ZoneInfo(engagement.mentor.time_zone)
    last = booked[-1].astimezone(zone).date()
    if last < due_date:
        return due_date
    return workdays.next_working_day(CadenceRules.of(engagement).due_after(last))


def suggested_slots(
    engagement: Engagement, slots: list[Slot], due_date: datetime.date | None, booked: list, *, count: int = 6
) -> list[Slot]:
    """The free times nearest the target day, none within `min_gap` of a session booked."""
    gap = min_gap(engagement)
    apart = [slot for slot in slots if all(abs(slot.start - start) >= gap for start in booked)]
    return selectors.suggested_slots(apart, suggestion_target(engagement, due_date, booked), count=count)


@dataclass(frozen=True)
class WeekDay:
    day: datetime.date
    slots: list[Slot]
    booked: list[datetime.datetime]  # the engagement's own sessions that day (local starts)
    note: str = ""  # "Public holiday", "Away"


@dataclass
class WeekView:
    monday: datetime.date
    days: list[WeekDay]
    previous: datetime.date | None
    next: datetime.date | None
    this_week: datetime.date
    reasons: list[str] = field(default_factory=list)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    @property
    def has_slots(self) -> bool:
        return any(day.slots for day in self.days)

    @property
    def number(self) -> int:
        return self.monday.isocalendar().week


@dataclass(frozen=True)
class WeekFacts:
    """What the reasons are made of, read in two small queries."""

    time_off: list[tuple[datetime.date, datetime.date]]
    has_windows: bool
    latest: datetime.datetime  # the booking horizon's end
    horizon_weeks: int


def week_facts(engagement: Engagement) -> WeekFacts:
    mentor = engagement.mentor
    settings = selectors.booking_settings_for(mentor)
    today = timezone.localdate()
    time_off = list(
        TimeOff.objects.filter(mentor=mentor, end_date__gte=today - ONE_WEEK)
        .order_by("start_date")
        .values_list("start_date", "end_date")
    )
    return WeekFacts(
        time_off=time_off,
        has_windows=AvailabilityWindow.objects.filter(mentor=mentor).exists(),
        latest=selectors.booking_window(settings).latest,
        horizon_weeks=settings.horizon_weeks,
    )


def choose_week(requested: datetime.date | None, default_day: datetime.date | None, facts: WeekFacts) -> datetime.date:
    """The week to show: the one asked for, else the default day's; never before this week nor
    after the booking horizon's week."""
    this_week = monday_of(timezone.localdate())
    last_week = monday_of(timezone.localtime(facts.latest).date())
    monday = requested or monday_of(default_day or timezone.localdate())
    return min(max(monday, this_week), max(last_week, this_week))


def _short(day: datetime.date) -> str:
    return date_format(day, "j M")


def _away_ranges(facts: WeekFacts, monday: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    sunday = monday + datetime.timedelta(days=6)
    return [(start, end) for start, end in facts.time_off if start <= sunday and monday <= end]


def _reasons(engagement: Engagement, view: WeekView, facts: WeekFacts) -> list[str]:
    """Why a week shows no free time, most telling first."""
    name = engagement.mentor.display_name
    if view.sunday < engagement.start_date:
        return [_("The mentorship starts on %(day)s.") % {"day": date_format(engagement.start_date, "j F Y")}]
    if view.monday > engagement.planned_end:
        return [
            _("The mentorship is planned to end on %(day)s; ask the consultancy to extend it.")
            % {"day": date_format(engagement.planned_end, "j F Y")}
        ]
    if view.monday > timezone.localtime(facts.latest).date():
        return [
            ngettext(
                "Times can be booked up to %(count)d week ahead.",
                "Times can be booked up to %(count)d weeks ahead.",
                facts.horizon_weeks,
            )
            % {"count": facts.horizon_weeks}
        ]
    if not facts.has_windows:
        return [_("%(name)s has not opened any times for booking yet.") % {"name": name}]
    reasons = [
        _("%(name)s is away %(first)s – %(last)s.") % {"name": name, "first": _short(start), "last": _short(end)}
        if start != end
        else _("%(name)s is away on %(day)s.") % {"name": name, "day": _short(start)}
        for start, end in _away_ranges(facts, view.monday)
    ]
    holidays = workdays.holidays_between(view.monday, view.sunday)
    if holidays:
        days = ", ".join(date_format(day, "D j M") for day in holidays)
        reasons.append(
            ngettext("%(days)s is a public holiday.", "%(days)s are public holidays.", len(holidays)) % {"days": days}
        )
    if view.monday == view.this_week:
        reasons.append(_("The rest of this week is taken or too soon to book."))
    elif not reasons:
        reasons.append(_("%(name)s's times this week are all booked.") % {"name": name})
    return reasons


def _day_note(day: datetime.date, away: list[tuple[datetime.date, datetime.date]]) -> str:
    if workdays.is_holiday(day):
        return _("Public holiday")
    if any(start <= day <= end for start, end in away):
        return _("Away")
    return ""


def week_view(
    engagement: Engagement,
    slots: list[Slot],
    monday: datetime.date,
    facts: WeekFacts,
    booked: list[datetime.datetime],
) -> WeekView:
    """The week from `monday`: its seven days in the viewer's zone with their free times."""
    zone = timezone.get_current_timezone()
    this_week = monday_of(timezone.localdate())
    sunday_end = datetime.datetime.combine(monday + ONE_WEEK, datetime.time(0), tzinfo=zone)
    monday_start = datetime.datetime.combine(monday, datetime.time(0), tzinfo=zone)
    by_day: dict[datetime.date, list[Slot]] = {monday + ONE_DAY * offset: [] for offset in range(7)}
    for slot in slots:
        if monday_start <= slot.start < sunday_end:
            by_day[slot.start.astimezone(zone).date()].append(slot)
    booked_by_day: dict[datetime.date, list[datetime.datetime]] = {day: [] for day in by_day}
    for start in booked:
        local = start.astimezone(zone)
        if local.date() in booked_by_day:
            booked_by_day[local.date()].append(local)
    away = _away_ranges(facts, monday)
    last_week = monday_of(timezone.localtime(facts.latest).date())
    view = WeekView(
        monday=monday,
        days=[WeekDay(day, by_day[day], booked_by_day[day], _day_note(day, away)) for day in by_day],
        previous=monday - ONE_WEEK if monday > this_week else None,
        next=monday + ONE_WEEK if monday < last_week else None,
        this_week=this_week,
    )
    if not view.has_slots:
        view.reasons = _reasons(engagement, view, facts)
    return view


def next_free_week(slots: list[Slot], view: WeekView) -> datetime.date | None:
    """The Monday of the first week after the shown one that has a free time, if any."""
    zone = timezone.get_current_timezone()
    after = datetime.datetime.combine(view.monday + ONE_WEEK, datetime.time(0), tzinfo=zone)
    later = next((slot for slot in slots if slot.start >= after), None)
    return monday_of(later.start.astimezone(zone).date()) if later else None
