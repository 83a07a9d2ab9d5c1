import re

import pytest
from playwright.sync_api import Page, expect

from core.tests.helpers import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_mentee_logs_in_through_the_form_and_sees_their_home(page: Page, live_server, user_factory):
    user_factory(email="mentee@example.com", roles=("mentee",), full_name="Erik Nyström", language="en")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("mentee@example.com")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Erik Nyström")
    expect(page.locator("#home-sessions-heading")).to_be_visible()
    expect(page.locator("#home-engagements-heading")).to_be_visible()


def test_phone_layout_has_a_working_menu_button(page: Page, live_server, user_factory):
    user_factory(email="mentee@example.com", roles=("mentee",), full_name="Erik Nyström", language="en")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("mentee@example.com")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.keyboard.press("Enter")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="Profile")).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
