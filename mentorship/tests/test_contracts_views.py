"""Contract pages (consultancy admins only): list, create, edit, extend, close, the contract page,
and choosing an engagement's contract."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from demo.factories import make_contract
from mentorship.models import Contract

pytestmark = pytest.mark.django_db

VALID = {
    "reference": "PO-2026-118",
    "start_date": "2026-09-01",
    "end_date": "2027-08-31",
    "unit": "hours",
    "quantity": "24",
    "price": "2150.50",
    "currency": "SEK",
    "vat_rate": "25",
    "late_cancellation_billable": "on",
    "overage": "extra",
}


@pytest.fixture
def admin_client(client, consultancy_admin):
    client.force_login(consultancy_admin)
    return client


def test_admin_creates_a_contract_and_lands_on_its_page(admin_client, organisation):
    response = admin_client.post(reverse("mentorship:contract-create", args=[organisation.uuid]), VALID)
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response.url == contract.get_absolute_url()
    assert (contract.organisation, contract.unit, contract.quantity) == (organisation, "hours", Decimal("24"))
    assert contract.price == Decimal("2150.50")
    assert contract.no_show_billable is False
    page = admin_client.get(response.url).content.decode()
    assert "PO-2026-118" in page
    assert "24 hours" in page
    assert "Alice Admin" in page  # the history says who created it


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2026-08-01"}, "end_date", "The last day cannot come before the first day."),
        ({"quantity": ""}, "quantity", "Say how many sessions or hours were sold."),
        ({"unit": "sessions", "quantity": "2.5"}, "quantity", "A package of sessions is a whole number."),
        ({"price": "-5"}, "price", None),
        ({"price": "abc"}, "price", None),
        ({"vat_rate": "250"}, "vat_rate", None),
    ],
)
def test_bad_input_is_a_form_error_not_a_contract(admin_client, organisation, changes, field, message):
    response = admin_client.post(reverse("mentorship:contract-create", args=[organisation.uuid]), {**VALID, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    if message:
        assert message in response.context["form"].errors[field]
    assert not Contract.objects.exists()


def test_the_form_is_labelled(admin_client, organisation):
    page = admin_client.get(reverse("mentorship:contract-create", args=[organisation.uuid])).content.decode()
    for field in ("reference", "start_date", "end_date", "quantity", "price", "vat_rate"):
        assert f'<label for="id_{field}"' in page


def test_organisation_page_links_its_contracts(admin_client, organisation, contract):
    page = admin_client.get(reverse("mentorship:organisation-detail", args=[organisation.uuid])).content.decode()
    assert reverse("mentorship:contract-list", args=[organisation.uuid]) in page
    listing = admin_client.get(reverse("mentorship:contract-list", args=[organisation.uuid])).content.decode()
    assert contract.get_absolute_url() in listing


def test_the_list_shows_only_the_organisations_own_contracts(admin_client, organisation, contract, other_contract):
    listing = admin_client.get(reverse("mentorship:contract-list", args=[organisation.uuid])).content.decode()
    assert "PO-ALDER-1" in listing
    assert "PO-BIRCH-1" not in listing


def test_edit_is_recorded_in_the_history(admin_client, contract):
    data = {**VALID, "unit": "sessions", "quantity": "12", "price": "4100"}
    response = admin_client.post(reverse("mentorship:contract-edit", args=[contract.uuid]), data)
    assert response.status_code == 302
    page = admin_client.get(contract.get_absolute_url()).content.decode()
    assert "price excluding VAT: 4000 → 4100" in page


def test_extend_adds_sessions(admin_client, contract):
    response = admin_client.post(
        reverse("mentorship:contract-extend", args=[contract.uuid]), {"new_end": "2027-12-31", "more_quantity": "4"}
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.end_date, contract.quantity) == (datetime.date(2027, 12, 31), Decimal(16))


def test_extend_to_an_earlier_day_is_a_form_error(admin_client, contract):
    response = admin_client.post(reverse("mentorship:contract-extend", args=[contract.uuid]), {"new_end": "2026-01-01"})
    assert response.status_code == 200
    assert "new_end" in response.context["form"].errors


def test_close_needs_a_post_and_then_the_contract_is_frozen(admin_client, contract):
    url = reverse("mentorship:contract-close", args=[contract.uuid])
    assert admin_client.get(url).status_code == 405
    assert admin_client.post(url).status_code == 302
    assert admin_client.post(url).status_code == 302  # double submit: no error
    contract.refresh_from_db()
    assert contract.status == "closed"
    response = admin_client.get(reverse("mentorship:contract-edit", args=[contract.uuid]))
    assert response.status_code == 302  # back to the contract page with a message


def test_admin_chooses_the_engagements_contract(admin_client, engagement, contract, other_contract):
    url = reverse("mentorship:engagement-contract", args=[engagement.uuid])
    page = admin_client.get(url).content.decode()
    assert "PO-ALDER-1" in page
    assert "PO-BIRCH-1" not in page  # another organisation's contract is not offered
    assert admin_client.post(url, {"contract": contract.pk}).status_code == 302
    engagement.refresh_from_db()
    assert engagement.contract == contract
    detail = admin_client.get(reverse("overview:engagement-detail", args=[engagement.uuid])).content.decode()
    assert contract.get_absolute_url() in detail
    contract_page = admin_client.get(contract.get_absolute_url()).content.decode()
    assert reverse("overview:engagement-detail", args=[engagement.uuid]) in contract_page


def test_a_forged_choice_of_another_organisations_contract_is_refused(admin_client, engagement, other_contract):
    response = admin_client.post(
        reverse("mentorship:engagement-contract", args=[engagement.uuid]), {"contract": other_contract.pk}
    )
    assert response.status_code == 200
    assert "contract" in response.context["form"].errors
    engagement.refresh_from_db()
    assert engagement.contract is None


def test_a_closed_contract_is_not_offered(admin_client, engagement, organisation):
    closed = make_contract(organisation=organisation, reference="PO-OLD", status="closed")
    page = admin_client.get(reverse("mentorship:engagement-contract", args=[engagement.uuid])).content.decode()
    assert "PO-OLD" not in page
    response = admin_client.post(
        reverse("mentorship:engagement-contract", args=[engagement.uuid]), {"contract": closed.pk}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("viewer", ["mentor", "mentee", "outsider_mentee", "other_mentor"])
def test_everybody_but_admins_gets_404(client, request, viewer, engagement, contract):
    client.force_login(request.getfixturevalue(viewer))
    urls = [
        reverse("mentorship:contract-list", args=[contract.organisation.uuid]),
        reverse("mentorship:contract-create", args=[contract.organisation.uuid]),
        reverse("mentorship:contract-edit", args=[contract.uuid]),
        reverse("mentorship:contract-extend", args=[contract.uuid]),
        reverse("mentorship:contract-close", args=[contract.uuid]),
        reverse("mentorship:engagement-contract", args=[engagement.uuid]),
        contract.get_absolute_url(),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, VALID).status_code == 404, url
    contract.refresh_from_db()
    assert contract.status == "open"
    assert contract.price == Decimal("4000")


def test_anonymous_visitors_are_sent_to_sign_in(client, contract):
    response = client.get(contract.get_absolute_url())
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
