"""Booking nudges in a team engagement: the team's go to the mentor and the coordinator (while in
the team), each member's own one-to-one nudges go to that member (and, when overdue, the mentor).
A member who left gets none; the emails say "one-to-one" and link to that member's booking page."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.tests.helpers import days_from_now
from demo.factories import make_session
from mentorship.models import Engagement, TeamMembership, roster_date
from sessions.models import ReminderLog, SessionStatus
from sessions.reminders import sweep as reminders

pytestmark = [pytest.mark.django_db]

DAY = datetime.timedelta(days=1)


@pytest.fixture
def run_sweep(django_capture_on_commit_callbacks):
    def run(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.sweep(now)

    return run


def one_to_one_nudges() -> list[reminders.Reminder]:
    return [r for r in reminders.due_reminders() if r.key.startswith("one-to-one:")]


def held_one_to_one(engagement, member, days_ago, hour=0):
    start = days_from_now(-days_ago) + datetime.timedelta(hours=3 * hour)
    return make_session(engagement=engagement, member=member, start=start, status=SessionStatus.COMPLETED)


def test_a_member_whose_one_to_one_is_due_within_a_week_is_nudged(one_to_one_team, members, run_sweep):
    held_one_to_one(one_to_one_team, members[0], days_ago=26)  # due in about five days
    for hour, other in enumerate(members[1:], start=1):
        held_one_to_one(one_to_one_team, other, days_ago=2, hour=hour)  # not due for a month
    nudges = one_to_one_nudges()
    assert {r.recipient_id for r in nudges} == {members[0].pk}
    run_sweep()
    to_member = [m for m in mail.outbox if m.to == [members[0].email] and "one-to-one" in m.subject]
    assert len(to_member) == 1
    assert one_to_one_team.mentor.display_name in to_member[0].subject
    assert f"/engagements/{one_to_one_team.uuid}/one-to-one/" in to_member[0].body


def test_an_overdue_one_to_one_nudges_the_mentor_too_with_the_members_link(one_to_one_team, members, run_sweep):
    held_one_to_one(one_to_one_team, members[0], days_ago=2)
    held_one_to_one(one_to_one_team, members[2], days_ago=2, hour=1)
    held_one_to_one(one_to_one_team, members[1], days_ago=36)  # due about five days ago
    stages = sorted((r.key.split(":")[4], r.recipient_id) for r in one_to_one_nudges())
    mentor = one_to_one_team.mentor
    assert ("overdue", mentor.pk) in stages
    assert ("due", members[1].pk) in stages
    assert {recipient for _stage, recipient in stages} == {members[1].pk, mentor.pk}
    run_sweep()
    to_mentor = [m for m in mail.outbox if m.to == [mentor.email] and "one-to-one" in m.subject]
    assert len(to_mentor) == 1
    assert f"?member={members[1].pk}" in to_mentor[0].body
    assert members[1].display_name in to_mentor[0].subject


def test_a_booked_one_to_one_stops_the_nudges(one_to_one_team, members):
    held_one_to_one(one_to_one_team, members[0], days_ago=26)
    make_session(engagement=one_to_one_team, member=members[0], start=days_from_now(9))
    assert not [r for r in one_to_one_nudges() if r.recipient_id == members[0].pk]


def test_a_member_who_left_gets_no_nudge(one_to_one_team, members):
    held_one_to_one(one_to_one_team, members[0], days_ago=26)
    TeamMembership.objects.filter(user=members[0]).update(left_on=roster_date() - DAY)
    assert not [r for r in one_to_one_nudges() if r.recipient_id == members[0].pk]


def test_without_a_one_to_one_cadence_nobody_is_nudged(one_to_one_team, members):
    Engagement.objects.filter(pk=one_to_one_team.pk).update(one_to_one_interval_months=0)
    held_one_to_one(one_to_one_team, members[0], days_ago=26)
    assert one_to_one_nudges() == []


def test_the_send_checks_again_and_skips_a_nudge_no_longer_due(one_to_one_team, members):
    from sessions.reminders.sending import Verdict, verdict

    held_one_to_one(one_to_one_team, members[0], days_ago=26)
    (nudge, *_rest) = [r for r in one_to_one_nudges() if r.recipient_id == members[0].pk]
    assert verdict(nudge)[0] == Verdict.SEND
    make_session(engagement=one_to_one_team, member=members[0], start=days_from_now(9))
    assert verdict(nudge)[0] == Verdict.SKIP


# The team's own nudges -------------------------------------------------------------------------------


@pytest.fixture
def team_due_soon(one_to_one_team, members):
    Engagement.objects.filter(pk=one_to_one_team.pk).update(
        start_date=timezone.localdate() - 30 * DAY, coordinator=members[1], one_to_one_interval_months=0
    )
    one_to_one_team.refresh_from_db()
    make_session(engagement=one_to_one_team, start=days_from_now(-9), status=SessionStatus.COMPLETED)
    return one_to_one_team


def team_nudge_recipients() -> set[int]:
    return {r.recipient_id for r in reminders.due_reminders() if r.key.startswith("nudge:")}


def test_the_teams_booking_nudge_goes_to_the_mentor_and_the_coordinator(team_due_soon, members):
    assert team_nudge_recipients() == {team_due_soon.mentor_id, members[1].pk}


def test_a_coordinator_who_left_gets_no_team_nudge(team_due_soon, members):
    TeamMembership.objects.filter(user=members[1]).update(left_on=roster_date() - DAY)
    assert team_nudge_recipients() == {team_due_soon.mentor_id}


def test_a_booked_one_to_one_does_not_count_as_the_teams_next_session(team_due_soon, members):
    make_session(engagement=team_due_soon, member=members[0], start=days_from_now(4))
    assert team_nudge_recipients() == {team_due_soon.mentor_id, members[1].pk}
    assert not ReminderLog.objects.exists()
