"""Thirty people try to book the same mentor at the same time: one gets it, the rest are told
kindly, nobody sees an error page. Real PostgreSQL, real concurrent transactions."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from demo.factories import make_member
from mentorship.models import Engagement
from sessions.booking import selectors
from sessions.models import MentoringSession

pytestmark = pytest.mark.clock

REQUESTS = 30


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_bookings_of_one_slot_create_exactly_one_session(
    mentor, organisation, user_factory, engagement_factory, open_availability, neutral_venue
):
    open_availability(mentor=mentor)
    clients = []
    engagements = []
    for index in range(REQUESTS):
        mentee = user_factory(email=f"racer{index}@example.org", roles=("mentee",))
        make_member(organisation=organisation, user=mentee)
        engagements.append(engagement_factory(mentee=mentee, mentor=mentor, status=Engagement.Status.ACTIVE))
        client = Client()
        client.force_login(mentee)
        clients.append(client)
    slot = selectors.free_slots_for_engagement(engagements[0])[0]
    barrier = threading.Barrier(REQUESTS)

    def attempt(index: int):
        try:
            barrier.wait(timeout=30)
            return clients[index].post(
                reverse("mentoring_sessions:book", args=[engagements[index].uuid]),
                {"start": slot.start.isoformat(), "venue": neutral_venue.pk},
            )
        except Exception as error:  # a server error surfaces here through the test client
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        responses = list(pool.map(attempt, range(REQUESTS)))

    errors = [r for r in responses if isinstance(r, Exception) or r.status_code >= 500]
    assert errors == []
    booked = [r for r in responses if r.status_code == 302]
    refused = [r for r in responses if r.status_code != 302]
    assert len(booked) == 1
    assert MentoringSession.objects.filter(mentor=mentor).count() == 1
    assert len(refused) == REQUESTS - 1
    for response in refused:
        assert response.status_code == 200
        assert "This time was just taken — pick another." in response.content.decode()


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_double_submitted_booking_form_creates_one_session(engagement, mentee, open_availability, neutral_venue):
    open_availability(mentor=engagement.mentor)
    slot = selectors.free_slots_for_engagement(engagement)[0]
    url = reverse("mentoring_sessions:book", args=[engagement.uuid])
    data = {"start": slot.start.isoformat(), "venue": neutral_venue.pk}
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(mentee)  # the same person, two tabs
    barrier = threading.Barrier(2)

    def submit(index):
        try:
            barrier.wait(timeout=30)
            return clients[index].post(url, data).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = list(pool.map(submit, range(2)))
    assert all(status < 500 for status in statuses)
    assert MentoringSession.objects.filter(engagement=engagement).count() == 1
