"""The engagement list: scoped per person, filters for admins, a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.factories import build_engagement, build_organisation
from mentorship.models import Engagement, Organisation

LIST_URL = reverse("mentorship:engagement-list")


def _add_engagements(count, *, mentee, team, mentor):
    Engagement.objects.bulk_create(
        build_engagement(
            organisation=team.organisation,
            mentee=None if index % 2 else mentee,
            team=team if index % 2 else None,
            mentor=mentor if index % 3 else None,
            status=Engagement.Status.ACTIVE if index % 3 else Engagement.Status.PROPOSED,
            goals="Goals",
            start_date=datetime.date(2026, 1, 1),
            planned_end=datetime.date(2026, 7, 1),
        )
        for index in range(count)
    )


@pytest.mark.django_db
def test_admin_sees_every_engagement_with_its_columns(
    client, consultancy_admin, engagement, team_engagement, outsider_engagement, engagement_factory, mentee
):
    waiting = engagement_factory(mentee=mentee, goals="Waiting")
    client.force_login(consultancy_admin)
    response = client.get(LIST_URL)
    html = response.content.decode()
    assert set(response.context["engagements"]) == {engagement, team_engagement, outsider_engagement, waiting}
    assert "Dave Mentee" in html
    assert "Alder leadership team" in html
    assert "Erin Outsider" in html
    assert "Alder Freight AB" in html
    assert "Bob Mentor" in html
    assert "No mentor yet" in html
    assert 'class="table-scroll"' in html
    assert reverse("mentorship:engagement-create") in html


@pytest.mark.django_db
def test_mentor_sees_only_own_engagements(client, mentor, engagement, team_engagement, outsider_engagement):
    client.force_login(mentor)
    response = client.get(LIST_URL)
    assert set(response.context["engagements"]) == {engagement, team_engagement}
    assert "organisation" not in response.context["filters"].fields
    assert reverse("mentorship:engagement-create") not in response.content.decode()


@pytest.mark.django_db
def test_mentee_sees_own_and_team_engagements(client, engagement, team_engagement, outsider_engagement):
    member = team_engagement.team.memberships.first().user
    client.force_login(member)
    assert set(client.get(LIST_URL).context["engagements"]) == {team_engagement}
    client.force_login(engagement.mentee)
    assert set(client.get(LIST_URL).context["engagements"]) == {engagement}


@pytest.mark.django_db
def test_admin_filters_by_status_organisation_and_mentor(
    client,
    consultancy_admin,
    engagement,
    team_engagement,
    outsider_engagement,
    other_mentor,
    engagement_factory,
    mentee,
):
    proposed = engagement_factory(mentee=mentee)
    client.force_login(consultancy_admin)
    assert list(client.get(LIST_URL, {"status": "proposed"}).context["engagements"]) == [proposed]
    by_org = client.get(LIST_URL, {"organisation": "birch"})  # Birch Power AB, any case, part of it
    assert list(by_org.context["engagements"]) == [outsider_engagement]
    assert list(client.get(LIST_URL, {"mentor": "Carol"}).context["engagements"]) == [outsider_engagement]
    assert list(client.get(LIST_URL, {"mentor": "carol.mentor@"}).context["engagements"]) == [outsider_engagement]
    both = client.get(LIST_URL, {"status": "active", "organisation": "alder", "mentor": "bob"})
    assert set(both.context["engagements"]) == {engagement, team_engagement}
    assert list(client.get(LIST_URL, {"mentor": "nobody"}).context["engagements"]) == []


@pytest.mark.django_db
def test_the_filters_are_search_fields_not_thousands_of_options(
    client, consultancy_admin, engagement, bulk_mentors, organisation
):
    bulk_mentors(300, with_focus=False)
    Organisation.objects.bulk_create(build_organisation(name=f"Client {index} AB") for index in range(300))
    client.force_login(consultancy_admin)
    html = client.get(LIST_URL, {"mentor": "bob"}).content.decode()
    filters = html[html.index('<form method="get"') :].split("</form>")[0]
    assert filters.count("<option") == 1 + len(Engagement.Status.choices)  # the status choice only
    assert '<input type="search" name="mentor" value="bob"' in html
    assert 'aria-describedby="id_organisation_helptext"' in html


@pytest.mark.django_db
def test_a_mentee_cannot_filter_by_organisation_to_see_others(client, outsider_engagement, engagement):
    client.force_login(engagement.mentee)
    response = client.get(LIST_URL, {"organisation": "Birch", "mentor": "Carol"})
    assert list(response.context["engagements"]) == [engagement]
    assert "organisation" not in response.context["filters"].fields


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"status": "bogus"}, {"organisation": "%_"}, {"mentor": "x" * 500}, {"page": "z"}])
def test_bad_filters_do_not_break_the_page(client, consultancy_admin, engagement, params):
    client.force_login(consultancy_admin)
    assert client.get(LIST_URL, params).status_code == 200


@pytest.mark.django_db
def test_the_list_is_paged(client, consultancy_admin, mentee, team, mentor):
    _add_engagements(60, mentee=mentee, team=team, mentor=mentor)
    client.force_login(consultancy_admin)
    assert len(client.get(LIST_URL).context["engagements"]) == 50
    assert len(client.get(LIST_URL, {"page": 2}).context["engagements"]) == 10


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["consultancy_admin", "mentor", "mentee"])
def test_query_count_does_not_grow_with_engagements(
    client, request, django_assert_num_queries, mentee, team, mentor, viewer
):
    person = request.getfixturevalue(viewer)
    if viewer == "mentee":
        team.memberships.create(user=mentee, title="CTO")  # sees both individual and team engagements
    _add_engagements(10, mentee=mentee, team=team, mentor=mentor)
    client.force_login(person)
    client.get(LIST_URL)  # warm up the session
    with CaptureQueriesContext(connection) as small:
        small_page = client.get(LIST_URL, {"status": "active"})
    assert len(small_page.context["engagements"]) > 3
    _add_engagements(190, mentee=mentee, team=team, mentor=mentor)
    with django_assert_num_queries(len(small)):
        big_page = client.get(LIST_URL, {"status": "active"})
    assert len(big_page.context["engagements"]) == 50
