"""A mentor connects their own calendar on a phone, with the keyboard and labels a screen reader
announces, and sees it read — the link itself never shown again."""

import pytest
from playwright.sync_api import Page, expect

from core.tests.helpers import TEST_PASSWORD, browser_sign_in
from sessions.models import BusyCalendar

pytestmark = [pytest.mark.clock, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nEND:VCALENDAR\r\n"


def test_a_mentor_connects_a_calendar_on_a_phone(page: Page, live_server, mentor, calendar_server):
    url = calendar_server.serve_ics("/owa/secret-token-31337/calendar.ics", CALENDAR)
    page.set_viewport_size({"width": 375, "height": 740})
    browser_sign_in(page, live_server.url, mentor.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/availability/")
    expect(page.get_by_role("heading", name="Your own calendars")).to_be_visible()

    field = page.get_by_label("Calendar link (ICS)")
    field.fill("ftp://calendar.example.net/cal.ics")
    field.press("Enter")
    expect(page.locator(".field-error").first).to_contain_text("starting with https://")

    page.get_by_label("Calendar link (ICS)").fill(url)
    page.get_by_role("button", name="Connect", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("was added")
    page.reload()
    expect(page.locator(".busy-calendars")).to_contain_text("Last read")
    expect(page.locator(".busy-calendars")).to_contain_text("127.0.0.1 …1337")
    assert "secret-token-31337" not in page.content()
    expect(page.get_by_role("button", name="Read again 127.0.0.1 …1337")).to_be_visible()
    assert BusyCalendar.objects.get().read_at is not None

    page.get_by_role("button", name="Remove calendar 127.0.0.1 …1337").click()
    expect(page.locator(".messages")).to_contain_text("was removed")
    assert not BusyCalendar.objects.exists()
