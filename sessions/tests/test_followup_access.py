"""Who may open each action-item and feedback page, for GET and POST: outsiders get 404 on pages
bound to an engagement or session, people in the wrong role 403 (or 404 where the page is for
admins only), anonymous visitors sign in first — and a refused request changes nothing."""

import pytest
from django.urls import reverse

from demo.factories import make_assignment, make_member
from sessions.models import ActionItem, Feedback

ENGAGEMENT_VIEWS = [
    "action-items",
    "action-item-edit",
    "action-item-toggle",
    "action-item-delete",
    "engagement-feedback",
]
BOUND_VIEWS = [*ENGAGEMENT_VIEWS, "session-feedback"]
ALL_VIEWS = [*BOUND_VIEWS, "mentor-feedback", "my-feedback"]


@pytest.fixture
def world(engagement, held, mentor_item, mentor):
    return {"engagement": engagement, "session": held, "item": mentor_item, "mentor": mentor}


def _url(name: str, world: dict) -> str:
    if name in ("action-items", "engagement-feedback"):
        return reverse(f"mentoring_sessions:{name}", args=[world["engagement"].uuid])
    if name.startswith("action-item-"):
        return reverse(f"mentoring_sessions:{name}", args=[world["engagement"].uuid, world["item"].pk])
    if name == "session-feedback":
        return reverse("mentoring_sessions:session-feedback", args=[world["session"].uuid])
    if name == "mentor-feedback":
        return reverse("mentoring_sessions:mentor-feedback", args=[world["mentor"].pk])
    return reverse("mentoring_sessions:my-feedback")


DATA = {"text": "Changed by somebody", "done": "1", "usefulness": "5", "trust": "5", "comment": "x"}


def _unchanged(world: dict) -> bool:
    item = ActionItem.objects.get(pk=world["item"].pk)
    return (
        ActionItem.objects.count() == 1
        and item.text == world["item"].text
        and item.done_at is None
        and not Feedback.objects.exists()
    )


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ALL_VIEWS)
def test_anonymous_visitor_is_sent_to_sign_in(client, world, name, method):
    response = getattr(client, method)(_url(name, world), DATA)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert _unchanged(world)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", BOUND_VIEWS)
@pytest.mark.parametrize("outsider", ["outsider_mentee", "other_mentor"])
def test_outsiders_get_404(client, request, world, name, method, outsider):
    client.force_login(request.getfixturevalue(outsider))
    assert getattr(client, method)(_url(name, world), DATA).status_code == 404
    assert _unchanged(world)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", BOUND_VIEWS)
def test_a_colleague_of_the_mentee_gets_404(client, world, organisation, user_factory, name, method):
    colleague = user_factory(email="colleague@example.org", roles=("mentee",))
    make_member(organisation=organisation, user=colleague, title="CTO")
    client.force_login(colleague)
    assert getattr(client, method)(_url(name, world), DATA).status_code == 404
    assert _unchanged(world)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("name", "viewer", "expected"),
    [
        # Not the mentor's or mentee's business to read single ratings: admins only, others 404.
        ("engagement-feedback", "mentor", 404),
        ("engagement-feedback", "mentee", 404),
        ("mentor-feedback", "mentor", 403),
        ("mentor-feedback", "mentee", 403),
        ("mentor-feedback", "outsider_mentee", 403),
        ("mentor-feedback", "other_mentor", 403),
        ("my-feedback", "mentee", 403),
        ("my-feedback", "consultancy_admin", 403),
        ("my-feedback", "outsider_mentee", 403),
        # Feedback is the mentees' to give.
        ("session-feedback", "mentor", 403),
        ("session-feedback", "consultancy_admin", 403),
        # Only the mentor's item: the mentee may not edit or delete it.
        ("action-item-edit", "mentee", 403),
        ("action-item-delete", "mentee", 403),
    ],
)
def test_wrong_role_is_refused(client, request, world, name, viewer, expected, method):
    client.force_login(request.getfixturevalue(viewer))
    assert getattr(client, method)(_url(name, world), DATA).status_code == expected
    assert _unchanged(world)


@pytest.mark.parametrize("method", ["get", "post"])
def test_admin_cannot_mark_items_done(client, world, consultancy_admin, method):
    client.force_login(consultancy_admin)
    assert getattr(client, method)(_url("action-item-toggle", world), DATA).status_code == 403
    assert _unchanged(world)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ["action-items", "action-item-edit", "action-item-toggle", "action-item-delete"])
def test_a_mentor_only_asked_to_take_the_engagement_sees_no_action_items(client, world, other_mentor, name, method):
    make_assignment(engagement=world["engagement"], mentor=other_mentor, assigned_by=None)
    client.force_login(other_mentor)
    # They may open the engagement page (to decide), so the engagement is no secret: 403, not 404.
    assert getattr(client, method)(_url(name, world), DATA).status_code == 403
    assert _unchanged(world)


@pytest.mark.parametrize("name", ["action-item-toggle", "action-item-delete"])
def test_actions_refuse_get_for_people_who_may_use_them(client, world, mentor, name):
    client.force_login(mentor)
    assert client.get(_url(name, world)).status_code == 405
    assert _unchanged(world)


@pytest.mark.parametrize("name", ["engagement-feedback", "mentor-feedback"])
def test_admin_feedback_pages_are_read_only(client, world, consultancy_admin, name):
    client.force_login(consultancy_admin)
    assert client.get(_url(name, world)).status_code == 200
    assert client.post(_url(name, world), DATA).status_code == 405


@pytest.mark.parametrize(
    ("name", "viewer"),
    [
        ("action-items", "mentor"),
        ("action-items", "mentee"),
        ("action-items", "consultancy_admin"),
        ("action-item-edit", "mentor"),
        ("action-item-edit", "consultancy_admin"),
        ("session-feedback", "mentee"),
        ("engagement-feedback", "consultancy_admin"),
        ("mentor-feedback", "consultancy_admin"),
        ("my-feedback", "mentor"),
        ("my-feedback", "other_mentor"),
    ],
)
def test_the_right_people_open_the_page(client, request, world, name, viewer):
    client.force_login(request.getfixturevalue(viewer))
    assert client.get(_url(name, world)).status_code == 200


def test_an_item_of_another_engagement_is_404(
    client, world, mentor, outsider_engagement, item_factory, outsider_mentee
):
    other = item_factory(engagement=outsider_engagement, owner=outsider_mentee)
    client.force_login(mentor)
    url = reverse("mentoring_sessions:action-item-edit", args=[world["engagement"].uuid, other.pk])
    assert client.get(url).status_code == 404


def test_mentor_feedback_for_somebody_who_is_no_mentor_is_404(client, world, consultancy_admin, mentee):
    client.force_login(consultancy_admin)
    assert client.get(reverse("mentoring_sessions:mentor-feedback", args=[mentee.pk])).status_code == 404
    assert client.get(reverse("mentoring_sessions:mentor-feedback", args=[999999])).status_code == 404
