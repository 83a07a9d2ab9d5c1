"""In real Chromium on a 390 px phone: a declined choice goes back to the mentee, who chooses
again; the admin's queue lists it; a team is added with its members in one step. No page scrolls
sideways."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import User
from core.tests.helpers import browser_sign_in
from demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from mentorship.models import AssignmentStatus, Invitation, LeadershipTeam, MentorAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    User.objects.update(language="en")


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_mentee_chooses_again_after_a_decline_on_a_phone(page: Page, live_server, demo):
    page.set_viewport_size(PHONE)
    browser_sign_in(page, live_server.url, "other.mentee@example.com", DEMO_PASSWORD)
    expect(page.locator("h1")).to_contain_text("Your mentorship")
    expect(page.get_by_text("Per Holm could not take this on")).to_be_visible()
    assert fits(page)
    page.get_by_role("link", name="Choose your mentor").click()
    expect(page.get_by_role("button", name="Choose Per Holm")).to_have_count(0)
    assert fits(page)
    page.get_by_role("button", name="Choose Leila Karimi").click()
    expect(page.locator(".messages")).to_contain_text("You chose Leila Karimi.")
    pending = MentorAssignment.objects.get(status=AssignmentStatus.PENDING)
    assert pending.mentor.email == "leila.karimi@example.com"


def test_admin_sees_the_queue_and_adds_a_team_in_one_step_on_a_phone(page: Page, live_server, demo):
    page.set_viewport_size(PHONE)
    browser_sign_in(page, live_server.url, "admin@example.com", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    queue = page.locator("section", has=page.locator("#attention-heading"))
    expect(queue.get_by_role("heading", name="Mentors who declined")).to_be_visible()
    expect(queue.get_by_text("Per Holm declined")).to_be_visible()
    expect(queue.get_by_role("heading", name="New inquiries")).to_be_visible()
    assert fits(page)

    page.goto(live_server.url + "/organisations/")
    page.get_by_role("link", name="Solhaga Energi AB").click()
    page.get_by_role("link", name="Add a team with its members").click()
    page.get_by_label("Team name").fill("Solhaga ledning")
    page.get_by_label("Members").fill("Siv Ström, siv.strom@example.com, CEO\nTor Dahl; tor.dahl@example.com; CFO")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("Will be invited to the team.")).to_have_count(2)
    assert fits(page)
    page.get_by_role("button", name="Add the team and invite 2 people").click()
    expect(page.get_by_text("The team Solhaga ledning was added and 2 invitations were sent.")).to_be_visible()
    team = LeadershipTeam.objects.get(name="Solhaga ledning")
    assert set(Invitation.objects.filter(team=team).values_list("full_name", flat=True)) == {"Siv Ström", "Tor Dahl"}
