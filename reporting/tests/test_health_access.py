"""Who may open the health pages: consultancy admins only; GET only."""

import pytest
from django.urls import reverse

HEALTH_VIEWS = ["health-dashboard", "health-at-risk"]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", HEALTH_VIEWS)
def test_anonymous_visitor_is_sent_to_sign_in(client, name, method):
    response = getattr(client, method)(reverse(f"reporting:{name}"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", HEALTH_VIEWS)
@pytest.mark.parametrize("person", ["mentor", "other_mentor", "mentee", "outsider_mentee"])
def test_mentors_and_mentees_get_403(client, request, engagement, outsider_engagement, name, method, person):
    client.force_login(request.getfixturevalue(person))
    response = getattr(client, method)(reverse(f"reporting:{name}"))
    assert response.status_code == 403
    assert engagement.mentee.display_name not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", HEALTH_VIEWS)
def test_a_deactivated_admin_is_sent_to_sign_in(client, consultancy_admin, name):
    consultancy_admin.is_active = False
    consultancy_admin.save()
    client.force_login(consultancy_admin)
    response = client.get(reverse(f"reporting:{name}"))
    assert response.status_code in (302, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("name", HEALTH_VIEWS)
def test_admin_opens_the_page(client, consultancy_admin, engagement, name):
    client.force_login(consultancy_admin)
    response = client.get(reverse(f"reporting:{name}"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", HEALTH_VIEWS)
def test_admin_cannot_post(client, consultancy_admin, name):
    client.force_login(consultancy_admin)
    assert client.post(reverse(f"reporting:{name}")).status_code == 405
