"""A person can sit in sessions of different engagements — a mentee who is also in a mentored
leadership team, a team member who mentors someone else — and still never in two at once."""

import datetime
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from demo.factories import make_member, make_team_member
from mentorship.models import Engagement, TeamMembership
from sessions.booking import selectors, services
from sessions.models import MentoringSession

pytestmark = pytest.mark.clock


@pytest.fixture
def member(mentee, team):
    """The mentee of `engagement` also sits in `team`."""
    make_team_member(team=team, user=mentee, title="Head of Sales")
    return mentee


@pytest.fixture
def other_team_engagement(engagement_factory, team, other_mentor, open_availability, mentor):
    open_availability(mentor=mentor)
    open_availability(mentor=other_mentor)
    return engagement_factory(team=team, mentor=other_mentor, status=Engagement.Status.ACTIVE)


def common_slot(*engagements):
    starts = [{slot.start for slot in selectors.free_slots_for_engagement(e)} for e in engagements]
    return min(set.intersection(*starts))


def overlaps(slots, start, minutes):
    end = start + datetime.timedelta(minutes=minutes)
    return [slot for slot in slots if slot.start < end and slot.end > start]


@pytest.mark.django_db
def test_an_individual_session_keeps_the_time_out_of_the_members_team_booking(
    engagement, other_team_engagement, member, neutral_venue
):
    start = common_slot(engagement, other_team_engagement)
    services.book_session(engagement=engagement, start=start, venue=neutral_venue, booked_by=member)

    team_slots = selectors.free_slots_for_engagement(other_team_engagement)
    assert overlaps(team_slots, start, engagement.session_minutes) == []
    with pytest.raises(ValidationError) as refused:
        services.book_session(
            engagement=other_team_engagement, start=start, venue=neutral_venue, booked_by=other_team_engagement.mentor
        )
    assert refused.value.code == "taken"
    assert MentoringSession.objects.filter(engagement=other_team_engagement).count() == 0


@pytest.mark.django_db
def test_a_team_session_keeps_the_time_out_of_a_members_individual_booking(
    engagement, other_team_engagement, member, neutral_venue
):
    start = common_slot(engagement, other_team_engagement)
    services.book_session(
        engagement=other_team_engagement, start=start, venue=neutral_venue, booked_by=other_team_engagement.mentor
    )

    assert overlaps(selectors.free_slots_for_engagement(engagement), start, engagement.session_minutes) == []
    with pytest.raises(ValidationError) as refused:
        services.book_session(engagement=engagement, start=start, venue=neutral_venue, booked_by=member)
    assert refused.value.code == "taken"


@pytest.mark.django_db
def test_a_team_member_who_mentors_someone_else_is_busy_in_those_sessions(
    team, other_team_engagement, user_factory, engagement_factory, organisation, open_availability, neutral_venue
):

    mentoring_member = TeamMembership.objects.filter(team=team).first().user
    mentoring_member.add_role("mentor")
    mentoring_member.save()
    open_availability(mentor=mentoring_member)
    protege = user_factory(email="protege@example.org", roles=("mentee",))
    make_member(organisation=organisation, user=protege)
    their_own = engagement_factory(mentee=protege, mentor=mentoring_member, status=Engagement.Status.ACTIVE)
    start = common_slot(their_own, other_team_engagement)
    services.book_session(engagement=their_own, start=start, venue=neutral_venue, booked_by=protege)

    slots = selectors.free_slots_for_engagement(other_team_engagement)
    assert overlaps(slots, start, other_team_engagement.session_minutes) == []


@pytest.mark.django_db
def test_people_outside_the_engagement_do_not_block_it(
    other_team_engagement, outsider_mentee, user_factory, engagement_factory, open_availability, neutral_venue
):
    """Nobody in the team is the outsider or their mentor: their session leaves the team's time free."""
    third_mentor = user_factory(email="third.mentor@example.org", roles=("mentor",))
    open_availability(mentor=third_mentor)
    outsider_engagement = engagement_factory(
        mentee=outsider_mentee, mentor=third_mentor, status=Engagement.Status.ACTIVE
    )
    start = common_slot(outsider_engagement, other_team_engagement)
    services.book_session(engagement=outsider_engagement, start=start, venue=neutral_venue, booked_by=outsider_mentee)
    assert start in {slot.start for slot in selectors.free_slots_for_engagement(other_team_engagement)}


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_an_individual_and_a_team_booking_for_the_same_person_at_once_make_one_session(
    engagement, other_team_engagement, member, neutral_venue
):
    """No table constraint sees this pair; the per-person lock does. The check is slowed down so
    that, without the lock, both requests would find the time free before either saves."""
    start = common_slot(engagement, other_team_engagement)
    real_check = services._check_slot
    barrier = threading.Barrier(2)

    def slow_check(*args, **kwargs):
        result = real_check(*args, **kwargs)
        time.sleep(0.5)
        return result

    def attempt(which):
        target, booker = which
        try:
            barrier.wait(timeout=30)
            services.book_session(engagement=target, start=start, venue=neutral_venue, booked_by=booker)
            return "booked"
        except ValidationError as error:
            return error.code
        finally:
            connection.close()

    pairs = [(engagement, member), (other_team_engagement, other_team_engagement.mentor)]
    with mock.patch.object(services, "_check_slot", side_effect=slow_check), ThreadPoolExecutor(2) as pool:
        results = list(pool.map(attempt, pairs))

    assert sorted(results) == ["booked", "taken"]
    assert MentoringSession.objects.filter(start=start).count() == 1
