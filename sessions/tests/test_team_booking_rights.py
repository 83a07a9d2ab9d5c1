"""Who may book a leadership team's sessions: the mentor, an admin, or the member the admin chose
as the team's coordinator (a choice on the engagement). Other members get a clear refusal."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from demo.factories import make_session
from mentorship.engagements import services as engagement_services
from mentorship.models import Engagement, EngagementEvent, TeamMembership
from mentorship.organisations import services as team_services
from sessions import access
from sessions.booking import services as booking
from sessions.booking.selectors import free_slots_for_engagement
from sessions.models import MentoringSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinated(team_ready, members, consultancy_admin):
    """The team engagement with its second member chosen as coordinator (through the service)."""
    engagement_services.update_engagement(
        engagement=team_ready,
        actor=consultancy_admin,
        focus_areas=list(team_ready.focus_areas.all()),
        planned_months=6,
        coordinator=members[1],
    )
    team_ready.refresh_from_db()
    return team_ready


def person(request, members, who):
    return {"member": members[0], "coordinator": members[1]}.get(who) or request.getfixturevalue(who)


def book_url(engagement) -> str:
    return reverse("mentoring_sessions:book", args=[engagement.uuid])


# (who, may book team sessions, the booking page's status)
BOOKING_RIGHTS = [
    ("member", False, 403),
    ("coordinator", True, 200),
    ("mentor", True, 200),
    ("consultancy_admin", True, 200),
    ("other_mentor", False, 404),
    ("outsider_mentee", False, 404),
]


@pytest.mark.parametrize(("who", "may_book", "status"), BOOKING_RIGHTS)
def test_booking_rights_for_a_team(client, request, coordinated, members, who, may_book, status):
    user = person(request, members, who)
    assert access.can_book(user, coordinated) is may_book
    client.force_login(user)
    assert client.get(book_url(coordinated)).status_code == status


@pytest.mark.parametrize(("who", "may_book", "status"), BOOKING_RIGHTS)
def test_only_those_with_the_right_get_a_session_booked(
    client, request, coordinated, members, neutral_venue, who, may_book, status
):
    user = person(request, members, who)
    start = free_slots_for_engagement(coordinated)[0].start
    client.force_login(user)
    client.post(book_url(coordinated), {"start": start.isoformat(), "venue": neutral_venue.pk})
    assert MentoringSession.objects.filter(engagement=coordinated).exists() is may_book
    if not may_book:
        with pytest.raises(ValidationError):
            booking.book_session(engagement=coordinated, start=start, venue=neutral_venue, booked_by=user)


def test_a_member_is_told_who_books_instead(client, coordinated, members):
    client.force_login(members[0])
    response = client.get(book_url(coordinated))
    assert response.status_code == 403
    html = response.content.decode()
    assert "booked by your mentor or by the team&#x27;s coordinator" in html
    assert members[1].display_name in html


def test_without_a_coordinator_a_member_is_told_to_ask_the_mentor(client, team_ready, members):
    client.force_login(members[0])
    response = client.get(book_url(team_ready))
    assert response.status_code == 403
    assert "Ask your mentor to book a time." in response.content.decode()


def test_the_coordinator_moves_and_cancels_team_sessions_too(coordinated, members):
    session = make_session(engagement=coordinated)
    assert access.can_change(members[1], session)
    assert not access.can_change(members[0], session)


def test_a_coordinator_who_left_the_team_books_no_more(coordinated, members):
    seat = TeamMembership.objects.get(team=coordinated.team, user=members[1])
    team_services.remove_team_member(membership=seat)
    assert not access.can_book(members[1], coordinated)


def test_the_coordinator_must_be_a_member_of_the_team(team_ready, mentee, consultancy_admin):
    with pytest.raises(ValidationError) as error:
        engagement_services.update_engagement(
            engagement=team_ready,
            actor=consultancy_admin,
            focus_areas=list(team_ready.focus_areas.all()),
            planned_months=6,
            coordinator=mentee,
        )
    assert error.value.code == "coordinator_not_member"
    assert Engagement.objects.get(pk=team_ready.pk).coordinator is None


def test_the_admin_chooses_the_coordinator_on_the_engagement_form_and_it_is_recorded(
    client, team_ready, members, consultancy_admin, focus_areas
):
    client.force_login(consultancy_admin)
    url = reverse("mentorship:engagement-edit", args=[team_ready.uuid])
    form = client.get(url).context["form"]
    assert set(form.fields["coordinator"].queryset) == set(members)
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {
        "triggers": team_ready.triggers,
        "focus_areas": [next(iter(focus_areas.values())).pk],
        "planned_months": 6,
        "start_date": team_ready.start_date.isoformat(),
        "coordinator": members[2].pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert Engagement.objects.get(pk=team_ready.pk).coordinator == members[2]
    event = EngagementEvent.objects.filter(engagement=team_ready).latest("at")
    assert "team coordinator" in event.detail


def test_an_individual_engagement_has_no_coordinator_choice(client, engagement, consultancy_admin):
    client.force_login(consultancy_admin)
    form = client.get(reverse("mentorship:engagement-edit", args=[engagement.uuid])).context["form"]
    assert "coordinator" not in form.fields


# One-to-ones: each member books their own; the mentor and admins book anyone's; nobody books
# another member's — the coordinator neither (a one-to-one is private to the member and the mentor).
# (who, team session, their own one-to-one, another member's one-to-one); None: has none of their own.
ONE_TO_ONE_RIGHTS = [
    ("member", False, True, False),
    ("coordinator", True, True, False),
    ("mentor", True, None, True),
    ("consultancy_admin", True, None, True),
    ("other_mentor", False, None, False),
    ("outsider_mentee", False, None, False),
]


def one_to_one_url(engagement, member) -> str:
    return reverse("mentoring_sessions:book-one-to-one", args=[engagement.uuid]) + f"?member={member.pk}"


@pytest.mark.parametrize(("who", "team_session", "own", "another"), ONE_TO_ONE_RIGHTS)
def test_booking_rights_table_for_team_sessions_and_one_to_ones(
    client, request, coordinated, members, neutral_venue, who, team_session, own, another
):
    user = person(request, members, who)
    other = members[2]
    assert access.can_book(user, coordinated) is team_session
    if own is not None:
        assert access.can_book_one_to_one(user, coordinated, user) is own
    assert access.can_book_one_to_one(user, coordinated, other) is another
    # Through the page and the service: only those with the right get a one-to-one of `other`; a
    # member naming another member still books only their own.
    client.force_login(user)
    url = one_to_one_url(coordinated, other)
    response = client.get(url)
    start = free_slots_for_engagement(coordinated, member=other)[0].start
    if another:
        assert response.status_code == 200
        assert other.display_name in response.content.decode()
        return
    assert other.display_name not in response.content.decode()
    client.post(url, {"start": start.isoformat(), "venue": neutral_venue.pk})
    with pytest.raises(ValidationError):
        booking.book_session(engagement=coordinated, start=start, venue=neutral_venue, booked_by=user, member=other)
    assert not MentoringSession.objects.filter(mentee=other).exists()


def test_a_coordinator_cannot_move_or_cancel_another_members_one_to_one(coordinated, members):
    one_to_one = make_session(engagement=coordinated, member=members[0])
    assert access.can_change(members[0], one_to_one)
    assert access.can_change(coordinated.mentor, one_to_one)
    assert not access.can_change(members[1], one_to_one)
    assert not access.can_change(members[2], one_to_one)
