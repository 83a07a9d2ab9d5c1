"""Usage of a contract, counted from its sessions: a table of what happened to a session ×
the contract's terms × sessions- or hours-based packages."""

import datetime
from decimal import Decimal

import pytest

from core.tests.helpers import days_from_now
from demo.factories import make_contract, make_engagement, make_session
from sessions import usage
from sessions.models import SessionStatus

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

LATE = {"status": SessionStatus.CANCELLED, "late_cancellation": True}
IN_TIME = {"status": SessionStatus.CANCELLED, "late_cancellation": False}

# (what happened, the session's fields, counts when late cancellations/no-shows are billable,
#  counts when they are not)
CASES = [
    ("held (recorded)", {"status": SessionStatus.COMPLETED}, True, True),
    ("held (confirmed and over)", {"status": SessionStatus.CONFIRMED}, True, True),
    ("cancelled late", LATE, True, False),
    ("no-show", {"status": SessionStatus.NO_SHOW}, True, False),
    ("cancelled in time", IN_TIME, False, False),
    ("requested, never confirmed", {"status": SessionStatus.REQUESTED}, False, False),
]


@pytest.mark.parametrize("unit", ["sessions", "hours"])
@pytest.mark.parametrize("billable", [True, False], ids=["billable", "not-billable"])
@pytest.mark.parametrize(("what", "fields", "counts_if_billable", "counts_if_not"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("subject", ["individual", "team"])
def test_what_a_session_uses_up(
    request, subject, unit, billable, what, fields, counts_if_billable, counts_if_not, organisation
):
    engagement = request.getfixturevalue("engagement" if subject == "individual" else "team_engagement")
    contract = make_contract(
        organisation=organisation, unit=unit, late_cancellation_billable=billable, no_show_billable=billable
    )
    engagement.contract = contract
    engagement.save()
    make_session(engagement=engagement, start=days_from_now(-3), minutes=90, **fields)

    result = usage.usage_of(contract)

    counts = counts_if_billable if billable else counts_if_not
    assert result.used_sessions == (1 if counts else 0)
    assert result.used_hours == (Decimal("1.50") if counts else Decimal("0.00"))
    assert result.used == (Decimal("1.50") if unit == "hours" else Decimal(1)) * (1 if counts else 0)
    assert result.booked_sessions == 0


def test_a_team_session_counts_once_not_per_member(team_engagement, members, organisation):
    assert len(members) == 3
    contract = make_contract(organisation=organisation)
    team_engagement.contract = contract
    team_engagement.save()
    make_session(engagement=team_engagement, start=days_from_now(-3), status=SessionStatus.COMPLETED)
    assert usage.usage_of(contract).used_sessions == 1


def test_hours_come_from_each_sessions_own_length(engagement, organisation):
    contract = make_contract(organisation=organisation, unit="hours", quantity=24)
    engagement.contract = contract
    engagement.save()
    for days_ago, minutes in [(30, 90), (20, 120), (10, 105)]:
        make_session(engagement=engagement, start=days_from_now(-days_ago), minutes=minutes, status="completed")
    result = usage.usage_of(contract)
    assert result.used_hours == Decimal("5.25")
    assert result.percent_used == 21
    assert result.left == Decimal("18.75")


def test_upcoming_sessions_are_booked_not_used(engagement, contract):
    engagement.contract = contract
    engagement.save()
    make_session(engagement=engagement, start=days_from_now(-3), status="completed")
    make_session(engagement=engagement, start=days_from_now(3))
    result = usage.usage_of(contract)
    assert (result.used_sessions, result.booked_sessions) == (1, 1)
    assert result.next_session_number == 3
    assert result.left == Decimal(10)


def test_sessions_outside_the_period_or_of_other_contracts_do_not_count(engagement, contract, organisation):
    engagement.contract = contract
    engagement.save()
    before = datetime.datetime.combine(
        contract.start_date - datetime.timedelta(days=1), datetime.time(23, 30), tzinfo=usage.CONSULTANCY_TIME_ZONE
    )
    make_session(engagement=engagement, start=before, status="completed")
    first_minute = datetime.datetime.combine(
        contract.start_date, datetime.time(0, 0), tzinfo=usage.CONSULTANCY_TIME_ZONE
    )
    make_session(engagement=engagement, start=first_minute + datetime.timedelta(hours=9), status="completed")
    other = make_engagement(organisation=organisation, mentor=engagement.mentor, status="active")
    make_session(engagement=other, start=days_from_now(-5), status="completed")  # no contract
    assert usage.usage_of(contract).used_sessions == 1


def test_several_engagements_draw_on_one_contract(engagement, team_engagement, contract):
    for each in (engagement, team_engagement):
        each.contract = contract
        each.save()
    make_session(engagement=engagement, start=days_from_now(-3), status="completed")
    make_session(engagement=team_engagement, start=days_from_now(-6), status="completed")
    assert usage.usage_of(contract).used_sessions == 2


def test_a_fixed_fee_has_no_package(engagement, organisation):
    contract = make_contract(organisation=organisation, unit="fixed_fee")
    engagement.contract = contract
    engagement.save()
    make_session(engagement=engagement, start=days_from_now(-3), status="completed")
    result = usage.usage_of(contract)
    assert result.used_sessions == 1
    assert (result.left, result.percent_used) == (None, None)
    assert result.room_for(Decimal(2))


def test_session_numbers_follow_the_start(engagement, contract):
    engagement.contract = contract
    engagement.save()
    first = make_session(engagement=engagement, start=days_from_now(-10), status="completed")
    skipped = make_session(engagement=engagement, start=days_from_now(-5), **IN_TIME)
    upcoming = make_session(engagement=engagement, start=days_from_now(4))
    assert usage.session_number(first) == 1
    assert usage.session_number(skipped) is None
    assert usage.session_number(upcoming) == 2


def test_usage_is_read_in_one_query(engagement, contract, django_assert_num_queries):
    engagement.contract = contract
    engagement.save()
    make_session(engagement=engagement, start=days_from_now(-3), status="completed")
    with django_assert_num_queries(1):
        usage.usage_of(contract)


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("consultancy_admin", True),
        ("mentor", True),
        ("mentee", True),
        ("other_mentor", False),
        ("outsider_mentee", False),
    ],
)
def test_who_sees_the_usage_of_an_engagement(request, engagement, contract, viewer, sees):
    engagement.contract = contract
    engagement.save()
    user = request.getfixturevalue(viewer)
    assert (usage.usage_for(user, engagement) is not None) is sees


@pytest.mark.parametrize(
    ("number", "shown"), [("17.50", "17.5"), ("24.00", "24"), ("100", "100"), ("1.75", "1.75"), ("0.00", "0")]
)
def test_numbers_are_shown_without_trailing_zeros(number, shown):
    assert str(usage.plain(Decimal(number))) == shown
