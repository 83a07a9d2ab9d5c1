"""Who may open the review, the exports and the sponsor reports, for GET and POST: anonymous
visitors sign in first; mentees and mentors (the engagement's own included) and people of other
organisations get 403 or 404; only consultancy admins get in. Refusals leave no trace."""

import pytest
from django.urls import reverse

from mentorship.models import AuditEntry, Engagement, EngagementEvent

pytestmark = pytest.mark.django_db

ROLE_GATED = ["reports", "export-engagements", "export-sessions"]  # no object: 403 for a wrong role
ORGANISATION_VIEWS = ["report", "report-print"]  # the sponsor report (sponsors app): 404 for all but admins
ENGAGEMENT_VIEWS = ["engagement-review"]
ALL_VIEWS = ROLE_GATED + ORGANISATION_VIEWS + ENGAGEMENT_VIEWS
NOT_ADMINS = ["mentee", "mentor", "other_mentor", "outsider_mentee"]


def _url(name: str, engagement: Engagement) -> str:
    if name in ORGANISATION_VIEWS:
        return reverse(f"sponsors:{name}", args=[engagement.organisation.uuid])
    if name in ENGAGEMENT_VIEWS:
        return reverse(f"reporting:{name}", args=[engagement.uuid])
    return reverse(f"reporting:{name}")


def _nothing_happened(engagement: Engagement) -> None:
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ACTIVE
    assert not EngagementEvent.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ALL_VIEWS)
def test_anonymous_visitor_is_sent_to_sign_in(client, engagement, name, method):
    response = getattr(client, method)(_url(name, engagement))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    _nothing_happened(engagement)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ROLE_GATED)
@pytest.mark.parametrize("person", NOT_ADMINS)
def test_people_without_the_admin_role_get_403_for_reports_and_exports(
    client, request, engagement, name, method, person
):
    client.force_login(request.getfixturevalue(person))
    assert getattr(client, method)(_url(name, engagement)).status_code == 403
    _nothing_happened(engagement)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ORGANISATION_VIEWS + ENGAGEMENT_VIEWS)
@pytest.mark.parametrize("person", NOT_ADMINS)
def test_everybody_but_admins_gets_404_for_sponsor_reports_and_the_review(
    client, request, engagement, name, method, person
):
    client.force_login(request.getfixturevalue(person))
    data = {"decision": "complete", "complete-mentee_words": "x", "complete-mentor_words": "y"}
    assert getattr(client, method)(_url(name, engagement), data).status_code == 404
    _nothing_happened(engagement)


def test_the_sponsor_report_of_an_unknown_organisation_is_404(admin_client):
    url = reverse("sponsors:report", args=["00000000-0000-0000-0000-000000000000"])
    assert admin_client.get(url).status_code == 404


@pytest.fixture
def admin_client(client, consultancy_admin):
    client.force_login(consultancy_admin)
    return client


@pytest.mark.parametrize("name", ALL_VIEWS)
def test_admin_opens_every_page(admin_client, engagement, name):
    assert admin_client.get(_url(name, engagement)).status_code == 200


@pytest.mark.parametrize("name", ROLE_GATED + ORGANISATION_VIEWS)
def test_read_only_pages_refuse_post_from_an_admin(admin_client, engagement, name):
    assert admin_client.post(_url(name, engagement)).status_code == 405
    assert not AuditEntry.objects.exists()
