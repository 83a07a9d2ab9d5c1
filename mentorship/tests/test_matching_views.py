"""The matching page, asking a mentor, the mentor's answer and the mentee's choice of three."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.tests.helpers import messages_of
from demo.factories import make_assignment
from mentorship.matching import services
from mentorship.models import (
    AssignmentStatus,
    Engagement,
    EngagementEvent,
    MentorAssignment,
    MentorOption,
)

pytestmark = pytest.mark.django_db

Kind = EngagementEvent.Kind


@pytest.fixture
def dan(user_factory):
    return user_factory(email="dan.mentor@example.org", roles=("mentor",), full_name="Dan Mentor")


@pytest.fixture
def profiles(mentor, other_mentor, dan, mentor_profile_factory):
    """Bob fits best (both areas, Swedish, Göteborg, teams); Dan next; Carol speaks no Swedish."""
    return {
        "bob": mentor_profile_factory(
            user=mentor,
            focus=["leadership", "communication"],
            languages=["sv", "en"],
            region="Göteborg",
            mentors_teams=True,
            headline="Calm in a storm",
        ),
        "dan": mentor_profile_factory(user=dan, focus=["leadership"], languages=["sv"], region="Malmö"),
        "carol": mentor_profile_factory(user=other_mentor, focus=["leadership"], languages=["en"]),
    }


@pytest.fixture
def proposed(engagement_factory, mentee):
    return engagement_factory(mentee=mentee, focus=["leadership", "communication"], preferred_language="sv")


@pytest.fixture
def team_proposed(engagement_factory, team):
    return engagement_factory(team=team, focus=["leadership"], initiated_by="leadership_team")


def matching_url(engagement) -> str:
    return reverse("mentorship:engagement-matching", args=[engagement.uuid])


def assign_url(engagement) -> str:
    return reverse("mentorship:engagement-assign", args=[engagement.uuid])


def offer_url(engagement) -> str:
    return reverse("mentorship:engagement-offer-options", args=[engagement.uuid])


def choose_url(engagement) -> str:
    return reverse("mentorship:engagement-choose-mentor", args=[engagement.uuid])


def signs_in(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


# The matching page -----------------------------------------------------------------------------


def test_admin_sees_mentors_ranked_with_scores_and_reasons(client, consultancy_admin, proposed, profiles):
    client.force_login(consultancy_admin)
    response = client.get(matching_url(proposed))
    assert response.status_code == 200
    ranking = response.context["ranking"]
    assert [match.candidate.name for match in ranking.ranked] == ["Bob Mentor", "Dan Mentor", "Carol Mentor"]
    html = response.content.decode()
    assert "Focus areas in common: Leadership, Communication" in html
    assert "Based in Göteborg, like the client" in html
    assert "Does not speak Swedish" in html
    assert html.count(f'action="{assign_url(proposed)}"') == 3
    assert offer_url(proposed) in html


def test_full_and_unavailable_mentors_are_set_apart_with_the_reason(
    client, consultancy_admin, proposed, profiles, engagement_factory, mentee
):
    profiles["dan"].accepting_new = False
    profiles["dan"].save()
    profiles["carol"].capacity = 1
    profiles["carol"].save()
    engagement_factory(mentee=mentee, mentor=profiles["carol"].user, status=Engagement.Status.ACTIVE)
    client.force_login(consultancy_admin)
    response = client.get(matching_url(proposed))
    ranking = response.context["ranking"]
    assert [match.candidate.name for match in ranking.ranked] == ["Bob Mentor"]
    assert [match.candidate.name for match in ranking.set_apart] == ["Dan Mentor", "Carol Mentor"]
    html = response.content.decode()
    assert "Not taking new engagements" in html
    assert "At capacity: 1 of 1 active" in html
    assert "Assign anyway" in html
    assert "Too few mentors are available to offer a choice." in html


def test_only_mentors_with_a_profile_are_candidates(client, consultancy_admin, proposed, profiles, user_factory):
    user_factory(email="no.profile@example.org", roles=("mentor",), full_name="Nora Noprofile")
    former = profiles["dan"].user
    former.is_mentor = False
    former.save()
    client.force_login(consultancy_admin)
    names = [match.candidate.name for match in client.get(matching_url(proposed)).context["ranking"].ranked]
    assert names == ["Bob Mentor", "Carol Mentor"]


def test_declined_and_asked_mentors_are_shown_as_such(client, consultancy_admin, proposed, profiles, mentor, dan):
    make_assignment(
        engagement=proposed,
        mentor=dan,
        status=AssignmentStatus.DECLINED,
        decline_reason="Away <em>all autumn</em>",
        assigned_by=consultancy_admin,
    )
    make_assignment(engagement=proposed, mentor=mentor, assigned_by=consultancy_admin)
    client.force_login(consultancy_admin)
    response = client.get(matching_url(proposed))
    html = response.content.decode()
    assert "Declined this engagement: Away &lt;em&gt;all autumn&lt;/em&gt;" in html
    assert "<em>all autumn</em>" not in html
    assert "Asked, no answer yet" in html
    ranking = response.context["ranking"]
    assert [match.candidate.name for match in ranking.set_apart] == ["Dan Mentor"]
    assert ranking.ranked[0].candidate.is_pending
    # No "Assign" button for the mentor already asked.
    assert html.count(f'action="{assign_url(proposed)}"') == 2


def test_an_active_engagement_shows_its_mentor_and_no_assign_buttons(client, consultancy_admin, engagement, profiles):
    client.force_login(consultancy_admin)
    response = client.get(matching_url(engagement))
    html = response.content.decode()
    assert "Current mentor" in html
    assert "A mentor can be asked only while the engagement is proposed." in html
    assert f'action="{assign_url(engagement)}"' not in html
    assert f'action="{offer_url(engagement)}"' not in html


def test_team_engagement_explains_why_the_mentee_cannot_choose(client, consultancy_admin, team_proposed, profiles):
    client.force_login(consultancy_admin)
    html = client.get(matching_url(team_proposed)).content.decode()
    assert "Not for a team engagement" in html
    assert offer_url(team_proposed) not in html
    assert "Mentors whole leadership teams" in html


def test_matching_page_runs_the_same_queries_for_10_and_200_mentors(
    client, consultancy_admin, proposed, django_assert_num_queries, bulk_mentors
):
    client.force_login(consultancy_admin)
    bulk_mentors(10, prefix="first")
    with CaptureQueriesContext(connection) as small:
        response = client.get(matching_url(proposed))
    assert len(response.context["ranking"].ranked) + len(response.context["ranking"].set_apart) == 10
    bulk_mentors(190, prefix="second")
    with django_assert_num_queries(len(small)):
        response = client.get(matching_url(proposed))
    assert len(response.context["ranking"].ranked) + len(response.context["ranking"].set_apart) == 200


# Asking a mentor -------------------------------------------------------------------------------


def test_admin_assigns_a_mentor_who_gets_an_email(
    client, consultancy_admin, proposed, profiles, mentor, django_capture_on_commit_callbacks
):
    client.force_login(consultancy_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(assign_url(proposed), {"mentor": mentor.pk}, follow=True)
    assert "Bob Mentor has been asked" in " ".join(messages_of(response))
    assignment = MentorAssignment.objects.get(engagement=proposed)
    assert (assignment.mentor, assignment.status, assignment.assigned_by) == (
        mentor,
        AssignmentStatus.PENDING,
        consultancy_admin,
    )
    event = proposed.events.get(kind=Kind.MENTOR_ASSIGNED)
    assert (event.actor, event.detail) == (consultancy_admin, "Bob Mentor")
    proposed.refresh_from_db()
    assert proposed.status == Engagement.Status.PROPOSED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [mentor.email]
    assert "Dave Mentee" in message.subject
    assert proposed.get_absolute_url() in message.body
    assert "Leadership, Communication" in message.body


def test_double_submitted_assign_asks_once(
    client, consultancy_admin, proposed, profiles, mentor, django_capture_on_commit_callbacks
):
    client.force_login(consultancy_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(assign_url(proposed), {"mentor": mentor.pk})
        response = client.post(assign_url(proposed), {"mentor": mentor.pk}, follow=True)
    assert "has already been asked and has not answered yet" in " ".join(messages_of(response))
    assert MentorAssignment.objects.filter(engagement=proposed).count() == 1
    assert len(mail.outbox) == 1


def test_asking_another_mentor_withdraws_the_unanswered_request(
    client, consultancy_admin, proposed, profiles, mentor, dan
):
    client.force_login(consultancy_admin)
    client.post(assign_url(proposed), {"mentor": mentor.pk})
    client.post(assign_url(proposed), {"mentor": dan.pk})
    statuses = dict(MentorAssignment.objects.filter(engagement=proposed).values_list("mentor__email", "status"))
    assert statuses == {mentor.email: AssignmentStatus.WITHDRAWN, dan.email: AssignmentStatus.PENDING}


def test_assign_on_an_active_engagement_is_refused(client, consultancy_admin, engagement, profiles, dan):
    client.force_login(consultancy_admin)
    response = client.post(assign_url(engagement), {"mentor": dan.pk}, follow=True)
    assert "Only a proposed engagement can get a new mentor; this one is active." in messages_of(response)
    assert not MentorAssignment.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "999999", "mentee"])
def test_assign_with_a_bad_mentor_is_refused(client, consultancy_admin, proposed, profiles, mentee, value):
    client.force_login(consultancy_admin)
    data = {"mentor": mentee.pk if value == "mentee" else value}
    response = client.post(assign_url(proposed), data, follow=True)
    assert response.status_code == 200
    assert messages_of(response)
    assert not MentorAssignment.objects.exists()


def test_a_pending_request_appearing_in_a_race_is_a_friendly_message(
    client, consultancy_admin, proposed, profiles, mentor, dan, monkeypatch
):
    make_assignment(engagement=proposed, mentor=mentor, assigned_by=consultancy_admin)
    # As if another admin's request slipped in after ours withdrew the old ones.
    monkeypatch.setattr(services, "_withdraw_pending", lambda engagement: 0)
    client.force_login(consultancy_admin)
    response = client.post(assign_url(proposed), {"mentor": dan.pk}, follow=True)
    assert response.status_code == 200
    assert "This engagement already waits for a mentor's answer." in " ".join(messages_of(response))
    assert MentorAssignment.objects.filter(engagement=proposed).count() == 1
    assert not proposed.events.filter(kind=Kind.MENTOR_ASSIGNED).exists()


def test_assign_and_offer_are_post_only(client, consultancy_admin, proposed):
    client.force_login(consultancy_admin)
    assert client.get(assign_url(proposed)).status_code == 405
    assert client.get(offer_url(proposed)).status_code == 405


# The mentor's answer ---------------------------------------------------------------------------


@pytest.fixture
def request_to_bob(proposed, profiles, mentor, consultancy_admin):
    return services.assign_mentor(engagement=proposed, mentor=mentor, assigned_by=consultancy_admin)


def accept_url(assignment) -> str:
    return reverse("mentorship:assignment-accept", args=[assignment.pk])


def decline_url(assignment) -> str:
    return reverse("mentorship:assignment-decline", args=[assignment.pk])


def test_mentor_accepts_and_the_engagement_becomes_active(client, mentor, proposed, request_to_bob):
    client.force_login(mentor)
    response = client.post(accept_url(request_to_bob))
    assert response.status_code == 302
    assert response.url == proposed.get_absolute_url()
    proposed.refresh_from_db()
    assert (proposed.mentor, proposed.status) == (mentor, Engagement.Status.ACTIVE)
    request_to_bob.refresh_from_db()
    assert request_to_bob.status == AssignmentStatus.ACCEPTED
    assert request_to_bob.responded_at is not None
    accepted = proposed.events.get(kind=Kind.MENTOR_ACCEPTED)
    assert accepted.actor == mentor
    changed = proposed.events.get(kind=Kind.STATUS_CHANGED)
    assert (changed.actor, changed.from_status, changed.to_status) == (mentor, "proposed", "active")


def test_accepting_twice_is_404_and_changes_nothing_more(client, mentor, proposed, request_to_bob):
    client.force_login(mentor)
    client.post(accept_url(request_to_bob))
    assert client.post(accept_url(request_to_bob)).status_code == 404
    assert proposed.events.filter(kind=Kind.MENTOR_ACCEPTED).count() == 1


def test_mentor_at_capacity_can_still_accept(
    client, mentor, proposed, request_to_bob, profiles, engagement_factory, mentee
):
    profiles["bob"].capacity = 1
    profiles["bob"].save()
    engagement_factory(mentee=mentee, mentor=mentor, status=Engagement.Status.ACTIVE)
    client.force_login(mentor)
    client.post(accept_url(request_to_bob))
    proposed.refresh_from_db()
    assert proposed.status == Engagement.Status.ACTIVE


def test_accepting_an_engagement_cancelled_meanwhile_is_refused(client, mentor, proposed, request_to_bob):
    Engagement.objects.filter(pk=proposed.pk).update(status=Engagement.Status.CANCELLED)
    client.force_login(mentor)
    response = client.post(accept_url(request_to_bob), follow=True)
    assert "This engagement is no longer waiting for a mentor." in messages_of(response)
    proposed.refresh_from_db()
    assert proposed.mentor is None


def test_mentor_declines_with_a_reason_the_admin_sees(client, mentor, consultancy_admin, proposed, request_to_bob):
    client.force_login(mentor)
    assert "Why do you decline?" in client.get(decline_url(request_to_bob)).content.decode()
    response = client.post(decline_url(request_to_bob), {"reason": "Full until <b>March</b>"})
    assert response.status_code == 302
    request_to_bob.refresh_from_db()
    assert (request_to_bob.status, request_to_bob.decline_reason) == (
        AssignmentStatus.DECLINED,
        "Full until <b>March</b>",
    )
    assert request_to_bob.responded_at is not None
    proposed.refresh_from_db()
    assert (proposed.status, proposed.mentor) == (Engagement.Status.PROPOSED, None)
    event = proposed.events.get(kind=Kind.MENTOR_DECLINED)
    assert (event.actor, event.detail) == (mentor, "Full until <b>March</b>")
    client.force_login(consultancy_admin)
    html = client.get(matching_url(proposed)).content.decode()
    assert "Full until &lt;b&gt;March&lt;/b&gt;" in html
    assert "<b>March</b>" not in html


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        (None, "Please say why"),
        ("", "Please say why"),
        ("   ", "Please say why"),
        ("x" * 2001, "at most 2000 characters"),
    ],
)
def test_declining_without_a_proper_reason_is_a_form_error(client, mentor, request_to_bob, reason, message):
    client.force_login(mentor)
    response = client.post(decline_url(request_to_bob), {} if reason is None else {"reason": reason})
    assert response.status_code == 200
    assert message in response.content.decode()
    request_to_bob.refresh_from_db()
    assert request_to_bob.status == AssignmentStatus.PENDING


def test_declining_twice_is_404(client, mentor, request_to_bob):
    client.force_login(mentor)
    client.post(decline_url(request_to_bob), {"reason": "No time"})
    assert client.post(decline_url(request_to_bob), {"reason": "No time"}).status_code == 404


def test_a_withdrawn_request_can_no_longer_be_answered(
    client, mentor, dan, proposed, request_to_bob, consultancy_admin
):
    services.assign_mentor(engagement=proposed, mentor=dan, assigned_by=consultancy_admin)
    client.force_login(mentor)
    assert client.post(accept_url(request_to_bob)).status_code == 404
    assert client.post(decline_url(request_to_bob), {"reason": "x"}).status_code == 404


# Offering the top three to the mentee ------------------------------------------------------------


def test_admin_offers_the_top_three_to_the_mentee(
    client, consultancy_admin, proposed, profiles, mentee, django_capture_on_commit_callbacks
):
    client.force_login(consultancy_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(offer_url(proposed), follow=True)
    assert "3 mentors were offered" in " ".join(messages_of(response))
    options = list(MentorOption.objects.filter(engagement=proposed).select_related("mentor"))
    assert [(option.rank, option.mentor.full_name) for option in options] == [
        (1, "Bob Mentor"),
        (2, "Dan Mentor"),
        (3, "Carol Mentor"),
    ]
    assert options[0].reasons == [
        "Focus areas in common: Leadership, Communication",
        "Speaks Swedish",
        "Based in Göteborg, like the client",
    ]
    assert all("active)" not in reason for option in options for reason in option.reasons)  # load stays internal
    proposed.refresh_from_db()
    assert proposed.mentee_chooses is True
    assert proposed.events.get(kind=Kind.OPTIONS_OFFERED).detail == "Bob Mentor, Dan Mentor, Carol Mentor"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [mentee.email]
    assert choose_url(proposed) in mail.outbox[0].body


def test_offered_reasons_are_stored_in_the_mentees_language(client, consultancy_admin, proposed, profiles, mentee):
    mentee.language = "sv"
    mentee.save()
    client.force_login(consultancy_admin)
    client.post(offer_url(proposed))
    option = MentorOption.objects.get(engagement=proposed, rank=1)
    assert any("Ledarskap" in reason for reason in option.reasons), option.reasons


def test_offering_withdraws_an_unanswered_request_and_replaces_earlier_options(
    client, consultancy_admin, proposed, profiles, request_to_bob, dan
):
    client.force_login(consultancy_admin)
    client.post(offer_url(proposed))
    request_to_bob.refresh_from_db()
    assert request_to_bob.status == AssignmentStatus.WITHDRAWN
    profiles["bob"].accepting_new = False
    profiles["bob"].save()
    client.post(offer_url(proposed))
    assert list(MentorOption.objects.filter(engagement=proposed).values_list("mentor__full_name", flat=True)) == [
        "Dan Mentor",
        "Carol Mentor",
    ]


def test_team_engagement_cannot_be_offered_to_choose(client, consultancy_admin, team_proposed, profiles):
    client.force_login(consultancy_admin)
    response = client.post(offer_url(team_proposed), follow=True)
    assert "the choice is offered to one mentee only" in " ".join(messages_of(response))
    assert not MentorOption.objects.exists()


def test_offering_needs_two_available_mentors(client, consultancy_admin, proposed, profiles):
    for key in ("dan", "carol"):
        profiles[key].accepting_new = False
        profiles[key].save()
    client.force_login(consultancy_admin)
    response = client.post(offer_url(proposed), follow=True)
    assert "Too few mentors are available to offer a choice." in " ".join(messages_of(response))
    assert not MentorOption.objects.exists()


def test_offering_on_an_active_engagement_is_refused(client, consultancy_admin, engagement, profiles):
    client.force_login(consultancy_admin)
    response = client.post(offer_url(engagement), follow=True)
    assert "this one is active" in " ".join(messages_of(response))
    assert not MentorOption.objects.exists()


# The mentee chooses ------------------------------------------------------------------------------


@pytest.fixture
def offered(proposed, profiles, consultancy_admin):
    return services.offer_mentor_options(engagement=proposed, offered_by=consultancy_admin)


def test_mentee_sees_the_three_profiles_with_reasons(client, mentee, proposed, offered):
    client.force_login(mentee)
    response = client.get(choose_url(proposed))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Bob Mentor", "Dan Mentor", "Carol Mentor"):
        assert f"Choose {name}" in html
    assert "Calm in a storm" in html
    assert "Based in Göteborg, like the client" in html
    assert "Malmö" in html  # Dan's region, from his profile
    assert "the client is in" not in html  # reasons against stay with the consultancy


def test_mentee_chooses_and_the_mentor_is_asked(
    client, mentee, proposed, offered, dan, django_capture_on_commit_callbacks
):
    option = next(option for option in offered if option.mentor_id == dan.pk)
    client.force_login(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(choose_url(proposed), {"option": option.pk}, follow=True)
    assert "You chose Dan Mentor." in " ".join(messages_of(response))
    option.refresh_from_db()
    assert option.chosen_at is not None
    assignment = MentorAssignment.objects.get(engagement=proposed, status=AssignmentStatus.PENDING)
    assert (assignment.mentor, assignment.assigned_by) == (dan, mentee)
    assert proposed.events.get(kind=Kind.MENTEE_CHOSE).actor == mentee
    assert [message.to for message in mail.outbox] == [[dan.email]]
    assert "chose you" in mail.outbox[0].subject
    assert "Choose Bob Mentor" not in response.content.decode()


def test_mentee_chooses_only_once(client, mentee, proposed, offered):
    client.force_login(mentee)
    client.post(choose_url(proposed), {"option": offered[0].pk})
    response = client.post(choose_url(proposed), {"option": offered[1].pk}, follow=True)
    assert "You have already chosen your mentor." in messages_of(response)
    assert MentorAssignment.objects.filter(engagement=proposed).count() == 1
    assert MentorOption.objects.filter(engagement=proposed, chosen_at__isnull=False).count() == 1


@pytest.mark.parametrize("value", ["", "abc", "-1", "999999", "other-engagement"])
def test_choosing_something_not_offered_is_refused(
    client, mentee, proposed, offered, value, engagement_factory, consultancy_admin, profiles
):
    if value == "other-engagement":
        other = engagement_factory(mentee=mentee, focus=["leadership"])
        value = services.offer_mentor_options(engagement=other, offered_by=consultancy_admin)[0].pk
    client.force_login(mentee)
    response = client.post(choose_url(proposed), {"option": value}, follow=True)
    assert "Choose one of the mentors offered to you." in messages_of(response)
    assert not MentorOption.objects.filter(engagement=proposed, chosen_at__isnull=False).exists()


def test_choice_is_closed_when_the_consultancy_asked_a_mentor_meanwhile(
    client, mentee, proposed, offered, dan, consultancy_admin
):
    services.assign_mentor(engagement=proposed, mentor=dan, assigned_by=consultancy_admin)
    client.force_login(mentee)
    assert "This choice is no longer open." in client.get(choose_url(proposed)).content.decode()
    response = client.post(choose_url(proposed), {"option": offered[0].pk}, follow=True)
    assert "This choice is no longer open. The consultancy will be in touch." in messages_of(response)


def test_team_member_has_no_choice_to_make(client, team, team_proposed):
    client.force_login(team.memberships.first().user)
    response = client.get(choose_url(team_proposed))
    assert response.status_code == 200
    assert "There is no choice of mentor to make" in response.content.decode()


# Access: every view, GET and POST ----------------------------------------------------------------


ADMIN_VIEWS = ["engagement-matching", "engagement-assign", "engagement-offer-options"]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["mentor", "other_mentor", "mentee", "outsider_mentee"])
@pytest.mark.parametrize("name", ADMIN_VIEWS)
def test_only_admins_reach_matching_others_get_404(client, request, proposed, profiles, dan, method, who, name):
    client.force_login(request.getfixturevalue(who))
    url = reverse(f"mentorship:{name}", args=[proposed.uuid])
    response = getattr(client, method)(url, {"mentor": dan.pk})
    expected = 405 if method == "get" and name != "engagement-matching" else 404
    assert response.status_code == expected
    assert not MentorAssignment.objects.exists()
    assert not MentorOption.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ADMIN_VIEWS + ["engagement-choose-mentor"])
def test_anonymous_is_sent_to_sign_in_from_engagement_matching_views(client, proposed, method, name):
    assert signs_in(getattr(client, method)(reverse(f"mentorship:{name}", args=[proposed.uuid])))


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["other_mentor", "mentee", "outsider_mentee", "consultancy_admin", "dan"])
def test_only_the_asked_mentor_may_accept(client, request, request_to_bob, proposed, method, who):
    client.force_login(request.getfixturevalue(who))
    response = getattr(client, method)(accept_url(request_to_bob))
    assert response.status_code == (405 if method == "get" else 404)
    proposed.refresh_from_db()
    assert proposed.status == Engagement.Status.PROPOSED


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["other_mentor", "mentee", "outsider_mentee", "consultancy_admin", "dan"])
def test_only_the_asked_mentor_may_decline(client, request, request_to_bob, method, who):
    client.force_login(request.getfixturevalue(who))
    assert getattr(client, method)(decline_url(request_to_bob), {"reason": "Not me"}).status_code == 404
    request_to_bob.refresh_from_db()
    assert request_to_bob.status == AssignmentStatus.PENDING


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("view", [accept_url, decline_url])
def test_anonymous_is_sent_to_sign_in_from_answers(client, request_to_bob, method, view):
    assert signs_in(getattr(client, method)(view(request_to_bob)))


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["outsider_mentee", "other_mentor", "mentor", "consultancy_admin", "team_member"])
def test_only_the_engagements_mentee_may_choose(client, request, team, proposed, offered, method, who):
    user = team.memberships.first().user if who == "team_member" else request.getfixturevalue(who)
    client.force_login(user)
    response = getattr(client, method)(choose_url(proposed), {"option": offered[0].pk})
    assert response.status_code == 404
    assert not MentorOption.objects.filter(chosen_at__isnull=False).exists()
