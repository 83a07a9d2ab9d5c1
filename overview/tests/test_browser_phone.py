"""On a 390 px phone no page scrolls sideways, for every role, and tables read as cards (issue:
phone and error polish). Real Chromium on the demo data; a screenshot of every page visited is
saved in test-artifacts/phone/ for a reviewer to look at."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from accounts.models import User
from core.tests.helpers import browser_sign_in
from demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from mentorship.models import Contract, Engagement, LeadershipTeam, Organisation
from sessions.models import MentoringSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "phone"

# The element that sticks out furthest, to say where an overflow comes from.
OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  let widest = null;
  for (const element of document.querySelectorAll("body *")) {
    const right = element.getBoundingClientRect().right;
    if (right > width + 1 && (!widest || right > widest.right)) {
      widest = {right, tag: element.tagName, cls: element.className, text: (element.textContent || "").slice(0, 60)};
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, widest};
}"""


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo")


def _session_of(user: User) -> MentoringSession:
    return (
        (MentoringSession.objects.filter(mentor=user) | MentoringSession.objects.filter(mentee=user))
        .order_by("-start")
        .first()
    )


def _pages() -> dict[str, list[str]]:
    mentee = User.objects.get(email="mentee@example.com")
    mentor = User.objects.get(email="mentor@example.com")
    engagement = Engagement.objects.filter(mentee=mentee).order_by("pk").first()
    organisation = Organisation.objects.get(name="Björkvik Logistik AB")
    team = LeadershipTeam.objects.get(name="Björkvik ledningsgrupp")
    contract = Contract.objects.filter(organisation=organisation).order_by("pk").first()
    month = timezone.localdate().replace(day=1)
    return {
        "": [reverse("account_login"), reverse("mentorship:inquiry-create")],
        "mentee@example.com": [
            reverse("overview:home"),
            reverse("overview:engagement-detail", args=[engagement.uuid]),
            reverse("mentoring_sessions:book", args=[engagement.uuid]),
            reverse("mentoring_sessions:session-list"),
            reverse("mentoring_sessions:session-detail", args=[_session_of(mentee).uuid]),
            reverse("mentoring_sessions:action-items", args=[engagement.uuid]),
            reverse("progress:plan", args=[engagement.uuid]),
            reverse("accounts:profile"),
        ],
        "mentor@example.com": [
            reverse("overview:home"),
            reverse("mentoring_sessions:agenda"),
            reverse("mentoring_sessions:availability"),
            reverse("mentoring_sessions:session-list"),
            reverse("mentoring_sessions:session-detail", args=[_session_of(mentor).uuid]),
            reverse("mentoring_sessions:calendar-settings"),
            reverse("mentorship:mentor-profile-edit"),
        ],
        "admin@example.com": [
            reverse("overview:home"),
            reverse("mentorship:engagement-list"),
            reverse("overview:engagement-detail", args=[engagement.uuid]),
            reverse("mentorship:organisation-list"),
            reverse("mentorship:organisation-detail", args=[organisation.uuid]),
            reverse("mentorship:team-detail", args=[team.uuid]),
            reverse("mentorship:mentor-list"),
            reverse("mentorship:inquiry-list"),
            reverse("reporting:health-dashboard"),
            reverse("reporting:health-overdue"),
            reverse("reporting:health-reviews"),
            reverse("reporting:reports"),
            reverse("sponsors:report", args=[organisation.uuid]),
            reverse("reporting:audit-log"),
            reverse("billing:run"),
            reverse("billing:mentor-hours"),
            reverse("billing:invoice", args=[contract.uuid, f"{month:%Y-%m}"]),
            reverse("privacy:deletion-request-list"),
        ],
    }


def test_no_page_scrolls_sideways_on_a_phone_for_any_role(page: Page, live_server, demo):
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # only this run's pages
    ARTIFACTS.mkdir(parents=True)
    page.set_viewport_size(PHONE)
    overflowing = {}
    visited = 0
    for email, paths in _pages().items():
        if email:
            browser_sign_in(page, live_server.url, email, DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
        else:
            page.context.clear_cookies()
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None, (email, path)
            assert response.status == 200, (email, path)
            page.wait_for_load_state("load")
            visited += 1
            name = f"{email.split('@')[0] or 'anonymous'}{path.replace('/', '_')}"[:120]
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            if problem := page.evaluate(OVERFLOW):
                overflowing[f"{email or 'anonymous'} {path}"] = problem
    assert visited >= 30
    assert overflowing == {}


def test_tables_become_labelled_cards_on_a_phone_and_stay_tables_on_a_desktop(page: Page, live_server, demo):
    browser_sign_in(page, live_server.url, "admin@example.com", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("mentorship:engagement-list"))
    cell = page.locator("table.cards tbody tr td").first
    assert cell.get_attribute("data-label")
    assert cell.evaluate("element => getComputedStyle(element).display") == "block"
    assert cell.evaluate("element => getComputedStyle(element, '::before').content") not in ("none", "normal")
    page.set_viewport_size({"width": 1200, "height": 900})
    assert cell.evaluate("element => getComputedStyle(element).display") == "table-cell"
