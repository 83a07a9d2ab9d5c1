"""The reminder sweep reads only the engagements a reminder can be due for
(`sweep.may_have_reminders_due`): leaving out the others never changes which reminders are due."""

import datetime
from unittest import mock

import pytest
import time_machine

from demo.factories import make_session
from mentorship.models import Engagement
from sessions.reminders import sweep

pytestmark = [pytest.mark.clock, pytest.mark.django_db]

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
DAY = datetime.timedelta(days=1)


def candidates() -> set[int]:
    active = Engagement.objects.filter(status="active", mentor__isnull=False)
    return set(sweep.may_have_reminders_due(active, NOW).values_list("pk", flat=True))


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


def test_nothing_booked_may_mean_a_booking_nudge(engagement):
    shape(engagement, start_date=TODAY - 200 * DAY, planned_end=TODAY + 100 * DAY)
    with time_machine.travel(NOW, tick=False):
        assert candidates() == {engagement.pk}


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
    """Engagements of every kind — booked far ahead or not, entering the monthly phase, nearing
    their planned end — then every other day for ten weeks: the sweep finds the same reminders
    with the pre-selection as when it looks at every active engagement."""
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
        engagement_factory(team=team, mentor=mentor, status="active", start_date=start, planned_end=start + 100 * DAY)
    kinds = set()
    for offset in range(0, 70, 2):
        moment = NOW + offset * DAY + datetime.timedelta(hours=offset % 24)
        with time_machine.travel(moment, tick=False):
            chosen = {(r.kind, r.key) for r in sweep.due_reminders(moment)}
            with mock.patch.object(sweep, "may_have_reminders_due", lambda engagements, now: engagements):
                everything = {(r.kind, r.key) for r in sweep.due_reminders(moment)}
        assert chosen == everything, moment
        kinds |= {kind for kind, _key in chosen}
    assert {"booking_nudge", "review", "phase_change"} <= kinds  # the comparison saw each kind
