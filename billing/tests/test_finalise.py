"""Finalising freezes a month: later changes show as adjustments in the next draft; numbers are
unique, also when admins finalise at the same moment."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from billing.invoices import lines, services
from billing.models import Invoice
from demo.factories import make_contract, make_engagement, make_organisation, make_session
from sessions.models import SessionStatus
from sessions.records.services import Attendance, record_attendance
from sessions.usage import CONSULTANCY_TIME_ZONE

pytestmark = pytest.mark.clock

OCTOBER, NOVEMBER, DECEMBER = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _late_november():
    """These tests finalise October and November: a fixed day after both have begun, whatever
    TEST_CLOCK says (the month boundaries themselves are tested in test_lines)."""
    with time_machine.travel(datetime.datetime(2026, 11, 25, 10, tzinfo=CONSULTANCY_TIME_ZONE), tick=True):
        yield


def at(month, day, hour=9):
    return datetime.datetime(2026, month, day, hour, tzinfo=CONSULTANCY_TIME_ZONE)


@pytest.fixture
def drawn(engagement, contract):
    contract.no_show_billable = False
    contract.save()
    engagement.contract = contract
    engagement.save()
    return engagement


@pytest.mark.django_db
def test_finalising_numbers_and_freezes_the_month(drawn, contract, consultancy_admin):
    make_session(engagement=drawn, start=at(10, 6), status="completed")
    make_session(engagement=drawn, start=at(10, 20), status="completed")
    invoice, created = services.finalise(contract=contract, month=OCTOBER, actor=consultancy_admin)
    assert created
    assert invoice.number == "2026-0001"
    assert (invoice.subtotal, invoice.vat, invoice.total) == (
        Decimal("8000.00"),
        Decimal("2000.00"),
        Decimal("10000.00"),
    )
    assert invoice.lines.count() == 2
    draft = lines.draft_for(contract, OCTOBER)
    assert draft.is_final
    assert draft.total == Decimal("10000.00")


@pytest.mark.django_db
def test_a_later_attendance_change_is_an_adjustment_next_month(drawn, contract, consultancy_admin, mentor):
    first = make_session(engagement=drawn, start=at(10, 6), status="completed")
    make_session(engagement=drawn, start=at(10, 20), status="completed")
    services.finalise(contract=contract, month=OCTOBER, actor=consultancy_admin)

    record_attendance(session=first, actor=mentor, outcome=Attendance.NO_SHOW)  # not billable

    october = lines.draft_for(contract, OCTOBER)
    assert october.total == Decimal("10000.00")  # frozen
    assert [line.amount for line in october.lines] == [Decimal("4000.00"), Decimal("4000.00")]
    november = lines.draft_for(contract, NOVEMBER)
    [adjustment] = november.lines
    assert (adjustment.kind, adjustment.amount, adjustment.session) == ("adjustment", Decimal("-4000"), first)
    assert "No longer billable: no-show" in adjustment.note
    assert november.total == Decimal("-5000.00")

    services.finalise(contract=contract, month=NOVEMBER, actor=consultancy_admin)
    assert lines.draft_for(contract, DECEMBER).lines == []  # adjusted once, never twice


@pytest.mark.django_db
def test_a_session_recorded_after_its_month_was_finalised_is_billed_next_month(drawn, contract, consultancy_admin):
    make_session(engagement=drawn, start=at(10, 6), status="completed")
    services.finalise(contract=contract, month=OCTOBER, actor=consultancy_admin)
    late = make_session(engagement=drawn, start=at(10, 27), status="completed")
    [line] = lines.draft_for(contract, NOVEMBER).lines
    assert (line.kind, line.amount, line.session) == ("adjustment", Decimal("4000"), late)
    assert line.note == "Not billed in 2026-10"


@pytest.mark.django_db
def test_sessions_of_a_month_not_yet_finalised_stay_in_their_own_draft(drawn, contract):
    make_session(engagement=drawn, start=at(10, 6), status="completed")
    assert lines.draft_for(contract, NOVEMBER).lines == []
    assert len(lines.draft_for(contract, OCTOBER).lines) == 1


@pytest.mark.django_db
def test_finalising_twice_gives_the_first_invoice(drawn, contract, consultancy_admin):
    make_session(engagement=drawn, start=at(10, 6), status="completed")
    first, _ = services.finalise(contract=contract, month=OCTOBER, actor=consultancy_admin)
    again, created = services.finalise(contract=contract, month=OCTOBER, actor=consultancy_admin)
    assert (again, created) == (first, False)
    assert Invoice.objects.count() == 1


@pytest.mark.django_db
def test_a_future_or_empty_month_is_refused(drawn, contract, consultancy_admin):
    with pytest.raises(ValidationError) as caught:
        services.finalise(contract=contract, month=DECEMBER, actor=consultancy_admin)
    assert caught.value.code == "future_month"
    with pytest.raises(ValidationError) as caught:
        services.finalise(contract=contract, month=OCTOBER, actor=consultancy_admin)
    assert caught.value.code == "nothing_to_invoice"
    assert not Invoice.objects.exists()


CONCURRENT = 8


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_numbers_are_unique_when_admins_finalise_at_once(consultancy_admin, mentor):
    contracts = []
    for index in range(CONCURRENT):
        organisation = make_organisation(name=f"Concurrent {index} AB")
        contract = make_contract(organisation=organisation)
        engagement = make_engagement(organisation=organisation, mentor=mentor, status="active", contract=contract)
        make_session(
            engagement=engagement, start=at(10, 5, 8) + datetime.timedelta(hours=3 * index), status="completed"
        )
        contracts.append(contract)
    barrier = threading.Barrier(CONCURRENT)

    def finalise(index: int):
        try:
            barrier.wait(timeout=30)
            return services.finalise(contract=contracts[index], month=OCTOBER, actor=consultancy_admin)[0].number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        numbers = list(pool.map(finalise, range(CONCURRENT)))
    assert sorted(numbers) == [f"2026-{n:04d}" for n in range(1, CONCURRENT + 1)]


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_one_month_finalised_by_two_admins_at_once_is_one_invoice(engagement, contract, consultancy_admin):
    engagement.contract = contract
    engagement.save()
    make_session(engagement=engagement, start=at(10, 6), status=SessionStatus.COMPLETED)
    barrier = threading.Barrier(2)

    def finalise(_):
        try:
            barrier.wait(timeout=30)
            return services.finalise(contract=contract, month=OCTOBER, actor=consultancy_admin)[0].number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        numbers = list(pool.map(finalise, range(2)))
    assert numbers == ["2026-0001", "2026-0001"]
    assert Invoice.objects.count() == 1


@pytest.mark.django_db
def test_a_later_price_change_does_not_reprice_what_was_invoiced(drawn, contract, consultancy_admin):
    make_session(engagement=drawn, start=at(10, 6), status="completed")
    services.finalise(contract=contract, month=OCTOBER, actor=consultancy_admin)
    contract.price = Decimal("5000")
    contract.save()
    assert lines.draft_for(contract, NOVEMBER).lines == []


@pytest.mark.django_db
def test_credited_then_held_again_is_billed_again_at_the_first_price(drawn, contract, consultancy_admin, mentor):
    session = make_session(engagement=drawn, start=at(10, 6), status="completed")
    services.finalise(contract=contract, month=OCTOBER, actor=consultancy_admin)
    record_attendance(session=session, actor=mentor, outcome=Attendance.NO_SHOW)
    services.finalise(contract=contract, month=NOVEMBER, actor=consultancy_admin)  # credits it
    contract.price = Decimal("5000")
    contract.save()
    record_attendance(session=session, actor=mentor, outcome=Attendance.HELD)
    [line] = lines.draft_for(contract, DECEMBER).lines
    assert (line.kind, line.quantity, line.amount, line.note) == (
        "adjustment",
        Decimal(1),
        Decimal("4000.00"),
        "Billable again",
    )


@pytest.mark.django_db
def test_a_changed_length_of_an_hours_session_is_billed_as_the_difference(engagement, organisation, consultancy_admin):
    contract = make_contract(organisation=organisation, unit="hours", quantity=24, price=Decimal("2000"))
    engagement.contract = contract
    engagement.save()
    session = make_session(engagement=engagement, start=at(10, 6), minutes=120, status="completed")
    services.finalise(contract=contract, month=OCTOBER, actor=consultancy_admin)
    session.end = session.start + datetime.timedelta(minutes=90)  # corrected by the operations staff
    session.save()
    [line] = lines.draft_for(contract, NOVEMBER).lines
    assert (line.quantity, line.amount, line.note) == (Decimal("-0.50"), Decimal("-1000.00"), "Length changed")
