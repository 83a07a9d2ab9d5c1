"""The stored due dates the reminder sweep reads (`sessions.due_store`): the database marks a row
stale whatever makes the change, a refresh makes it equal to a fresh computation
(`sessions.due`), and a refresh and a writer at the same moment lose no change."""

import datetime
import itertools
import threading
import time

import pytest
import time_machine
from django.db import connection, connections, transaction

from demo.factories import build_session, make_session
from mentorship.models import Engagement
from sessions import due_store
from sessions.due import due_for
from sessions.models import EngagementDue, MentoringSession, SessionStatus

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def stale(engagement) -> bool:
    return EngagementDue.objects.get(pk=engagement.pk).is_stale


@pytest.fixture
def fresh(engagement):
    """`engagement` with one session held, its stored row just refreshed."""
    make_session(engagement=engagement, start=NOW - 10 * DAY, status=SessionStatus.COMPLETED)
    due_store.refresh(NOW)
    assert not stale(engagement)
    return engagement


@pytest.mark.django_db
class TestTheDatabaseMarksRowsStale:
    def test_a_new_engagement_gets_a_stale_row(self, engagement):
        assert stale(engagement)

    def test_a_session_booked_saved_in_bulk_or_deleted_marks_it(self, fresh):
        session = make_session(engagement=fresh, start=NOW + 3 * DAY)
        assert stale(fresh)
        due_store.refresh(NOW)
        MentoringSession.objects.bulk_create([build_session(engagement=fresh, start=NOW + 9 * DAY)])
        assert stale(fresh)
        due_store.refresh(NOW)
        session.delete()
        assert stale(fresh)

    @pytest.mark.parametrize(
        "change",
        [
            {"status": SessionStatus.CANCELLED},
            {"start": NOW - 9 * DAY, "end": NOW - 9 * DAY + HOUR},
        ],
        ids=["status", "time"],
    )
    def test_a_change_to_a_sessions_status_or_time_marks_it_even_by_a_queryset_update(self, fresh, change):
        MentoringSession.objects.filter(engagement=fresh).update(**change)
        assert stale(fresh)

    def test_a_change_to_a_sessions_meeting_link_leaves_it_fresh(self, fresh):
        MentoringSession.objects.filter(engagement=fresh).update(meeting_url="https://meet.example.com/abc")
        assert not stale(fresh)

    def test_a_change_to_the_engagement_marks_it(self, fresh):
        Engagement.objects.filter(pk=fresh.pk).update(steady_interval_months=2)
        assert stale(fresh)

    def test_the_mentors_time_zone_marks_their_engagements_and_their_name_does_not(self, fresh, mentor):
        mentor.full_name = "Another Name"
        mentor.save()
        assert not stale(fresh)
        mentor.time_zone = "America/New_York"
        mentor.save()
        assert stale(fresh)

    def test_a_refresh_leaves_nothing_stale_and_a_rebuild_recomputes_every_row(self, fresh, outsider_engagement):
        assert due_store.refresh(NOW) == 1  # the outsider's, new
        assert not EngagementDue.objects.filter(is_stale=True).exists()
        assert due_store.rebuild(NOW) == 2


def _world(engagement_factory, mentee, mentor, outsider_mentee, other_mentor, team) -> list[Engagement]:
    """Engagements in both phases, for one person and for a team, with sessions of every status
    before and after NOW, one-to-ones among them, and one paused."""
    slot = itertools.count()
    engagements = []
    for start_days_ago, (person, their_mentor), status in itertools.product(
        (20, 120, 400), ((mentee, mentor), (outsider_mentee, other_mentor)), ("active", "paused")
    ):
        start = (NOW - start_days_ago * DAY).date()
        engagements.append(
            engagement_factory(
                mentee=person, mentor=their_mentor, status=status, start_date=start, planned_end=start + 500 * DAY
            )
        )
    team_engagement = engagement_factory(team=team, mentor=mentor, status="active", start_date=(NOW - 60 * DAY).date())
    engagements.append(team_engagement)
    statuses = [SessionStatus.COMPLETED, SessionStatus.CONFIRMED, SessionStatus.REQUESTED, SessionStatus.CANCELLED]
    for index, engagement in enumerate(engagements):
        for days, session_status in zip((-40, -8, -1, 5), statuses[index % 4 :] + statuses[: index % 4], strict=True):
            make_session(engagement=engagement, start=NOW + days * DAY + 3 * next(slot) * HOUR, status=session_status)
    return engagements


@pytest.mark.django_db
def test_stored_rows_equal_a_fresh_computation_as_time_goes_on(
    engagement_factory, mentee, mentor, outsider_mentee, other_mentor, team
):
    """Refreshed once, then read at moments up to two months on with no write in between: at
    each, an engagement is booked exactly when `booked_until` lies ahead, and when nothing is
    booked the stored due date is the fresh one."""
    engagements = _world(engagement_factory, mentee, mentor, outsider_mentee, other_mentor, team)
    due_store.refresh(NOW)
    stored = {row.pk: row for row in EngagementDue.objects.all()}
    compared = booked = 0
    for hours in range(0, 60 * 24, 37):
        moment = NOW + hours * HOUR
        with time_machine.travel(moment, tick=False):
            for engagement in Engagement.objects.filter(pk__in=[e.pk for e in engagements]).select_related("mentor"):
                due, row = due_for(engagement, now=moment), stored[engagement.pk]
                if due is None:
                    assert row.due_date is None
                    continue
                is_booked = row.booked_until is not None and row.booked_until > moment
                assert is_booked == due.is_booked, (engagement, moment)
                if not is_booked:
                    assert row.due_date == due.due_date, (engagement, moment)
                    compared += 1
                booked += is_booked
    assert compared
    assert booked


class Writer(threading.Thread):
    """In its own connection and transaction: books a session for the engagement (its trigger
    marks the row stale), tells, waits to be told, commits."""

    def __init__(self, engagement: Engagement, start: datetime.datetime):
        super().__init__()
        self.engagement, self.start_at = engagement, start
        self.marked, self.go_on = threading.Event(), threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with transaction.atomic():
                make_session(engagement=self.engagement, start=self.start_at)
                self.marked.set()
                self.go_on.wait(10)
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            connections.close_all()


def _booked_until(engagement) -> datetime.datetime | None:
    return EngagementDue.objects.get(pk=engagement.pk).booked_until


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_a_refresh_skips_a_row_a_writer_holds_and_takes_it_once_the_writer_has_committed(
    engagement, outsider_engagement
):
    due_store.refresh(NOW)
    EngagementDue.objects.filter(pk=outsider_engagement.pk).update(is_stale=True)
    writer = Writer(engagement, NOW + 3 * DAY)
    writer.start()
    assert writer.marked.wait(10)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # waiting at all would fail the test
        assert due_store.refresh(NOW) == 1  # the outsider's only
    finally:
        writer.go_on.set()
        writer.join(15)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert writer.error is None
    assert stale(engagement)
    assert due_store.refresh(NOW) == 1  # now the writer's
    assert _booked_until(engagement) == MentoringSession.objects.get(engagement=engagement).end


class Refresher(threading.Thread):
    """In its own connection: a refresh that, once it has locked its rows, waits to be told."""

    def __init__(self):
        super().__init__()
        self.locked, self.go_on = threading.Event(), threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            due_store.refresh(NOW)
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            connections.close_all()


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_a_session_booked_while_a_refresh_holds_the_row_leaves_it_stale(engagement, monkeypatch):
    """The writer's mark waits for the refresh, then marks the row again: the refresh, which could
    not see the new session, does not get the last word."""
    due_store.refresh(NOW)
    EngagementDue.objects.filter(pk=engagement.pk).update(is_stale=True)
    refresher = Refresher()
    stats = due_store._stats

    def pausing_stats(ids):
        if threading.current_thread() is refresher:
            refresher.locked.set()
            refresher.go_on.wait(10)
        return stats(ids)

    monkeypatch.setattr(due_store, "_stats", pausing_stats)
    refresher.start()
    assert refresher.locked.wait(10)
    writer = Writer(engagement, NOW + 3 * DAY)
    writer.start()
    deadline = time.monotonic() + 5
    while not _waiting_on_a_lock() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _waiting_on_a_lock()  # the writer's mark waits for the refresh
    refresher.go_on.set()
    refresher.join(15)
    assert writer.marked.wait(10)
    writer.go_on.set()
    writer.join(15)
    assert refresher.error is None
    assert writer.error is None
    assert stale(engagement)
    due_store.refresh(NOW)
    assert _booked_until(engagement) == MentoringSession.objects.get(engagement=engagement).end
