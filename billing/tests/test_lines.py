"""Drafts: one line per billable session of the month, Stockholm month boundaries (DST-safe),
prices per session or per hour, fixed fees, VAT and totals."""

import datetime
from decimal import Decimal

import pytest

from billing.invoices import lines
from demo.factories import make_contract, make_session
from sessions.models import SessionStatus
from sessions.usage import CONSULTANCY_TIME_ZONE

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

OCTOBER, NOVEMBER = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)


def at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=CONSULTANCY_TIME_ZONE)


@pytest.fixture
def drawn(engagement, contract):
    engagement.contract = contract
    engagement.save()
    return engagement


def test_a_session_at_2330_on_the_last_day_belongs_to_that_month(drawn, contract):
    late = make_session(engagement=drawn, start=at(2026, 10, 31, 23, 30), minutes=90, status="completed")
    early = make_session(engagement=drawn, start=at(2026, 11, 1, 1, 0), minutes=90, status="completed")
    assert [line.session for line in lines.draft_for(contract, OCTOBER).lines] == [late]
    assert [line.session for line in lines.draft_for(contract, NOVEMBER).lines] == [early]


def test_a_session_across_the_october_dst_change_lands_in_october_with_its_real_length(engagement, organisation):
    contract = make_contract(organisation=organisation, unit="hours", quantity=24, price=Decimal("2000"))
    engagement.contract = contract
    engagement.save()
    # 25 October 2026: clocks go back from 03:00 to 02:00. 01:30 CEST to 02:30 CET is two hours.
    start = datetime.datetime(2026, 10, 25, 1, 30, tzinfo=CONSULTANCY_TIME_ZONE)
    end = datetime.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=CONSULTANCY_TIME_ZONE)
    make_session(engagement=engagement, start=start, end=end, status="completed")
    [line] = lines.draft_for(contract, OCTOBER).lines
    assert line.hours == Decimal("2.00")
    assert line.amount == Decimal("4000.00")
    assert line.date == datetime.date(2026, 10, 25)
    assert lines.draft_for(contract, NOVEMBER).lines == []


def test_month_bounds_are_stockholm_midnights_in_utc():
    start, end = lines.month_bounds(NOVEMBER)
    assert start == datetime.datetime(2026, 10, 31, 23, 0, tzinfo=datetime.UTC)
    assert end == datetime.datetime(2026, 11, 30, 23, 0, tzinfo=datetime.UTC)
    start, end = lines.month_bounds(OCTOBER)
    assert start == datetime.datetime(2026, 9, 30, 22, 0, tzinfo=datetime.UTC)  # summer time
    assert end == datetime.datetime(2026, 10, 31, 23, 0, tzinfo=datetime.UTC)  # winter time


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({"status": SessionStatus.COMPLETED}, "held"),
        ({"status": SessionStatus.CANCELLED, "late_cancellation": True}, "late_cancellation"),
        ({"status": SessionStatus.NO_SHOW}, "no_show"),
        ({"status": SessionStatus.COMPLETED, "billing_extra": True}, "extra"),
    ],
)
def test_each_billable_session_is_a_line_of_its_kind(drawn, contract, fields, kind):
    make_session(engagement=drawn, start=at(2026, 10, 6, 9), **fields)
    [line] = lines.draft_for(contract, OCTOBER).lines
    assert line.kind == kind
    assert (line.quantity, line.unit_price, line.amount) == (Decimal(1), Decimal("4000"), Decimal("4000"))
    assert line.mentor_name == drawn.mentor.display_name
    assert line.subject == drawn.mentee.display_name


def test_sessions_that_do_not_count_are_not_billed(drawn, contract):
    contract.no_show_billable = False
    contract.save()
    make_session(engagement=drawn, start=at(2026, 10, 6, 9), status=SessionStatus.NO_SHOW)
    make_session(engagement=drawn, start=at(2026, 10, 8, 9), status=SessionStatus.CANCELLED)  # in time
    assert lines.draft_for(contract, OCTOBER).lines == []


def test_a_team_session_is_one_line_named_for_the_team(team_engagement, contract, members):
    team_engagement.contract = contract
    team_engagement.save()
    make_session(engagement=team_engagement, start=at(2026, 10, 6, 9), status="completed")
    [line] = lines.draft_for(contract, OCTOBER).lines
    assert line.subject == team_engagement.team.name


def test_subtotal_vat_and_total(drawn, contract):
    contract.price = Decimal("3999.90")
    contract.vat_rate = Decimal("25")
    contract.save()
    for day in (6, 13, 20):
        make_session(engagement=drawn, start=at(2026, 10, day, 9), status="completed")
    draft = lines.draft_for(contract, OCTOBER)
    assert draft.subtotal == Decimal("11999.70")
    assert draft.vat == Decimal("2999.93")  # 2999.925 rounded half up
    assert draft.total == Decimal("14999.63")


def test_hours_are_priced_by_each_sessions_length(engagement, organisation):
    contract = make_contract(organisation=organisation, unit="hours", quantity=24, price=Decimal("2150"))
    engagement.contract = contract
    engagement.save()
    make_session(engagement=engagement, start=at(2026, 10, 6, 9), minutes=105, status="completed")
    [line] = lines.draft_for(contract, OCTOBER).lines
    assert (line.hours, line.amount) == (Decimal("1.75"), Decimal("3762.50"))


def test_a_fixed_fee_is_due_in_the_contracts_first_month(engagement, organisation):
    contract = make_contract(
        organisation=organisation, unit="fixed_fee", price=Decimal("90000"), start_date=datetime.date(2026, 10, 15)
    )
    engagement.contract = contract
    engagement.save()
    make_session(engagement=engagement, start=at(2026, 10, 20, 9), status="completed")
    october = lines.draft_for(contract, OCTOBER)
    assert [(line.kind, line.amount) for line in october.lines] == [
        ("held", Decimal("0.00")),
        ("fixed_fee", Decimal("90000")),
    ]
    assert lines.draft_for(contract, NOVEMBER).lines == []


def test_mentor_hours_per_mentor_and_client(drawn, outsider_engagement, contract):
    make_session(engagement=drawn, start=at(2026, 10, 6, 9), minutes=90, status="completed")
    make_session(engagement=drawn, start=at(2026, 10, 13, 9), minutes=120, status="completed")
    make_session(engagement=drawn, start=at(2026, 10, 20, 9), status=SessionStatus.NO_SHOW)  # not held
    make_session(engagement=outsider_engagement, start=at(2026, 10, 6, 9), minutes=90, status="completed")
    rows = {row["name"]: row for row in lines.mentor_hours(OCTOBER)}
    bob = rows[drawn.mentor.full_name]
    assert (bob["sessions"], bob["hours"]) == (2, Decimal("3.50"))
    assert bob["clients"] == [{"organisation": drawn.organisation.name, "sessions": 2, "hours": Decimal("3.50")}]
    assert rows[outsider_engagement.mentor.full_name]["hours"] == Decimal("1.50")
