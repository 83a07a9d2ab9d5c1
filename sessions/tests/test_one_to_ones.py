"""One-to-ones inside a team engagement: one member and the mentor, booked by the member (or the
mentor, or an admin) under the team's engagement. Its own cadence per member, the same contract,
the same timeline, and the member's own locks and constraints against double booking."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.tests.helpers import days_from_now
from demo.factories import make_contract, make_engagement, make_session, make_team, make_team_member
from mentorship.models import Engagement, TeamMembership, roster_date
from mentorship.organisations import services as team_services
from sessions import usage
from sessions.booking import selectors, services
from sessions.due import due_for
from sessions.models import MentoringSession, SessionKind, SessionStatus
from sessions.one_to_ones.due import member_one_to_ones
from sessions.reminders import sweep

pytestmark = [pytest.mark.django_db]

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def book_url(engagement, member=None) -> str:
    url = reverse("mentoring_sessions:book-one-to-one", args=[engagement.uuid])
    return f"{url}?member={member.pk}" if member else url


def first_slot(engagement, member):
    return selectors.free_slots_for_engagement(engagement, member=member)[0].start


# Booking ------------------------------------------------------------------------------------------


def test_a_member_books_their_own_one_to_one_on_the_booking_page(client, one_to_one_team, members, neutral_venue):
    client.force_login(members[0])
    page = client.get(book_url(one_to_one_team))
    assert page.status_code == 200
    assert f"Book a one-to-one with {one_to_one_team.mentor.display_name}" in page.content.decode()
    start = first_slot(one_to_one_team, members[0])
    response = client.post(book_url(one_to_one_team), {"start": start.isoformat(), "venue": neutral_venue.pk})
    assert response.status_code == 302
    session = MentoringSession.objects.get(engagement=one_to_one_team)
    assert (session.kind, session.mentee, session.team, session.booked_by) == (
        SessionKind.ONE_TO_ONE,
        members[0],
        None,
        members[0],
    )


def test_the_mentor_books_a_one_to_one_for_a_member_they_name(client, one_to_one_team, members, neutral_venue):
    client.force_login(one_to_one_team.mentor)
    start = first_slot(one_to_one_team, members[2])
    response = client.post(
        book_url(one_to_one_team, members[2]), {"start": start.isoformat(), "venue": neutral_venue.pk}
    )
    assert response.status_code == 302
    assert MentoringSession.objects.get(engagement=one_to_one_team).mentee == members[2]


@pytest.mark.parametrize("member", ["", "abc", "999999"])
def test_the_mentor_naming_nobody_or_a_stranger_gets_a_404(client, one_to_one_team, member):
    client.force_login(one_to_one_team.mentor)
    url = reverse("mentoring_sessions:book-one-to-one", args=[one_to_one_team.uuid]) + f"?member={member}"
    assert client.get(url).status_code == 404


def test_the_mentor_cannot_name_someone_outside_the_team(client, one_to_one_team, mentee):
    client.force_login(one_to_one_team.mentor)
    assert client.get(book_url(one_to_one_team, mentee)).status_code == 404


def test_an_individual_engagement_has_no_one_to_one_page(client, engagement, mentee):
    client.force_login(mentee)
    assert client.get(book_url(engagement)).status_code == 404


def test_a_second_submit_of_the_same_form_books_once(client, one_to_one_team, members, neutral_venue):
    client.force_login(members[0])
    form = client.get(book_url(one_to_one_team)).context["form"]
    start = first_slot(one_to_one_team, members[0])
    data = {"start": start.isoformat(), "venue": neutral_venue.pk, "form_token": form.initial["form_token"]}
    client.post(book_url(one_to_one_team), data)
    again = client.post(book_url(one_to_one_team), data, follow=True)
    assert "You already booked" in again.content.decode()
    assert MentoringSession.objects.filter(engagement=one_to_one_team).count() == 1


def test_a_member_who_left_books_no_more_one_to_ones(client, one_to_one_team, members):
    team_services.remove_team_member(membership=TeamMembership.objects.get(user=members[0]))
    client.force_login(members[0])
    assert client.get(book_url(one_to_one_team)).status_code in (403, 404)


def test_a_one_to_one_is_moved_and_cancelled_by_its_member_not_by_another(one_to_one_team, members, neutral_venue):
    session, _created = services.book_session(
        engagement=one_to_one_team,
        start=first_slot(one_to_one_team, members[0]),
        venue=neutral_venue,
        booked_by=members[0],
        member=members[0],
    )
    with pytest.raises(ValidationError):
        services.cancel_session(session=session, actor=members[1])
    cancelled = services.cancel_session(session=session, actor=members[0])
    assert cancelled.status == SessionStatus.CANCELLED


# The database's own rules -------------------------------------------------------------------------


def test_the_database_refuses_a_one_to_one_without_its_member(one_to_one_team):
    with pytest.raises(IntegrityError, match="sessions_one_to_one_has_one_member"), transaction.atomic():
        MentoringSession.objects.filter(pk=make_session(engagement=one_to_one_team).pk).update(
            kind=SessionKind.ONE_TO_ONE
        )


def test_the_database_refuses_a_one_to_one_with_someone_outside_the_team(one_to_one_team, mentee):
    with pytest.raises(IntegrityError, match="roster"), transaction.atomic():
        make_session(engagement=one_to_one_team, member=mentee)


def test_the_database_refuses_a_one_to_one_before_the_member_joined(one_to_one_team, members):
    TeamMembership.objects.filter(user=members[0]).update(joined_on=roster_date())
    with pytest.raises(IntegrityError, match="roster"), transaction.atomic():
        make_session(engagement=one_to_one_team, member=members[0], start=days_from_now(-3))
    assert make_session(engagement=one_to_one_team, member=members[0], start=days_from_now(3)).is_one_to_one


def test_the_database_refuses_a_one_to_one_in_an_individual_engagement(engagement, mentee):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_session(engagement=engagement, member=mentee)


def test_cancelling_a_one_to_one_after_the_member_left_still_works(one_to_one_team, members):
    session = make_session(engagement=one_to_one_team, member=members[0], start=days_from_now(10))
    TeamMembership.objects.filter(user=members[0]).update(left_on=roster_date() + 2 * DAY)
    services.record_cancellation(session, actor=one_to_one_team.mentor, reason="", late=False)
    assert MentoringSession.objects.get(pk=session.pk).status == SessionStatus.CANCELLED


# No double booking across kinds --------------------------------------------------------------------


@pytest.fixture
def also_mentored(members, other_mentor, open_availability):
    """members[0] also has an individual engagement with another mentor."""
    open_availability(mentor=other_mentor)
    return make_engagement(mentee=members[0], mentor=other_mentor, status=Engagement.Status.ACTIVE)


def test_the_members_individual_session_keeps_its_time_out_of_their_one_to_ones(
    one_to_one_team, members, also_mentored, neutral_venue, online_venue
):
    start = first_slot(one_to_one_team, members[0])
    services.book_session(engagement=also_mentored, start=start, venue=online_venue, booked_by=members[0])
    assert start not in {slot.start for slot in selectors.free_slots_for_engagement(one_to_one_team, member=members[0])}
    with pytest.raises(ValidationError) as refused:
        services.book_session(
            engagement=one_to_one_team, start=start, venue=neutral_venue, booked_by=members[0], member=members[0]
        )
    assert refused.value.code == "taken"
    # Another member is free then: only the member's own sessions count for their one-to-one.
    assert start in {slot.start for slot in selectors.free_slots_for_engagement(one_to_one_team, member=members[1])}


def test_the_mentee_constraint_holds_a_one_to_one_against_an_individual_session(
    one_to_one_team, members, also_mentored
):
    start = days_from_now(5)
    make_session(engagement=also_mentored, start=start)
    with pytest.raises(IntegrityError, match="sessions_no_overlap_for_mentee"), transaction.atomic():
        make_session(engagement=one_to_one_team, member=members[0], start=start)


def test_a_team_session_and_a_one_to_one_of_the_same_mentor_never_overlap(one_to_one_team, members):
    start = days_from_now(5)
    make_session(engagement=one_to_one_team, start=start)
    with pytest.raises(IntegrityError, match="sessions_no_overlap_for_mentor"), transaction.atomic():
        make_session(engagement=one_to_one_team, member=members[0], start=start + datetime.timedelta(minutes=30))


def test_a_one_to_one_keeps_its_time_out_of_another_team_the_member_sits_in(
    one_to_one_team, members, organisation, other_mentor, open_availability, neutral_venue, online_venue
):
    other_team = make_team(organisation=organisation, name="Board")
    make_team_member(team=other_team, user=members[0])
    open_availability(mentor=other_mentor)
    board = make_engagement(team=other_team, mentor=other_mentor, status=Engagement.Status.ACTIVE)
    start = first_slot(one_to_one_team, members[0])
    services.book_session(
        engagement=one_to_one_team, start=start, venue=neutral_venue, booked_by=members[0], member=members[0]
    )
    assert start not in {slot.start for slot in selectors.free_slots_for_engagement(board)}
    with pytest.raises(ValidationError):
        services.book_session(engagement=board, start=start, venue=online_venue, booked_by=other_mentor)


# Cadence and contract ------------------------------------------------------------------------------


def test_one_to_ones_leave_the_teams_own_cadence_alone(one_to_one_team, members):
    before = due_for(one_to_one_team)
    make_session(engagement=one_to_one_team, member=members[0], start=days_from_now(-2))
    make_session(engagement=one_to_one_team, member=members[1], start=days_from_now(4))
    assert due_for(one_to_one_team) == before


def test_each_member_is_due_a_one_to_one_a_month_after_their_last(one_to_one_team, members):
    held = make_session(engagement=one_to_one_team, member=members[0], start=days_from_now(-27))
    part = member_one_to_ones(one_to_one_team, members[0])
    assert part.last_held == held.start
    assert part.due.due_date >= (held.start + 30 * DAY).date() - 3 * DAY
    assert not part.due.is_booked
    booked = make_session(engagement=one_to_one_team, member=members[0], start=days_from_now(6))
    assert member_one_to_ones(one_to_one_team, members[0]).next_booked == booked.start


def test_without_a_cadence_nobody_is_due_a_one_to_one(one_to_one_team, members):
    Engagement.objects.filter(pk=one_to_one_team.pk).update(one_to_one_interval_months=0)
    one_to_one_team.refresh_from_db()
    assert member_one_to_ones(one_to_one_team, members[0]).due is None


def test_a_one_to_one_counts_against_the_same_contract(one_to_one_team, members, organisation):
    contract = make_contract(organisation=organisation, quantity=12)
    Engagement.objects.filter(pk=one_to_one_team.pk).update(contract=contract)
    make_session(engagement=one_to_one_team, start=days_from_now(-9), status=SessionStatus.COMPLETED)
    make_session(engagement=one_to_one_team, member=members[0], start=days_from_now(-2), status=SessionStatus.COMPLETED)
    assert usage.usage_of(contract).used_sessions == 2


# A member who leaves ---------------------------------------------------------------------------------


def test_a_member_who_leaves_keeps_no_one_to_ones_after_their_last_day(one_to_one_team, members):
    past = make_session(
        engagement=one_to_one_team, member=members[0], start=days_from_now(-5), status=SessionStatus.COMPLETED
    )
    before = make_session(engagement=one_to_one_team, member=members[0], start=days_from_now(3))
    after = make_session(engagement=one_to_one_team, member=members[0], start=days_from_now(12))
    other = make_session(engagement=one_to_one_team, member=members[1], start=days_from_now(12) + 3 * HOUR)
    team_services.remove_team_member(
        membership=TeamMembership.objects.get(user=members[0]), left_on=roster_date() + 7 * DAY
    )
    status = dict(MentoringSession.objects.values_list("pk", "status"))
    assert status[after.pk] == SessionStatus.CANCELLED
    assert status[before.pk] == status[other.pk] == SessionStatus.CONFIRMED
    assert status[past.pk] == SessionStatus.COMPLETED
    assert sweep.due_reminders(after.start - datetime.timedelta(hours=2)) == []


# The admin's choice on the engagement form -----------------------------------------------------------


def test_the_admin_sets_the_one_to_one_cadence_on_a_team_engagement_form(
    client, team_ready, consultancy_admin, focus_areas
):
    client.force_login(consultancy_admin)
    url = reverse("mentorship:engagement-edit", args=[team_ready.uuid])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {
        "triggers": team_ready.triggers,
        "focus_areas": [next(iter(focus_areas.values())).pk],
        "planned_months": 6,
        "start_date": team_ready.start_date.isoformat(),
        "one_to_one_interval_months": 2,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert Engagement.objects.get(pk=team_ready.pk).one_to_one_interval_months == 2
    data["one_to_one_interval_months"] = 5  # not one of the choices
    assert client.post(url, data).status_code == 200
    assert Engagement.objects.get(pk=team_ready.pk).one_to_one_interval_months == 2


def test_an_individual_engagement_has_no_one_to_one_cadence(client, engagement, consultancy_admin):
    client.force_login(consultancy_admin)
    form = client.get(reverse("mentorship:engagement-edit", args=[engagement.uuid])).context["form"]
    assert "one_to_one_interval_months" not in form.fields
    with pytest.raises(IntegrityError), transaction.atomic():
        Engagement.objects.filter(pk=engagement.pk).update(one_to_one_interval_months=1)


def test_one_to_ones_leave_the_teams_health_adherence_alone(one_to_one_team, members):
    from reporting.health.store import refresh
    from reporting.models import EngagementMonth

    make_session(engagement=one_to_one_team, start=days_from_now(-20), status=SessionStatus.COMPLETED)
    refresh([one_to_one_team.pk], wait=True)
    before = list(EngagementMonth.objects.filter(engagement=one_to_one_team).values("month", "held", "held_on_time"))
    make_session(engagement=one_to_one_team, member=members[0], start=days_from_now(-6), status=SessionStatus.COMPLETED)
    refresh([one_to_one_team.pk], wait=True)
    after = list(EngagementMonth.objects.filter(engagement=one_to_one_team).values("month", "held", "held_on_time"))
    assert after == before
