import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import User
from core.tests.helpers import browser_sign_in
from demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_sees_a_chart_and_the_at_risk_list_and_opens_the_top_engagement(page: Page, live_server, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    User.objects.update(language="en")
    browser_sign_in(page, live_server.url, "admin@example.com", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Health", exact=True).click()
    expect(page.get_by_role("heading", name="Engagement health")).to_be_visible()
    chart = page.locator("svg[role=img]").first
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 100
    expect(page.locator("details summary").first).to_be_visible()  # the data-table fallback

    risk = page.locator("section", has=page.get_by_role("heading", name="At risk"))
    top = risk.locator("a[href^='/engagements/']").first
    expect(top).to_be_visible()
    name = top.inner_text()
    top.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
