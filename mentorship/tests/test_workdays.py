"""Working days: Sweden's public holidays and eves (julafton, nyårsafton, midsommarafton) from the
`holidays` library, the summer pause, and where a due date that falls on them moves."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from mentorship import workdays
from mentorship.product_settings import _summer_pause

D = datetime.date


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (D(2026, 12, 23), None),
        (D(2026, 12, 24), "Christmas Eve"),  # julafton
        (D(2026, 12, 25), "Christmas Day"),
        (D(2026, 12, 26), "Second Day of Christmas"),
        (D(2026, 12, 28), None),
        (D(2026, 12, 31), "New Year's Eve"),  # nyårsafton
        (D(2027, 1, 1), "New Year's Day"),
        (D(2027, 1, 6), "Epiphany"),
        (D(2027, 1, 7), None),
        (D(2027, 6, 25), "Midsummer Eve"),  # midsommarafton 2027 is a Friday
        (D(2027, 6, 26), "Midsummer Day"),
        (D(2027, 6, 24), None),  # only "from 2 pm" the day before: a working day
    ],
)
def test_swedish_holidays_and_eves(day, holiday):
    assert workdays.holiday_name(day) == holiday
    assert workdays.is_holiday(day) is (holiday is not None)
    if holiday is not None:
        assert not workdays.is_working_day(day)


@pytest.mark.parametrize(
    ("due", "moved_to"),
    [
        (D(2026, 12, 22), D(2026, 12, 22)),  # an ordinary Tuesday stays
        (D(2026, 12, 24), D(2026, 12, 28)),  # julafton → past Christmas and the weekend, to Monday
        (D(2026, 12, 26), D(2026, 12, 28)),
        (D(2026, 12, 31), D(2027, 1, 4)),  # nyårsafton → past New Year's Day and the weekend
        (D(2027, 1, 1), D(2027, 1, 4)),
        (D(2027, 1, 6), D(2027, 1, 7)),  # Epiphany → Thursday
        (D(2027, 6, 25), D(2027, 6, 28)),  # midsommarafton → Monday
        (D(2027, 1, 9), D(2027, 1, 9)),  # a plain Saturday stays: only holidays and the pause move
        (D(2027, 7, 1), D(2027, 8, 2)),  # the July pause → its first working day after
        (D(2027, 7, 31), D(2027, 8, 2)),
        (D(2027, 6, 30), D(2027, 6, 30)),
        (D(2027, 8, 1), D(2027, 8, 1)),  # a Sunday after the pause stays
    ],
)
def test_a_due_date_on_a_holiday_or_in_the_pause_moves_to_the_next_working_day(due, moved_to):
    assert workdays.next_working_day(due) == moved_to


def test_the_summer_pause_is_july_by_default():
    assert not workdays.in_summer_pause(D(2027, 6, 30))
    assert all(workdays.in_summer_pause(D(2027, 7, day)) for day in range(1, 32))
    assert not workdays.in_summer_pause(D(2027, 8, 1))
    assert workdays.pause_changes_after(D(2027, 5, 1)) == [D(2027, 7, 1), D(2027, 8, 1)]
    assert workdays.pause_changes_after(D(2027, 7, 1)) == [D(2027, 8, 1), D(2028, 7, 1)]


@override_settings(SUMMER_PAUSE=None)
def test_without_a_summer_pause_july_is_ordinary():
    assert not workdays.in_summer_pause(D(2027, 7, 15))
    assert workdays.next_working_day(D(2027, 7, 15)) == D(2027, 7, 15)
    assert workdays.pause_changes_after(D(2027, 7, 15)) == []


@override_settings(SUMMER_PAUSE=((12, 20), (1, 6)))
def test_a_pause_may_run_across_the_new_year():
    assert workdays.in_summer_pause(D(2026, 12, 20))
    assert workdays.in_summer_pause(D(2027, 1, 6))
    assert not workdays.in_summer_pause(D(2027, 1, 7))
    assert workdays.next_working_day(D(2026, 12, 21)) == D(2027, 1, 7)


@override_settings(HOLIDAY_COUNTRY="NO")
def test_the_country_is_a_setting():
    assert "Constitution Day" in workdays.holiday_name(D(2027, 5, 17))  # Norway's, not Sweden's
    assert not workdays.is_holiday(D(2027, 6, 6))  # Sweden's National Day


def test_holidays_between_lists_them_in_order_across_years():
    assert workdays.holidays_between(D(2026, 12, 20), D(2027, 1, 10)) == [
        D(2026, 12, 24),
        D(2026, 12, 25),
        D(2026, 12, 26),
        D(2026, 12, 31),
        D(2027, 1, 1),
        D(2027, 1, 6),
    ]


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [("07-01/07-31", ((7, 1), (7, 31))), ("", None), (" ", None), ("12-20/01-06", ((12, 20), (1, 6)))],
)
def test_the_summer_pause_setting_is_read(raw, parsed):
    assert _summer_pause(raw) == parsed


@pytest.mark.parametrize("raw", ["July", "07-01", "07-01/07-32", "13-01/07-31", "07-01/07-31/08-01"])
def test_a_malformed_summer_pause_setting_is_refused(raw):
    with pytest.raises(ImproperlyConfigured, match="SUMMER_PAUSE"):
        _summer_pause(raw)


def test_an_unknown_holiday_country_is_refused():
    from mentorship.product_settings import _check_country

    assert _check_country("SE") == "SE"
    with pytest.raises(ImproperlyConfigured, match="HOLIDAY_COUNTRY"):
        _check_country("XX")
