"""The billing pages (consultancy admins only): the month's run, a draft, finalising, CSV (safe
against formula injection, nothing from notes or feedback), the printable page, mentor hours."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from demo.factories import make_feedback, make_note, make_reflection, make_session
from sessions.usage import CONSULTANCY_TIME_ZONE

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

SECRETS = ("Secret note text", "Secret reflection text", "Secret feedback text")


@pytest.fixture
def october(engagement, contract, mentor):
    mentor.full_name = "=HYPERLINK(evil)"
    mentor.save()
    engagement.contract = contract
    engagement.save()
    session = make_session(
        engagement=engagement, start=datetime.datetime(2026, 10, 6, 9, tzinfo=CONSULTANCY_TIME_ZONE), status="completed"
    )
    make_note(session=session, body=SECRETS[0], visibility="shared")
    make_reflection(session=session, body=SECRETS[1], visibility="shared")
    make_feedback(session=session, comment=SECRETS[2])
    return session


def invoice_url(name, contract, month="2026-10"):
    return reverse(f"billing:{name}", args=[contract.uuid, month])


@pytest.fixture
def admin_client(client, consultancy_admin):
    client.force_login(consultancy_admin)
    return client


def test_the_run_lists_each_contracts_draft(admin_client, october, contract):
    page = admin_client.get(reverse("billing:run") + "?month=2026-10").content.decode()
    assert contract.organisation.name in page
    assert invoice_url("invoice", contract) in page
    assert "5000.00 SEK" in page  # 4000 + 25 % VAT
    assert "1 of 12 sessions used" in page  # how much of the package is left, on the same page


def test_a_bad_month_is_said_not_a_500(admin_client):
    response = admin_client.get(reverse("billing:run") + "?month=2026-13")
    assert response.status_code == 200
    assert "Enter a month as year and month" in response.content.decode()


@pytest.mark.parametrize("month", ["2026-13", "abc", "99999-01", "2026"])
def test_a_bad_month_in_the_url_is_404(admin_client, contract, month):
    assert admin_client.get(invoice_url("invoice", contract, month)).status_code == 404


def test_admin_reviews_and_finalises_a_draft(admin_client, october, contract):
    page = admin_client.get(invoice_url("invoice", contract)).content.decode()
    assert "Draft" in page
    assert "Finalise the invoice" in page
    response = admin_client.post(invoice_url("invoice-finalise", contract))
    assert response.status_code == 302
    page = admin_client.get(response.url).content.decode()
    assert "Invoice 2026-0001" in page
    assert "Finalise the invoice" not in page
    assert admin_client.post(invoice_url("invoice-finalise", contract)).status_code == 302  # double submit
    assert contract.invoices.count() == 1
    contract_page = admin_client.get(contract.get_absolute_url()).content.decode()
    assert "2026-0001" in contract_page  # the contract page lists its invoices


def test_finalising_needs_a_post(admin_client, october, contract):
    assert admin_client.get(invoice_url("invoice-finalise", contract)).status_code == 405


def test_csv_is_formula_safe_and_holds_nothing_confidential(admin_client, october, contract):
    response = admin_client.get(invoice_url("invoice-csv", contract))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:6] == ["Invoice", "Organisation", "Contract reference", "Month", "Date", "Kind"]
    line = rows[1]
    assert line[4:8] == ["2026-10-06", "Held", "'=HYPERLINK(evil)", october.mentee.display_name]
    assert line[11] == "4000.00"
    assert [row[5] for row in rows[2:]] == ["Subtotal", "VAT", "Total"]
    assert rows[-1][11] == "5000.00"
    for secret in SECRETS:
        assert secret not in text


def test_csv_for_a_swedish_reader_has_semicolons_swedish_labels_and_decimal_commas(
    admin_client, consultancy_admin, october, contract
):
    consultancy_admin.language = "sv"
    consultancy_admin.save(update_fields=["language"])
    text = admin_client.get(invoice_url("invoice-csv", contract)).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:6] == ["Faktura", "Organisation", "Avtalsreferens", "Månad", "Datum", "Typ"]
    assert rows[1][4:6] == ["2026-10-06", "Genomförd"]
    assert rows[1][11] == "4000,00"
    assert [row[5] for row in rows[2:]] == ["Delsumma", "Moms", "Summa"]
    assert rows[-1][11] == "5000,00"
    assert "'=HYPERLINK(evil)" in rows[1]


def test_the_printable_page_is_the_invoice_without_the_site_around_it(admin_client, october, contract):
    page = admin_client.get(invoice_url("invoice-print", contract)).content.decode()
    assert 'class="report-print"' in page
    assert "site-header" not in page
    assert "PO-ALDER-1" in page
    for secret in SECRETS:
        assert secret not in page


def test_mentor_hours(admin_client, october):
    page = admin_client.get(reverse("billing:mentor-hours") + "?month=2026-10").content.decode()
    assert "=HYPERLINK(evil)" in page  # escaped HTML, shown as text
    assert october.engagement.organisation.name in page


@pytest.mark.parametrize("viewer", ["mentor", "mentee", "outsider_mentee", "other_mentor"])
def test_everybody_but_admins_gets_404(client, request, viewer, october, contract):
    client.force_login(request.getfixturevalue(viewer))
    for url in [
        reverse("billing:run"),
        reverse("billing:mentor-hours"),
        invoice_url("invoice", contract),
        invoice_url("invoice-csv", contract),
        invoice_url("invoice-print", contract),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(invoice_url("invoice-finalise", contract)).status_code == 404
    assert not contract.invoices.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, contract):
    response = client.get(invoice_url("invoice", contract))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
