"""Who may open each booking page, for GET and POST: outsiders get 404 whatever the method,
people of the engagement who may not do something get 403, anonymous visitors sign in first."""

import pytest
from django.urls import reverse

from demo.factories import make_member
from sessions import access
from sessions.booking.selectors import free_slots_for_engagement
from sessions.models import MentoringSession, SessionStatus

SESSION_VIEWS = [
    "session-detail",
    "session-reschedule",
    "session-cancel",
    "session-confirm",
    "session-ics",
    "session-meeting-link",
]
ALL_VIEWS = ["book", *SESSION_VIEWS]


def _url(name: str, session: MentoringSession) -> str:
    if name == "book":
        return reverse("mentoring_sessions:book", args=[session.engagement.uuid])
    return reverse(f"mentoring_sessions:{name}", args=[session.uuid])


@pytest.fixture
def requested(ready, session_factory, neutral_venue, mentee):
    """A session waiting for confirmation, so that a wrongly allowed POST would change something."""
    return session_factory(ready, venue=neutral_venue, status=SessionStatus.REQUESTED, booked_by=mentee)


def _data(session: MentoringSession) -> dict:
    return {
        "start": free_slots_for_engagement(session.engagement)[-1].start.isoformat(),
        "venue": session.venue_id,
        "reason": "x",
        "meeting_url": "https://zoom.us/j/1",
    }


def _unchanged(session: MentoringSession) -> bool:
    fresh = MentoringSession.objects.get(pk=session.pk)
    return (fresh.status, fresh.start, fresh.sequence) == (session.status, session.start, session.sequence) and (
        MentoringSession.objects.count() == 1
    )


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", [*ALL_VIEWS, "session-list"])
def test_anonymous_visitor_is_sent_to_sign_in(client, requested, name, method):
    url = reverse("mentoring_sessions:session-list") if name == "session-list" else _url(name, requested)
    response = getattr(client, method)(url, _data(requested))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert _unchanged(requested)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ALL_VIEWS)
@pytest.mark.parametrize("outsider", ["outsider_mentee", "other_mentor"])
def test_outsiders_get_404(client, request, requested, name, method, outsider):
    client.force_login(request.getfixturevalue(outsider))
    assert getattr(client, method)(_url(name, requested), _data(requested)).status_code == 404
    assert _unchanged(requested)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ALL_VIEWS)
def test_a_colleague_of_the_mentee_gets_404(client, requested, organisation, user_factory, name, method):
    colleague = user_factory(email="colleague@example.org", roles=("mentee",))
    make_member(organisation=organisation, user=colleague, title="CTO")
    client.force_login(colleague)
    assert getattr(client, method)(_url(name, requested), _data(requested)).status_code == 404
    assert _unchanged(requested)


@pytest.mark.parametrize(
    ("name", "method", "expected"),
    [
        ("book", "get", 403),
        ("book", "post", 403),
        ("session-detail", "get", 200),
        ("session-ics", "get", 200),
        ("session-reschedule", "get", 403),
        ("session-reschedule", "post", 403),
        ("session-cancel", "post", 403),
        ("session-confirm", "post", 403),
        ("session-meeting-link", "post", 403),
    ],
)
def test_a_team_member_sees_the_team_session_but_the_mentor_runs_it(
    client, team_ready, session_factory, neutral_venue, name, method, expected
):
    session = session_factory(team_ready, venue=neutral_venue, status=SessionStatus.REQUESTED)
    client.force_login(team_ready.team.memberships.first().user)
    assert getattr(client, method)(_url(name, session), _data(session)).status_code == expected
    assert _unchanged(session)


def test_the_mentee_cannot_confirm(client, requested, mentee):
    client.force_login(mentee)
    assert client.post(_url("session-confirm", requested)).status_code == 403
    assert _unchanged(requested)


@pytest.mark.parametrize("name", ["book", "session-detail", "session-reschedule", "session-ics"])
@pytest.mark.parametrize("person", ["mentee", "mentor", "consultancy_admin"])
def test_the_engagements_people_open_the_pages(client, request, requested, name, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(_url(name, requested)).status_code == 200


@pytest.mark.parametrize(
    ("name", "method"),
    [("session-cancel", "get"), ("session-confirm", "get"), ("session-detail", "post"), ("session-ics", "post")],
)
def test_the_wrong_method_is_refused_without_changing_anything(client, requested, mentor, name, method):
    client.force_login(mentor)
    assert getattr(client, method)(_url(name, requested), _data(requested)).status_code == 405
    assert _unchanged(requested)


def test_the_list_refuses_post(client, mentee):
    client.force_login(mentee)
    assert client.post(reverse("mentoring_sessions:session-list")).status_code == 405


@pytest.mark.parametrize(
    ("person", "participant", "may_set_link"),
    [
        ("mentor", True, True),
        ("mentee", True, False),
        ("team_member", False, False),  # of another engagement's team
        ("consultancy_admin", False, False),  # sees the session, does not sit in it
        ("other_mentor", False, False),
        ("outsider_mentee", False, False),
    ],
)
def test_meeting_link_access_table(
    request, ready, online_venue, session_factory, team, person, participant, may_set_link
):
    session = session_factory(ready, venue=online_venue)
    user = team.memberships.first().user if person == "team_member" else request.getfixturevalue(person)
    assert access.is_session_participant(user, session) is participant
    assert access.meeting_link_for(user, session) == (session.meeting_url if participant else "")
    assert access.can_set_meeting_link(user, session) is may_set_link


def test_a_team_sessions_members_are_its_people(team_ready, online_venue, session_factory):
    session = session_factory(team_ready, venue=online_venue)
    for membership in team_ready.team.memberships.select_related("user"):
        assert access.meeting_link_for(membership.user, session) == session.meeting_url
        assert not access.can_set_meeting_link(membership.user, session)
    assert access.can_set_meeting_link(team_ready.mentor, session)


def test_a_cancelled_or_in_person_session_has_no_link_for_anyone(
    ready, online_venue, neutral_venue, session_factory, mentee
):
    cancelled = session_factory(ready, venue=online_venue, status=SessionStatus.CANCELLED)
    in_person = session_factory(
        ready, venue=neutral_venue, start=cancelled.start + (cancelled.end - cancelled.start) * 2
    )
    for session in (cancelled, in_person):
        for user in (ready.mentor, mentee):
            assert access.meeting_link_for(user, session) == ""
            assert not access.can_set_meeting_link(user, session)
