"""Working days: the days the consultancy works, the one rule slots and due dates consult.

A day is not worked when it is a public holiday of the consultancy's country (`HOLIDAY_COUNTRY`,
Sweden unless told, from the `holidays` library; with its "de_facto" category Sweden's julafton,
midsommarafton and nyårsafton count too), when it falls in the summer pause (`SUMMER_PAUSE`,
July unless told), or on a weekend.

- Free slots leave out holidays (the mentor's weekly windows decide about weekends, and a
  mentee may still meet in the summer pause if the mentor offers times then).
- A due date that falls on a day that is not worked moves to the next working day
  (`next_working_day`), so a due date in the summer pause moves past it.
- Nobody is counted overdue or nudged during the summer pause (`in_summer_pause`).
"""

import datetime
import functools

import holidays
from django.conf import settings

ONE_DAY = datetime.timedelta(days=1)


@functools.cache
def _holidays(country: str, categories: tuple[str, ...], year: int) -> dict[datetime.date, str]:
    """The country's holidays of one year, in the categories it has among those asked for."""
    supported = holidays.country_holidays(country).supported_categories
    wanted = tuple(category for category in categories if category in supported) or ("public",)
    return dict(holidays.country_holidays(country, years=year, categories=wanted, language="en_US"))


def holiday_name(day: datetime.date) -> str | None:
    """The holiday's English name (for logs and tests), or None on an ordinary day."""
    return _holidays(settings.HOLIDAY_COUNTRY, tuple(settings.HOLIDAY_CATEGORIES), day.year).get(day)


def is_holiday(day: datetime.date) -> bool:
    return holiday_name(day) is not None


def holidays_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every holiday from `first` to `last`, both included, in order."""
    return sorted(
        day
        for year in range(first.year, last.year + 1)
        for day in _holidays(settings.HOLIDAY_COUNTRY, tuple(settings.HOLIDAY_CATEGORIES), year)
        if first <= day <= last
    )


def in_summer_pause(day: datetime.date) -> bool:
    pause = settings.SUMMER_PAUSE
    if pause is None:
        return False
    first, last = pause
    month_day = (day.month, day.day)
    if first <= last:
        return first <= month_day <= last
    return month_day >= first or month_day <= last  # a pause across the new year


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not is_holiday(day) and not in_summer_pause(day)


def next_working_day(day: datetime.date) -> datetime.date:
    """`day` itself on an ordinary weekday; else the first working day after it. A Saturday or a
    Sunday that is neither a holiday nor in the pause stays (the cadence has always allowed a
    weekend due date; only holidays and the pause move it)."""
    if not is_holiday(day) and not in_summer_pause(day):
        return day
    while not is_working_day(day):
        day += ONE_DAY
    return day


def pause_changes_after(day: datetime.date) -> list[datetime.date]:
    """The next days after `day` on which the summer pause begins or ends (its first day and the
    day after its last), for the stored health to know when time alone changes its answer."""
    pause = settings.SUMMER_PAUSE
    if pause is None:
        return []
    (first_month, first_day), (last_month, last_day) = pause
    changes = []
    for year in (day.year, day.year + 1):
        begins = _valid_date(year, first_month, first_day)
        ends = _valid_date(year, last_month, last_day) + ONE_DAY
        changes += [change for change in (begins, ends) if change > day]
    return sorted(changes)[:2]


def _valid_date(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:  # 29 February in a common year
        return datetime.date(year, month, day - 1)
