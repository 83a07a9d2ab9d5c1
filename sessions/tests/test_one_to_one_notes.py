"""A one-to-one's notes follow the private/shared rules with ONE member: its shared notes are read
by the mentor and that member only — never the rest of the team, the coordinator, the admins, the
client's sponsor or anyone outside; its private notes by the mentor alone. And the rest of the team does not even see
that the one-to-one exists. Later joiners read a team session's shared notes only when the mentor
shares them on purpose."""

import datetime

import pytest
from django.urls import reverse

from core.tests.helpers import days_from_now
from demo.factories import make_note, make_session
from mentorship.models import Engagement, TeamMembership, roster_date
from sessions import access
from sessions.booking import selectors
from sessions.followup import access as followup_access
from sessions.models import CalendarFeed, MentoringSession, SessionStatus
from sessions.records import selectors as records

pytestmark = [pytest.mark.django_db]

SHARED = "ONE-TO-ONE-SHARED-71"
PRIVATE = "ONE-TO-ONE-PRIVATE-72"


@pytest.fixture
def coordinated(one_to_one_team, members):
    Engagement.objects.filter(pk=one_to_one_team.pk).update(coordinator=members[1])
    one_to_one_team.refresh_from_db()
    return one_to_one_team


@pytest.fixture
def one_to_one(coordinated, members):
    """A held one-to-one of members[0], with a shared and a private note."""
    session = make_session(
        engagement=coordinated, member=members[0], start=days_from_now(-3), status=SessionStatus.COMPLETED
    )
    make_note(session=session, visibility="shared", body=SHARED)
    make_note(session=session, visibility="private", body=PRIVATE)
    return session


def person(request, members, who):
    named = {"the member": members[0], "the coordinator": members[1], "another member": members[2]}
    return named.get(who) or request.getfixturevalue(who)


# who: (reads the shared note, reads the private note, the session page's status)
TABLE = [
    ("mentor", True, True, 200),
    ("the member", True, False, 200),
    ("another member", False, False, 404),
    ("the coordinator", False, False, 404),
    ("consultancy_admin", False, False, 200),
    ("other_mentor", False, False, 404),
    ("outsider_mentee", False, False, 404),
    ("mentee", False, False, 404),
    ("sponsor", False, False, 404),
]


@pytest.mark.parametrize(("who", "shared", "private", "status"), TABLE)
def test_one_to_one_notes_access_table(client, request, one_to_one, members, who, shared, private, status):
    user = person(request, members, who)
    bodies = {note.body for note in access.notes_visible_to(user, one_to_one)}
    assert (SHARED in bodies, PRIVATE in bodies) == (shared, private)
    batched = {note.body for note in access.notes_visible_to_for_sessions(user, [one_to_one])}
    assert batched == bodies
    client.force_login(user)
    response = client.get(one_to_one.get_absolute_url())
    assert response.status_code == status
    html = response.content.decode()
    assert (SHARED in html) is shared
    assert (PRIVATE in html) is private


@pytest.mark.parametrize(("who", "shared", "private", "status"), TABLE)
def test_the_engagement_timeline_and_page_keep_a_one_to_one_to_its_two_people(
    client, request, one_to_one, members, who, shared, private, status
):
    user = person(request, members, who)
    if who in ("other_mentor", "outsider_mentee", "mentee", "sponsor"):
        return  # they do not see the engagement at all (404, in the engagement access tables)
    entries = records.engagement_timeline(user, one_to_one.engagement)
    listed = [entry.item for entry in entries if entry.kind == "session"]
    assert (one_to_one in listed) is (status == 200)
    client.force_login(user)
    html = client.get(one_to_one.engagement.get_absolute_url()).content.decode()
    assert (SHARED in html) is shared
    assert PRIVATE not in html or private


def test_other_members_feeds_do_not_carry_a_one_to_one(client, one_to_one, members):
    for user, listed in ((members[0], True), (members[2], False), (members[1], False)):
        feed = CalendarFeed.objects.create(user=user)
        body = client.get(reverse("mentoring_sessions:calendar-feed", args=[feed.token])).content.decode()
        assert (one_to_one.ical_uid in body.replace("\r\n ", "")) is listed
        assert SHARED not in body
        assert PRIVATE not in body


def test_a_one_to_ones_people_are_the_mentor_and_the_member(one_to_one, members):
    assert selectors.participants(one_to_one) == [one_to_one.mentor, members[0]]
    assert not access.is_session_participant(members[2], one_to_one)
    assert not followup_access.can_give_feedback(members[2], one_to_one)
    assert followup_access.can_give_feedback(members[0], one_to_one)


def test_nobody_elses_data_export_holds_a_one_to_ones_notes(client, one_to_one, members, consultancy_admin):
    for user in (members[1], members[2], consultancy_admin):
        client.force_login(user)
        body = client.post(reverse("privacy:data-export")).content.decode()
        assert SHARED not in body
        assert PRIVATE not in body
    client.force_login(members[0])
    body = client.post(reverse("privacy:data-export")).content.decode()
    assert SHARED in body
    assert PRIVATE not in body


# Shared on purpose with later joiners --------------------------------------------------------------


@pytest.fixture
def later(one_to_one_team, members):
    """A held team session three weeks ago with a shared note; members[2] joined a week ago."""
    session = make_session(engagement=one_to_one_team, start=days_from_now(-21), status=SessionStatus.COMPLETED)
    make_note(session=session, visibility="shared", body=SHARED)
    TeamMembership.objects.filter(user=members[2]).update(joined_on=roster_date() - datetime.timedelta(days=7))
    return session


def share_url(session) -> str:
    return reverse("mentoring_sessions:session-share-later", args=[session.uuid])


def test_a_later_joiner_reads_the_shared_notes_only_once_the_mentor_shares_them(client, later, members):
    assert not access.notes_visible_to(members[2], later).exists()
    assert not access.sessions_visible_to(members[2]).filter(pk=later.pk).exists()
    client.force_login(later.mentor)
    client.post(share_url(later), {"shared": "yes"})
    assert MentoringSession.objects.get(pk=later.pk).shared_with_later_joiners
    later.refresh_from_db()
    assert [note.body for note in access.notes_visible_to(members[2], later)] == [SHARED]
    assert [n.body for n in access.notes_visible_to_for_sessions(members[2], [later])] == [SHARED]
    client.force_login(members[2])
    assert SHARED in client.get(later.get_absolute_url()).content.decode()
    # Not asked for feedback on it, nor a reflection: they were not there.
    assert not followup_access.can_give_feedback(members[2], later)
    assert not access.can_reflect(members[2], later)
    client.force_login(later.mentor)
    client.post(share_url(later), {"shared": "no"})
    later.refresh_from_db()
    assert not access.notes_visible_to(members[2], later).exists()


def test_a_member_who_left_reads_no_shared_later_notes(later, members):
    MentoringSession.objects.filter(pk=later.pk).update(shared_with_later_joiners=True)
    later.refresh_from_db()
    TeamMembership.objects.filter(user=members[2]).update(left_on=roster_date())
    assert not access.notes_visible_to(members[2], later).exists()


@pytest.mark.parametrize(("who", "status"), [("the member", 403), ("consultancy_admin", 403), ("other_mentor", 404)])
def test_only_the_mentor_shares_with_later_joiners(client, request, later, members, who, status):
    client.force_login(person(request, members, who))
    assert client.post(share_url(later), {"shared": "yes"}).status_code == status
    assert not MentoringSession.objects.get(pk=later.pk).shared_with_later_joiners


def test_an_individual_session_is_not_shared_with_later_joiners(client, held, mentor):
    client.force_login(mentor)
    assert client.post(share_url(held), {"shared": "yes"}).status_code == 403
    assert client.get(share_url(held)).status_code == 405


# The wrap-up of a one-to-one, and its next step --------------------------------------------------


@pytest.fixture
def started_one_to_one(coordinated, members):
    return make_session(engagement=coordinated, member=members[0], start=days_from_now(-0.1))


def wrapup(client, session, **extra):
    client.force_login(session.mentor)
    data = {
        "outcome": "held",
        "note_body": SHARED,
        "note_visibility": "shared",
        "item_text": "NEXT-STEP-73",
        "item_owner": session.mentee_id,
        "item_due": "",
        "then": "stay",
        **extra,
    }
    return client.post(reverse("mentoring_sessions:session-wrapup", args=[session.uuid]), data)


def test_a_one_to_ones_wrap_up_shares_with_its_member_alone_and_books_their_next(client, started_one_to_one, members):
    client.force_login(started_one_to_one.mentor)
    page = client.get(started_one_to_one.get_absolute_url())
    assert f"Shared with {members[0].display_name}</strong>" in page.content.decode()
    response = wrapup(client, started_one_to_one, then="book")
    assert response["Location"].endswith(f"/one-to-one/?member={members[0].pk}")
    engagement = started_one_to_one.engagement
    for user, sees in ((members[0], True), (engagement.mentor, True), (members[1], False), (members[2], False)):
        client.force_login(user)
        page = client.get(engagement.get_absolute_url()).content.decode()
        items = client.get(reverse("mentoring_sessions:action-items", args=[engagement.uuid])).content.decode()
        assert ("NEXT-STEP-73" in page) is sees
        assert ("NEXT-STEP-73" in items) is sees
        assert (SHARED in page) is sees


def test_a_one_to_ones_next_step_is_for_its_member_or_the_mentor_only(client, started_one_to_one, members):
    response = wrapup(client, started_one_to_one, item_owner=members[1].pk)
    assert response.status_code == 200
    assert not started_one_to_one.notes.exists()


@pytest.mark.parametrize("who", ["another member", "the coordinator", "consultancy_admin"])
def test_nobody_else_opens_edits_or_ticks_a_one_to_ones_next_step(client, request, started_one_to_one, members, who):
    wrapup(client, started_one_to_one)
    item = started_one_to_one.action_items.get()
    client.force_login(person(request, members, who))
    engagement = started_one_to_one.engagement
    edit = reverse("mentoring_sessions:action-item-edit", args=[engagement.uuid, item.pk])
    toggle = reverse("mentoring_sessions:action-item-toggle", args=[engagement.uuid, item.pk])
    assert client.get(edit).status_code == 404
    assert client.post(toggle, {"done": "1"}).status_code == 404
    item.refresh_from_db()
    assert item.done_at is None
