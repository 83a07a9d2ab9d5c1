"""One engagement, many session histories: the health dashboard, the engagement page, the booking
page, the reminder sweep, the review, the sponsor report and the CSV export must agree on what
was held, what is booked and when the next session is due — they all use the row rules in
`sessions.models` and the due date of `sessions.due`. Before these were shared, the sponsor
report counted a completed session whose end was still ahead while the dashboard did not."""

import datetime
import zoneinfo
from dataclasses import dataclass

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mentorship.access import engagements_visible_to
from mentorship.models import Engagement
from reporting.health.selectors import engagement_health
from reporting.reports.exports import ENGAGEMENT_COLUMNS, ExportFilters, engagement_rows
from reporting.reports.periods import Period
from reporting.reports.review import review_facts
from sessions.due import due_for
from sessions.models import MentoringSession, SessionStatus
from sessions.reminders.sweep import due_reminders
from sponsors.sponsor_view import build_sponsor_view

pytestmark = pytest.mark.clock

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
# A Wednesday morning; the engagement (fixture) started 2026-09-01, so it is in its initial
# (every other week) phase until 2026-11-24.
NOW = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=STOCKHOLM)
D = datetime.date


def at(day: int, hour: int, month: int = 11) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=STOCKHOLM)


@dataclass(frozen=True)
class Case:
    sessions: tuple[tuple[datetime.datetime, str], ...]  # (start, status); two hours each
    held: int
    last_held: datetime.date | None
    next_booked: datetime.date | None
    due: datetime.date
    nudged: bool  # the sweep sends a booking nudge now


CASES = {
    "nothing yet, first session long overdue": Case((), 0, None, None, D(2026, 9, 8), False),
    "confirmed and over counts as held": Case(
        ((at(10, 10), SessionStatus.CONFIRMED),), 1, D(2026, 11, 10), None, D(2026, 11, 24), True
    ),
    "completed while its end is still ahead counts as held": Case(
        ((at(18, 9), SessionStatus.COMPLETED),), 1, D(2026, 11, 18), None, D(2026, 12, 2), False
    ),
    "confirmed and in progress is booked, not held": Case(
        ((at(18, 9), SessionStatus.CONFIRMED),), 0, None, D(2026, 11, 18), D(2026, 9, 8), False
    ),
    "requested ahead is booked": Case(
        ((at(4, 10), SessionStatus.COMPLETED), (at(25, 10), SessionStatus.REQUESTED)),
        1,
        D(2026, 11, 4),
        D(2026, 11, 25),
        D(2026, 11, 18),
        False,
    ),
    "no-shows and cancellations are neither held nor booked": Case(
        ((at(10, 10), SessionStatus.NO_SHOW), (at(20, 10), SessionStatus.CANCELLED)),
        0,
        None,
        None,
        D(2026, 9, 8),
        False,
    ),
    "late in the evening the mentor's local day counts": Case(
        ((at(11, 22), SessionStatus.COMPLETED),), 1, D(2026, 11, 11), None, D(2026, 11, 25), True
    ),
}


@pytest.fixture
def history(engagement):
    def make(case: Case) -> Engagement:
        for start, status in case.sessions:
            MentoringSession.for_engagement(engagement, start=start, status=status).save()
        return engagement

    return make


def what_each_page_says(engagement: Engagement, admin, client) -> dict[str, tuple]:
    """(held, last held day, next booked day, due day) as each consumer sees it; None where a
    page does not show that fact."""
    now = timezone.now()
    health = engagement_health(Engagement.objects.filter(pk=engagement.pk), now=now)[0]
    page_due = client.get(reverse("overview:engagement-detail", args=[engagement.uuid])).context["due"]
    booking_due = client.get(reverse("mentoring_sessions:book", args=[engagement.uuid])).context["due"]
    review = review_facts(engagement)
    sponsor = build_sponsor_view(
        organisation=engagement.organisation, engagements=engagements_visible_to(admin), period=Period(end=now.date())
    )
    export = dict(zip(ENGAGEMENT_COLUMNS, next(engagement_rows(admin, ExportFilters())), strict=True))
    return {
        "dashboard": (None, health.last_held, health.next_booked, health.due.due_date),
        "engagement page": (None, None, page_due.booked, page_due.due_date),
        "booking page": (None, None, booking_due.booked, booking_due.due_date),
        "due_for": (None, None, due_for(engagement).booked, due_for(engagement).due_date),
        "review": (review.held, review.last_held, None, None),
        "sponsor report": (sponsor.rows[0].held_total, None, None, None),
        "export": (export["sessions_held"], None, None, None),
    }


@pytest.mark.parametrize("name", CASES)
def test_every_page_agrees_on_held_booked_and_due(name, history, consultancy_admin, client):
    case = CASES[name]
    engagement = history(case)
    expected = (case.held, case.last_held, case.next_booked, case.due)
    with time_machine.travel(NOW, tick=False), timezone.override(STOCKHOLM):
        client.force_login(consultancy_admin)  # signed in at NOW, so the session has not expired
        seen = what_each_page_says(engagement, consultancy_admin, client)
        nudges = [r for r in due_reminders() if r.kind == "booking_nudge" and r.engagement_id == engagement.pk]
    for page, facts in seen.items():
        assert all(got is None or got == want for got, want in zip(facts, expected, strict=True)), (page, facts)
    assert bool(nudges) == case.nudged
    assert all(r.about == case.due.isoformat() for r in nudges)
