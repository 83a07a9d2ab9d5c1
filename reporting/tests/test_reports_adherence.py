"""Cadence adherence over a period, as a table: held dates → (held, on time). Sessions are due
14 days after the last one in the first 12 weeks (±7 days on time), a month after it later (±10
days); the rule itself is `reporting.health.rules.adherence_of`, which has table tests of its own."""

import datetime

import pytest

from mentorship.cadence import CadenceRules
from reporting.reports.periods import Adherence, Period, adherence_of

pytestmark = pytest.mark.clock

START = datetime.date(2026, 1, 5)  # steady phase from 30 March 2026


def day(offset: int) -> datetime.date:
    return START + datetime.timedelta(days=offset)


@pytest.mark.parametrize(
    ("held", "expected"),
    [
        ([], Adherence(0, 0)),
        ([day(14)], Adherence(1, 1)),  # exactly due
        ([day(0)], Adherence(1, 1)),  # a kick-off on the first day is not early
        ([day(21)], Adherence(1, 1)),  # 7 days late: still on time
        ([day(22)], Adherence(1, 0)),  # 8 days late
        ([day(14), day(21)], Adherence(2, 2)),  # the second one 7 days early is fine...
        ([day(14), day(20)], Adherence(2, 1)),  # ...this one is 8 days early
        ([day(14), day(28), day(42)], Adherence(3, 3)),
        ([day(42), day(14), day(28)], Adherence(3, 3)),  # order does not matter
        ([day(14), day(60)], Adherence(2, 1)),  # a gap of a month in the biweekly phase
        # Steady phase: a session on 1 April (steady; itself late) makes the next one due 1 May.
        ([datetime.date(2026, 4, 1), datetime.date(2026, 5, 1)], Adherence(2, 1)),
        ([datetime.date(2026, 4, 1), datetime.date(2026, 5, 11)], Adherence(2, 1)),  # 10 days late
        ([datetime.date(2026, 4, 1), datetime.date(2026, 5, 12)], Adherence(2, 0)),
        ([datetime.date(2026, 4, 1), datetime.date(2026, 4, 21)], Adherence(2, 1)),  # 10 days early
        ([datetime.date(2026, 4, 1), datetime.date(2026, 4, 20)], Adherence(2, 0)),
    ],
)
def test_adherence_table(held, expected):
    assert adherence_of(CadenceRules(start_date=START), held) == expected


def test_a_completed_engagement_is_measured_like_an_active_one():
    rules = CadenceRules(start_date=START, is_active=False)
    assert adherence_of(rules, [day(14), day(28)]) == Adherence(2, 2)


def test_only_sessions_in_the_period_count_but_earlier_ones_set_the_due_date():
    held = [day(14), day(28), day(60)]
    period = Period(start=day(50), end=day(70))
    # day 60 is due on day 42 (two weeks after day 28): 18 days late.
    assert adherence_of(CadenceRules(start_date=START), held, period) == Adherence(1, 0)
    assert adherence_of(CadenceRules(start_date=START), held, Period(end=day(30))) == Adherence(2, 2)


def test_percent_rounds_and_is_none_without_sessions():
    assert Adherence(3, 2).percent == 67
    assert Adherence(0, 0).percent is None
    assert Adherence(1, 1) + Adherence(3, 1) == Adherence(4, 2)
