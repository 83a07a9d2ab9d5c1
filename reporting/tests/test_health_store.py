"""The stored engagement health (reporting.health.store): what marks a record due, when time
alone makes it due, and — with hypothesis — that after any sequence of what people do and of time
passing, every stored record and month equals a fresh computation."""

import contextlib
import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo.factories import make_feedback, make_intake, make_session
from mentorship.engagements import services as engagement_services
from mentorship.models import Engagement, EngagementStatus, TeamMembership
from mentorship.organisations import services as team_services
from reporting.health import store, totals
from reporting.health.selectors import engagement_health
from reporting.models import EngagementHealthRecord, EngagementMonth, HealthTotal, MonthTotal
from reporting.tasks import refresh_health
from sessions.booking import services as booking
from sessions.booking.selectors import free_slots_for_engagement
from sessions.followup import services as followup
from sessions.models import MentoringSession, SessionStatus
from sessions.records import services as records

pytestmark = pytest.mark.django_db  # each test sets its own moments

UTC = datetime.UTC
# A Monday morning in Stockholm; the engagement fixtures started on 1 September 2026.
START = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def record(engagement) -> EngagementHealthRecord:
    return EngagementHealthRecord.objects.get(pk=engagement.pk)


def fresh_months(ids) -> set[tuple]:
    engagements = list(Engagement.objects.filter(pk__in=ids).select_related("mentor"))
    now = datetime.datetime.now(UTC)
    sessions, ratings = store._sessions_by_engagement(ids, now), store._ratings_by_session(ids)
    return {_month_key(row) for e in engagements for row in store._months(e, sessions.get(e.pk, []), ratings)}


def _month_key(row: EngagementMonth) -> tuple:
    return (
        row.engagement_id,
        row.month,
        row.held,
        row.held_on_time,
        row.missed,
        row.ratings,
        row.usefulness_total,
        row.trust_total,
    )


def assert_stored_equals_fresh() -> None:
    """Bring the store up to date the way a page does, then compare with a fresh computation."""
    now = datetime.datetime.now(UTC)
    store.refresh_due(now)
    fresh = {row.engagement.pk: row for row in engagement_health(Engagement.objects.all(), now=now)}
    for stored in EngagementHealthRecord.objects.all():
        row = fresh.get(stored.pk)
        assert stored.is_active == (row is not None), stored.pk
        if row is None:
            continue
        assert (stored.phase, stored.due_date, stored.next_booked, stored.last_held) == (
            row.phase.value,
            row.due.due_date,
            row.next_booked,
            row.last_held,
        ), stored.pk
        assert stored.is_overdue == (row.overdue_days is not None), stored.pk
        assert (stored.score, stored.signals) == (row.score, [signal.code for signal in row.signals]), stored.pk
        absences = [list(absence) for absence in row.facts.member_absences]
        assert stored.facts.get("member_absences", []) == absences, stored.pk
    ids = list(Engagement.objects.values_list("pk", flat=True))
    assert {_month_key(row) for row in EngagementMonth.objects.all()} == fresh_months(ids)
    assert totals.stored() == totals.recounted()  # the consultancy-wide totals add up


# What marks a record due ------------------------------------------------------------------------


def test_a_new_engagement_gets_a_record_that_is_computed_before_it_is_read(engagement):
    assert record(engagement).computed_at is None
    store.refresh_due()
    computed = record(engagement)
    assert computed.is_active
    assert computed.computed_at is not None
    assert computed.is_overdue  # the fixture started on 1 September and never met


@pytest.mark.parametrize("change", ["session", "session deleted", "feedback", "intake", "engagement", "time zone"])
def test_each_input_marks_the_record_due(engagement, change):
    session = make_session(engagement=engagement, start=START - datetime.timedelta(days=3), status="completed")
    store.refresh_due()
    assert record(engagement).computed_at is not None
    if change == "session":
        session.status = SessionStatus.NO_SHOW
        session.save()
    elif change == "session deleted":
        session.delete()
    elif change == "feedback":
        make_feedback(session=session, mentee=engagement.mentee, usefulness=1, trust=1)
    elif change == "intake":
        make_intake(engagement=engagement, mentee=engagement.mentee, commitment=1)
    elif change == "engagement":
        engagement.initial_phase_weeks = 4
        engagement.save()
    else:
        engagement.mentor.time_zone = "America/New_York"
        engagement.mentor.save()
    assert record(engagement).computed_at is None


@pytest.mark.parametrize("change", ["attendance", "member leaves", "member renamed"])
def test_team_inputs_mark_the_team_engagements_record_due(team_engagement, change):
    session = make_session(engagement=team_engagement, start=START - datetime.timedelta(days=3))
    store.refresh_due()
    assert record(team_engagement).computed_at is not None
    seats = list(TeamMembership.objects.filter(team=team_engagement.team).select_related("user").order_by("user_id"))
    if change == "attendance":
        records.record_member_attendance(
            session=session, actor=session.mentor, statuses={seat.user_id: "absent" for seat in seats}
        )
    elif change == "member leaves":
        team_services.remove_team_member(membership=seats[0])
    else:
        seats[0].user.full_name = "Someone Else"
        seats[0].user.save(update_fields=["full_name"])
    assert record(team_engagement).computed_at is None


def test_a_member_who_keeps_missing_is_a_stored_signal_with_a_reason(team_engagement, mentor):
    seats = list(TeamMembership.objects.filter(team=team_engagement.team).select_related("user").order_by("user_id"))
    missing = seats[0].user
    for days_ago, came in [(30, False), (20, True), (10, False)]:
        session = make_session(engagement=team_engagement, start=START - datetime.timedelta(days=days_ago))
        statuses = {seat.user_id: "present" for seat in seats} | {missing.pk: "present" if came else "absent"}
        records.record_member_attendance(session=session, actor=mentor, statuses=statuses)
    store.refresh_due()
    stored = record(team_engagement)
    assert "member_missing" in stored.signals
    assert stored.facts["member_absences"] == [[missing.display_name, 2, 3]]
    (row,) = engagement_health(Engagement.objects.filter(pk=team_engagement.pk))
    (signal,) = [signal for signal in row.signals if signal.code == "member_missing"]
    assert signal.reason == f"{missing.display_name} was absent from 2 of the last 3 team sessions."
    # Once they leave the team, their absences no longer count.
    team_services.remove_team_member(membership=seats[0])
    store.refresh_due()
    assert "member_missing" not in record(team_engagement).signals


def test_a_login_does_not_mark_the_mentors_engagements(engagement):
    store.refresh_due()
    engagement.mentor.save(update_fields=["last_login"])
    assert record(engagement).computed_at is not None


def test_deleting_an_engagement_with_its_sessions_removes_its_record_and_its_share_of_the_totals(
    engagement, team_engagement
):
    make_session(engagement=engagement, start=START - datetime.timedelta(days=3), status="completed")
    store.refresh_due()
    assert totals.counts()["active"] == 2
    assert totals.stored()[1]  # its held session's month
    with transaction.atomic():
        engagement.sessions.all().delete()
        engagement.intake_responses.all().delete()
        Engagement.objects.filter(pk=engagement.pk).delete()
    assert not EngagementHealthRecord.objects.filter(pk=engagement.pk).exists()
    store.refresh_due()
    assert totals.counts()["active"] == 1
    assert totals.stored() == totals.recounted()


def test_rebuild_sets_totals_that_drifted_right_again(engagement):
    make_session(engagement=engagement, start=START - datetime.timedelta(days=3), status="completed")
    store.refresh_due()
    HealthTotal.objects.update(count=99)
    MonthTotal.objects.update(held=99)
    call_command("rebuild_health", stdout=io.StringIO())
    assert totals.stored() == totals.recounted()
    assert totals.counts()["active"] == 1


# When time alone makes it due -------------------------------------------------------------------


def test_a_confirmed_session_makes_the_record_due_when_it_ends(engagement):
    with time_machine.travel(START, tick=False):
        session = make_session(engagement=engagement, start=START + datetime.timedelta(hours=1))
        store.refresh_due()
        assert record(engagement).refresh_at == session.end
        assert record(engagement).last_held is None
    with time_machine.travel(session.end + datetime.timedelta(minutes=1), tick=False):
        assert store.refresh_due() == 1
        assert record(engagement).last_held == session.start.date()


def test_an_engagement_turns_overdue_at_midnight_in_its_mentors_zone(engagement_factory, mentee, mentor):
    # The kickoff is due 7 days after the start (1 December), overdue once the 7-day grace is
    # over: 9 December.
    engagement = engagement_factory(
        mentee=mentee, mentor=mentor, status="active", start_date=datetime.date(2026, 11, 24)
    )
    with time_machine.travel(START, tick=False):
        store.refresh_due()
        assert not record(engagement).is_overdue
        assert record(engagement).refresh_at == datetime.datetime(2026, 12, 8, 23, 0, tzinfo=UTC)
    with time_machine.travel(datetime.datetime(2026, 12, 8, 23, 0, 1, tzinfo=UTC), tick=False):
        store.refresh_due()
        assert record(engagement).is_overdue
        assert record(engagement).score == 3


def test_nobody_is_overdue_in_the_summer_pause_and_the_stored_record_follows_by_time_alone(
    engagement_factory, mentee, mentor
):
    # Held 10 May 2027, monthly: due Thursday 10 June, overdue from 18 June; July is the pause.
    engagement = engagement_factory(mentee=mentee, mentor=mentor, status="active", start_date=datetime.date(2027, 1, 4))
    make_session(
        engagement=engagement,
        start=datetime.datetime(2027, 5, 10, 7, 0, tzinfo=UTC),
        status=SessionStatus.COMPLETED,
    )
    stockholm_midnight = {
        "pause begins": datetime.datetime(2027, 6, 30, 22, 0, tzinfo=UTC),
        "pause ends": datetime.datetime(2027, 7, 31, 22, 0, tzinfo=UTC),
    }
    with time_machine.travel(datetime.datetime(2027, 6, 29, 12, 0, tzinfo=UTC), tick=False):
        store.refresh_due()
        assert record(engagement).is_overdue
        assert record(engagement).refresh_at == stockholm_midnight["pause begins"]
        assert_stored_equals_fresh()
    with time_machine.travel(stockholm_midnight["pause begins"] + datetime.timedelta(seconds=1), tick=False):
        assert store.refresh_due() == 1  # time alone: nothing marked it
        assert not record(engagement).is_overdue
        assert record(engagement).refresh_at == stockholm_midnight["pause ends"]
        assert_stored_equals_fresh()
    with time_machine.travel(stockholm_midnight["pause ends"] + datetime.timedelta(seconds=1), tick=False):
        assert store.refresh_due() == 1
        assert record(engagement).is_overdue
        assert_stored_equals_fresh()


def test_a_record_computed_for_a_later_moment_is_computed_again_for_an_earlier_one(engagement):
    store.refresh_due(START + datetime.timedelta(days=30))
    assert store.refresh_due(START) == 1


# Rebuilding -------------------------------------------------------------------------------------


def test_bulk_inserts_need_a_rebuild_which_the_command_does(engagement):
    store.refresh_due()
    MentoringSession.objects.bulk_create(
        [MentoringSession.for_engagement(engagement, start=START - datetime.timedelta(days=2), status="completed")]
    )
    assert record(engagement).last_held is None  # no signal from a bulk insert
    out = io.StringIO()
    call_command("rebuild_health", stdout=out)
    assert "1 engagements" in out.getvalue()
    assert record(engagement).last_held is not None


def test_the_beat_task_refreshes_what_is_due(engagement, team_engagement):
    assert refresh_health.delay().get() == 2
    assert refresh_health.delay().get() == 0


# The stored copy never drifts -------------------------------------------------------------------

OUTCOMES = ["held", "no_show", "cancelled_late"]
BOOK = st.tuples(st.just("book"), st.integers(0, 1), st.integers(0, 40), st.booleans())
MEMBER_STATUSES = ["present", "late", "absent", "absent"]
WAIT = st.tuples(st.just("wait"), st.integers(1, 24 * 4))  # often across a session's end or a midnight
STEP = st.one_of(
    BOOK,
    BOOK,
    WAIT,
    WAIT,
    st.tuples(st.just("cancel"), st.integers(0, 20)),
    st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 40)),
    st.tuples(st.just("confirm"), st.integers(0, 20)),
    st.tuples(st.just("attend"), st.integers(0, 20), st.sampled_from(OUTCOMES)),
    st.tuples(st.just("feedback"), st.integers(0, 20), st.integers(1, 5), st.integers(1, 5)),
    st.tuples(
        st.just("members_attend"),
        st.integers(0, 20),
        st.lists(st.sampled_from(MEMBER_STATUSES), min_size=3, max_size=3),
    ),
    st.tuples(st.just("member_leaves"), st.integers(0, 2)),
    st.tuples(st.just("member_renamed"), st.integers(0, 2)),
    st.tuples(st.just("intake"), st.integers(0, 1), st.integers(1, 5)),
    st.tuples(st.just("status"), st.integers(0, 1), st.sampled_from([s.value for s in EngagementStatus])),
    st.tuples(st.just("cadence"), st.integers(0, 1), st.integers(0, 20)),
    st.tuples(st.just("zone"), st.sampled_from(["Europe/Stockholm", "America/New_York", "Asia/Tokyo"])),
    st.tuples(st.just("wait"), st.integers(1, 24 * 45)),
)


class World:
    def __init__(self, engagements, venue):
        self.engagements, self.venue = engagements, venue

    def session(self, index: int) -> MentoringSession | None:
        sessions = list(MentoringSession.objects.filter(engagement__in=self.engagements).order_by("pk"))
        return sessions[index % len(sessions)] if sessions else None

    def do(self, step: tuple, clock) -> None:
        kind, *args = step
        if kind == "wait":
            clock.shift(datetime.timedelta(hours=args[0]))
            return
        try:
            with transaction.atomic():
                getattr(self, kind)(*args)
        except ValidationError:
            pass  # refused by a service: nothing changed, which is a fine step too

    def book(self, which, slot, by_mentee):
        engagement = Engagement.objects.get(pk=self.engagements[which].pk)
        slots = free_slots_for_engagement(engagement)
        if slots:
            person = engagement.mentee if by_mentee and engagement.mentee_id else engagement.mentor
            booking.book_session(
                engagement=engagement, start=slots[slot % len(slots)].start, venue=self.venue, booked_by=person
            )

    def cancel(self, index):
        if session := self.session(index):
            booking.cancel_session(session=session, actor=session.mentor)

    def move(self, index, slot):
        if session := self.session(index):
            slots = free_slots_for_engagement(session.engagement, ignore_session=session)
            if slots:
                booking.reschedule_session(
                    session=session, start=slots[slot % len(slots)].start, venue=self.venue, actor=session.mentor
                )

    def confirm(self, index):
        if session := self.session(index):
            booking.confirm_session(session=session, actor=session.mentor)

    def attend(self, index, outcome):
        if session := self.session(index):
            records.record_attendance(session=session, actor=session.mentor, outcome=outcome)

    def members_attend(self, index, statuses):
        session = self.session(index)
        if session and session.team_id:
            roster = list(session.roster().order_by("user_id").values_list("user_id", flat=True))
            records.record_member_attendance(
                session=session, actor=session.mentor, statuses=dict(zip(roster, statuses, strict=False))
            )

    def member_leaves(self, which):
        seats = list(TeamMembership.objects.current().filter(team=self.engagements[1].team_id).order_by("user_id"))
        if seats:
            team_services.remove_team_member(membership=seats[which % len(seats)])

    def member_renamed(self, which):
        seats = list(TeamMembership.objects.filter(team=self.engagements[1].team_id).order_by("user_id"))
        person = seats[which % len(seats)].user
        person.full_name = person.full_name + " Jr"
        person.save()

    def feedback(self, index, usefulness, trust):
        session = self.session(index)
        if session and session.mentee_id:
            followup.give_feedback(session=session, mentee=session.mentee, usefulness=usefulness, trust=trust)

    def intake(self, which, commitment):
        engagement = self.engagements[which]
        if engagement.mentee_id:
            engagement_services.submit_intake(
                engagement=engagement,
                mentee=engagement.mentee,
                own_goals="g",
                commitment=commitment,
                wants_from_mentor="w",
            )

    def status(self, which, to_status):
        engagement_services.change_status(engagement=self.engagements[which], to_status=to_status, actor=None)

    def cadence(self, which, weeks):
        engagement = Engagement.objects.get(pk=self.engagements[which].pk)
        engagement.initial_phase_weeks = weeks
        engagement.save()

    def zone(self, name):
        mentor = self.engagements[0].mentor
        mentor.time_zone = name
        mentor.save()


class Rollback(Exception):
    """Raised at the end of an example to undo everything it did."""


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=12))
def test_stored_health_equals_a_fresh_computation_after_any_steps(
    steps, engagement_factory, mentee, mentor, team, open_availability, neutral_venue
):
    with contextlib.suppress(Rollback), transaction.atomic(), time_machine.travel(START, tick=False) as clock:
        open_availability(mentor=mentor)
        start = datetime.date(2026, 10, 1)
        world = World(
            [
                engagement_factory(mentee=mentee, mentor=mentor, status="active", start_date=start),
                engagement_factory(team=team, mentor=mentor, status="active", start_date=start),
            ],
            neutral_venue,
        )
        assert_stored_equals_fresh()
        for step in steps:
            world.do(step, clock)
            assert_stored_equals_fresh()
        raise Rollback
