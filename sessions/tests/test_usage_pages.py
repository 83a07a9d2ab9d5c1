"""Usage on the pages: the engagement page, the session page and the booking page show how much
of the package is used ("session N of M", "14.5 of 24 hours") to admins, the mentor and the
mentee(s) — never a price, a reference, or anything from notes, reflections or feedback."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.tests.helpers import days_from_now, engagement_url, session_url
from demo.factories import make_contract, make_feedback, make_note, make_reflection, make_session
from sessions.models import SessionStatus

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

SECRET_NOTE = "Private: worried about the board"
SECRET_REFLECTION = "Reflection: I feel stuck"
SECRET_FEEDBACK = "Feedback comment: too slow"


@pytest.fixture
def drawn(engagement, contract):
    """The individual engagement on Alder's twelve-session contract: two held sessions (with a
    note, a reflection and feedback on the first) and one booked ahead."""
    contract.price = Decimal("4321.77")
    contract.save()
    engagement.contract = contract
    engagement.save()
    first = make_session(engagement=engagement, start=days_from_now(-20), status=SessionStatus.COMPLETED)
    make_session(engagement=engagement, start=days_from_now(-6), status=SessionStatus.COMPLETED)
    make_note(session=first, body=SECRET_NOTE)
    make_reflection(session=first, body=SECRET_REFLECTION)
    make_feedback(session=first, comment=SECRET_FEEDBACK)
    upcoming = make_session(engagement=engagement, start=days_from_now(5))
    return {"engagement": engagement, "first": first, "upcoming": upcoming}


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _assert_confidential(page: str) -> None:
    """No money and no contract anywhere on the page; nothing from notes, reflections or feedback
    in what it says about the package (the mentor's own note and the mentee's own reflection are
    on these pages for their authors, as before)."""
    for money in ("4 321", "4321.77", "4321,77", "PO-ALDER-1", "SEK"):
        assert money not in page, money
    start = page.index("The package")
    package = page[start : page.index("</section>", start)] if "</section>" in page[start:] else page[start:]
    package = package[: package.index("</dd>")] if "</dd>" in package else package
    for secret in (SECRET_NOTE, SECRET_REFLECTION, SECRET_FEEDBACK):
        assert secret not in package, secret


@pytest.mark.parametrize("viewer", ["consultancy_admin", "mentor", "mentee"])
def test_the_engagement_page_shows_the_package_used(client, request, drawn, viewer):
    page = _page(client, request.getfixturevalue(viewer), engagement_url(drawn["engagement"]))
    assert "2 of 12 sessions used" in page
    assert "1 session booked ahead." in page
    if viewer != "consultancy_admin":
        _assert_confidential(page)


@pytest.mark.parametrize("viewer", ["mentor", "mentee"])
def test_the_session_page_says_which_session_of_the_package_it_is(client, request, drawn, viewer):
    page = _page(client, request.getfixturevalue(viewer), session_url("session-detail", drawn["upcoming"]))
    assert "Session 3 of 12" in page
    _assert_confidential(page)
    first = _page(client, request.getfixturevalue(viewer), session_url("session-detail", drawn["first"]))
    assert "Session 1 of 12" in first


def test_a_session_cancelled_in_time_does_not_count(client, mentor, drawn):
    cancelled = make_session(engagement=drawn["engagement"], start=days_from_now(-2), status=SessionStatus.CANCELLED)
    page = _page(client, mentor, session_url("session-detail", cancelled))
    assert "Does not count towards the package." in page


def test_the_mentee_sees_the_number_before_booking(client, mentee, drawn, open_availability, neutral_venue):
    open_availability(mentor=drawn["engagement"].mentor)
    page = _page(client, mentee, reverse("mentoring_sessions:book", args=[drawn["engagement"].uuid]))
    assert "This will be session 4 of 12." in page
    assert "The package is used up" not in page
    _assert_confidential(page)


def test_hours_are_shown_as_hours(client, mentee, engagement, organisation):
    contract = make_contract(organisation=organisation, unit="hours", quantity=24)
    engagement.contract = contract
    engagement.save()
    for index, days_ago in enumerate(range(40, 0, -4)):  # five of 120 minutes, five of 90
        minutes = 120 if index % 2 else 90
        make_session(engagement=engagement, start=days_from_now(-days_ago), minutes=minutes, status="completed")
    page = _page(client, mentee, engagement_url(engagement))
    assert "17.5 of 24 hours used" in page


def test_swedish_viewers_read_swedish_decimals(client, mentee, engagement, organisation):
    contract = make_contract(organisation=organisation, unit="hours", quantity=24)
    engagement.contract = contract
    engagement.save()
    make_session(engagement=engagement, start=days_from_now(-3), minutes=90, status="completed")
    mentee.language = "sv"
    mentee.save()
    page = _page(client, mentee, engagement_url(engagement))
    assert "1,5 av 24 timmar använda" in page


def test_no_contract_no_package(client, mentee, engagement):
    page = _page(client, mentee, engagement_url(engagement))
    assert "The package" not in page


def test_a_pending_mentor_does_not_see_the_usage(client, other_mentor, drawn):
    from demo.factories import make_assignment

    make_assignment(engagement=drawn["engagement"], mentor=other_mentor)
    page = _page(client, other_mentor, engagement_url(drawn["engagement"]))
    assert "sessions used" not in page


def test_the_contract_page_shows_its_usage_to_admins(client, consultancy_admin, drawn, contract):
    page = _page(client, consultancy_admin, contract.get_absolute_url())
    assert "2 of 12 sessions used" in page
    assert "4321.77" in page or "4 321,77" in page  # admins see the price
