"""A Playwright journey through a leadership team's year (issue 18): the mentor records who came to
a team session with one member absent, the team view shows it (on a phone too), and that member
books a one-to-one with the mentor from their home page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import User
from core.tests.helpers import browser_sign_in
from demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from mentorship.models import LeadershipTeam
from mentorship.organisations.selectors import team_roster
from sessions.models import MemberAttendance, MentoringSession, SessionKind

pytestmark = [pytest.mark.clock, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ABSENT = "oskar.lund@example.com"


def sign_in(page: Page, base_url: str, email: str) -> None:
    browser_sign_in(page, base_url, email, DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)


def test_attendance_with_one_absent_shows_on_the_team_view_and_that_member_books_a_one_to_one(
    page: Page, live_server, settings
):
    settings.DEBUG = True
    call_command("seed_demo")
    User.objects.update(language="en")
    engagement = LeadershipTeam.objects.get().engagements.get()
    mentor, member = engagement.mentor, User.objects.get(email=ABSENT)
    session = engagement.sessions.filter(kind=SessionKind.SESSION, status="completed").order_by("-start").first()

    # The mentor records who came: everyone present but Oskar.
    sign_in(page, live_server.url, mentor.email)
    page.goto(f"{live_server.url}/sessions/{session.uuid}/")
    wrapup = page.locator("#wrap-up")
    for seat in session.roster().select_related("user"):
        choice = "Absent" if seat.user == member else "Present"
        wrapup.get_by_role("group", name=seat.user.display_name).get_by_label(choice, exact=True).check()
    wrapup.get_by_role("button", name="Save the wrap-up").click()
    expect(page.locator(".messages")).to_be_visible()
    assert MemberAttendance.objects.get(session=session, member=member).status == "absent"

    # The team view shows it: Oskar's attendance is below everyone's who came.
    seat = next(seat for seat in team_roster(engagement.team) if seat.user == member)
    page.goto(f"{live_server.url}/engagements/{engagement.uuid}/team/")
    row = page.get_by_role("row", name=re.compile(member.display_name))
    expect(row).to_contain_text(f"{seat.attended} of {seat.recorded} ({seat.attendance_rate} %)")
    assert seat.attendance_rate < 100
    # On a 390 px phone each member is a card, with nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    label = row.locator("td").nth(3).evaluate("el => getComputedStyle(el, '::before').content")
    assert "Attendance at team sessions" in label
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Oskar books a one-to-one with the mentor from his home page.
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server.url, member.email)
    page.get_by_role("link", name=f"Book a one-to-one with {mentor.display_name}").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Book a one-to-one with {mentor.display_name}")
    page.get_by_role("group", name="Free times in week").get_by_role("radio").first.check()
    page.locator(".venue-options").first.get_by_role("radio").first.check()
    before = MentoringSession.objects.filter(kind=SessionKind.ONE_TO_ONE, mentee=member).count()
    page.get_by_role("button", name=re.compile(r"(Book|Request) this session")).click()
    expect(page.locator(".messages")).to_contain_text(re.compile("booked|Requested"))
    expect(page.locator("main")).to_contain_text(f"One-to-one with {member.display_name}")
    assert MentoringSession.objects.filter(kind=SessionKind.ONE_TO_ONE, mentee=member).count() == before + 1

    # Nobody else in the team sees it.
    one_to_one = MentoringSession.objects.filter(kind=SessionKind.ONE_TO_ONE, mentee=member).latest("created_at")
    sign_in(page, live_server.url, "karin.alm@example.com")
    response = page.goto(f"{live_server.url}/sessions/{one_to_one.uuid}/")
    assert response.status == 404
