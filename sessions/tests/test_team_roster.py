"""A leadership team's roster is dated: a team session's people are the members on its day.

Three members of one team, two sessions: one held five days ago, one in two days.
- `before` joined long ago and is still in the team;
- `after` joined two days ago (after the held session, before the next one);
- `left` was in the team long before and left two days ago.
Each row of the table is one of the ways a session reaches its people."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from demo.factories import make_note, make_session, make_team_member, make_user
from mentorship.models import Engagement, TeamMembership, roster_date
from mentorship.organisations import services as team_services
from sessions import access
from sessions.booking import emails as booking_emails
from sessions.booking import selectors
from sessions.followup import access as followup_access
from sessions.followup import services as followup
from sessions.models import NoteVisibility, ReminderLog, ReminderStatus, SessionStatus
from sessions.reminders import sweep as reminders

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

H = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def roster(team, mentor, organisation):
    """The team's three fixture members are replaced by the three cases of the table."""
    TeamMembership.objects.filter(team=team).delete()
    today = roster_date()
    people = {}
    for name, joined, left in [
        ("before", today - 60 * DAY, None),
        ("after", today - 2 * DAY, None),
        ("left", today - 60 * DAY, today - 2 * DAY),
    ]:
        person = make_user(email=f"{name}@example.org", roles=("mentee",), organisation=organisation)
        make_team_member(team=team, user=person, joined_on=joined, left_on=left)
        people[name] = person
    return people


@pytest.fixture
def team_engagement(team_engagement):
    today = timezone.localdate()
    Engagement.objects.filter(pk=team_engagement.pk).update(start_date=today - 30 * DAY, planned_end=today + 150 * DAY)
    team_engagement.refresh_from_db()
    return team_engagement


@pytest.fixture
def held(team_engagement, roster):
    return make_session(engagement=team_engagement, start=timezone.now() - 5 * DAY, status=SessionStatus.COMPLETED)


@pytest.fixture
def upcoming(team_engagement, roster):
    return make_session(engagement=team_engagement, start=timezone.now() + 47 * H)


# Whether each member is one of the session's people: held session, upcoming session.
TABLE = {"before": (True, True), "after": (False, True), "left": (True, False)}


def expected(which: int) -> set[str]:
    return {f"{name}@example.org" for name, row in TABLE.items() if row[which]}


def member_emails(users) -> set[str]:
    return {user.email for user in users if user.email.endswith("@example.org") and not user.is_mentor}


def test_listing_on_the_session_and_in_feeds_follows_the_roster(held, upcoming):
    assert member_emails(selectors.participants(held)) == expected(0)
    assert member_emails(selectors.participants(upcoming)) == expected(1)
    both = selectors.participants_for_sessions([held, upcoming])
    assert member_emails(both[held.pk]) == expected(0)
    assert member_emails(both[upcoming.pk]) == expected(1)


def test_the_session_page_lists_the_members_on_its_day(client, held, upcoming, mentor):
    client.force_login(mentor)
    for which, session in enumerate([held, upcoming]):
        response = client.get(reverse("mentoring_sessions:session-detail", args=[session.uuid]))
        assert {m.user.email for m in response.context["members"]} == expected(which)


def test_invitations_go_to_the_members_on_the_sessions_day(upcoming, mentor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking_emails.queue_session_emails(upcoming, "booked")
    assert {m.to[0] for m in mail.outbox} == expected(1) | {mentor.email}


def test_reminders_go_to_the_members_on_the_sessions_day(upcoming, mentor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reminders.sweep()
    reminded = {m.to[0] for m in mail.outbox if m.to[0] != mentor.email}
    assert reminded == expected(1)


def test_a_member_who_leaves_after_the_reminder_was_queued_is_not_sent_it(
    upcoming, roster, consultancy_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        reminders.sweep()
    seat = TeamMembership.objects.get(user=roster["before"])
    team_services.remove_team_member(membership=seat, actor=consultancy_admin)
    for send in queued:
        send()
    assert roster["before"].email not in {m.to[0] for m in mail.outbox}
    skipped = ReminderLog.objects.filter(recipient=roster["before"]).values_list("status", flat=True)
    assert list(skipped) == [ReminderStatus.SKIPPED]


@pytest.mark.parametrize("name", TABLE)
def test_feedback_is_asked_of_the_members_on_the_sessions_day(held, roster, name):
    person = roster[name]
    asked = held in followup.sessions_awaiting_feedback(person)
    assert asked is TABLE[name][0]
    assert followup_access.can_give_feedback(person, held) is TABLE[name][0]


@pytest.mark.parametrize("name", TABLE)
def test_shared_notes_are_read_by_the_members_on_the_sessions_day(held, upcoming, roster, mentor, name):
    person = roster[name]
    for which, session in enumerate([held, upcoming]):
        shared = make_note(session=session, visibility=NoteVisibility.SHARED, author=mentor)
        assert (shared in access.notes_visible_to(person, session)) is TABLE[name][which]
        assert (shared in access.notes_visible_to_for_sessions(person, [held, upcoming])) is TABLE[name][which]


@pytest.mark.parametrize("name", TABLE)
def test_a_member_sees_and_opens_the_sessions_of_their_days_only(client, held, upcoming, roster, name):
    person = roster[name]
    visible = set(access.sessions_visible_to(person))
    own = set(access.own_sessions(person))
    client.force_login(person)
    for which, session in enumerate([held, upcoming]):
        assert (session in visible) is TABLE[name][which]
        assert (session in own) is TABLE[name][which]
        assert access.is_session_participant(person, session) is TABLE[name][which]
        page = client.get(reverse("mentoring_sessions:session-detail", args=[session.uuid]))
        assert page.status_code == (200 if TABLE[name][which] else 404)


def test_the_mentor_and_admins_still_see_every_session(held, upcoming, mentor, consultancy_admin):
    for person in (mentor, consultancy_admin):
        assert {held, upcoming} <= set(access.sessions_visible_to(person))


def test_a_member_of_another_organisation_sees_none_of_them(held, upcoming, outsider_mentee):
    assert not access.sessions_visible_to(outsider_mentee).filter(pk__in=[held.pk, upcoming.pk]).exists()


# One-to-ones: the roster of a one-to-one is its one member ----------------------------------------


@pytest.fixture
def one_to_ones(team_engagement, roster):
    """`before`'s one-to-ones: one held five days ago (an hour after the team's), one in two days."""
    member = roster["before"]
    return (
        make_session(
            engagement=team_engagement,
            member=member,
            start=timezone.now() - 5 * DAY + 3 * H,
            status=SessionStatus.COMPLETED,
        ),
        make_session(engagement=team_engagement, member=member, start=timezone.now() + 47 * H + 3 * H),
    )


@pytest.mark.parametrize("name", TABLE)
def test_a_one_to_ones_people_are_its_member_alone_by_every_channel(
    client, one_to_ones, roster, mentor, name, django_capture_on_commit_callbacks
):
    person, held_one, upcoming_one = roster[name], *one_to_ones
    theirs = name == "before"
    for session in one_to_ones:
        assert (person in selectors.participants(session)) is theirs
        assert (session in access.sessions_visible_to(person)) is theirs
        shared = make_note(session=session, visibility=NoteVisibility.SHARED, author=mentor)
        assert (shared in access.notes_visible_to(person, session)) is theirs
    assert (held_one in followup.sessions_awaiting_feedback(person)) is theirs
    with django_capture_on_commit_callbacks(execute=True):
        booking_emails.queue_session_emails(upcoming_one, "booked")
        reminders.sweep(upcoming_one.start - 47 * H)
    invited = [m for m in mail.outbox if m.to == [person.email]]
    assert bool(invited) is theirs


def test_a_one_to_one_cannot_fall_outside_its_members_seat(team_engagement, roster):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():  # before `after` joined
        make_session(engagement=team_engagement, member=roster["after"], start=timezone.now() - 5 * DAY)
    with pytest.raises(IntegrityError), transaction.atomic():  # after `left` left
        make_session(engagement=team_engagement, member=roster["left"], start=timezone.now() + 47 * H)
