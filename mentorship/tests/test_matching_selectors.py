"""Loading candidates and the mentor's requests: fixed query counts, right people, right flags."""

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from demo.factories import make_assignment
from mentorship import access
from mentorship.matching import selectors, services, tasks
from mentorship.matching.scoring import candidates_for, rank_engagement
from mentorship.models import AssignmentStatus, Engagement

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(engagement_factory, mentee):
    return engagement_factory(mentee=mentee, focus=["leadership", "communication"])


def test_ranking_1000_mentors_does_not_query_per_mentor(proposed, django_assert_max_num_queries, bulk_mentors):
    bulk_mentors(1000)
    proposed = Engagement.objects.select_related("organisation").get(pk=proposed.pk)
    with django_assert_max_num_queries(5):
        ranking = rank_engagement(proposed)
    assert len(ranking.ranked) + len(ranking.set_apart) == 1000
    assert ranking.ranked[0].score >= ranking.ranked[-1].score


def test_candidates_carry_their_load_from_active_and_paused_engagements_only(
    proposed, mentor, mentee, mentor_profile_factory, engagement_factory
):
    mentor_profile_factory(user=mentor, focus=["leadership"], capacity=5)
    for status in ("active", "paused", "completed", "cancelled", "proposed"):
        engagement_factory(mentee=mentee, mentor=mentor, status=status)
    (candidate,) = candidates_for(proposed)
    assert candidate.active_count == 2
    assert candidate.capacity == 5
    assert candidate.focus_area_ids == frozenset(
        proposed.focus_areas.filter(slug="leadership").values_list("pk", flat=True)
    )


def test_asked_again_after_declining_counts_as_asked(proposed, mentor, consultancy_admin, mentor_profile_factory):
    mentor_profile_factory(user=mentor)
    make_assignment(engagement=proposed, mentor=mentor, status=AssignmentStatus.DECLINED, decline_reason="Busy")
    (candidate,) = candidates_for(proposed)
    assert (candidate.declined_reason, candidate.is_pending) == ("Busy", False)
    make_assignment(engagement=proposed, mentor=mentor, assigned_by=consultancy_admin)
    (candidate,) = candidates_for(proposed)
    assert (candidate.declined_reason, candidate.is_pending) == (None, True)


def test_inactive_accounts_are_not_candidates(proposed, mentor, mentor_profile_factory):
    mentor_profile_factory(user=mentor)
    mentor.is_active = False
    mentor.save()
    assert candidates_for(proposed) == []


# The mentor's requests on their home page --------------------------------------------------------


def test_pending_requests_are_the_mentors_own_and_unanswered(
    proposed, mentor, other_mentor, consultancy_admin, mentor_profile_factory, engagement_factory, mentee
):
    mentor_profile_factory(user=mentor)
    mentor_profile_factory(user=other_mentor)
    mine = services.assign_mentor(engagement=proposed, mentor=mentor, assigned_by=consultancy_admin)
    second = engagement_factory(mentee=mentee, focus=["leadership"])
    services.assign_mentor(engagement=second, mentor=other_mentor, assigned_by=consultancy_admin)
    third = engagement_factory(mentee=mentee)
    answered = services.assign_mentor(engagement=third, mentor=mentor, assigned_by=consultancy_admin)
    services.decline_assignment(assignment=answered, mentor=mentor, reason="No")
    assert [request.pk for request in selectors.pending_requests_for(mentor)["requests"]] == [mine.pk]
    assert selectors.pending_requests_for(mentee) == {"requests": [], "total": 0}
    assert list(access.pending_assignments_for_mentor(consultancy_admin)) == []


def test_pending_requests_use_a_fixed_number_of_queries(
    mentor, consultancy_admin, mentor_profile_factory, engagement_factory, mentee, django_assert_num_queries
):
    mentor_profile_factory(user=mentor)

    def ask(count):
        for _index in range(count):
            engagement = engagement_factory(mentee=mentee, focus=["leadership", "strategy-business-development"])
            make_assignment(engagement=engagement, mentor=mentor, assigned_by=consultancy_admin)

    def render():
        requests = selectors.pending_requests_for(mentor)
        render_to_string("mentorship/includes/home_mentor_requests.html", {"mentor_requests": requests})
        return requests

    ask(2)
    with django_assert_num_queries(2):
        assert len(render()["requests"]) == 2
    ask(8)
    with django_assert_num_queries(2):
        assert len(render()["requests"]) == 10
    ask(20)
    with django_assert_num_queries(3):  # and how many wait in all
        requests = render()
    assert (len(requests["requests"]), requests["total"]) == (10, 30)


def test_the_home_partial_shows_the_oldest_requests_and_how_many_wait(
    mentor, consultancy_admin, mentor_profile_factory, engagement_factory, mentee
):
    mentor_profile_factory(user=mentor)
    asked = [
        make_assignment(engagement=engagement_factory(mentee=mentee), mentor=mentor, assigned_by=consultancy_admin)
        for _index in range(12)
    ]
    requests = selectors.pending_requests_for(mentor)
    assert [request.pk for request in requests["requests"]] == [request.pk for request in asked[:10]]
    with translation.override("en"):
        html = render_to_string("mentorship/includes/home_mentor_requests.html", {"mentor_requests": requests})
    assert "12 requests wait for your answer" in html
    assert html.count('name="reason"') == 10
    assert "The others show here as you answer these" in html


def test_home_partial_shows_the_request_with_accept_and_decline(
    proposed, mentor, consultancy_admin, mentor_profile_factory, engagement_factory, mentee
):
    mentor_profile_factory(user=mentor, capacity=1)
    engagement_factory(mentee=mentee, mentor=mentor, status="active")
    assignment = services.assign_mentor(engagement=proposed, mentor=mentor, assigned_by=consultancy_admin)
    with translation.override("en"):
        html = render_to_string(
            "mentorship/includes/home_mentor_requests.html",
            {"mentor_requests": selectors.pending_requests_for(mentor)},
        )
    assert "Dave Mentee at Alder Freight AB" in html
    assert "Leadership, Communication" in html
    assert reverse("mentorship:assignment-accept", args=[assignment.pk]) in html
    assert reverse("mentorship:assignment-decline", args=[assignment.pk]) in html
    assert 'name="reason"' in html
    assert "You are at your capacity (1 of 1 active). You can still accept" in html
    assert proposed.get_absolute_url() in html


def test_home_partial_renders_nothing_without_requests():
    empty = {"requests": [], "total": 0}
    assert render_to_string("mentorship/includes/home_mentor_requests.html", {"mentor_requests": empty}).strip() == ""


# The emails ------------------------------------------------------------------------------------


def test_request_email_is_in_the_mentors_language(proposed, mentor, consultancy_admin, mentor_profile_factory):
    mentor_profile_factory(user=mentor)
    mentor.language = "sv"
    mentor.save()
    assignment = make_assignment(engagement=proposed, mentor=mentor, assigned_by=consultancy_admin)
    assert tasks.send_assignment_request(assignment.pk) is True
    assert "Ledarskap" in mail.outbox[0].body


def test_no_email_for_a_request_withdrawn_before_sending(proposed, mentor, consultancy_admin):
    assignment = make_assignment(
        engagement=proposed, mentor=mentor, assigned_by=consultancy_admin, status=AssignmentStatus.WITHDRAWN
    )
    assert tasks.send_assignment_request(assignment.pk) is False
    assert tasks.send_assignment_request(999999) is False
    assert mail.outbox == []


def test_no_options_email_when_nothing_is_open(proposed, engagement):
    assert tasks.send_mentor_options(proposed.pk) is False
    assert tasks.send_mentor_options(engagement.pk) is False
    assert mail.outbox == []
