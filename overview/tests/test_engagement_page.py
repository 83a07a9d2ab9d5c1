"""The engagement page: what it shows to whom, the history, a constant number of queries."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from demo.factories import build_intake, build_team_member, build_user, make_event, make_intake
from mentorship.models import Engagement, EngagementEvent, IntakeResponse, TeamMembership


def _url(engagement: Engagement) -> str:
    return reverse("overview:engagement-detail", kwargs={"engagement_uuid": engagement.uuid})


@pytest.mark.django_db
def test_the_page_shows_the_intake_details(client, consultancy_admin, engagement_factory, mentee, mentor):
    engagement = engagement_factory(
        mentee=mentee,
        mentor=mentor,
        status=Engagement.Status.ACTIVE,
        triggers=["new_in_role", "other"],
        trigger_other="A <b>merger</b>",
        initiated_by="manager",
        preferred_language="en",
        focus=["leadership", "communication"],
        session_minutes=90,
    )
    client.force_login(consultancy_admin)
    html = client.get(_url(engagement)).content.decode()
    for text in [
        "Dave Mentee",
        "Alder Freight AB",
        "Bob Mentor",
        "New in the role",
        "A &lt;b&gt;merger&lt;/b&gt;",
        "Their manager",
        "English",
        "Every 14 days for the first 12 weeks, then every month.",
        "90 minutes",
    ]:
        assert text in html, text
    focus_names = {area.name for area in engagement.focus_areas.all()}
    assert all(name in html for name in focus_names)


@pytest.mark.django_db
def test_cadence_in_words_follows_the_engagement(client, consultancy_admin, engagement_factory, mentee):
    engagement = engagement_factory(
        mentee=mentee, initial_phase_weeks=8, initial_interval_days=10, steady_interval_months=2
    )
    client.force_login(consultancy_admin)
    assert "Every 10 days for the first 8 weeks, then every 2 months." in client.get(_url(engagement)).content.decode()


@pytest.mark.django_db
def test_a_team_engagement_lists_members_with_titles(client, team_engagement):
    member = team_engagement.team.memberships.first().user
    client.force_login(member)
    html = client.get(_url(team_engagement)).content.decode()
    for index, title in enumerate(["CEO", "CFO", "COO"]):
        assert f"Team Member {index}" in html
        assert title in html


@pytest.mark.django_db
def test_without_a_mentor_the_page_says_so(client, consultancy_admin, engagement_factory, mentee):
    engagement = engagement_factory(mentee=mentee)
    client.force_login(consultancy_admin)
    html = client.get(_url(engagement)).content.decode()
    assert "No mentor yet" in html
    assert "It becomes active when a mentor accepts it." in html


@pytest.mark.django_db
def test_the_mentor_links_to_the_profile_when_the_viewer_may_see_it(client, engagement, mentor_profile_factory, mentor):
    client.force_login(engagement.mentee)
    assert client.get(_url(engagement)).context["mentor_profile_url"] is None  # no profile yet
    mentor_profile_factory(user=mentor)
    url = client.get(_url(engagement)).context["mentor_profile_url"]
    try:
        expected = reverse("mentorship:mentor-profile", kwargs={"mentor_pk": mentor.pk})
    except Exception:  # the mentors slice is not wired yet
        expected = None
    assert url == expected


@pytest.mark.django_db
def test_admin_sees_management_links_and_the_right_buttons(client, consultancy_admin, engagement):
    client.force_login(consultancy_admin)
    response = client.get(_url(engagement))
    html = response.content.decode()
    assert reverse("mentorship:engagement-edit", kwargs={"engagement_uuid": engagement.uuid}) in html
    assert reverse("mentorship:engagement-extend", kwargs={"engagement_uuid": engagement.uuid}) in html
    for to_status in ("paused", "completed", "cancelled"):  # each asks first (sessions:engagement-stop)
        assert reverse("mentoring_sessions:engagement-stop", args=[engagement.uuid, to_status]) in html
    assert response.context["transitions"] == []  # nothing safe to do in one click: it is active
    assert [value for value, _label in response.context["danger_actions"]] == ["paused", "completed", "cancelled"]
    assert response.context["can_cancel"]
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["mentee", "mentor"])
def test_mentor_and_mentee_see_no_management(client, request, engagement, person):
    client.force_login(request.getfixturevalue(person))
    html = client.get(_url(engagement)).content.decode()
    assert reverse("mentorship:engagement-edit", kwargs={"engagement_uuid": engagement.uuid}) not in html
    assert reverse("mentorship:engagement-status", kwargs={"engagement_uuid": engagement.uuid}) not in html


@pytest.mark.django_db
def test_intake_answers_are_shown_to_mentor_and_admin_but_a_member_sees_only_own(
    client, team_engagement, consultancy_admin, mentor
):
    first, second = [membership.user for membership in team_engagement.team.memberships.all()[:2]]
    for person, goals in [(first, "First's <i>goals</i>"), (second, "Second's goals")]:
        make_intake(
            engagement=team_engagement, mentee=person, own_goals=goals, commitment=4, wants_from_mentor="Candour"
        )
    for viewer in [consultancy_admin, mentor]:
        client.force_login(viewer)
        html = client.get(_url(team_engagement)).content.decode()
        assert "First&#x27;s &lt;i&gt;goals&lt;/i&gt;" in html
        assert "Second&#x27;s goals" in html
        assert "4 of 5" in html
    client.force_login(first)
    html = client.get(_url(team_engagement)).content.decode()
    assert "First&#x27;s" in html
    assert "Second&#x27;s goals" not in html


@pytest.mark.django_db
def test_a_mentee_is_invited_to_answer_the_intake_until_they_have(client, engagement):
    client.force_login(engagement.mentee)
    intake_url = reverse("mentorship:engagement-intake", kwargs={"engagement_uuid": engagement.uuid})
    html = client.get(_url(engagement)).content.decode()
    assert "Answer the intake questions" in html
    assert intake_url in html
    make_intake(engagement=engagement, mentee=engagement.mentee, own_goals="g", commitment=3, wants_from_mentor="w")
    html = client.get(_url(engagement)).content.decode()
    assert "Answer the intake questions" not in html
    assert "Change your answers" in html


@pytest.mark.django_db
def test_history_shows_who_what_and_when_in_the_viewers_time_zone(client, consultancy_admin, engagement, mentee):
    consultancy_admin.time_zone = "America/New_York"
    consultancy_admin.save()
    at = datetime.datetime(2026, 9, 1, 12, 0, tzinfo=datetime.UTC)
    make_event(
        engagement=engagement,
        kind="status_changed",
        actor=consultancy_admin,
        from_status="active",
        to_status="paused",
        detail="Parental <leave>",
        at=at,
    )
    client.force_login(consultancy_admin)
    html = client.get(_url(engagement)).content.decode()
    assert "Status changed" in html
    assert "Active → Paused" in html
    assert "Alice Admin" in html
    assert "Parental &lt;leave&gt;" in html
    local = at.astimezone(zoneinfo.ZoneInfo("America/New_York")).isoformat()
    assert f'datetime="{local}"' in html


@pytest.mark.django_db
def test_mentees_do_not_see_which_mentors_declined(client, engagement, other_mentor, consultancy_admin):
    make_event(engagement=engagement, kind="mentor_declined", actor=other_mentor, detail="Too close to their CEO")
    client.force_login(engagement.mentee)
    assert "Too close to their CEO" not in client.get(_url(engagement)).content.decode()
    client.force_login(consultancy_admin)
    assert "Too close to their CEO" in client.get(_url(engagement)).content.decode()


def _grow(engagement, count, start):
    members = User.objects.bulk_create(
        build_user(
            email=f"member{start + index}@example.org",
            full_name=f"Member {start + index}",
            roles=("mentee",),
            password=None,
        )
        for index in range(count)
    )
    TeamMembership.objects.bulk_create(
        build_team_member(team=engagement.team, user=member, title=f"Title {index}")
        for index, member in enumerate(members)
    )
    IntakeResponse.objects.bulk_create(
        build_intake(engagement=engagement, mentee=member, own_goals="g", commitment=3, wants_from_mentor="w")
        for member in members
    )
    EngagementEvent.objects.bulk_create(
        EngagementEvent(engagement=engagement, kind="intake_submitted", actor=member) for member in members
    )


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["consultancy_admin", "mentor", "member"])
def test_query_count_does_not_grow_with_events_and_members(
    client, request, django_assert_num_queries, team_engagement, mentor_profile_factory, mentor, viewer
):
    mentor_profile_factory(user=mentor, focus=["leadership"])
    person = team_engagement.team.memberships.first().user if viewer == "member" else request.getfixturevalue(viewer)
    client.force_login(person)
    url = _url(team_engagement)
    client.get(url)  # warm up the session
    _grow(team_engagement, 1, 0)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _grow(team_engagement, 19, 1)
    with django_assert_num_queries(len(small)):
        response = client.get(url)
    assert len(response.context["members"]) == 23
    assert len(response.context["events"]) == 20
