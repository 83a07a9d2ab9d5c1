"""Contracts: create, edit with history, extend, close, and the engagement's contract."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from demo.factories import make_contract
from mentorship.contracts import services
from mentorship.models import Contract, ContractEvent, EngagementEvent

pytestmark = pytest.mark.django_db

FIELDS = {
    "reference": " PO 4711 ",
    "start_date": datetime.date(2026, 9, 1),
    "end_date": datetime.date(2027, 2, 28),
    "unit": "sessions",
    "quantity": Decimal("12"),
    "price": Decimal("4500.00"),
    "currency": "sek",
    "vat_rate": Decimal("25"),
    "late_cancellation_billable": True,
    "no_show_billable": False,
    "overage": "extra",
}


def test_create_records_who_created_it(organisation, consultancy_admin):
    contract = services.create_contract(organisation=organisation, actor=consultancy_admin, **FIELDS)
    assert contract.reference == "PO 4711"
    assert contract.currency == "SEK"
    assert contract.is_open
    assert [(event.kind, event.actor) for event in contract.events.all()] == [("created", consultancy_admin)]


def test_defaults_are_sek_and_25_percent_vat(organisation):
    contract = make_contract(organisation=organisation)
    assert (contract.currency, contract.vat_rate) == ("SEK", Decimal("25.00"))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_date": datetime.date(2026, 8, 31)}, "end_date"),
        ({"quantity": None}, "quantity"),
        ({"price": Decimal("-1")}, "price"),
        ({"vat_rate": Decimal("101")}, "vat_rate"),
    ],
)
def test_create_refuses_impossible_contracts(organisation, consultancy_admin, changes, field):
    with pytest.raises(ValidationError) as caught:
        services.create_contract(organisation=organisation, actor=consultancy_admin, **{**FIELDS, **changes})
    if field:
        assert field in caught.value.message_dict
    assert not Contract.objects.exists()


def test_a_fixed_fee_drops_the_number(organisation, consultancy_admin):
    contract = services.create_contract(
        organisation=organisation, actor=consultancy_admin, **{**FIELDS, "unit": "fixed_fee"}
    )
    assert contract.quantity is None
    assert not contract.has_package


def test_edit_records_what_changed_from_what_to_what(contract, consultancy_admin):
    services.update_contract(
        contract=contract, actor=consultancy_admin, price=Decimal("4200.00"), no_show_billable=False
    )
    event = contract.events.get(kind="edited")
    assert event.actor == consultancy_admin
    assert "price excluding VAT: 4000 → 4200" in event.detail
    assert "no-shows are billable: yes → no" in event.detail
    contract.refresh_from_db()
    assert contract.price == Decimal("4200.00")


def test_an_edit_that_changes_nothing_records_nothing(contract, consultancy_admin):
    services.update_contract(contract=contract, actor=consultancy_admin, price=contract.price)
    assert not contract.events.exists()


def test_extend_moves_the_end_and_adds_sessions(contract, consultancy_admin):
    old_end = contract.end_date
    services.extend_contract(
        contract=contract,
        actor=consultancy_admin,
        new_end=old_end + datetime.timedelta(days=90),
        more_quantity=Decimal(6),
    )
    contract.refresh_from_db()
    assert contract.quantity == Decimal(18)
    assert contract.end_date == old_end + datetime.timedelta(days=90)
    assert "How many: 12 → 18" in contract.events.get(kind="extended").detail


def test_extend_refuses_an_earlier_end(contract, consultancy_admin):
    with pytest.raises(ValidationError) as caught:
        services.extend_contract(contract=contract, actor=consultancy_admin, new_end=contract.end_date)
    assert "new_end" in caught.value.message_dict
    assert not contract.events.exists()


def test_a_fixed_fee_cannot_get_more_sessions(organisation, consultancy_admin):
    contract = make_contract(organisation=organisation, unit="fixed_fee")
    with pytest.raises(ValidationError):
        services.extend_contract(
            contract=contract,
            actor=consultancy_admin,
            new_end=contract.end_date + datetime.timedelta(days=1),
            more_quantity=Decimal(1),
        )


def test_close_is_recorded_once_and_freezes_the_contract(contract, consultancy_admin):
    assert services.close_contract(contract=contract, actor=consultancy_admin)[1] is True
    assert services.close_contract(contract=contract, actor=consultancy_admin)[1] is False  # double submit
    assert contract.events.filter(kind="closed").count() == 1
    with pytest.raises(ValidationError):
        services.update_contract(contract=contract, actor=consultancy_admin, price=Decimal(1))
    with pytest.raises(ValidationError):
        services.extend_contract(
            contract=contract, actor=consultancy_admin, new_end=contract.end_date + datetime.timedelta(days=1)
        )


def test_an_engagement_draws_on_a_contract_of_its_organisation(engagement, contract, consultancy_admin):
    services.set_engagement_contract(engagement=engagement, contract=contract, actor=consultancy_admin)
    engagement.refresh_from_db()
    assert engagement.contract == contract
    assert engagement.events.filter(kind=EngagementEvent.Kind.CONTRACT_CHANGED).count() == 1
    assert contract.events.get().kind == ContractEvent.Kind.ENGAGEMENT_LINKED
    # Saving the same choice again (a double submit) records nothing more.
    services.set_engagement_contract(engagement=engagement, contract=contract, actor=consultancy_admin)
    assert engagement.events.filter(kind=EngagementEvent.Kind.CONTRACT_CHANGED).count() == 1


def test_a_team_and_an_individual_engagement_share_a_contract(engagement, team_engagement, contract, consultancy_admin):
    for each in (engagement, team_engagement):
        services.set_engagement_contract(engagement=each, contract=contract, actor=consultancy_admin)
    assert set(contract.engagements.all()) == {engagement, team_engagement}


def test_another_organisations_contract_is_refused(engagement, other_contract, consultancy_admin):
    with pytest.raises(ValidationError) as caught:
        services.set_engagement_contract(engagement=engagement, contract=other_contract, actor=consultancy_admin)
    assert caught.value.message_dict["contract"] == ["The contract belongs to another organisation."]
    engagement.refresh_from_db()
    assert engagement.contract is None


def test_a_closed_contract_cannot_be_chosen(engagement, contract, consultancy_admin):
    services.close_contract(contract=contract, actor=consultancy_admin)
    with pytest.raises(ValidationError):
        services.set_engagement_contract(engagement=engagement, contract=contract, actor=consultancy_admin)


def test_unlinking_is_recorded_on_the_old_contract(engagement, contract, consultancy_admin):
    services.set_engagement_contract(engagement=engagement, contract=contract, actor=consultancy_admin)
    services.set_engagement_contract(engagement=engagement, contract=None, actor=consultancy_admin)
    engagement.refresh_from_db()
    assert engagement.contract is None
    assert list(contract.events.values_list("kind", flat=True)) == ["engagement_linked", "engagement_unlinked"]


@pytest.mark.parametrize(
    ("field", "day"), [("end_date", datetime.date(9999, 12, 31)), ("start_date", datetime.date(1, 1, 1))]
)
def test_the_calendars_far_ends_are_refused(organisation, consultancy_admin, field, day):
    with pytest.raises(ValidationError) as caught:
        services.create_contract(organisation=organisation, actor=consultancy_admin, **{**FIELDS, field: day})
    assert field in caught.value.message_dict


def test_extending_to_the_calendars_end_is_refused(contract, consultancy_admin):
    with pytest.raises(ValidationError):
        services.extend_contract(contract=contract, actor=consultancy_admin, new_end=datetime.date(9999, 12, 31))
    contract.refresh_from_db()
    assert contract.end_date.year < 2100
