"""One-time booking forms: a resubmitted, back-buttoned or double-clicked booking (or move) form
never books (or moves) a second time — whatever time it now names — and shows what it did."""

import threading
import zoneinfo
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.tests.helpers import messages_of
from sessions.booking import selectors, services, tokens
from sessions.models import BookingFormUse, MentoringSession, SessionStatus


def book_url(engagement) -> str:
    return reverse("mentoring_sessions:book", args=[engagement.uuid])


def move_url(session) -> str:
    return reverse("mentoring_sessions:session-reschedule", args=[session.uuid])


def shown_token(response) -> str:
    """The token the rendered form carries (and that the page really renders)."""
    token = response.context["form"]["form_token"].value()
    assert f'name="form_token" value="{token}"' in response.content.decode()
    return token


def english_when(session, user) -> str:
    local = timezone.localtime(session.start, zoneinfo.ZoneInfo(user.time_zone))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def two_slots(engagement):
    slots = selectors.free_slots_for_engagement(engagement)
    # Far enough apart that booking the first leaves the second free.
    return slots[0], next(slot for slot in slots if slot.start >= slots[0].end + (slots[0].end - slots[0].start))


def test_every_shown_booking_form_carries_a_new_token(client, ready, mentee):
    client.force_login(mentee)
    first, second = shown_token(client.get(book_url(ready))), shown_token(client.get(book_url(ready)))
    assert first
    assert second != first
    assert 'autocomplete="off"' in client.get(book_url(ready)).content.decode()
    assert BookingFormUse.objects.count() == 0  # showing a form stores nothing


def test_submitting_the_same_form_again_with_another_time_shows_the_first_booking(client, ready, mentee, neutral_venue):
    client.force_login(mentee)
    token = shown_token(client.get(book_url(ready)))
    first, other = two_slots(ready)
    booked = client.post(
        book_url(ready), {"start": first.start.isoformat(), "venue": neutral_venue.pk, "form_token": token}
    )
    assert booked.status_code == 302
    client.get(booked["Location"])  # its own message shown
    session = MentoringSession.objects.get(engagement=ready)

    # Back, the browser restores another time, "Book" again.
    again = client.post(
        book_url(ready), {"start": other.start.isoformat(), "venue": neutral_venue.pk, "form_token": token}
    )

    assert again["Location"] == reverse("mentoring_sessions:session-detail", args=[session.uuid])
    assert MentoringSession.objects.filter(engagement=ready).count() == 1
    assert messages_of(client.get(again["Location"])) == [f"You already booked {english_when(session, mentee)}."]


def test_a_used_form_naming_a_time_no_longer_offered_still_shows_the_booking(client, ready, mentee, neutral_venue):
    client.force_login(mentee)
    token = shown_token(client.get(book_url(ready)))
    first, _ = two_slots(ready)
    client.post(book_url(ready), {"start": first.start.isoformat(), "venue": neutral_venue.pk, "form_token": token})

    # The booked slot has left the list; nothing (or nonsense) is checked now.
    again = client.post(book_url(ready), {"start": "", "venue": neutral_venue.pk, "form_token": token})

    assert again.status_code == 302
    assert MentoringSession.objects.filter(engagement=ready).count() == 1


def test_the_message_is_in_swedish_for_a_swedish_mentee(client, ready, mentee, neutral_venue):
    mentee.language = "sv"
    mentee.save(update_fields=["language"])
    client.force_login(mentee)
    token = shown_token(client.get(book_url(ready)))
    first, other = two_slots(ready)
    booked = client.post(
        book_url(ready), {"start": first.start.isoformat(), "venue": neutral_venue.pk, "form_token": token}
    )
    client.get(booked["Location"])
    again = client.post(
        book_url(ready), {"start": other.start.isoformat(), "venue": neutral_venue.pk, "form_token": token}
    )

    local = timezone.localtime(first.start, zoneinfo.ZoneInfo(mentee.time_zone))
    swedish_days = ["mån", "tis", "ons", "tors", "fre", "lör", "sön"]
    swedish_months = ["jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec."]
    when = f"{swedish_days[local.weekday()]} {local.day} {swedish_months[local.month - 1]} {local:%H:%M}"
    assert messages_of(client.get(again["Location"])) == [f"Du har redan bokat {when}."]


def test_a_fresh_form_books_a_second_session_on_purpose(client, ready, mentee, neutral_venue):
    client.force_login(mentee)
    first, other = two_slots(ready)
    for slot in (first, other):
        token = shown_token(client.get(book_url(ready)))
        response = client.post(
            book_url(ready), {"start": slot.start.isoformat(), "venue": neutral_venue.pk, "form_token": token}
        )
        assert response.status_code == 302
    assert MentoringSession.objects.filter(engagement=ready).count() == 2


def test_a_token_counts_only_for_its_person_engagement_and_form(mentee, other_mentor, ready, team_ready):
    value = tokens.new_token(user=mentee, engagement=ready, kind="book")
    assert tokens.read_token(value, user=mentee, engagement=ready, kind="book") is not None
    assert tokens.read_token(value, user=other_mentor, engagement=ready, kind="book") is None
    assert tokens.read_token(value, user=mentee, engagement=team_ready, kind="book") is None
    assert tokens.read_token(value, user=mentee, engagement=ready, kind="move") is None
    assert tokens.read_token(value[:-2] + "xx", user=mentee, engagement=ready, kind="book") is None
    assert tokens.read_token("", user=mentee, engagement=ready, kind="book") is None
    assert tokens.read_token("garbage", user=mentee, engagement=ready, kind="book") is None


def test_service_refuses_a_used_token_and_names_the_first_session(ready, mentee, neutral_venue):
    token = tokens.read_token(
        tokens.new_token(user=mentee, engagement=ready, kind="book"), user=mentee, engagement=ready, kind="book"
    )
    first, other = two_slots(ready)
    session, created = services.book_session(
        engagement=ready, start=first.start, venue=neutral_venue, booked_by=mentee, form_token=token
    )
    assert created
    with pytest.raises(tokens.FormAlreadyUsed) as used:
        services.book_session(
            engagement=ready, start=other.start, venue=neutral_venue, booked_by=mentee, form_token=token
        )
    assert used.value.session == session
    assert MentoringSession.objects.filter(engagement=ready).count() == 1


def test_a_refused_booking_leaves_its_token_unused(client, ready, mentee, neutral_venue):
    client.force_login(mentee)
    token = shown_token(client.get(book_url(ready)))
    first, _ = two_slots(ready)
    refused = client.post(book_url(ready), {"start": first.start.isoformat(), "venue": "", "form_token": token})
    assert refused.status_code == 200
    assert shown_token(refused) == token  # the form shown again carries the same, still unused token
    booked = client.post(
        book_url(ready), {"start": first.start.isoformat(), "venue": neutral_venue.pk, "form_token": token}
    )
    assert booked.status_code == 302
    assert MentoringSession.objects.filter(engagement=ready).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_submits_of_one_form_at_once_with_different_times_book_one_session(ready, mentee, neutral_venue):
    token = tokens.new_token(user=mentee, engagement=ready, kind="book")
    first, other = two_slots(ready)
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(mentee)
    barrier = threading.Barrier(2)

    def submit(index: int):
        try:
            barrier.wait(timeout=30)
            slot = (first, other)[index]
            return clients[index].post(
                book_url(ready), {"start": slot.start.isoformat(), "venue": neutral_venue.pk, "form_token": token}
            )
        except Exception as error:  # a server error surfaces here through the test client
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(submit, range(2)))

    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    session = MentoringSession.objects.get(engagement=ready)
    assert {r["Location"] for r in responses} == {reverse("mentoring_sessions:session-detail", args=[session.uuid])}
    assert BookingFormUse.objects.get().session == session


def test_a_move_form_submitted_again_does_not_move_the_session_twice(client, booked, mentee, neutral_venue):
    client.force_login(mentee)
    token = shown_token(client.get(move_url(booked)))
    first, other = two_slots(booked.engagement)
    moved = client.post(
        move_url(booked), {"start": first.start.isoformat(), "venue": neutral_venue.pk, "form_token": token}
    )
    assert moved.status_code == 302
    client.get(moved["Location"])
    booked.refresh_from_db()
    assert booked.start == first.start
    sequence = booked.sequence

    again = client.post(
        move_url(booked), {"start": other.start.isoformat(), "venue": neutral_venue.pk, "form_token": token}
    )

    booked.refresh_from_db()
    assert (booked.start, booked.sequence, booked.status) == (first.start, sequence, SessionStatus.CONFIRMED)
    assert messages_of(client.get(again["Location"])) == [
        f"You already moved this session to {english_when(booked, mentee)}."
    ]


def test_service_refuses_a_used_move_token(booked, mentee, neutral_venue):
    token = tokens.read_token(
        tokens.new_token(user=mentee, engagement=booked.engagement, kind="move"),
        user=mentee,
        engagement=booked.engagement,
        kind="move",
    )
    first, other = two_slots(booked.engagement)
    services.reschedule_session(session=booked, start=first.start, venue=neutral_venue, actor=mentee, form_token=token)
    with pytest.raises(tokens.FormAlreadyUsed):
        services.reschedule_session(
            session=booked, start=other.start, venue=neutral_venue, actor=mentee, form_token=token
        )
    booked.refresh_from_db()
    assert booked.start == first.start


def test_the_booking_page_names_ones_own_bookings_to_come_only(
    client, ready, mentee, mentor, neutral_venue, session_factory
):
    mine = session_factory(ready, hours_from_now=30, venue=neutral_venue, booked_by=mentee)
    session_factory(ready, hours_from_now=80, venue=neutral_venue, booked_by=mentor)  # the mentor's booking
    session_factory(ready, hours_from_now=-50, venue=neutral_venue, booked_by=mentee)  # held already
    client.force_login(mentee)
    response = client.get(book_url(ready))
    assert [session for session, _text in response.context["already_booked"]] == [mine]
    html = response.content.decode()
    assert f"You already booked {english_when(mine, mentee)}." in html
    assert reverse("mentoring_sessions:session-detail", args=[mine.uuid]) in html
