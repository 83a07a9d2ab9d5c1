"""Who may open each engagement page, for GET and POST: outsiders get 404, wrong roles 403/404,
anonymous visitors are sent to sign in."""

import pytest
from django.urls import reverse

from mentorship.models import Engagement, EngagementEvent, IntakeResponse, OrganisationMember

ENGAGEMENT_VIEWS = [
    "overview:engagement-detail",
    "mentorship:engagement-edit",
    "mentorship:engagement-status",
    "mentorship:engagement-extend",
    "mentorship:engagement-intake",
]
ADMIN_ONLY = {"mentorship:engagement-edit", "mentorship:engagement-status", "mentorship:engagement-extend"}


def _url(name: str, engagement: Engagement) -> str:
    return reverse(name, kwargs={"engagement_uuid": engagement.uuid})


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ENGAGEMENT_VIEWS)
def test_anonymous_visitor_is_sent_to_sign_in(client, engagement, name, method):
    response = getattr(client, method)(_url(name, engagement))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ENGAGEMENT_VIEWS)
@pytest.mark.parametrize("outsider", ["outsider_mentee", "other_mentor"])
def test_outsiders_get_404(client, request, engagement, name, method, outsider):
    client.force_login(request.getfixturevalue(outsider))
    assert getattr(client, method)(_url(name, engagement)).status_code == 404
    assert not EngagementEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(ADMIN_ONLY))
@pytest.mark.parametrize("person", ["mentee", "mentor"])
def test_the_engagements_own_people_cannot_manage_it(client, request, engagement, name, method, person):
    client.force_login(request.getfixturevalue(person))
    assert getattr(client, method)(_url(name, engagement), {"to_status": "cancelled"}).status_code == 404
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ACTIVE


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("person", ["mentor", "consultancy_admin"])
def test_mentor_and_admin_cannot_answer_the_intake(client, request, engagement, method, person):
    client.force_login(request.getfixturevalue(person))
    data = {"own_goals": "x", "commitment": "3", "wants_from_mentor": "y"}
    assert getattr(client, method)(_url("mentorship:engagement-intake", engagement), data).status_code == 403
    assert not IntakeResponse.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "person", "expected"),
    [
        ("overview:engagement-detail", "mentee", 200),
        ("overview:engagement-detail", "mentor", 200),
        ("overview:engagement-detail", "consultancy_admin", 200),
        ("mentorship:engagement-intake", "mentee", 200),
        ("mentorship:engagement-edit", "consultancy_admin", 200),
        ("mentorship:engagement-extend", "consultancy_admin", 200),
        ("mentorship:engagement-status", "consultancy_admin", 405),  # POST only
    ],
)
def test_allowed_people_open_the_page(client, request, engagement, name, person, expected):
    client.force_login(request.getfixturevalue(person))
    assert client.get(_url(name, engagement)).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["overview:engagement-detail", "mentorship:engagement-intake"])
def test_a_team_member_opens_the_team_engagement(client, team_engagement, name):
    member = team_engagement.team.memberships.first().user
    client.force_login(member)
    assert client.get(_url(name, team_engagement)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ["overview:engagement-detail", "mentorship:engagement-intake"])
def test_a_colleague_outside_the_team_gets_404(client, team_engagement, mentee, organisation, name, method):
    assert OrganisationMember.objects.get(user=mentee).organisation == organisation  # same organisation
    client.force_login(mentee)
    assert getattr(client, method)(_url(name, team_engagement)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_sign_in_from_list_and_create(client, method):
    for name in ["engagement-list", "engagement-create"]:
        response = getattr(client, method)(reverse(f"mentorship:{name}"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("person", ["mentee", "mentor", "outsider_mentee", "other_mentor"])
def test_only_admins_open_an_engagement(client, request, person, method):
    client.force_login(request.getfixturevalue(person))
    assert getattr(client, method)(reverse("mentorship:engagement-create")).status_code == 403
    assert not Engagement.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("outsider", ["outsider_mentee", "other_mentor"])
def test_outsiders_do_not_see_the_engagement_in_the_list(client, request, engagement, outsider, method):
    client.force_login(request.getfixturevalue(outsider))
    response = getattr(client, method)(reverse("mentorship:engagement-list"))
    assert response.status_code == 200
    assert str(engagement.uuid) not in response.content.decode()
