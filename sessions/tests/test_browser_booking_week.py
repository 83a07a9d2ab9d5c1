"""The booking page's week view in Chromium: booking from it on a 390 px phone, no horizontal
overflow, and screenshots (desktop and phone, Swedish and English) kept in the pytest output
folder (`--output`, `test-artifacts/` in `make test`) for a reviewer to look at."""

import datetime
import os

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import User
from core.tests.helpers import browser_sign_in
from demo.seed import DEMO_PASSWORD
from sessions.models import MentoringSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _open(page: Page, base_url: str, settings, language: str) -> User:
    settings.DEBUG = True
    call_command("seed_demo")
    User.objects.filter(email="mentee@example.com").update(language=language)
    mentee = User.objects.get(email="mentee@example.com")
    browser_sign_in(page, base_url, "mentee@example.com", DEMO_PASSWORD)
    page.goto(f"{base_url}/engagements/{mentee.engagements_as_mentee.get().uuid}/book/")
    return mentee


def _no_horizontal_overflow(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_mentee_books_from_the_week_view_on_a_phone(page: Page, live_server, settings):
    page.set_viewport_size(PHONE)
    mentee = _open(page, live_server.url, settings, "en")
    before = MentoringSession.objects.filter(mentee=mentee).count()
    expect(page.get_by_role("button", name="Book the suggested time")).to_be_visible()
    _no_horizontal_overflow(page)

    page.get_by_role("link", name="Next week →").click()
    assert "week=" in page.url
    _no_horizontal_overflow(page)
    chip = page.get_by_role("group", name="Free times in week").get_by_role("radio").first
    value = chip.get_attribute("value")
    chip.focus()  # a chip is reached by keyboard and chosen with the space bar
    page.keyboard.press("Space")
    expect(chip).to_be_checked()
    page.get_by_role("button", name="Book this session").click()
    expect(page.locator(".messages")).to_contain_text("Session booked")

    assert MentoringSession.objects.filter(mentee=mentee).count() == before + 1
    booked = MentoringSession.objects.filter(mentee=mentee).latest("created_at")
    assert booked.start == datetime.datetime.fromisoformat(value)
    _no_horizontal_overflow(page)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_screenshots_of_the_booking_page(page: Page, live_server, settings, output_path, language):
    os.makedirs(output_path, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    _open(page, live_server.url, settings, language)
    expect(page.locator(".suggestion button")).to_be_visible()
    page.screenshot(path=os.path.join(output_path, f"booking-desktop-{language}.png"), full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    _no_horizontal_overflow(page)
    # One week, not the whole horizon: a phone scrolls a few screens, not 3,500 px of radios.
    assert page.evaluate("document.documentElement.scrollHeight") < 4 * 844
    page.screenshot(path=os.path.join(output_path, f"booking-phone-{language}.png"), full_page=True)
    assert os.path.getsize(os.path.join(output_path, f"booking-phone-{language}.png")) > 0
