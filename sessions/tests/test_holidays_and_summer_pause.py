"""Holidays and the summer pause in booking, due dates and nudges: no slot on a Swedish holiday
or eve, a booking there is refused, a due date on one moves to the next working day, and in the
July pause due dates move past it and nobody is nudged."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from demo.factories import make_session
from mentorship.models import Engagement
from sessions.booking import selectors, services
from sessions.due import due_for
from sessions.models import ReminderKind, SessionStatus
from sessions.reminders import planned as planned_reminders
from sessions.reminders import sweep

pytestmark = [pytest.mark.clock, pytest.mark.django_db]
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
D = datetime.date
CHRISTMAS_TO_EPIPHANY = {
    D(2026, 12, 24),
    D(2026, 12, 25),
    D(2026, 12, 26),
    D(2026, 12, 31),
    D(2027, 1, 1),
    D(2027, 1, 6),
}


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=STOCKHOLM)


def local_days(slots) -> set[datetime.date]:
    return {slot.start.astimezone(STOCKHOLM).date() for slot in slots}


def setup_dates(engagement: Engagement, start: datetime.date) -> Engagement:
    Engagement.objects.filter(pk=engagement.pk).update(
        start_date=start, planned_end=start + datetime.timedelta(days=365)
    )
    engagement.refresh_from_db()
    return engagement


def held(engagement, local_start: datetime.datetime):
    return make_session(engagement=engagement, start=local_start, minutes=120, status=SessionStatus.COMPLETED)


def nudges(engagement, now) -> set[str]:
    """The booking nudges due at `now` for the engagement, by the end of their key."""
    return {
        r.key.rsplit(":", 2)[-2]
        for r in sweep.due_reminders(now, engagement_id=engagement.pk)
        if r.kind == ReminderKind.BOOKING_NUDGE
    }


def test_no_slot_is_offered_on_christmas_new_year_or_epiphany(ready):
    assert ready.mentor.time_zone == "Europe/Stockholm"
    with time_machine.travel(at(2026, 12, 20, 10), tick=False):
        days = local_days(selectors.free_slots_for_engagement(ready))
    assert days & CHRISTMAS_TO_EPIPHANY == set()
    assert {D(2026, 12, 23), D(2026, 12, 27), D(2026, 12, 28), D(2026, 12, 30), D(2027, 1, 7)} <= days


def test_no_slot_on_midsummer_eve_but_the_summer_pause_may_still_be_booked(ready):
    with time_machine.travel(at(2027, 6, 20, 10), tick=False):
        days = local_days(selectors.free_slots_for_engagement(ready))
    assert D(2027, 6, 25) not in days
    assert D(2027, 6, 26) not in days
    assert {D(2027, 6, 24), D(2027, 6, 28), D(2027, 7, 5)} <= days  # the pause is about due dates only


def test_booking_a_holiday_is_refused_even_when_posted_by_hand(ready, mentee, neutral_venue):
    with time_machine.travel(at(2026, 12, 20, 10), tick=False):
        with pytest.raises(ValidationError) as refused:
            services.book_session(engagement=ready, start=at(2026, 12, 24, 10), venue=neutral_venue, booked_by=mentee)
        assert refused.value.code == "holiday"
        session, created = services.book_session(
            engagement=ready, start=at(2026, 12, 23, 10), venue=neutral_venue, booked_by=mentee
        )
    assert created
    assert session.start == at(2026, 12, 23, 10)


def test_the_mentors_agenda_shows_no_free_time_on_a_holiday(ready):
    with time_machine.travel(at(2026, 12, 20, 10), tick=False):
        free = selectors.mentor_free_time(
            ready.mentor,
            earliest=at(2026, 12, 21),
            latest=at(2026, 12, 28),
            busy=[],
            duration=datetime.timedelta(hours=2),
        )
    assert {D(2026, 12, 24), D(2026, 12, 25), D(2026, 12, 26)} <= free.days_off
    assert local_days(free.intervals) == {D(2026, 12, 21), D(2026, 12, 22), D(2026, 12, 23), D(2026, 12, 27)}


def test_a_due_date_on_julafton_moves_to_the_next_working_day(engagement):
    setup_dates(engagement, D(2026, 12, 1))
    held(engagement, at(2026, 12, 10, 9))  # + 14 days = Thursday 24 December
    due = due_for(engagement, now=at(2026, 12, 15, 12))
    assert due.due_date == D(2026, 12, 28)  # past Christmas and the weekend


def test_a_first_due_date_on_nyarsafton_moves_past_new_year(engagement):
    setup_dates(engagement, D(2026, 12, 24))  # the kickoff, 7 days later, falls on 31 December
    assert due_for(engagement, now=at(2026, 12, 18, 12)).due_date == D(2027, 1, 4)


def test_a_due_date_in_the_july_pause_moves_past_it_and_nobody_is_nudged_in_it(engagement):
    setup_dates(engagement, D(2027, 1, 4))  # monthly from 29 March
    held(engagement, at(2027, 6, 21, 9))  # + 1 month = 21 July, in the pause
    assert due_for(engagement, now=at(2027, 6, 22, 12)).due_date == D(2027, 8, 2)
    assert nudges(engagement, at(2027, 7, 28, 12)) == set()  # 5 days before: would nudge outside the pause
    assert nudges(engagement, at(2027, 8, 1, 12)) == {"soon"}  # the pause is over


def test_an_overdue_engagement_is_not_nudged_during_the_pause_and_is_again_after_it(engagement):
    setup_dates(engagement, D(2027, 1, 4))
    held(engagement, at(2027, 5, 10, 9))  # due Thursday 10 June
    assert nudges(engagement, at(2027, 6, 14, 12)) == {"soon", "due", "overdue"}
    assert nudges(engagement, at(2027, 7, 5, 12)) == set()
    with override_settings(SUMMER_PAUSE=None):
        assert nudges(engagement, at(2027, 7, 5, 12)) == {"soon", "due", "overdue"}


def test_the_engagement_page_plans_no_nudge_inside_the_pause(engagement):
    setup_dates(engagement, D(2027, 1, 4))
    held(engagement, at(2027, 6, 21, 9))  # due 2 August
    with time_machine.travel(at(2027, 6, 22, 12), tick=False):
        planned = [
            item for item in planned_reminders.upcoming_reminders(engagement) if item.kind == ReminderKind.BOOKING_NUDGE
        ]
    assert [item.at for item in planned] == [D(2027, 8, 2), D(2027, 8, 5)]  # 26 July (7 days before) is in the pause


def test_the_booking_page_says_why_a_holiday_cannot_be_booked(ready, mentee, neutral_venue, client):
    with time_machine.travel(at(2026, 12, 20, 10), tick=False):
        client.force_login(mentee)
        response = client.post(
            reverse("mentoring_sessions:book", args=[ready.uuid]),
            {"start": at(2026, 12, 25, 10).isoformat(), "venue": neutral_venue.pk},
        )
    assert response.status_code == 200
    assert response.context["form"].errors["start"] == ["That day is a public holiday — pick another."]
