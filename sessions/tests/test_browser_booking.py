import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from core.tests.helpers import browser_sign_in
from demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from sessions.models import MentoringSession

pytestmark = [pytest.mark.clock, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    browser_sign_in(page, base_url, email, password, totp_secret=DEMO_TOTP_SECRET)


def test_mentee_books_a_suggested_slot_and_the_mentor_sees_it_in_the_agenda(page: Page, live_server, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    User.objects.filter(email__in=["mentee@example.com", "mentor@example.com"]).update(language="en")
    mentee = User.objects.get(email="mentee@example.com")
    before = MentoringSession.objects.filter(mentee=mentee).count()

    sign_in(page, live_server.url, "mentee@example.com")
    engagement = mentee.engagements_as_mentee.get()
    page.goto(f"{live_server.url}/engagements/{engagement.uuid}/book/")
    expect(page.get_by_role("heading", name="Book a session")).to_be_visible()
    free = page.get_by_role("group", name="Free times in week")
    first = free.get_by_role("radio").first
    slot_label = free.locator(".chip label").first.inner_text()
    first.check()
    page.get_by_role("heading", name="On neutral ground (recommended)").scroll_into_view_if_needed()
    neutral = page.locator(".venue-options").first.get_by_role("radio").first
    neutral.check()
    page.get_by_role("button", name="Book this session").click()
    expect(page.locator(".messages")).to_contain_text("booked", ignore_case=True)

    assert MentoringSession.objects.filter(mentee=mentee).count() == before + 1
    new_session = MentoringSession.objects.filter(mentee=mentee).order_by("-created_at").first()
    assert new_session.venue.kind in ("neutral", "cafe")

    page.goto(live_server.url + "/sessions/")
    time_text = slot_label.split(",")[-1].strip().split("–")[0]
    expect(page.locator("main")).to_contain_text(time_text)

    page.context.clear_cookies()
    sign_in(page, live_server.url, "mentor@example.com")
    week = new_session.start.isocalendar()
    page.goto(f"{live_server.url}/agenda/?week={week.year}-W{week.week:02d}")
    expect(page.locator(f'a[href="/sessions/{new_session.uuid}/"]')).to_be_visible()


def _open_booking_page(page: Page, base_url: str, settings) -> tuple[User, int]:
    settings.DEBUG = True
    call_command("seed_demo")
    User.objects.filter(email="mentee@example.com").update(language="en")
    mentee = User.objects.get(email="mentee@example.com")
    sign_in(page, base_url, "mentee@example.com")
    engagement = mentee.engagements_as_mentee.get()
    page.goto(f"{base_url}/engagements/{engagement.uuid}/book/")
    page.get_by_role("group", name="Free times in week").get_by_role("radio").first.check()
    page.locator(".venue-options").first.get_by_role("radio").first.check()
    return mentee, MentoringSession.objects.filter(mentee=mentee).count()


def test_back_after_booking_and_book_again_shows_the_booking_and_books_nothing(page: Page, live_server, settings):
    mentee, before = _open_booking_page(page, live_server.url, settings)
    page.get_by_role("button", name="Book this session").click()
    expect(page.locator(".messages")).to_contain_text("Session booked")
    session = MentoringSession.objects.filter(mentee=mentee).order_by("-created_at").first()
    local = timezone.localtime(session.start, zoneinfo.ZoneInfo(mentee.time_zone))
    already = f"You already booked {local:%a} {local.day} {local:%b} {local:%H:%M}."

    page.go_back()
    expect(page.get_by_role("heading", name="Book a session")).to_be_visible()
    # No time is put back by its position (the booked one has left the list).
    expect(page.locator('input[name="start"]:checked')).to_have_count(0)
    page.get_by_role("button", name="Book this session").click()

    expect(page.get_by_role("status", name="Already booked")).to_contain_text(already)
    expect(page.locator("#start_error")).to_contain_text("Pick a time for the session.")
    assert MentoringSession.objects.filter(mentee=mentee).count() == before + 1


def test_the_same_booking_form_submitted_twice_shows_the_first_booking(page: Page, live_server, settings):
    mentee, before = _open_booking_page(page, live_server.url, settings)
    # The form as it was before the first submit, sent again (what a restored page or a
    # resubmit sends): another time checked in the same form.
    fields = page.evaluate(
        "Object.fromEntries(new FormData(document.querySelector('form[autocomplete=off]')).entries())"
    )
    page.get_by_role("button", name="Book this session").click()
    expect(page.locator(".messages")).to_contain_text("Session booked")
    session = MentoringSession.objects.filter(mentee=mentee).order_by("-created_at").first()

    page.go_back()
    page.evaluate(
        """fields => {
            const form = document.querySelector('form[autocomplete=off]');
            form.querySelector('input[name=form_token]').value = fields.form_token;
            const other = [...form.querySelectorAll('input[name=start]')].pop();
            other.checked = true;
            form.querySelector('input[name=venue]').checked = true;
            form.submit();
        }""",
        fields,
    )

    expect(page.locator(".messages")).to_contain_text("You already booked")
    assert page.url.endswith(f"/sessions/{session.uuid}/")
    assert MentoringSession.objects.filter(mentee=mentee).count() == before + 1


def test_double_click_on_book_makes_one_session(page: Page, live_server, settings):
    mentee, before = _open_booking_page(page, live_server.url, settings)
    page.get_by_role("button", name="Book this session").dblclick()
    expect(page.locator(".messages")).to_contain_text("booked")
    assert MentoringSession.objects.filter(mentee=mentee).count() == before + 1
