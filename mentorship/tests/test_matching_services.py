"""Matching services called directly: the rules hold whatever view (or task) calls them."""

import pytest
from django.core.exceptions import ValidationError

from mentorship.matching import services
from mentorship.models import AssignmentStatus, Engagement, MentorAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(engagement_factory, mentee):
    return engagement_factory(mentee=mentee, focus=["leadership"])


def codes(error: ValidationError) -> list[str]:
    return [item.code for item in error.error_list]


def test_a_mentor_without_a_profile_cannot_be_asked(proposed, mentor, consultancy_admin):
    with pytest.raises(ValidationError) as raised:
        services.assign_mentor(engagement=proposed, mentor=mentor, assigned_by=consultancy_admin)
    assert codes(raised.value) == ["not_a_candidate"]


def test_a_mentee_cannot_be_asked_to_mentor(proposed, mentee, consultancy_admin, mentor_profile_factory):
    mentor_profile_factory(user=mentee)  # a stray profile does not make somebody a mentor
    with pytest.raises(ValidationError) as raised:
        services.assign_mentor(engagement=proposed, mentor=mentee, assigned_by=consultancy_admin)
    assert codes(raised.value) == ["not_a_candidate"]
    assert not MentorAssignment.objects.exists()


def test_a_full_mentor_can_still_be_asked(proposed, mentor, consultancy_admin, mentor_profile_factory):
    mentor_profile_factory(user=mentor, capacity=0, accepting_new=False)
    assignment = services.assign_mentor(engagement=proposed, mentor=mentor, assigned_by=consultancy_admin)
    assert assignment.status == AssignmentStatus.PENDING


@pytest.mark.parametrize("status", ["active", "paused", "completed", "cancelled"])
def test_only_a_proposed_engagement_gets_a_mentor(
    engagement_factory, mentee, mentor, other_mentor, consultancy_admin, mentor_profile_factory, status
):
    mentor_profile_factory(user=other_mentor)
    engagement = engagement_factory(mentee=mentee, mentor=mentor, status=status)
    with pytest.raises(ValidationError) as raised:
        services.assign_mentor(engagement=engagement, mentor=other_mentor, assigned_by=consultancy_admin)
    assert codes(raised.value) == ["not_proposed"]


def test_somebody_else_cannot_answer_a_request(
    proposed, mentor, other_mentor, consultancy_admin, mentor_profile_factory
):
    mentor_profile_factory(user=mentor)
    assignment = services.assign_mentor(engagement=proposed, mentor=mentor, assigned_by=consultancy_admin)
    with pytest.raises(ValidationError) as accepting:
        services.accept_assignment(assignment=assignment, mentor=other_mentor)
    with pytest.raises(ValidationError) as declining:
        services.decline_assignment(assignment=assignment, mentor=other_mentor, reason="Not mine")
    assert codes(accepting.value) == codes(declining.value) == ["not_pending"]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING


def test_accepting_twice_in_the_service_is_refused(proposed, mentor, consultancy_admin, mentor_profile_factory):
    mentor_profile_factory(user=mentor)
    assignment = services.assign_mentor(engagement=proposed, mentor=mentor, assigned_by=consultancy_admin)
    services.accept_assignment(assignment=assignment, mentor=mentor)
    with pytest.raises(ValidationError) as raised:
        services.accept_assignment(assignment=assignment, mentor=mentor)
    assert codes(raised.value) == ["not_pending"]
    assert Engagement.objects.get(pk=proposed.pk).status == Engagement.Status.ACTIVE


def test_declining_needs_a_reason_in_the_service_too(proposed, mentor, consultancy_admin, mentor_profile_factory):
    mentor_profile_factory(user=mentor)
    assignment = services.assign_mentor(engagement=proposed, mentor=mentor, assigned_by=consultancy_admin)
    with pytest.raises(ValidationError) as raised:
        services.decline_assignment(assignment=assignment, mentor=mentor, reason="  \n ")
    assert [item.code for item in raised.value.error_dict["reason"]] == ["required"]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING


def test_team_engagements_are_never_offered_for_choice(engagement_factory, team, consultancy_admin):
    engagement = engagement_factory(team=team)
    with pytest.raises(ValidationError) as raised:
        services.offer_mentor_options(engagement=engagement, offered_by=consultancy_admin)
    assert codes(raised.value) == ["team"]


def test_choosing_without_options_is_refused(proposed, mentee):
    with pytest.raises(ValidationError) as raised:
        services.choose_mentor(engagement=proposed, option_pk=1, mentee=mentee)
    assert codes(raised.value) == ["closed"]
