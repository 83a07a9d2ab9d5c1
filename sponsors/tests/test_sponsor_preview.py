""" "What your sponsor sees": the mentee's preview of the sponsor's page of their engagement,
built by the same function and template, with a banner; the mentee's own (or their team's)
engagement only."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _preview(engagement) -> str:
    return reverse("sponsors:preview", args=[engagement.uuid])


def test_the_mentee_sees_exactly_the_sponsors_page_with_a_banner(client, mentee, sponsor, engagement):
    client.force_login(mentee)
    preview = client.get(_preview(engagement))
    assert preview.status_code == 200
    assert "What your sponsor sees" in preview.content.decode()
    client.force_login(sponsor)
    page = client.get(reverse("sponsors:engagement", args=[engagement.uuid]))
    assert [t.name for t in preview.templates] == [t.name for t in page.templates]
    assert preview.context["row"] == page.context["row"]
    assert preview.context["is_preview"]
    assert not page.context["is_preview"]


def test_the_preview_offers_no_extension_button(client, mentee, engagement):
    client.force_login(mentee)
    content = client.get(_preview(engagement)).content.decode()
    assert reverse("sponsors:extension-request", args=[engagement.uuid]) not in content


def test_a_team_member_previews_their_team_engagement(client, members, team_engagement):
    client.force_login(members[0])
    assert client.get(_preview(team_engagement)).status_code == 200


def test_the_engagement_page_links_the_mentee_to_the_preview(client, mentee, engagement):
    client.force_login(mentee)
    content = client.get(reverse("overview:engagement-detail", args=[engagement.uuid])).content.decode()
    assert _preview(engagement) in content


def test_the_development_plan_links_its_mentee_to_the_preview_and_nobody_else(client, mentee, mentor, engagement):
    plan = reverse("progress:plan", args=[engagement.uuid])
    client.force_login(mentee)
    assert _preview(engagement) in client.get(plan).content.decode()
    client.force_login(mentor)
    assert _preview(engagement) not in client.get(plan).content.decode()


@pytest.mark.parametrize("person", ["mentor", "consultancy_admin", "outsider_mentee", "sponsor", "other_sponsor"])
def test_everybody_but_the_engagements_mentee_gets_404(client, request, engagement, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(_preview(engagement)).status_code == 404


def test_a_mentee_gets_404_for_someone_elses_engagement(client, mentee, outsider_engagement, team_engagement):
    client.force_login(mentee)
    assert client.get(_preview(outsider_engagement)).status_code == 404
    assert client.get(_preview(team_engagement)).status_code == 404  # not in that team


def test_anonymous_visitors_sign_in_first(client, engagement):
    response = client.get(_preview(engagement))
    assert response.status_code == 302
