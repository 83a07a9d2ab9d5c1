"""End-to-end journeys in real Chromium, from login to what a person sees (issue: production
readiness). Screenshots of failures land in test-artifacts/ (make test passes --screenshot)."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from accounts.models import User
from core.tests.helpers import browser_sign_in
from demo.factories import make_session
from demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from mentorship.models import Engagement, LeadershipTeam, MentorAssignment, Organisation
from sessions.models import MentoringSession, SessionNote
from sessions.reminders import sweep as reminders

pytestmark = [pytest.mark.clock, pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "a long and good passphrase"


def sign_in(page: Page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    browser_sign_in(page, base_url, email, password, totp_secret=DEMO_TOTP_SECRET)


def free_start(mentor, around: datetime.datetime, *, step: int, limit: int = 48) -> datetime.datetime:
    """The first start, half an hour apart from `around` in direction `step`, where a two-hour
    session does not overlap the mentor's demo sessions (they are at fixed local hours)."""
    for index in range(limit):
        start = around + step * index * datetime.timedelta(minutes=30)
        end = start + datetime.timedelta(hours=2)
        if not MentoringSession.objects.filter(mentor=mentor, start__lt=end, end__gt=start).exists():
            return start
    raise AssertionError("no free time found for the test session")


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    User.objects.update(language="en")


def test_team_journey_engagement_mentor_invitation_session_notes_reminder(page: Page, live_server, demo, settings):
    settings.SITE_URL = live_server.url
    team = LeadershipTeam.objects.get(name="Björkvik ledningsgrupp")
    organisation = Organisation.objects.get(name="Björkvik Logistik AB")

    # The admin invites a new member of the leadership team.
    sign_in(page, live_server.url, "admin@example.com")
    page.goto(f"{live_server.url}/organisations/{organisation.uuid}/invite/?team={team.uuid}")
    page.get_by_label("Email address").fill("nora.vik@example.com")
    page.get_by_label("Name").fill("Nora Vik")
    page.get_by_label("Title").fill("Head of Sales")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".messages")).to_be_visible()

    # The admin opens a team engagement and assigns the best-ranked mentor.
    page.goto(live_server.url + "/engagements/new/")
    page.get_by_label("Or a whole leadership team").select_option(str(team.pk))
    page.get_by_label("Tougher demands than before").check()
    page.get_by_label("A leadership-team decision").check()
    page.get_by_label("Team development").check()
    page.get_by_label("Goals").fill("Grow the sales organisation as one team.")
    page.get_by_role("button", name="Open the engagement").click()
    engagement = Engagement.objects.filter(team=team).order_by("-created_at").first()
    page.get_by_role("link", name="Find a mentor").click()
    page.locator("section", has=page.get_by_role("heading", name="Best matches")).locator("article").first.get_by_role(
        "button", name="Assign"
    ).click()
    mentor = MentorAssignment.objects.get(engagement=engagement, status="pending").mentor

    # The mentor accepts and books a team session that invites every member.
    sign_in(page, live_server.url, mentor.email)
    page.locator("article", has_text="Björkvik ledningsgrupp").get_by_role("button", name="Accept").click()
    expect(page.locator(".messages")).to_be_visible()
    page.goto(f"{live_server.url}/engagements/{engagement.uuid}/book/")
    page.get_by_role("group", name="Free times in week").get_by_role("radio").first.check()
    page.locator(".venue-options").first.get_by_role("radio").first.check()
    page.get_by_role("button", name=re.compile("Book this session|Request this session")).click()
    expect(page.locator(".messages")).to_contain_text("booked", ignore_case=True)
    session = MentoringSession.objects.get(engagement=engagement)

    # The invited member follows the email link, accepts, signs up and sees the session.
    invitation = next(m for m in mail.outbox if m.to == ["nora.vik@example.com"])
    link = re.search(r"https?://\S+/invitations/\S+/", invitation.body).group(0)
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_role("button", name="Accept and create your account").click()
    page.locator("input[name=full_name]").fill("Nora Vik")
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").press("Enter")
    page.goto(live_server.url + "/sessions/")
    expect(page.locator(f'a[href="/sessions/{session.uuid}/"]').first).to_be_visible()

    # After the session, the mentor logs a shared note.
    held_start = free_start(mentor, timezone.now() - datetime.timedelta(days=2), step=-1)
    MentoringSession.objects.filter(pk=session.pk).update(
        start=held_start, end=held_start + datetime.timedelta(hours=2)
    )
    sign_in(page, live_server.url, mentor.email)
    page.goto(f"{live_server.url}/sessions/{session.uuid}/")
    page.get_by_role("link", name="Write a note").click()
    page.get_by_role("textbox", name=re.compile(r"^Note")).fill("Agreed: each member brings one customer story.")
    page.get_by_label("Shared with the mentee(s)").check()
    page.get_by_role("button", name="Save the note").click()
    assert SessionNote.objects.filter(session=session, visibility="shared").exists()

    # The next session's reminder, with its invite, reaches the mail sink.
    # A free time for the mentor inside the 48-hour reminder's window (43–47 h ahead).
    start = free_start(mentor, timezone.now().replace(microsecond=0) + datetime.timedelta(hours=43), step=1, limit=8)
    engagement.refresh_from_db()  # the mentor accepted it in the browser
    upcoming = make_session(engagement=engagement, start=start, end=start + datetime.timedelta(hours=2))
    mail.outbox.clear()
    reminders.sweep()
    # Only this session's reminder counts: the demo's own team sessions are at fixed local hours,
    # and at some hours one of them is due for a reminder in the same sweep.
    to_nora = [m for m in mail.outbox if m.to == ["nora.vik@example.com"]]
    events = [Calendar.from_ical(m.attachments[0][1]).walk("VEVENT")[0] for m in to_nora]
    sent = [event for event in events if str(event["UID"]) == upcoming.ical_uid]
    assert len(sent) == 1
    assert sent[0].decoded("DTSTART") == upcoming.start
