"""The package guard at booking: beyond a contract's package a booking is refused, or made and
marked extra, as the contract says — decided in the booking's transaction under the contract's
row lock, so racing bookings for the last session of a package give exactly one."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.tests.helpers import days_from_now, session_url
from demo.factories import make_availability, make_contract, make_engagement, make_session, make_user
from mentorship.models import Engagement
from sessions import usage
from sessions.booking import selectors, services
from sessions.models import MentoringSession, SessionStatus

pytestmark = pytest.mark.clock

REFUSED = "The package is used up: no more sessions can be booked on it. Please contact the consultancy."


def _draw(engagement, contract):
    engagement.contract = contract
    engagement.save()
    return engagement


def _book(engagement, booked_by, venue):
    slot = selectors.free_slots_for_engagement(engagement)[0]
    return services.book_session(engagement=engagement, start=slot.start, venue=venue, booked_by=booked_by)


@pytest.fixture
def two_session_package(ready, organisation):
    """Alder's package of two sessions; the individual engagement draws on it and held one."""
    contract = make_contract(organisation=organisation, quantity=2)
    _draw(ready, contract)
    make_session(engagement=ready, start=days_from_now(-7), status=SessionStatus.COMPLETED)
    return contract


@pytest.mark.django_db
def test_the_last_session_of_the_package_is_booked_normally(two_session_package, ready, mentee, neutral_venue):
    session, created = _book(ready, mentee, neutral_venue)
    assert created
    assert session.billing_extra is False


@pytest.mark.django_db
def test_beyond_the_package_a_booking_is_refused_when_the_contract_says_so(
    client, two_session_package, ready, mentee, neutral_venue
):
    _book(ready, mentee, neutral_venue)
    client.force_login(mentee)
    page = client.get(reverse("mentoring_sessions:book", args=[ready.uuid])).content.decode()
    assert REFUSED in page  # said before the mentee picks a time
    slot = selectors.free_slots_for_engagement(ready)[-1]
    response = client.post(
        reverse("mentoring_sessions:book", args=[ready.uuid]),
        {"start": slot.start.isoformat(), "venue": neutral_venue.pk},
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert MentoringSession.objects.filter(engagement=ready).count() == 2


@pytest.mark.django_db
def test_beyond_the_package_a_booking_is_marked_extra_when_the_contract_allows_it(
    client, two_session_package, ready, mentee, neutral_venue
):
    two_session_package.overage = "extra"
    two_session_package.save()
    first, _ = _book(ready, mentee, neutral_venue)
    extra, _ = _book(ready, mentee, neutral_venue)
    assert (first.billing_extra, extra.billing_extra) == (False, True)
    client.force_login(mentee)
    page = client.get(session_url("session-detail", extra)).content.decode()
    assert "Beyond the package" in page


@pytest.mark.django_db
def test_an_admin_is_refused_too(two_session_package, ready, mentee, consultancy_admin, neutral_venue):
    _book(ready, mentee, neutral_venue)
    with pytest.raises(ValidationError) as caught:
        _book(ready, consultancy_admin, neutral_venue)
    assert caught.value.code == "package_used_up"


@pytest.mark.django_db
def test_cancelled_sessions_free_their_place(two_session_package, ready, mentee, neutral_venue):
    session, _ = _book(ready, mentee, neutral_venue)
    services.cancel_session(session=session, actor=mentee)  # days ahead: in time
    again, created = _book(ready, mentee, neutral_venue)
    assert created
    assert again.billing_extra is False


@pytest.mark.django_db
def test_a_late_cancellation_uses_the_package_only_when_billable(two_session_package, ready, mentee, neutral_venue):
    make_session(engagement=ready, start=days_from_now(-3), status=SessionStatus.CANCELLED, late_cancellation=True)
    with pytest.raises(ValidationError):
        _book(ready, mentee, neutral_venue)
    two_session_package.late_cancellation_billable = False
    two_session_package.save()
    assert _book(ready, mentee, neutral_venue)[1]


@pytest.mark.django_db
def test_hours_packages_count_the_new_sessions_length(ready, organisation, mentee, neutral_venue):
    contract = make_contract(organisation=organisation, unit="hours", quantity=Decimal("3.5"))
    _draw(ready, contract)
    make_session(engagement=ready, start=days_from_now(-7), minutes=90, status=SessionStatus.COMPLETED)
    assert _book(ready, mentee, neutral_venue)[1]  # 1.5 + 2 = 3.5 hours: fits exactly
    with pytest.raises(ValidationError):
        _book(ready, mentee, neutral_venue)


@pytest.mark.django_db
def test_a_session_after_the_contracts_period_is_not_guarded(ready, organisation, mentee, neutral_venue):
    today = timezone.localdate()
    contract = make_contract(
        organisation=organisation, quantity=1, start_date=today - datetime.timedelta(days=200), end_date=today
    )
    _draw(ready, contract)
    make_session(engagement=ready, start=days_from_now(-7), status=SessionStatus.COMPLETED)
    session, created = _book(ready, mentee, neutral_venue)
    assert created
    assert session.billing_extra is False


# The race: one session left, many bookings at once, from engagements of different mentors and
# mentees (so no person lock orders them: only the contract's row lock does), online (a meeting
# room would be held by the first booking whatever the package).

RACERS = 12


def _racers(organisation, contract, user_factory):
    engagements, clients = [], []
    for index in range(RACERS):
        mentor = make_user(email=f"race.mentor{index}@example.org", roles=("mentor",))
        make_availability(mentor=mentor)
        mentee = user_factory(email=f"race.mentee{index}@example.org", roles=("mentee",), organisation=organisation)
        engagement = make_engagement(mentee=mentee, mentor=mentor, status=Engagement.Status.ACTIVE, contract=contract)
        engagements.append(engagement)
        client = Client()
        client.force_login(mentee)
        clients.append(client)
    return engagements, clients


def _race(engagements, clients, venue):
    slots = [selectors.free_slots_for_engagement(engagement)[0] for engagement in engagements]
    barrier = threading.Barrier(RACERS)

    def attempt(index: int):
        try:
            barrier.wait(timeout=30)
            return clients[index].post(
                reverse("mentoring_sessions:book", args=[engagements[index].uuid]),
                {"start": slots[index].start.isoformat(), "venue": venue.pk},
            )
        except Exception as error:  # a server error surfaces here through the test client
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        responses = list(pool.map(attempt, range(RACERS)))
    assert [r for r in responses if isinstance(r, Exception) or r.status_code >= 500] == []
    return responses


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_racing_bookings_for_the_last_session_give_exactly_one(organisation, user_factory, online_venue):
    contract = make_contract(organisation=organisation, quantity=RACERS)
    engagements, clients = _racers(organisation, contract, user_factory)
    for engagement in engagements[1:]:  # all but one of the package is used
        make_session(engagement=engagement, start=days_from_now(-7), status=SessionStatus.COMPLETED)

    responses = _race(engagements, clients, online_venue)

    booked = [r for r in responses if r.status_code == 302]
    assert len(booked) == 1
    for response in responses:
        if response.status_code != 302:
            assert response.status_code == 200
            assert REFUSED in response.content.decode()
    assert MentoringSession.objects.filter(engagement__contract=contract, status="confirmed").count() == 1


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_racing_bookings_beyond_the_package_give_one_and_the_rest_extra(organisation, user_factory, online_venue):
    contract = make_contract(organisation=organisation, quantity=RACERS, overage="extra")
    engagements, clients = _racers(organisation, contract, user_factory)
    for engagement in engagements[1:]:
        make_session(engagement=engagement, start=days_from_now(-7), status=SessionStatus.COMPLETED)

    responses = _race(engagements, clients, online_venue)

    assert all(r.status_code == 302 for r in responses)
    booked = MentoringSession.objects.filter(engagement__contract=contract, status="confirmed")
    assert booked.count() == RACERS
    assert booked.filter(billing_extra=False).count() == 1
    assert booked.filter(billing_extra=True).count() == RACERS - 1


# Moving a session: within the contract's period it keeps its place; into the period from outside
# it draws on the package anew, so the guard decides; out of the period it draws on nothing.


def _local_day(slot) -> datetime.date:
    return timezone.localtime(slot.start, usage.CONSULTANCY_TIME_ZONE).date()


def _booked_inside_and_outside(contract, engagement, mentee, venue):
    """The package's last place taken by a session inside the period, and another session booked
    after the period's end (which draws on nothing). Returns (inside, outside)."""
    slots = selectors.free_slots_for_engagement(engagement)
    contract.end_date = _local_day(slots[-1]) - datetime.timedelta(days=1)
    contract.save()
    inside, _ = services.book_session(engagement=engagement, start=slots[0].start, venue=venue, booked_by=mentee)
    outside, _ = services.book_session(engagement=engagement, start=slots[-1].start, venue=venue, booked_by=mentee)
    assert outside.billing_extra is False
    return inside, outside


def _free_inside(contract, engagement):
    return next(
        slot for slot in selectors.free_slots_for_engagement(engagement) if _local_day(slot) <= contract.end_date
    )


@pytest.mark.django_db
def test_moving_a_session_into_a_used_up_package_is_refused(two_session_package, ready, mentee, neutral_venue):
    _inside, outside = _booked_inside_and_outside(two_session_package, ready, mentee, neutral_venue)
    target = _free_inside(two_session_package, ready)
    with pytest.raises(ValidationError) as caught:
        services.reschedule_session(session=outside, start=target.start, venue=neutral_venue, actor=mentee)
    assert caught.value.code == "package_used_up"
    outside.refresh_from_db()
    assert _local_day(outside) > two_session_package.end_date  # not moved


@pytest.mark.django_db
def test_moving_a_session_into_a_used_up_package_marks_it_extra_and_moving_it_out_clears_it(
    two_session_package, ready, mentee, neutral_venue
):
    two_session_package.overage = "extra"
    two_session_package.save()
    _inside, outside = _booked_inside_and_outside(two_session_package, ready, mentee, neutral_venue)
    away = outside.start
    target = _free_inside(two_session_package, ready)
    moved = services.reschedule_session(session=outside, start=target.start, venue=neutral_venue, actor=mentee)
    assert moved.billing_extra is True
    back = services.reschedule_session(session=moved, start=away, venue=neutral_venue, actor=mentee)
    assert back.billing_extra is False


@pytest.mark.django_db
def test_moving_within_the_period_keeps_the_sessions_place(two_session_package, ready, mentee, neutral_venue):
    inside, _outside = _booked_inside_and_outside(two_session_package, ready, mentee, neutral_venue)
    target = _free_inside(two_session_package, ready)
    moved = services.reschedule_session(session=inside, start=target.start, venue=neutral_venue, actor=mentee)
    assert moved.billing_extra is False  # the package is full, but this session already had its place
