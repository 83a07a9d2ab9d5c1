"""The contract-to-invoice journey in real Chromium: the admin creates a contract and links an
engagement, the mentee books and sees "session N of M", the mentor marks it held, the admin runs
the month and downloads the CSV."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from billing.invoices.lines import month_of
from core.tests.helpers import browser_sign_in
from demo import factories
from mentorship.models import Contract, Engagement
from sessions.models import MentoringSession, SessionStatus
from sessions.usage import consultancy_today

pytestmark = [pytest.mark.clock, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_contract_mentee_books_mentor_holds_admin_bills(page: Page, live_server, tmp_path):
    admin = factories.make_user(email="ada.admin@example.org", roles=("consultancy_admin",), full_name="Ada Admin")
    mentor = factories.make_user(email="max.mentor@example.org", roles=("mentor",), full_name="Max Mentor")
    factories.make_availability(mentor=mentor)
    organisation = factories.make_organisation(name="Granskog Bygg AB")
    mentee = factories.make_user(
        email="mia.mentee@example.org", roles=("mentee",), full_name="Mia Mentee", organisation=organisation
    )
    engagement = factories.make_engagement(mentee=mentee, mentor=mentor, status=Engagement.Status.ACTIVE)
    factories.make_venue(name="Riverside Rooms")
    today = consultancy_today()

    # The admin creates a contract of four sessions and links the engagement to it.
    browser_sign_in(page, live_server.url, admin.email, factories.PASSWORD)
    page.goto(f"{live_server.url}/organisations/{organisation.uuid}/")
    page.get_by_role("link", name="Contracts").click()
    page.get_by_role("link", name="Add a contract").click()
    page.get_by_label("Reference").fill("PO-GB-77")
    page.get_by_label("First day").fill((today - datetime.timedelta(days=60)).isoformat())
    page.get_by_label("Last day").fill((today + datetime.timedelta(days=300)).isoformat())
    page.get_by_label("Sessions", exact=True).check()
    page.get_by_label("How many").fill("4")
    page.get_by_label("Price excluding VAT").fill("4500")
    page.get_by_label("Refused").check()
    page.get_by_role("button", name="Add the contract").click()
    expect(page.get_by_role("heading", name=re.compile("Contract PO-GB-77"))).to_be_visible()
    contract = Contract.objects.get(reference="PO-GB-77")

    page.goto(f"{live_server.url}/engagements/{engagement.uuid}/")
    page.get_by_role("link", name="Choose the contract").click()
    page.get_by_label("Contract").select_option(label=str(contract))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("contract was saved")

    # The mentee sees the package before booking, books, and sees which session it is.
    browser_sign_in(page, live_server.url, mentee.email, factories.PASSWORD)
    page.goto(f"{live_server.url}/engagements/{engagement.uuid}/book/")
    expect(page.locator("main")).to_contain_text("This will be session 1 of 4.")
    page.get_by_role("group", name="Free times in week").get_by_role("radio").first.check()
    page.locator(".venue-options").first.get_by_role("radio").first.check()
    page.get_by_role("button", name="Book this session").click()
    expect(page.locator("main")).to_contain_text("Session 1 of 4")
    session = MentoringSession.objects.get(engagement=engagement)

    # The session takes place (moved into the past, as if time had passed) and the mentor marks it held.
    held_start = (timezone.now() - datetime.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    MentoringSession.objects.filter(pk=session.pk).update(
        start=held_start, end=held_start + datetime.timedelta(minutes=engagement.session_minutes)
    )
    browser_sign_in(page, live_server.url, mentor.email, factories.PASSWORD)
    page.goto(f"{live_server.url}/sessions/{session.uuid}/")
    page.get_by_label("Held").check()
    page.get_by_role("button", name="Save the wrap-up").click()
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    expect(page.locator("main")).to_contain_text("Session 1 of 4")

    # An admin runs the month and downloads the CSV. (Another admin than the first: a TOTP code
    # is accepted once, and the first admin's may not have changed yet.)
    month = month_of(held_start)
    billing_admin = factories.make_user(
        email="bo.billing@example.org", roles=("consultancy_admin",), full_name="Bo Billing"
    )
    browser_sign_in(page, live_server.url, billing_admin.email, factories.PASSWORD)
    page.goto(f"{live_server.url}/billing/?month={month:%Y-%m}")
    row = page.get_by_role("row", name=re.compile("Granskog Bygg AB"))
    expect(row).to_contain_text("5625.00 SEK")  # 4 500 + 25 % VAT
    row.get_by_role("link", name=str(contract)).click()
    expect(page.locator("main")).to_contain_text("Max Mentor")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    path = tmp_path / "invoice.csv"
    download_info.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    assert "PO-GB-77" in text
    assert ",held,Max Mentor,Mia Mentee," in text
    assert ",total," in text
    assert "5625.00" in text
