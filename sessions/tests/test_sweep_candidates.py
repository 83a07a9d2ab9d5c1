"""The reminder sweep reads only the engagements a reminder can be due for
(`due_store.reminder_candidates`, from the stored due dates): leaving out the others never
changes which reminders are due, whether the stored rows were just refreshed or are stale."""

import datetime
from unittest import mock

import pytest
import time_machine

from demo.factories import make_session
from mentorship.models import Engagement
from sessions import due_store
from sessions.models import SessionStatus
from sessions.reminders import sweep

pytestmark = [pytest.mark.clock, pytest.mark.django_db]

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def candidates() -> set[int]:
    active = Engagement.objects.filter(status="active", mentor__isnull=False)
    due_store.refresh(NOW)
    return set(due_store.reminder_candidates(active, NOW).values_list("pk", flat=True))


def book_ahead(engagement) -> None:
    make_session(engagement=engagement, start=NOW + 3 * DAY)


def shape(engagement, *, start_date, planned_end, weeks=12) -> Engagement:
    Engagement.objects.filter(pk=engagement.pk).update(
        start_date=start_date, planned_end=planned_end, initial_phase_weeks=weeks
    )
    engagement.refresh_from_db()
    return engagement


@pytest.fixture
def quiet(engagement):
    """Booked ahead, the planned end far off, long in its monthly phase: nothing can be due."""
    shape(engagement, start_date=TODAY - 200 * DAY, planned_end=TODAY + 100 * DAY)
    book_ahead(engagement)
    return engagement


def test_an_engagement_with_its_next_session_booked_is_left_out(quiet):
    with time_machine.travel(NOW, tick=False):
        assert candidates() == set()


def test_nothing_booked_and_the_kickoff_due_may_mean_a_booking_nudge(engagement):
    shape(engagement, start_date=TODAY - 10 * DAY, planned_end=TODAY + 100 * DAY)
    with time_machine.travel(NOW, tick=False):
        assert candidates() == {engagement.pk}


def test_nothing_booked_for_months_is_no_longer_a_candidate(engagement):
    """Nudges stop a month after the due date: the kickoff was due half a year ago."""
    shape(engagement, start_date=TODAY - 200 * DAY, planned_end=TODAY + 100 * DAY)
    with time_machine.travel(NOW, tick=False):
        assert candidates() == set()


@pytest.mark.parametrize(("held_days_ago", "included"), [(21, False), (22, True), (31, True), (61, True), (63, False)])
def test_nothing_booked_is_a_candidate_only_near_its_due_date(engagement, held_days_ago, included):
    """Monthly, the last session held N days ago: due about 30 days after it; nudged from
    BOOKING_NUDGE_DAYS_BEFORE days before until a month after (a day more each side)."""
    shape(engagement, start_date=TODAY - 200 * DAY, planned_end=TODAY + 100 * DAY)
    make_session(engagement=engagement, start=NOW - held_days_ago * DAY, status=SessionStatus.COMPLETED)
    with time_machine.travel(NOW, tick=False):
        assert (engagement.pk in candidates()) is included


def test_a_session_over_since_the_last_refresh_leaves_its_engagement_a_candidate(engagement):
    """Booked, so no candidate; once the session has ended and nothing else is booked, it is one
    — with no write in between: the stored values do not change with the time alone."""
    shape(engagement, start_date=TODAY - 200 * DAY, planned_end=TODAY + 100 * DAY)
    make_session(engagement=engagement, start=NOW - 29 * DAY, status=SessionStatus.COMPLETED)
    make_session(engagement=engagement, start=NOW + 2 * DAY)
    with time_machine.travel(NOW, tick=False):
        assert candidates() == set()
    later = NOW + 3 * DAY
    active = Engagement.objects.filter(status="active", mentor__isnull=False)
    with time_machine.travel(later, tick=False):
        assert set(due_store.reminder_candidates(active, later).values_list("pk", flat=True)) == set()
    much_later = NOW + 28 * DAY  # a month after the session two days from NOW: due again
    with time_machine.travel(much_later, tick=False):
        assert set(due_store.reminder_candidates(active, much_later).values_list("pk", flat=True)) == {engagement.pk}


def test_a_stale_row_is_always_a_candidate(quiet):
    with time_machine.travel(NOW, tick=False):
        assert candidates() == set()
        make_session(engagement=quiet, start=NOW + 10 * DAY)  # marks the row stale
        active = Engagement.objects.filter(status="active", mentor__isnull=False)
        assert set(due_store.reminder_candidates(active, NOW).values_list("pk", flat=True)) == {quiet.pk}


@pytest.mark.parametrize(("days", "included"), [(-2, False), (-1, True), (0, True), (15, True), (16, False)])
def test_a_planned_end_near_may_mean_the_review(quiet, days, included):
    shape(quiet, start_date=TODAY - 200 * DAY, planned_end=TODAY + days * DAY)
    with time_machine.travel(NOW, tick=False):
        assert (quiet.pk in candidates()) is included


@pytest.mark.parametrize(("steady_days_ago", "included"), [(-2, False), (-1, True), (0, True), (8, True), (9, False)])
def test_the_monthly_phase_just_begun_may_mean_the_phase_note(quiet, steady_days_ago, included):
    shape(quiet, start_date=TODAY - steady_days_ago * DAY - 12 * 7 * DAY, planned_end=TODAY + 100 * DAY)
    with time_machine.travel(NOW, tick=False):
        assert (quiet.pk in candidates()) is included


def test_leaving_engagements_out_never_changes_the_reminders_due(
    engagement_factory, mentee, mentor, outsider_mentee, other_mentor, team
):
    """Engagements of every kind — booked far ahead or not, with sessions held, missed, cancelled
    and ending as time goes on, entering the monthly phase, nearing their planned end — then every
    other day for ten weeks, sessions added on the way: the sweep finds the same reminders with
    the pre-selection as when it looks at every active engagement, with the stored rows refreshed
    every other time and left stale in between."""
    slot = iter(range(100))
    for start in (TODAY - 10 * DAY, TODAY - 80 * DAY, TODAY - 200 * DAY):
        for planned_end in (start + 190 * DAY, TODAY + 30 * DAY):
            for mentee_, mentor_ in ((mentee, mentor), (outsider_mentee, other_mentor)):
                for booked in (False, True):
                    e = engagement_factory(
                        mentee=mentee_, mentor=mentor_, status="active", start_date=start, planned_end=planned_end
                    )
                    if booked:  # beyond the ten weeks: booked all along
                        make_session(engagement=e, start=NOW + 80 * DAY + 3 * next(slot) * datetime.timedelta(hours=1))
                    else:  # held a while ago, then one confirmed that ends during the ten weeks
                        held = datetime.datetime.combine(start + 3 * DAY, datetime.time(6), tzinfo=UTC)
                        make_session(engagement=e, start=held + 3 * next(slot) * HOUR, status=SessionStatus.COMPLETED)
                        make_session(engagement=e, start=NOW + 9 * DAY + 3 * next(slot) * HOUR)
        engagement_factory(team=team, mentor=mentor, status="active", start_date=start, planned_end=start + 100 * DAY)
    kinds = set()
    engagements = list(Engagement.objects.order_by("pk"))
    for step, offset in enumerate(range(0, 70, 2)):
        moment = NOW + offset * DAY + datetime.timedelta(hours=offset % 24)
        with time_machine.travel(moment, tick=False):
            if step % 5 == 3:  # a session booked a week on, one cancelled, in some engagement
                chosen_engagement = engagements[step % len(engagements)]
                if chosen_engagement.mentee_id:
                    booked = make_session(engagement=chosen_engagement, start=moment + 7 * DAY + 3 * next(slot) * HOUR)
                    if step % 2:
                        booked.status = SessionStatus.CANCELLED
                        booked.save()
            if step % 2:
                due_store.refresh(moment)
            chosen = {(r.kind, r.key) for r in sweep.due_reminders(moment)}
            with mock.patch.object(due_store, "reminder_candidates", lambda engagements, now: engagements):
                everything = {(r.kind, r.key) for r in sweep.due_reminders(moment)}
        assert chosen == everything, moment
        kinds |= {kind for kind, _key in chosen}
    assert {"booking_nudge", "review", "phase_change"} <= kinds  # the comparison saw each kind
