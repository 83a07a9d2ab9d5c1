"""The booking page's week view: one week at a time, chips, the suggested time, and why a week is
empty. The clock is pinned to Wed 25 Nov 2026 10:00 in Stockholm (core/tests/clock.py)."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from demo.factories import make_availability, make_time_off
from sessions.booking import services, week
from sessions.models import MentoringSession, SessionStatus

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
MONDAY_7_DEC = datetime.date(2026, 12, 7)


def book_url(engagement, week_day: datetime.date | None = None) -> str:
    url = reverse("mentoring_sessions:book", args=[engagement.uuid])
    return f"{url}?week={week_day.isoformat()}" if week_day else url


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    local = datetime.datetime.combine(day, datetime.time(hour), tzinfo=STOCKHOLM)
    return (local + datetime.timedelta(minutes=minute)).astimezone(datetime.UTC)


def offered(response) -> list[datetime.datetime]:
    return [slot.start for day in response.context["week"].days for slot in day.slots]


def test_the_week_parameter_shows_that_week_with_links_either_side(client, ready, mentee):
    client.force_login(mentee)
    response = client.get(book_url(ready, MONDAY_7_DEC + datetime.timedelta(days=3)))  # any day names its week
    view = response.context["week"]
    html = response.content.decode()
    assert (view.monday, view.sunday) == (MONDAY_7_DEC, datetime.date(2026, 12, 13))
    assert (view.previous, view.next) == (datetime.date(2026, 11, 30), datetime.date(2026, 12, 14))
    assert 'href="?week=2026-11-30" rel="prev"' in html
    assert 'href="?week=2026-12-14" rel="next"' in html
    assert "Week 50: 7 Dec – 13 Dec 2026" in html
    assert all(MONDAY_7_DEC <= start.astimezone(STOCKHOLM).date() <= view.sunday for start in offered(response))


def test_no_week_before_this_one_nor_after_the_horizon(client, ready, mentee):
    client.force_login(mentee)
    this_week = client.get(book_url(ready, datetime.date(2026, 11, 2))).context["week"]
    assert (this_week.monday, this_week.previous) == (datetime.date(2026, 11, 23), None)
    far = client.get(book_url(ready, datetime.date(2027, 6, 7))).context["week"]
    assert far.monday == datetime.date(2027, 1, 18)  # the week the 8-week horizon ends in
    assert far.next is None
    garbage = client.get(book_url(ready) + "?week=not-a-date")
    assert garbage.status_code == 200


def test_each_free_time_is_a_chip_named_with_its_full_date_and_time(client, ready, mentee):
    client.force_login(mentee)
    response = client.get(book_url(ready, MONDAY_7_DEC))
    monday = response.context["week"].days[0]
    # Free 08:00–18:00, two-hour sessions, every half hour: 08:00 to 16:00.
    assert [slot.start for slot in monday.slots] == [at(MONDAY_7_DEC, 8, 30 * n) for n in range(17)]
    html = response.content.decode()
    first = at(MONDAY_7_DEC, 8)
    assert (
        f'<input type="radio" name="start" id="chip-{int(first.timestamp())}" value="{first.isoformat()}" required'
        ' aria-label="Monday 7 December 2026, 08:00–10:00">' in html
    )
    assert (
        f'<label for="chip-{int(first.timestamp())}" title="Monday 7 December 2026, 08:00–10:00">08:00</label>' in html
    )


def test_the_suggested_time_button_books_exactly_that_time(client, ready, mentee, neutral_venue):
    client.force_login(mentee)
    page = client.get(book_url(ready))
    suggestion = page.context["suggestion"]
    token = page.context["form"]["form_token"].value()
    assert f'name="suggested" value="{suggestion.start.isoformat()}"' in page.content.decode()
    other_chip = next(start for start in offered(page) if start != suggestion.start)
    response = client.post(
        book_url(ready),
        {
            "suggested": suggestion.start.isoformat(),
            "start": other_chip.isoformat(),
            "venue": neutral_venue.pk,
            "form_token": token,
        },
    )
    session = MentoringSession.objects.get()
    assert response["Location"] == session.get_absolute_url()
    assert (session.start, session.end) == (suggestion.start, suggestion.end)


def test_the_suggestion_is_the_due_dates_week_and_never_next_to_a_booked_session(
    client, ready, mentee, session_factory, past_session
):
    past_session(ready, days_ago=5)  # held on Fri 20 Nov: the next is due Fri 4 Dec
    client.force_login(mentee)
    due = client.get(book_url(ready)).context
    assert due["due"].due_date == datetime.date(2026, 12, 4)
    assert due["week"].monday == datetime.date(2026, 11, 30)
    assert due["suggestion"].start.astimezone(STOCKHOLM).date() == datetime.date(2026, 12, 4)

    session_factory(ready, start=at(datetime.date(2026, 12, 4), 10))  # the due session is booked
    context = client.get(book_url(ready)).context
    gap = week.min_gap(ready)
    assert gap == datetime.timedelta(days=7)
    assert context["suggested"]
    assert all(abs(slot.start - at(datetime.date(2026, 12, 4), 10)) >= gap for slot in context["suggested"])
    # The suggestion moves on to the session after the booked one: a month later (the steady
    # phase began on 24 Nov, twelve weeks after the start).
    assert context["suggestion"].start.astimezone(STOCKHOLM).date() == datetime.date(2027, 1, 4)
    booked_day = next(
        day
        for day in client.get(book_url(ready, MONDAY_7_DEC - datetime.timedelta(days=7))).context["week"].days
        if day.booked
    )
    assert booked_day.day == datetime.date(2026, 12, 4)


def test_a_week_the_mentor_is_away_says_so(client, ready, mentee):
    make_time_off(mentor=ready.mentor, start_date=datetime.date(2026, 12, 5), end_date=datetime.date(2026, 12, 14))
    client.force_login(mentee)
    response = client.get(book_url(ready, MONDAY_7_DEC))
    view = response.context["week"]
    assert not view.has_slots
    assert view.reasons == ["Bob Mentor is away 5 Dec – 14 Dec."]
    html = response.content.decode()
    assert "No free times this week." in html
    assert "Bob Mentor is away 5 Dec – 14 Dec." in html
    assert 'href="?week=2026-12-14">Go to the next week with free times (week of 14 December)' in html


def test_a_week_of_public_holidays_says_so(client, engagement, mentee, neutral_venue):
    make_availability(mentor=engagement.mentor, weekdays=[3, 4])  # Thursdays and Fridays only
    client.force_login(mentee)
    view = client.get(book_url(engagement, datetime.date(2026, 12, 21))).context["week"]
    assert not view.has_slots
    assert view.reasons == ["Thu 24 Dec, Fri 25 Dec, Sat 26 Dec are public holidays."]
    assert [day.note for day in view.days][3:5] == ["Public holiday", "Public holiday"]


def test_weeks_outside_the_engagements_dates_say_so(client, ready, mentee):
    ready.planned_end = datetime.date(2026, 12, 9)
    ready.save()
    client.force_login(mentee)
    last = client.get(book_url(ready, MONDAY_7_DEC))
    assert max(offered(last)).astimezone(STOCKHOLM).date() == datetime.date(2026, 12, 9)
    after = client.get(book_url(ready, datetime.date(2026, 12, 14))).context["week"]
    assert after.reasons == ["The mentorship is planned to end on 9 December 2026; ask the consultancy to extend it."]

    ready.start_date, ready.planned_end = datetime.date(2027, 1, 4), datetime.date(2027, 6, 30)
    ready.save()
    before = client.get(book_url(ready, datetime.date(2026, 12, 28))).context["week"]
    assert before.reasons == ["The mentorship starts on 4 January 2027."]


def test_a_time_outside_the_engagements_dates_is_refused_even_when_posted_by_hand(ready, mentee, neutral_venue):
    ready.planned_end = datetime.date(2026, 12, 9)
    ready.save()
    with pytest.raises(ValidationError) as refused:
        services.book_session(
            engagement=ready, start=at(datetime.date(2026, 12, 10), 9), venue=neutral_venue, booked_by=mentee
        )
    assert refused.value.code == "outside_engagement"
    ready.start_date, ready.planned_end = datetime.date(2026, 12, 8), datetime.date(2027, 6, 30)
    ready.save()
    with pytest.raises(ValidationError):
        services.book_session(engagement=ready, start=at(MONDAY_7_DEC, 9), venue=neutral_venue, booked_by=mentee)
    session, created = services.book_session(
        engagement=ready, start=at(datetime.date(2026, 12, 8), 9), venue=neutral_venue, booked_by=mentee
    )
    assert created
    assert MentoringSession.objects.filter(engagement=ready).count() == 1


def test_a_fully_booked_week_says_so(client, engagement, mentee, session_factory):
    make_availability(mentor=engagement.mentor, weekdays=[0], start_time=datetime.time(8), end_time=datetime.time(10))
    session_factory(engagement, start=at(MONDAY_7_DEC, 8))
    client.force_login(mentee)
    view = client.get(book_url(engagement, MONDAY_7_DEC)).context["week"]
    assert view.reasons == ["Bob Mentor's times this week are all booked."]


def test_a_mentor_without_any_times_is_named(client, engagement, mentee):
    client.force_login(mentee)
    response = client.get(book_url(engagement))
    assert response.context["week"].reasons == ["Bob Mentor has not opened any times for booking yet."]
    assert "There are no free times right now. Please get in touch with your mentor." in response.content.decode()


def test_a_posted_time_with_an_error_shows_its_own_week(client, ready, mentee, neutral_venue, session_factory):
    taken = at(datetime.date(2026, 12, 16), 9)
    session_factory(ready, start=taken, status=SessionStatus.CONFIRMED)
    client.force_login(mentee)
    response = client.post(book_url(ready), {"start": taken.isoformat(), "venue": neutral_venue.pk})
    assert response.status_code == 200
    assert response.context["week"].monday == datetime.date(2026, 12, 14)
    assert taken not in offered(response)


pytestmark = pytest.mark.django_db


def test_moving_opens_the_sessions_week_and_the_suggested_time_moves_it_there(
    client, ready, mentee, neutral_venue, session_factory
):
    session = session_factory(ready, start=at(datetime.date(2026, 12, 15), 9), venue=neutral_venue, booked_by=mentee)
    client.force_login(mentee)
    url = reverse("mentoring_sessions:session-reschedule", args=[session.uuid])
    page = client.get(url)
    assert page.context["week"].monday == datetime.date(2026, 12, 14)
    suggestion = page.context["suggestion"]
    assert "Move to the suggested time" in page.content.decode()
    token = page.context["form"]["form_token"].value()
    response = client.post(
        url, {"suggested": suggestion.start.isoformat(), "venue": neutral_venue.pk, "form_token": token}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.start == suggestion.start


def test_the_demo_mentor_leilas_christmas_week_says_she_is_away(client, settings):
    from django.core.management import call_command

    from mentorship.models import Engagement

    settings.DEBUG = True
    call_command("seed_demo")
    engagement = Engagement.objects.filter(mentor__email="leila.karimi@example.com", status="active").first()
    client.force_login(engagement.mentor)
    view = client.get(book_url(engagement, datetime.date(2026, 12, 28))).context["week"]
    assert "Leila Karimi is away 21 Dec – 6 Jan." in view.reasons
