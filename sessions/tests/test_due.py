"""The cadence engine applied to real engagements: team engagements, a booked session, and the
mentor's local dates across a daylight-saving change — the same answer on the booking page and in
the reminder sweep."""

import datetime
import zoneinfo

import pytest

from demo.factories import make_session
from mentorship.cadence import Phase
from mentorship.models import Engagement
from sessions.due import due_for
from sessions.models import SessionStatus
from sessions.reminders import sweep as reminders

pytestmark = [pytest.mark.clock, pytest.mark.django_db]
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def held(engagement, local_start: datetime.datetime, status=SessionStatus.COMPLETED):
    return make_session(engagement=engagement, start=local_start.replace(tzinfo=STOCKHOLM), minutes=120, status=status)


def at(local: datetime.datetime) -> datetime.datetime:
    return local.replace(tzinfo=STOCKHOLM)


def setup_dates(engagement, start):
    Engagement.objects.filter(pk=engagement.pk).update(
        start_date=start, planned_end=start + datetime.timedelta(days=365)
    )
    engagement.refresh_from_db()


def test_team_engagement_follows_its_team_sessions(team_engagement):
    setup_dates(team_engagement, datetime.date(2026, 9, 1))
    held(team_engagement, datetime.datetime(2026, 9, 15, 9))
    due = due_for(team_engagement, now=at(datetime.datetime(2026, 9, 20, 12)))
    assert (due.phase, due.due_date, due.is_booked) == (Phase.INITIAL, datetime.date(2026, 9, 29), False)


def test_a_booked_future_session_is_reported(engagement):
    setup_dates(engagement, datetime.date(2026, 9, 1))
    held(engagement, datetime.datetime(2026, 9, 15, 9))
    held(engagement, datetime.datetime(2026, 9, 30, 9), status=SessionStatus.CONFIRMED)
    due = due_for(engagement, now=at(datetime.datetime(2026, 9, 20, 12)))
    assert due.booked == datetime.date(2026, 9, 30)


def test_local_date_of_a_session_just_after_midnight_across_the_autumn_change(engagement):
    # Sunday 2026-10-25 clocks go back. A session at 00:30 on Monday 26th local time is still
    # Sunday 23:30 in UTC: the due date must follow the mentor's calendar (26th + 14 days).
    engagement.mentor.time_zone = "Europe/Stockholm"
    engagement.mentor.save()
    setup_dates(engagement, datetime.date(2026, 10, 1))
    session = held(engagement, datetime.datetime(2026, 10, 26, 0, 30))
    assert session.start.astimezone(datetime.UTC).date() == datetime.date(2026, 10, 25)
    now = at(datetime.datetime(2026, 11, 3, 12))
    due = due_for(engagement, now=now)
    assert due.due_date == datetime.date(2026, 11, 9)
    # The sweep agrees: the booking nudge is about the same due date.
    nudges = [r for r in reminders.due_reminders(now, engagement_id=engagement.pk) if r.kind == "booking_nudge"]
    assert {r.about for r in nudges} == {"2026-11-09"}


def test_phase_switch_to_monthly_after_twelve_weeks(engagement):
    setup_dates(engagement, datetime.date(2026, 1, 5))
    held(engagement, datetime.datetime(2026, 3, 30, 9))  # first day of the steady phase
    due = due_for(engagement, now=at(datetime.datetime(2026, 4, 2, 12)))
    assert (due.phase, due.due_date) == (Phase.STEADY, datetime.date(2026, 4, 30))


def test_paused_engagement_is_due_nothing(engagement):
    Engagement.objects.filter(pk=engagement.pk).update(status="paused")
    engagement.refresh_from_db()
    assert due_for(engagement) is None


def test_the_kickoff_is_due_a_week_after_the_start_and_the_cadence_runs_from_it(engagement):
    setup_dates(engagement, datetime.date(2026, 11, 2))
    assert due_for(engagement, now=at(datetime.datetime(2026, 11, 3, 12))).due_date == datetime.date(2026, 11, 9)
    held(engagement, datetime.datetime(2026, 11, 5, 9))  # the kickoff, early
    due = due_for(engagement, now=at(datetime.datetime(2026, 11, 6, 12)))
    assert due.due_date == datetime.date(2026, 11, 19)  # 14 days after the kickoff
