"""The plan page in real Chromium on a 390 px phone: it fits without sideways scrolling, the charts
are drawn, and the mentee shares an item with the keyboard alone."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import User
from core.tests.helpers import browser_sign_in
from demo.seed import DEMO_PASSWORD
from mentorship.models import Engagement
from progress.models import ConsentState, Goal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    User.objects.update(language="en")


def test_the_mentee_shares_a_goals_ratings_on_a_phone(page: Page, live_server, demo):
    page.set_viewport_size({"width": 390, "height": 844})
    engagement = Engagement.objects.get(mentee__email="mentee@example.com")
    goal = Goal.objects.get(engagement=engagement, title="Build trust with the night shift")
    browser_sign_in(page, live_server.url, "mentee@example.com", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/engagements/{engagement.uuid}/plan/")

    expect(page.get_by_role("heading", name="Development plan")).to_be_visible()
    expect(page.locator(f"#goal-{goal.pk}")).to_be_visible()
    assert page.locator("svg.chart").count() >= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    share = page.locator(f"#goal-{goal.pk} form").filter(has=page.locator('input[value="goal_ratings"]'))
    share.get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Your sponsor sees it now.")
    goal.refresh_from_db()
    assert goal.ratings_consent == ConsentState.SHARED
