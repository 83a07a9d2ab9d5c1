"""Issue check: a shared and a private note in the browser; who sees which."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import User
from core.tests.helpers import browser_sign_in
from demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from sessions.models import MentoringSession, SessionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHARED = "Shared: practise the budget talk before Thursday"
PRIVATE = "Private: worried about how the CFO treats him"


def sign_in(page: Page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    browser_sign_in(page, base_url, email, password, totp_secret=DEMO_TOTP_SECRET)


def write_note(page: Page, base_url: str, session: MentoringSession, text: str, visibility_label: str) -> None:
    page.goto(f"{base_url}/sessions/{session.uuid}/")
    page.get_by_role("link", name="Write a note").click()
    page.get_by_role("textbox", name=re.compile(r"^Note")).fill(text)
    page.get_by_label(visibility_label).check()
    page.get_by_role("button", name="Save the note").click()
    expect(page.locator("main")).to_contain_text(text)


def test_shared_note_reaches_the_mentee_private_note_nobody_else_admin_neither(page: Page, live_server, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    User.objects.filter(email__in=["mentor@example.com", "mentee@example.com", "admin@example.com"]).update(
        language="en"
    )
    mentee = User.objects.get(email="mentee@example.com")
    session = MentoringSession.objects.filter(mentee=mentee, status=SessionStatus.COMPLETED).order_by("-start").first()

    sign_in(page, live_server.url, "mentor@example.com")
    write_note(page, live_server.url, session, SHARED, "Shared with the mentee(s)")
    write_note(page, live_server.url, session, PRIVATE, "Private: only I can read it")

    sign_in(page, live_server.url, "mentee@example.com")
    page.goto(f"{live_server.url}/sessions/{session.uuid}/")
    expect(page.locator("main")).to_contain_text(SHARED)
    expect(page.locator("main")).not_to_contain_text(PRIVATE)
    page.goto(f"{live_server.url}/engagements/{session.engagement.uuid}/")
    expect(page.locator("main")).to_contain_text(SHARED)
    expect(page.locator("main")).not_to_contain_text(PRIVATE)

    sign_in(page, live_server.url, "admin@example.com")
    for path in (f"/sessions/{session.uuid}/", f"/engagements/{session.engagement.uuid}/"):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator("main")).not_to_contain_text(SHARED)
        expect(page.locator("main")).not_to_contain_text(PRIVATE)
