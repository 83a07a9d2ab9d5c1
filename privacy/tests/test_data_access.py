"""Who may open the own-data pages: every view, GET and POST, every role."""

import pytest
from django.urls import reverse

from accounts.models import DeletionRequest

PEOPLE = ["mentee", "outsider_mentee", "mentor", "other_mentor", "consultancy_admin"]


@pytest.fixture
def open_request(mentee):
    return DeletionRequest.objects.create(user=mentee, email=mentee.email, full_name=mentee.full_name)


def _urls(open_request) -> dict[str, str]:
    return {
        "data-export": reverse("privacy:data-export"),
        "notes-export": reverse("privacy:notes-export"),
        "deletion-request": reverse("privacy:deletion-request"),
        "deletion-request-list": reverse("privacy:deletion-request-list"),
        "deletion-complete": reverse("privacy:deletion-complete", args=[open_request.pk]),
    }


@pytest.mark.parametrize(
    "name", ["data-export", "notes-export", "deletion-request", "deletion-request-list", "deletion-complete"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_login(client, open_request, name, method):
    response = getattr(client, method)(_urls(open_request)[name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    open_request.refresh_from_db()
    assert open_request.completed_at is None


# (view, method) → the status each person gets. 302 is a redirect after a successful POST.
EXPECTED = {
    ("data-export", "get"): dict.fromkeys(PEOPLE, 405),
    ("data-export", "post"): dict.fromkeys(PEOPLE, 200),
    ("notes-export", "get"): {**dict.fromkeys(PEOPLE, 403), "mentor": 405, "other_mentor": 405},
    ("notes-export", "post"): {**dict.fromkeys(PEOPLE, 403), "mentor": 200, "other_mentor": 200},
    ("deletion-request-list", "get"): {**dict.fromkeys(PEOPLE, 403), "consultancy_admin": 200},
    ("deletion-request-list", "post"): {**dict.fromkeys(PEOPLE, 403), "consultancy_admin": 405},
    ("deletion-complete", "get"): {**dict.fromkeys(PEOPLE, 403), "consultancy_admin": 200},
    # Without the confirmation box the admin gets the form back; nobody else gets anywhere.
    ("deletion-complete", "post"): {**dict.fromkeys(PEOPLE, 403), "consultancy_admin": 200},
}


@pytest.mark.parametrize(("name", "method"), list(EXPECTED))
@pytest.mark.parametrize("person", PEOPLE)
def test_each_role_gets_the_expected_status(request, client, open_request, name, method, person):
    user = request.getfixturevalue(person)
    client.force_login(user)
    response = getattr(client, method)(_urls(open_request)[name])
    assert response.status_code == EXPECTED[(name, method)][person]
    open_request.refresh_from_db()
    assert open_request.completed_at is None


@pytest.mark.parametrize("person", PEOPLE)
def test_every_signed_in_person_may_ask_for_deletion_of_their_own_data(request, client, person):
    user = request.getfixturevalue(person)
    client.force_login(user)
    assert client.get(reverse("privacy:deletion-request")).status_code == 200
    response = client.post(reverse("privacy:deletion-request"), {"confirm": "on"})
    assert response.status_code == 302
    assert DeletionRequest.objects.get(completed_at__isnull=True, user=user).email == user.email


@pytest.mark.parametrize("person", ["mentee", "mentor", "outsider_mentee"])
def test_nobody_but_an_admin_can_complete_a_deletion(request, client, open_request, person):
    client.force_login(request.getfixturevalue(person))
    response = client.post(reverse("privacy:deletion-complete", args=[open_request.pk]), {"confirm": "on"})
    assert response.status_code == 403
    open_request.refresh_from_db()
    assert open_request.completed_at is None
    assert open_request.user.is_active


def test_the_person_who_asked_cannot_complete_their_own_request(client, mentee, open_request):
    client.force_login(mentee)
    response = client.post(reverse("privacy:deletion-complete", args=[open_request.pk]), {"confirm": "on"})
    assert response.status_code == 403
    mentee.refresh_from_db()
    assert mentee.is_active


def test_an_unknown_request_is_a_404_for_admins(client, consultancy_admin):
    client.force_login(consultancy_admin)
    assert client.get(reverse("privacy:deletion-complete", args=[999999])).status_code == 404
    assert client.post(reverse("privacy:deletion-complete", args=[999999]), {"confirm": "on"}).status_code == 404


def test_an_inactive_admin_is_refused(client, consultancy_admin, open_request):
    client.force_login(consultancy_admin)
    consultancy_admin.is_active = False
    consultancy_admin.save()
    response = client.post(reverse("privacy:deletion-complete", args=[open_request.pk]), {"confirm": "on"})
    assert response.status_code in (302, 403)
    open_request.refresh_from_db()
    assert open_request.completed_at is None
