import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from core.tests.helpers import browser_sign_in
from demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from mentorship.models import Engagement
from sessions.models import MentoringSession, SessionStatus

pytestmark = [pytest.mark.clock, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_pauses_an_engagement_and_cancels_its_sessions_to_come(page: Page, live_server, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    User.objects.filter(email="admin@example.com").update(language="en")
    now = timezone.now()
    upcoming = MentoringSession.objects.filter(
        engagement__status=Engagement.Status.ACTIVE, status=SessionStatus.CONFIRMED, start__gt=now
    )
    engagement = upcoming.first().engagement
    to_come = list(upcoming.filter(engagement=engagement))

    browser_sign_in(page, live_server.url, "admin@example.com", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    page.goto(f"{live_server.url}/engagements/{engagement.uuid}/")
    page.get_by_role("link", name="Pause …").click()
    expect(page.get_by_role("heading", name="Pause the engagement", level=1)).to_be_visible()
    for session in to_come:
        expect(page.locator(f'a[href="/sessions/{session.uuid}/"]')).to_be_visible()
    page.get_by_role("button", name="Pause the engagement").click()  # no choice made: the browser asks
    cancel = page.get_by_label("Cancel them: everyone is told by email, with a calendar cancellation")
    expect(cancel).not_to_be_checked()
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ACTIVE

    cancel.check()
    page.get_by_label("Note on the change (optional, in the cancellation emails too)").fill("Parental leave.")
    page.get_by_role("button", name="Pause the engagement").click()
    expect(page.locator(".messages")).to_contain_text("The engagement is now paused.")

    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.PAUSED
    statuses = set(MentoringSession.objects.filter(pk__in=[s.pk for s in to_come]).values_list("status", flat=True))
    assert statuses == {SessionStatus.CANCELLED}


def test_admin_cancels_an_engagement_from_the_danger_zone_with_the_keyboard_only(page: Page, live_server, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    User.objects.filter(email="admin@example.com").update(language="en")
    engagement = Engagement.objects.filter(status=Engagement.Status.ACTIVE).first()

    browser_sign_in(page, live_server.url, "admin@example.com", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    page.goto(f"{live_server.url}/engagements/{engagement.uuid}/")
    zone = page.get_by_role("region", name="Danger zone: pause or end the engagement")
    expect(zone).to_be_visible()
    expect(zone.get_by_role("link")).to_have_text(["Pause …", "Mark as completed …", "Cancel the engagement …"])
    expect(page.get_by_role("button", name="Cancel the engagement")).to_have_count(0)  # never one click

    zone.get_by_role("link", name="Cancel the engagement …").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Cancel the engagement", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="What will happen")).to_contain_text("This cannot be undone")
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ACTIVE  # the page only asks

    choice = page.get_by_label("Cancel them: everyone is told by email, with a calendar cancellation")
    if choice.count():
        choice.focus()
        page.keyboard.press("Space")
    page.get_by_role("button", name="Cancel the engagement").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("The engagement is now cancelled.")
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.CANCELLED
    expect(page.get_by_role("region", name="Danger zone: pause or end the engagement")).to_have_count(0)
