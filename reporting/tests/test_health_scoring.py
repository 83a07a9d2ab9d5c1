"""The health rules over plain data: the at-risk score (a table), adherence windows, overdue,
utilisation. No database."""

import datetime
import statistics

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from mentorship.cadence import CadenceRules, Due, Phase
from reporting.health import dashboard, risk
from reporting.health import rules as health_rules
from reporting.health.risk import RiskFacts, Weight

pytestmark = pytest.mark.clock

D = datetime.date
# Start on a Monday; the initial phase (12 weeks) ends on 31 March 2025.
RULES = CadenceRules(start_date=D(2025, 1, 6))


# The at-risk score ------------------------------------------------------------------------------

RISK_TABLE = [
    ("nothing_wrong", RiskFacts(), {}),
    ("manager_initiated", RiskFacts(initiated_by="manager"), {"manager_initiated": Weight.MANAGER_INITIATED}),
    ("leadership_team_decision_is_no_signal", RiskFacts(is_team=True, initiated_by="leadership_team"), {}),
    ("mentee_initiated_is_no_signal", RiskFacts(initiated_by="mentee"), {}),
    ("commitment_2_is_low", RiskFacts(commitments=(2,)), {"low_commitment": Weight.LOW_COMMITMENT}),
    ("commitment_1_is_low", RiskFacts(commitments=(1,)), {"low_commitment": Weight.LOW_COMMITMENT}),
    ("commitment_3_is_fine", RiskFacts(commitments=(3,)), {}),
    ("no_intake_answer_is_no_signal", RiskFacts(commitments=()), {}),
    (
        "one_low_team_member_is_enough",
        RiskFacts(is_team=True, initiated_by="leadership_team", commitments=(5, 4, 2)),
        {"low_commitment": Weight.LOW_COMMITMENT},
    ),
    ("committed_team", RiskFacts(is_team=True, initiated_by="leadership_team", commitments=(3, 3, 3)), {}),
    ("one_no_show", RiskFacts(no_shows=1), {"missed_sessions": 1}),
    ("no_show_and_late_cancellations_add_up", RiskFacts(no_shows=1, late_cancellations=1), {"missed_sessions": 2}),
    ("missed_sessions_are_capped", RiskFacts(no_shows=4, late_cancellations=2), {"missed_sessions": 3}),
    ("overdue", RiskFacts(overdue_days=8), {"overdue": Weight.OVERDUE}),
    ("not_overdue", RiskFacts(overdue_days=None), {}),
    (
        "usefulness_falls_by_more_than_one",
        RiskFacts(ratings=((5, 5), (5, 5), (4, 5), (3, 5))),
        {"falling_feedback": Weight.FALLING_FEEDBACK},
    ),
    (
        "trust_falls_by_exactly_one",
        RiskFacts(ratings=((5, 5), (5, 5), (5, 4), (5, 4))),
        {"falling_feedback": Weight.FALLING_FEEDBACK},
    ),
    ("small_dip_is_no_signal", RiskFacts(ratings=((4, 4), (4, 4), (4, 4), (3, 4))), {}),
    ("dip_of_half_a_point_is_no_signal", RiskFacts(ratings=((5, 5), (5, 5), (4, 4))), {}),
    (
        "a_recent_low_rating_without_history",
        RiskFacts(ratings=((4, 5), (4, 2))),
        {"falling_feedback": Weight.FALLING_FEEDBACK},
    ),
    ("an_old_low_rating_since_recovered", RiskFacts(ratings=((2, 5), (5, 5), (5, 5))), {}),
    ("good_single_rating", RiskFacts(ratings=((4, 4),)), {}),
    ("never_books_own_sessions", RiskFacts(sessions=2, booked_by_mentee=0), {"never_books": Weight.NEVER_BOOKS}),
    ("booked_one_themselves", RiskFacts(sessions=5, booked_by_mentee=1), {}),
    ("one_session_is_too_early_to_tell", RiskFacts(sessions=1, booked_by_mentee=0), {}),
    ("teams_are_booked_by_the_mentor", RiskFacts(is_team=True, initiated_by="leadership_team", sessions=4), {}),
    (
        "a_team_member_who_keeps_missing",
        RiskFacts(is_team=True, initiated_by="leadership_team", member_absences=(("Kim", 2, 3),)),
        {"member_missing": Weight.MEMBER_MISSING},
    ),
    (
        "two_members_missing_count_once",
        RiskFacts(is_team=True, initiated_by="leadership_team", member_absences=(("Kim", 2, 3), ("Ola", 3, 3))),
        {"member_missing": Weight.MEMBER_MISSING},
    ),
    (
        "everything_at_once",
        RiskFacts(
            initiated_by="manager",
            commitments=(1,),
            no_shows=2,
            late_cancellations=2,
            overdue_days=30,
            ratings=((5, 5), (5, 5), (2, 3), (3, 3)),
            sessions=6,
        ),
        {
            "manager_initiated": 2,
            "low_commitment": 2,
            "missed_sessions": 3,
            "overdue": 3,
            "falling_feedback": 2,
            "never_books": 1,
        },
    ),
]


@pytest.mark.parametrize(("facts", "expected"), [row[1:] for row in RISK_TABLE], ids=[row[0] for row in RISK_TABLE])
def test_risk_signals_and_weights(facts, expected):
    signals = risk.risk_signals(facts)
    assert {signal.code: signal.weight for signal in signals} == expected
    assert all(signal.reason and signal.label for signal in signals)


def test_the_score_is_the_sum_of_the_weights():
    facts = RiskFacts(initiated_by="manager", overdue_days=10, no_shows=1)
    assert sum(signal.weight for signal in risk.risk_signals(facts)) == 2 + 3 + 1


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        (RiskFacts(overdue_days=12), "was due 12 days ago"),
        (RiskFacts(is_team=True, member_absences=(("Kim Berg", 2, 3),)), "Kim Berg was absent from 2 of the last 3"),
        (RiskFacts(commitments=(2,)), "rated their own commitment 2 of 5"),
        (RiskFacts(is_team=True, initiated_by="leadership_team", commitments=(2, 5, 1)), "2 of 3 team members"),
        (RiskFacts(no_shows=2, late_cancellations=1), "2 no-shows and 1 late cancellation by the mentee side"),
        (RiskFacts(no_shows=1), "1 no-show by the mentee side in the last 90 days."),
        (RiskFacts(late_cancellations=2), "2 late cancellations by the mentee side"),
        (RiskFacts(ratings=((5, 5), (5, 5), (3, 5), (3, 5))), "Usefulness fell to 3.0"),
        (RiskFacts(ratings=((4, 1),)), "trust rating was 1 of 5"),
        (RiskFacts(sessions=3), "booked none of the 3 sessions"),
        (RiskFacts(initiated_by="manager"), "Their manager asked"),
    ],
)
def test_each_signal_explains_itself_in_plain_words(facts, words):
    (signal,) = risk.risk_signals(facts)
    assert words in signal.reason


@pytest.mark.parametrize(
    ("score", "level"), [(0, ""), (1, "low"), (2, "low"), (3, "medium"), (4, "medium"), (5, "high")]
)
def test_risk_level(score, level):
    assert risk.risk_level(score) == level


# Adherence ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "held", "on_time"),
    [
        # The first session is due 14 days after the start; early is fine, 7 days late the limit.
        (None, D(2025, 1, 6), True),
        (None, D(2025, 1, 27), True),
        (None, D(2025, 1, 28), False),
        # Initial phase: due 14 days after the previous one, ± 7 days.
        (D(2025, 1, 20), D(2025, 1, 26), False),
        (D(2025, 1, 20), D(2025, 1, 27), True),
        (D(2025, 1, 20), D(2025, 2, 3), True),
        (D(2025, 1, 20), D(2025, 2, 10), True),
        (D(2025, 1, 20), D(2025, 2, 11), False),
        # The previous session's phase decides: 30 March is still initial, so due 13 April.
        (D(2025, 3, 30), D(2025, 4, 20), True),
        (D(2025, 3, 30), D(2025, 4, 21), False),
        # Steady phase: due a month after the previous one, ± 10 days.
        (D(2025, 4, 1), D(2025, 4, 20), False),
        (D(2025, 4, 1), D(2025, 4, 21), True),
        (D(2025, 4, 1), D(2025, 5, 11), True),
        (D(2025, 4, 1), D(2025, 5, 12), False),
    ],
)
def test_held_on_time(previous, held, on_time):
    assert health_rules.held_on_time(RULES, previous, held) is on_time


def test_due_window_follows_the_engagements_own_intervals():
    rules = CadenceRules(start_date=D(2025, 1, 6), initial_interval_days=21, steady_interval_months=2)
    assert health_rules.due_window(rules, D(2025, 1, 27)) == (D(2025, 2, 10), D(2025, 2, 24))
    assert health_rules.due_window(rules, D(2025, 5, 1)) == (D(2025, 6, 21), D(2025, 7, 11))


def test_due_window_applies_to_engagements_that_are_no_longer_active():
    finished = CadenceRules(start_date=D(2025, 1, 6), is_active=False)
    assert health_rules.due_window(finished, D(2025, 1, 20)) == (D(2025, 1, 27), D(2025, 2, 10))


def test_adherence_of_counts_from_since_but_anchors_on_earlier_sessions():
    held = [D(2025, 2, 3), D(2025, 1, 6), D(2025, 1, 20), D(2025, 3, 20)]  # any order
    assert health_rules.adherence_of(RULES, held, since=D(2025, 2, 1)) == [
        (D(2025, 2, 3), True),
        (D(2025, 3, 20), False),
    ]
    assert [ok for _, ok in health_rules.adherence_of(RULES, held)] == [True, True, True, False]


# The dashboard works the windows out fast (`due_windows`, once per engagement); they must be the
# windows of the rule as written: due 14 days (the engagement's interval) after an anchor in the
# initial phase, ± 7 days; a month (its interval) after one later, ± 10 days; the first session
# has no lower bound; whatever the engagement's status now.


def _window_as_written(rules, previous):
    anchor = previous or rules.start_date
    if anchor < rules.start_date + datetime.timedelta(weeks=rules.initial_phase_weeks):
        due, days = anchor + datetime.timedelta(days=rules.initial_interval_days), 7
    else:
        due, days = anchor + relativedelta(months=rules.steady_interval_months), 10
    tolerance = datetime.timedelta(days=days)
    return (None if previous is None else due - tolerance), due + tolerance


RULES_STRATEGY = st.builds(
    CadenceRules,
    start_date=st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)),
    initial_phase_weeks=st.integers(min_value=0, max_value=30),
    initial_interval_days=st.integers(min_value=1, max_value=42),
    steady_interval_months=st.integers(min_value=1, max_value=6),
    is_active=st.booleans(),
)


@given(rules=RULES_STRATEGY, offsets=st.lists(st.integers(min_value=-60, max_value=1000), max_size=30))
def test_due_windows_are_the_windows_as_written(rules, offsets):
    window = health_rules.due_windows(rules)
    for previous in [None, *(rules.start_date + datetime.timedelta(days=offset) for offset in offsets)]:
        assert window(previous) == _window_as_written(rules, previous)
        assert health_rules.due_window(rules, previous) == _window_as_written(rules, previous)


@given(
    rules=RULES_STRATEGY,
    offsets=st.lists(st.integers(min_value=-30, max_value=1000), max_size=30),
    since=st.none() | st.integers(min_value=0, max_value=600),
)
def test_adherence_marks_each_session_against_the_window_after_the_one_before(rules, offsets, since):
    held = [rules.start_date + datetime.timedelta(days=offset) for offset in offsets]
    since_day = None if since is None else rules.start_date + datetime.timedelta(days=since)
    expected, previous = [], None
    for day in sorted(held):
        earliest, latest = _window_as_written(rules, previous)
        if since_day is None or day >= since_day:
            expected.append((day, (earliest is None or earliest <= day) and day <= latest))
        previous = day
    assert health_rules.adherence_of(rules, held, since=since_day) == expected


# Falling feedback compares means in whole numbers; it must agree with `statistics.mean`.

RATINGS = st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=40)


@given(recent=st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=2), earlier=RATINGS)
def test_a_fall_in_feedback_is_what_statistics_mean_says(recent, earlier):
    assert risk._fell(recent, earlier) is (
        statistics.mean(recent) <= statistics.mean(earlier) - health_rules.FEEDBACK_DROP
    )


@pytest.mark.parametrize("language", ["en", "sv"])
@given(values=RATINGS)
def test_a_mean_rating_reads_as_statistics_mean_would(language, values):
    with translation.override(language):
        assert risk._number(risk._mean(values)) == risk._number(statistics.mean(values))


def test_reasons_are_worded_when_read_in_the_language_active_then():
    (signal,) = risk.risk_signals(RiskFacts(overdue_days=12))  # the dashboard scores all, explains a few
    with translation.override("en"):
        assert signal.reason == "Nothing is booked, and the next session was due 12 days ago."


# Overdue and utilisation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [
        (None, D(2025, 5, 20), None),  # not active
        (Due(Phase.STEADY, D(2025, 5, 1), booked=D(2025, 6, 1)), D(2025, 5, 20), None),  # booked, if late
        (Due(Phase.STEADY, D(2025, 5, 1), booked=None), D(2025, 4, 28), None),  # not due yet
        (Due(Phase.STEADY, D(2025, 5, 1), booked=None), D(2025, 5, 8), None),  # within the grace period
        (Due(Phase.STEADY, D(2025, 5, 1), booked=None), D(2025, 5, 9), 8),
        (Due(Phase.INITIAL, D(2025, 5, 1), booked=None), D(2025, 6, 1), 31),
    ],
)
def test_overdue_days(due, today, expected):
    assert health_rules.overdue_days(due, today) == expected


@pytest.mark.parametrize(
    ("load", "capacity", "share"),
    [(3, 4, 0.75), (0, 4, 0.0), (5, 4, 1.25), (2, 0, None), (2, None, None)],
)
def test_utilisation_share(load, capacity, share):
    assert health_rules.utilisation_share(load, capacity) == share


def test_chart_months_are_the_last_twelve_ending_this_month():
    months = dashboard.chart_months(D(2025, 3, 31))
    assert months[0] == D(2024, 4, 1)
    assert months[-1] == D(2025, 3, 1)
    assert len(months) == 12


def test_the_kickoff_is_on_time_within_the_tolerance_of_its_own_due_date():
    rules = CadenceRules(start_date=datetime.date(2026, 9, 1), first_session_days=7)  # due 8 September
    assert health_rules.due_window(rules, None) == (None, datetime.date(2026, 9, 15))
    assert health_rules.held_on_time(rules, None, datetime.date(2026, 9, 15))
    assert not health_rules.held_on_time(rules, None, datetime.date(2026, 9, 16))
    # After the kickoff the cadence runs from it: due 14 days after, ± 7.
    assert health_rules.due_window(rules, datetime.date(2026, 9, 10)) == (
        datetime.date(2026, 9, 17),
        datetime.date(2026, 10, 1),
    )
