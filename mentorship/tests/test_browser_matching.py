import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import User
from core.tests.helpers import browser_sign_in
from demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from mentorship.models import Engagement, LeadershipTeam, MentorAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    browser_sign_in(page, base_url, email, password, totp_secret=DEMO_TOTP_SECRET)


def test_admin_opens_a_team_engagement_assigns_a_ranked_mentor_who_accepts(page: Page, live_server, settings):
    settings.DEBUG = True
    settings.LANGUAGE_CODE = "sv"  # the production default: people's own language must win
    call_command("seed_demo")
    User.objects.filter(is_mentor=True).update(language="en")
    User.objects.filter(email="admin@example.com").update(language="en")
    before = set(Engagement.objects.values_list("pk", flat=True))

    sign_in(page, live_server.url, "admin@example.com")
    page.goto(live_server.url + "/engagements/new/")
    page.get_by_label("Or a whole leadership team").select_option(
        str(LeadershipTeam.objects.get(name="Björkvik ledningsgrupp").pk)
    )
    page.get_by_label("The organisation is entering a new role").check()
    page.get_by_label("A leadership-team decision").check()
    page.get_by_label("Change management").check()
    page.get_by_label("Team development").check()
    page.get_by_label("Goals").fill("Lead the merger of two regional offices as one team.")
    page.get_by_role("button", name="Open the engagement").click()

    expect(page.get_by_text("Proposed").first).to_be_visible()
    (engagement,) = Engagement.objects.exclude(pk__in=before)
    assert engagement.team.name == "Björkvik ledningsgrupp"

    page.get_by_role("link", name="Find a mentor").click()
    ranked = page.locator("section", has=page.get_by_role("heading", name="Best matches"))
    first = ranked.locator("article").first
    expect(first).to_contain_text("Team development")  # a reason in plain words
    expect(first.locator("li").first).to_be_visible()
    first.get_by_role("button", name="Assign").click()
    expect(page.locator(".messages")).to_be_visible()

    assignment = MentorAssignment.objects.get(engagement=engagement, status="pending")
    sign_in(page, live_server.url, assignment.mentor.email)
    request_card = page.locator("article", has_text="Björkvik ledningsgrupp")
    request_card.get_by_role("button", name="Accept").click()
    expect(page.locator(".messages")).to_be_visible()

    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ACTIVE
    assert engagement.mentor == assignment.mentor
    page.goto(f"{live_server.url}/engagements/{engagement.uuid}/")
    expect(page.locator("main")).to_contain_text("Active")
