import datetime
import zoneinfo

from demo.factories import make_booking_settings, make_session, make_time_off
from sessions.booking import selectors
from sessions.booking.slots import Slot
from sessions.models import MentoringSession

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
UTC = datetime.UTC


def test_participants_for_sessions_matches_participants_one_by_one(
    django_assert_num_queries, engagement, team_engagement
):
    start = datetime.datetime(2026, 12, 1, 9, tzinfo=UTC)
    make_session(engagement=engagement, start=start)
    make_session(engagement=team_engagement, start=start + datetime.timedelta(days=1))
    make_session(engagement=team_engagement, start=start + datetime.timedelta(days=2))
    sessions = list(MentoringSession.objects.select_related("mentor", "mentee"))

    with django_assert_num_queries(1):  # the team members, once for every team
        batched = selectors.participants_for_sessions(sessions)

    assert batched == {session.pk: selectors.participants(session) for session in sessions}


def test_participants_for_sessions_without_teams_needs_no_query(django_assert_num_queries, engagement):
    make_session(engagement=engagement, start=datetime.datetime(2026, 12, 1, 9, tzinfo=UTC))
    sessions = list(MentoringSession.objects.select_related("mentor", "mentee"))
    with django_assert_num_queries(0):
        assert selectors.participants_for_sessions(sessions) == {sessions[0].pk: [engagement.mentor, engagement.mentee]}


def test_mentor_free_time_merges_fitting_slots_into_stretches(mentor, open_availability):
    open_availability(mentor=mentor)
    make_booking_settings(mentor=mentor, buffer_minutes=30)
    day = datetime.date(2026, 12, 1)
    busy = [
        (datetime.datetime(2026, 12, 1, 12, tzinfo=STOCKHOLM), datetime.datetime(2026, 12, 1, 13, tzinfo=STOCKHOLM))
    ]

    free = selectors.mentor_free_time(
        mentor,
        earliest=datetime.datetime.combine(day, datetime.time(0), tzinfo=STOCKHOLM),
        latest=datetime.datetime.combine(day, datetime.time(23), tzinfo=STOCKHOLM),
        busy=busy,
        duration=datetime.timedelta(hours=2),
    )

    local = [(s.start.astimezone(STOCKHOLM).time(), s.end.astimezone(STOCKHOLM).time()) for s in free.intervals]
    assert local == [(datetime.time(8), datetime.time(11, 30)), (datetime.time(13, 30), datetime.time(18))]
    assert free.days_off == set()


def test_mentor_free_time_leaves_out_time_off_and_reports_the_days(mentor, open_availability):
    open_availability(mentor=mentor)
    make_time_off(mentor=mentor, start_date=datetime.date(2026, 12, 2), end_date=datetime.date(2026, 12, 3))

    free = selectors.mentor_free_time(
        mentor,
        earliest=datetime.datetime(2026, 12, 1, tzinfo=STOCKHOLM),
        latest=datetime.datetime(2026, 12, 5, tzinfo=STOCKHOLM),
        busy=[],
        duration=datetime.timedelta(hours=2),
    )

    assert [slot.start.astimezone(STOCKHOLM).date().day for slot in free.intervals] == [1, 4]
    assert free.days_off == {datetime.date(2026, 12, 2), datetime.date(2026, 12, 3)}


def test_mentor_free_time_keeps_wall_clock_across_spring_forward(mentor, open_availability):
    open_availability(mentor=mentor)
    # Stockholm moves to summer time on Sunday 2026-03-29: 08:00–18:00 local is 06:00–16:00 UTC.

    free = selectors.mentor_free_time(
        mentor,
        earliest=datetime.datetime(2026, 3, 28, 12, tzinfo=UTC),
        latest=datetime.datetime(2026, 3, 30, tzinfo=STOCKHOLM),
        busy=[],
        duration=datetime.timedelta(hours=2),
    )

    assert free.intervals == [
        Slot(datetime.datetime(2026, 3, 28, 12, tzinfo=UTC), datetime.datetime(2026, 3, 28, 17, tzinfo=UTC)),  # CET
        Slot(datetime.datetime(2026, 3, 29, 6, tzinfo=UTC), datetime.datetime(2026, 3, 29, 16, tzinfo=UTC)),  # CEST
    ]


def test_mentor_free_time_without_windows_is_empty(mentor):
    free = selectors.mentor_free_time(
        mentor,
        earliest=datetime.datetime(2026, 12, 1, tzinfo=UTC),
        latest=datetime.datetime(2026, 12, 8, tzinfo=UTC),
        busy=[],
        duration=datetime.timedelta(hours=2),
    )
    assert free.intervals == []
