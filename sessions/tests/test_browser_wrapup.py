"""The mentor's wrap-up in Chromium on a 390 px phone: the note says who will read it before it
is saved, everything is saved with one button, and "book the next session" leads on."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.tests.helpers import browser_sign_in
from demo import factories
from mentorship.models import Engagement
from sessions.models import ActionItem, SessionNote, SessionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_mentor_wraps_up_a_session_on_a_phone_and_books_the_next(page: Page, live_server, output_path):
    mentor = factories.make_user(email="max.mentor@example.org", roles=("mentor",), full_name="Max Mentor")
    factories.make_availability(mentor=mentor)
    organisation = factories.make_organisation(name="Granskog Bygg AB")
    mentee = factories.make_user(
        email="mia.mentee@example.org", roles=("mentee",), full_name="Mia Mentee", organisation=organisation
    )
    engagement = factories.make_engagement(mentee=mentee, mentor=mentor, status=Engagement.Status.ACTIVE)
    factories.make_venue(name="Riverside Rooms")
    session = factories.make_session(engagement=engagement, start=timezone.now() - datetime.timedelta(hours=3))

    page.set_viewport_size({"width": 390, "height": 844})
    browser_sign_in(page, live_server.url, mentor.email, factories.PASSWORD)
    page.goto(f"{live_server.url}/sessions/{session.uuid}/")
    wrapup = page.locator("#wrap-up")
    expect(wrapup.get_by_role("heading", name="Wrap up the session")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    wrapup.get_by_label("Held").check()
    wrapup.get_by_label("Your note (optional)").fill("Practised the hard conversation.")
    private_says = wrapup.get_by_text("This note stays private: only you will read it.")
    shared_says = wrapup.get_by_text("When you save, this note is shared with Mia Mentee.")
    expect(private_says).to_be_visible()
    expect(shared_says).to_be_hidden()
    wrapup.get_by_label("Shared with Mia Mentee").check()
    expect(shared_says).to_be_visible()
    expect(private_says).to_be_hidden()
    wrapup.get_by_label("Next step (optional)").fill("Hold the talk with Sara before Friday.")
    wrapup.get_by_label("Due (optional)").fill("2026-12-02")
    os.makedirs(output_path, exist_ok=True)
    wrapup.screenshot(path=os.path.join(output_path, "wrap-up-phone-en.png"))

    wrapup.get_by_role("button", name="Save and book the next session").click()
    expect(page.get_by_role("heading", name="Book a session")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("Wrap-up saved")
    expect(page.get_by_role("button", name="Book the suggested time")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    assert SessionNote.objects.get(session=session).visibility == "shared"
    item = ActionItem.objects.get(engagement=engagement)
    assert (item.owner, item.due_date) == (mentee, datetime.date(2026, 12, 2))
