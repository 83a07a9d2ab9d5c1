"""A meeting room is held by one session at a time, whoever's mentor books it: a friendly message
when it is taken, a PostgreSQL exclusion constraint under concurrent requests. A café or a video
call is not a room and holds nothing."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from demo.factories import make_engagement, make_session, make_user, make_venue
from mentorship.models import Engagement
from sessions.booking import selectors, services
from sessions.models import MentoringSession, SessionStatus, VenueKind

pytestmark = pytest.mark.clock

ROOM_TAKEN = "That room is already booked at this time — pick another time or another venue."
REQUESTS = 12


def _engagement_of_new_mentor(open_availability, index: int = 0) -> Engagement:
    mentor = make_user(email=f"room-mentor{index}@example.org", roles=("mentor",))
    open_availability(mentor=mentor)
    return make_engagement(mentor=mentor, status=Engagement.Status.ACTIVE)


def _first_slot(engagement: Engagement) -> datetime.datetime:
    return selectors.free_slots_for_engagement(engagement)[0].start


@pytest.mark.django_db
def test_booking_a_room_another_mentor_holds_is_refused_kindly(open_availability, neutral_venue):
    first = _engagement_of_new_mentor(open_availability, 1)
    second = _engagement_of_new_mentor(open_availability, 2)
    start = _first_slot(first)
    services.book_session(engagement=first, start=start, venue=neutral_venue, booked_by=first.mentor)

    with pytest.raises(ValidationError) as refused:
        services.book_session(
            engagement=second,
            start=start + datetime.timedelta(minutes=30),
            venue=neutral_venue,
            booked_by=second.mentor,
        )

    assert refused.value.code == "room_taken"
    assert MentoringSession.objects.filter(room=neutral_venue).count() == 1


@pytest.mark.django_db
def test_the_booking_page_shows_the_room_message_at_the_venue(open_availability, neutral_venue):
    first = _engagement_of_new_mentor(open_availability, 1)
    second = _engagement_of_new_mentor(open_availability, 2)
    start = _first_slot(first)
    services.book_session(engagement=first, start=start, venue=neutral_venue, booked_by=first.mentor)
    client = Client()
    client.force_login(second.mentee)

    response = client.post(
        reverse("mentoring_sessions:book", args=[second.uuid]), {"start": start.isoformat(), "venue": neutral_venue.pk}
    )

    assert response.status_code == 200
    assert ROOM_TAKEN in response.content.decode()
    assert response.context["form"].errors["venue"] == [ROOM_TAKEN]


@pytest.mark.django_db
def test_back_to_back_sessions_share_a_room(open_availability, neutral_venue):
    first = _engagement_of_new_mentor(open_availability, 1)
    second = _engagement_of_new_mentor(open_availability, 2)
    start = _first_slot(first)
    booked, _ = services.book_session(engagement=first, start=start, venue=neutral_venue, booked_by=first.mentor)

    after, _ = services.book_session(engagement=second, start=booked.end, venue=neutral_venue, booked_by=second.mentor)

    assert after.room == neutral_venue


@pytest.mark.django_db
def test_a_cafe_and_a_video_call_hold_no_room(open_availability, online_venue):
    cafe = make_venue(name="Café Saltvik", kind=VenueKind.CAFE)
    for venue in (cafe, online_venue):
        first = _engagement_of_new_mentor(open_availability, venue.pk * 10 + 1)
        second = _engagement_of_new_mentor(open_availability, venue.pk * 10 + 2)
        start = _first_slot(first)
        services.book_session(engagement=first, start=start, venue=venue, booked_by=first.mentor)
        together, _ = services.book_session(engagement=second, start=start, venue=venue, booked_by=second.mentor)
        assert together.room is None


@pytest.mark.django_db
def test_a_cancelled_session_frees_its_room(open_availability, neutral_venue):
    first = _engagement_of_new_mentor(open_availability, 1)
    second = _engagement_of_new_mentor(open_availability, 2)
    start = _first_slot(first)
    booked, _ = services.book_session(engagement=first, start=start, venue=neutral_venue, booked_by=first.mentor)
    services.cancel_session(session=booked, actor=first.mentor)

    taken_over, _ = services.book_session(engagement=second, start=start, venue=neutral_venue, booked_by=second.mentor)

    assert taken_over.room == neutral_venue


@pytest.mark.django_db
def test_moving_into_a_held_room_is_refused_and_moving_within_it_is_not(open_availability, neutral_venue):
    first = _engagement_of_new_mentor(open_availability, 1)
    second = _engagement_of_new_mentor(open_availability, 2)
    cafe = make_venue(name="Café Saltvik", kind=VenueKind.CAFE)
    start = _first_slot(first)
    held, _ = services.book_session(engagement=first, start=start, venue=neutral_venue, booked_by=first.mentor)
    elsewhere, _ = services.book_session(engagement=second, start=start, venue=cafe, booked_by=second.mentor)

    with pytest.raises(ValidationError) as refused:
        services.reschedule_session(session=elsewhere, start=start, venue=neutral_venue, actor=second.mentor)
    assert refused.value.code == "room_taken"

    # The session holding the room may move by half an hour, overlapping its own old time.
    moved = services.reschedule_session(
        session=held, start=start + datetime.timedelta(minutes=30), venue=neutral_venue, actor=first.mentor
    )
    assert moved.room == neutral_venue
    elsewhere.refresh_from_db()
    assert elsewhere.room is None


@pytest.mark.django_db
def test_the_database_refuses_an_overlapping_session_in_a_room_whatever_writes_it(open_availability, neutral_venue):
    first = _engagement_of_new_mentor(open_availability, 1)
    second = _engagement_of_new_mentor(open_availability, 2)
    start = _first_slot(first)
    make_session(engagement=first, start=start, venue=neutral_venue)

    with pytest.raises(IntegrityError, match="sessions_no_overlap_for_room"), transaction.atomic():
        make_session(engagement=second, start=start + datetime.timedelta(minutes=60), venue=neutral_venue)
    # Cancelled, it holds nothing.
    make_session(engagement=second, start=start, venue=neutral_venue, status=SessionStatus.CANCELLED)


@pytest.mark.django_db
def test_changing_only_the_venue_with_update_fields_keeps_the_room_in_step(open_availability, neutral_venue):
    engagement = _engagement_of_new_mentor(open_availability)
    cafe = make_venue(name="Café Saltvik", kind=VenueKind.CAFE)
    session = make_session(engagement=engagement, venue=neutral_venue)
    session.venue = cafe
    session.save(update_fields=["venue"])
    session.refresh_from_db()
    assert session.room is None


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_room_by_different_mentors_give_it_to_exactly_one(open_availability, neutral_venue):
    engagements = [_engagement_of_new_mentor(open_availability, index) for index in range(REQUESTS)]
    clients = []
    for engagement in engagements:
        client = Client()
        client.force_login(engagement.mentee)
        clients.append(client)
    start = _first_slot(engagements[0])
    barrier = threading.Barrier(REQUESTS)

    def attempt(index: int):
        try:
            barrier.wait(timeout=30)
            return clients[index].post(
                reverse("mentoring_sessions:book", args=[engagements[index].uuid]),
                {"start": start.isoformat(), "venue": neutral_venue.pk},
            )
        except Exception as error:  # a server error surfaces here through the test client
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        responses = list(pool.map(attempt, range(REQUESTS)))

    assert [r for r in responses if isinstance(r, Exception) or r.status_code >= 500] == []
    booked = [r for r in responses if r.status_code == 302]
    refused = [r for r in responses if r.status_code != 302]
    assert len(booked) == 1
    assert MentoringSession.objects.filter(venue=neutral_venue).count() == 1
    assert len(refused) == REQUESTS - 1
    for response in refused:
        assert response.status_code == 200
        assert ROOM_TAKEN in response.content.decode()
