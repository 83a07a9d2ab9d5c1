import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from mentorship.cadence import CadenceRules, Phase, add_months, describe, next_due

pytestmark = pytest.mark.clock

D = datetime.date
START = D(2026, 1, 5)  # a Monday; the steady phase starts 12 weeks later, on 2026-03-30


@pytest.mark.parametrize(
    ("last_held", "today", "phase", "due"),
    [
        (None, D(2026, 1, 5), Phase.INITIAL, D(2026, 1, 19)),  # nothing held: 14 days after the start
        (D(2026, 1, 19), D(2026, 1, 20), Phase.INITIAL, D(2026, 2, 2)),
        (D(2026, 3, 29), D(2026, 3, 29), Phase.INITIAL, D(2026, 4, 12)),  # last day of the initial phase
        (D(2026, 3, 29), D(2026, 3, 30), Phase.STEADY, D(2026, 4, 12)),  # phase changed, interval from the held one
        (D(2026, 3, 30), D(2026, 3, 30), Phase.STEADY, D(2026, 4, 30)),  # first steady day: one month
        (D(2026, 4, 30), D(2026, 5, 2), Phase.STEADY, D(2026, 5, 30)),
    ],
)
def test_phase_and_due_date_around_the_phase_boundary(last_held, today, phase, due):
    result = next_due(CadenceRules(start_date=START), last_held=last_held, next_booked=None, today=today)
    assert (result.phase, result.due_date) == (phase, due)


@pytest.mark.parametrize(
    ("last_held", "due"),
    [
        (D(2027, 1, 31), D(2027, 2, 28)),  # month end clamps
        (D(2028, 1, 31), D(2028, 2, 29)),  # leap year
        (D(2027, 3, 31), D(2027, 4, 30)),
        (D(2027, 12, 15), D(2028, 1, 15)),  # year end
    ],
)
def test_monthly_due_dates_at_month_ends(last_held, due):
    rules = CadenceRules(start_date=D(2026, 1, 5))
    assert next_due(rules, last_held=last_held, next_booked=None, today=last_held).due_date == due


def test_per_engagement_settings_change_the_rhythm():
    rules = CadenceRules(start_date=START, initial_phase_weeks=4, initial_interval_days=7, steady_interval_months=2)
    assert next_due(rules, last_held=D(2026, 1, 12), next_booked=None, today=D(2026, 1, 12)).due_date == D(2026, 1, 19)
    assert next_due(rules, last_held=D(2026, 2, 2), next_booked=None, today=D(2026, 2, 2)).due_date == D(2026, 4, 2)


def test_no_initial_phase_means_monthly_from_the_start():
    rules = CadenceRules(start_date=START, initial_phase_weeks=0)
    assert next_due(rules, last_held=None, next_booked=None, today=START).due_date == D(2026, 2, 5)


def test_a_booked_session_is_reported_with_the_due_date():
    due = next_due(
        CadenceRules(start_date=START), last_held=D(2026, 1, 19), next_booked=D(2026, 2, 3), today=D(2026, 1, 25)
    )
    assert due.due_date == D(2026, 2, 2)
    assert due.is_booked
    assert due.booked == D(2026, 2, 3)


def test_inactive_engagements_are_due_nothing():
    rules = CadenceRules(start_date=START, is_active=False)
    assert next_due(rules, last_held=D(2026, 1, 19), next_booked=None, today=D(2026, 1, 25)) is None


@translation.override("en")
def test_describe_says_the_rhythm_in_words():
    assert describe(CadenceRules(start_date=START)) == "Every 14 days for the first 12 weeks, then every month."
    assert describe(CadenceRules(start_date=START, steady_interval_months=2)).endswith("then every 2 months.")
    assert describe(CadenceRules(start_date=START, initial_phase_weeks=0)) == "Sessions every month."


@given(
    day=st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
    months=st.integers(min_value=-30, max_value=30),
)
def test_add_months_is_relativedelta_months(day, months):
    assert add_months(day, months) == day + relativedelta(months=months)


@given(
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)),
    weeks=st.integers(min_value=0, max_value=52),
    days=st.integers(min_value=1, max_value=60),
    months=st.integers(min_value=1, max_value=12),
    offset=st.integers(min_value=-30, max_value=800),
)
def test_due_after_is_the_interval_of_the_anchors_phase(start, weeks, days, months, offset):
    rules = CadenceRules(start, weeks, days, months)
    anchor = start + datetime.timedelta(days=offset)
    if anchor < start + datetime.timedelta(weeks=weeks):
        expected = anchor + datetime.timedelta(days=days)
    else:
        expected = anchor + relativedelta(months=months)
    assert rules.due_after(anchor) == expected


# The kickoff -------------------------------------------------------------------------------------


def test_the_kickoff_is_due_first_session_days_after_the_start_then_the_cadence_runs_from_it():
    rules = CadenceRules(start_date=D(2026, 9, 1), first_session_days=7)
    assert next_due(rules, last_held=None, next_booked=None, today=D(2026, 9, 2)).due_date == D(2026, 9, 8)
    # Held on the 4th: the next one 14 days after it, not after the start or the due date.
    assert next_due(rules, last_held=D(2026, 9, 4), next_booked=None, today=D(2026, 9, 5)).due_date == D(2026, 9, 18)


def test_the_kickoff_days_come_from_the_settings(engagement_factory, mentor, settings, db):
    settings.FIRST_SESSION_DUE_DAYS = 10
    engagement = engagement_factory(mentor=mentor, status="active", start_date=D(2026, 9, 1))
    assert CadenceRules.of(engagement).first_due == D(2026, 9, 11)
    settings.FIRST_SESSION_DUE_DAYS = 7
    assert CadenceRules.of(engagement).first_due == D(2026, 9, 8)


def test_without_kickoff_days_the_first_session_is_one_interval_after_the_start():
    assert CadenceRules(start_date=D(2026, 9, 1)).first_due == D(2026, 9, 15)
