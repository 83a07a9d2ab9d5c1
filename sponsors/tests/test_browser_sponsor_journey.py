"""The sponsor journey in real Chromium: an admin invites a sponsor → the sponsor signs up from
the invitation link → the mentee shares one goal → the sponsor sees it and asks for an
extension → the admin sees the request among the leads."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from core.tests.helpers import TEST_PASSWORD, browser_sign_in
from demo.factories import core_focus_areas, make_goal

pytestmark = [pytest.mark.clock, pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "a long and good passphrase"


def test_invite_sign_up_share_see_and_ask_for_an_extension(
    page: Page, live_server, settings, consultancy_admin, organisation, mentee, engagement
):
    settings.SITE_URL = live_server.url
    area = core_focus_areas()["leadership"]  # a transactional test flushed the migration's
    shared = make_goal(engagement=engagement, title="Run the Monday meeting without me", focus_area=area)
    make_goal(engagement=engagement, title="A private goal about my boss", focus_area=area)

    # The admin invites a sponsor from the organisation page, in a browser window of their own
    # (signing in twice within one TOTP period would reuse the code, which is refused).
    admin = page.context.browser.new_context().new_page()
    browser_sign_in(admin, live_server.url, consultancy_admin.email, TEST_PASSWORD)
    admin.goto(f"{live_server.url}/organisations/{organisation.uuid}/")
    admin.get_by_role("link", name="Invite a person").click()
    admin.get_by_role("radio", name=re.compile("Sponsor")).check()
    admin.get_by_label("Email address").fill("siri.sponsor@example.org")
    admin.get_by_label("Name").fill("Siri Sponsor")
    admin.get_by_label("Title").fill("CEO")
    admin.get_by_role("button", name="Send the invitation").click()
    expect(admin.locator(".messages")).to_contain_text("siri.sponsor@example.org")

    # The sponsor follows the link, signs up, and lands in the portal.
    message = next(m for m in mail.outbox if m.to == ["siri.sponsor@example.org"])
    link = re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_role("button", name="Accept and create your account").click()
    page.locator("input[name=full_name]").fill("Siri Sponsor")
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").press("Enter")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisation's mentoring")
    expect(page.get_by_text("Run the Monday meeting without me")).to_have_count(0)

    # The mentee shares one goal from the development plan.
    browser_sign_in(page, live_server.url, mentee.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/engagements/{engagement.uuid}/plan/")
    page.get_by_role("button", name=f"Share with the sponsor – {shared.title}").first.click()
    expect(page.locator(".messages")).to_be_visible()

    # The sponsor sees that goal (and not the other) and asks for an extension.
    browser_sign_in(page, live_server.url, "siri.sponsor@example.org", NEW_PASSWORD)
    expect(page.get_by_text("Run the Monday meeting without me").first).to_be_visible()
    expect(page.get_by_text("A private goal about my boss")).to_have_count(0)
    page.get_by_role("link", name="Dave Mentee").first.click()
    page.get_by_role("link", name="Request an extension").click()
    page.get_by_label("Your message to the consultancy").fill("Could Dave go on for six more months?")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".messages")).to_contain_text("sent to the consultancy")

    # The admin sees the request among the leads, linked to the engagement.
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Inquiries").click()
    lead = admin.locator("article", has_text="Could Dave go on for six more months?")
    expect(lead).to_be_visible()
    lead.get_by_role("link", name="Dave Mentee").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Dave Mentee")
    admin.context.close()
