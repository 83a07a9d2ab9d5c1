"""Action items: who adds, edits, marks done and deletes them; bad input; double submits; the
engagement-page and home-page partials and their query counts."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.tests.helpers import messages_of
from demo.factories import make_assignment
from mentorship.models import Engagement, TeamMembership
from sessions.followup import services as followup
from sessions.models import ActionItem

pytestmark = pytest.mark.clock


def list_url(engagement) -> str:
    return reverse("mentoring_sessions:action-items", args=[engagement.uuid])


def item_url(name: str, item: ActionItem) -> str:
    return reverse(f"mentoring_sessions:{name}", args=[item.engagement.uuid, item.pk])


# Adding -----------------------------------------------------------------------------------------


def test_mentor_adds_an_item_for_the_mentee(client, engagement, mentor, mentee):
    client.force_login(mentor)
    response = client.post(
        list_url(engagement), {"text": "Book a talk with HR", "owner": mentee.pk, "due_date": "2027-01-15"}
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.text, item.owner, item.created_by, item.due_date) == (
        "Book a talk with HR",
        mentee,
        mentor,
        datetime.date(2027, 1, 15),
    )
    assert item.done_at is None


def test_admin_adds_an_item_for_the_mentor(client, engagement, consultancy_admin, mentor):
    client.force_login(consultancy_admin)
    assert client.post(list_url(engagement), {"text": "Send the reading list", "owner": mentor.pk}).status_code == 302
    assert ActionItem.objects.get().owner == mentor


def test_mentee_adds_their_own_item_and_cannot_pick_another_owner(client, engagement, mentee, mentor):
    client.force_login(mentee)
    page = client.get(list_url(engagement))
    assert 'name="owner"' not in page.content.decode()
    # A forged owner field is ignored: a mentee's step is their own.
    assert (
        client.post(list_url(engagement), {"text": "Write down my three goals", "owner": mentor.pk}).status_code == 302
    )
    item = ActionItem.objects.get()
    assert (item.owner, item.created_by) == (mentee, mentee)


def test_in_a_team_engagement_any_member_can_own_an_item(client, team_engagement, mentor, team):
    member = team.memberships.order_by("pk").last().user
    client.force_login(mentor)
    page = client.get(list_url(team_engagement)).content.decode()
    for membership in team.memberships.select_related("user"):
        assert membership.user.display_name in page
    assert client.post(list_url(team_engagement), {"text": "Agree on roles", "owner": member.pk}).status_code == 302
    assert ActionItem.objects.get().owner == member


def test_a_team_member_adds_their_own_item(client, team_engagement, team):
    member = team.memberships.first().user
    client.force_login(member)
    assert client.post(list_url(team_engagement), {"text": "Prepare the board memo"}).status_code == 302
    assert ActionItem.objects.get().owner == member


def test_an_owner_outside_the_engagement_is_refused(client, engagement, mentor, outsider_mentee, other_mentor):
    client.force_login(mentor)
    for stranger in (outsider_mentee, other_mentor):
        response = client.post(list_url(engagement), {"text": "Sneaky", "owner": stranger.pk})
        assert response.status_code == 200
        assert response.context["form"].errors["owner"]
    assert not ActionItem.objects.exists()


def test_the_service_refuses_an_owner_outside_the_engagement(engagement, mentor, outsider_mentee):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        followup.create_action_item(engagement=engagement, text="x", owner=outsider_mentee, created_by=mentor)
    assert refused.value.code == "owner"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 501}, "text"),
        ({"text": "ok", "due_date": "not a date"}, "due_date"),
        ({"text": "ok", "due_date": "2027-02-30"}, "due_date"),
        ({"text": "ok", "owner": "abc"}, "owner"),
        ({"text": "ok", "owner": ""}, "owner"),
    ],
)
def test_bad_input_is_refused_with_a_message(client, engagement, mentor, mentee, data, field):
    client.force_login(mentor)
    data = {"owner": mentee.pk, **data}
    response = client.post(list_url(engagement), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not ActionItem.objects.exists()


def test_text_of_500_characters_is_fine(client, engagement, mentor, mentee):
    client.force_login(mentor)
    assert client.post(list_url(engagement), {"text": "x" * 500, "owner": mentee.pk}).status_code == 302


def test_html_is_stored_as_given_and_shown_escaped(client, engagement, mentor, mentee):
    client.force_login(mentor)
    text = "<script>alert('x')</script> & <b>bold</b>"
    client.post(list_url(engagement), {"text": text, "owner": mentee.pk})
    assert ActionItem.objects.get().text == text
    client.force_login(mentee)
    page = client.get(list_url(engagement)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_a_double_submit_adds_one_item(client, engagement, mentor, mentee):
    client.force_login(mentor)
    data = {"text": "Book a talk with HR", "owner": mentee.pk, "due_date": "2027-01-15"}
    client.post(list_url(engagement), data)
    response = client.post(list_url(engagement), data, follow=True)
    assert ActionItem.objects.count() == 1
    assert "This action item is already on the list." in messages_of(response)


def test_the_same_step_may_come_back_once_the_first_is_done(engagement, mentor, mentee):
    first, _ = followup.create_action_item(engagement=engagement, text="Check in", owner=mentee, created_by=mentor)
    followup.set_action_item_done(item=first, done=True)
    second, created = followup.create_action_item(
        engagement=engagement, text="Check in", owner=mentee, created_by=mentor
    )
    assert created
    assert second.pk != first.pk


# Marking done -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["mentor", "mentee"])
def test_participants_mark_an_item_done_and_open_again(client, request, mentor_item, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(item_url("action-item-toggle", mentor_item), {"done": "1"}).status_code == 302
    mentor_item.refresh_from_db()
    assert mentor_item.done_at is not None
    assert client.post(item_url("action-item-toggle", mentor_item), {"done": "0"}).status_code == 302
    mentor_item.refresh_from_db()
    assert mentor_item.done_at is None


def test_any_team_member_marks_another_members_item_done(client, team_engagement, team, item_factory):
    first, second = [membership.user for membership in team.memberships.order_by("pk")[:2]]
    item = item_factory(engagement=team_engagement, owner=first)
    client.force_login(second)
    assert client.post(item_url("action-item-toggle", item), {"done": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.is_done


def test_marking_done_twice_keeps_the_first_time(client, mentor_item, mentee):
    client.force_login(mentee)
    client.post(item_url("action-item-toggle", mentor_item), {"done": "1"})
    mentor_item.refresh_from_db()
    first = mentor_item.done_at
    client.post(item_url("action-item-toggle", mentor_item), {"done": "1"})
    mentor_item.refresh_from_db()
    assert mentor_item.done_at == first


@pytest.mark.parametrize("value", ["", "yes", "2", "true"])
def test_a_malformed_toggle_changes_nothing(client, mentor_item, mentee, value):
    client.force_login(mentee)
    response = client.post(item_url("action-item-toggle", mentor_item), {"done": value}, follow=True)
    assert response.status_code == 200
    assert "Choose whether the item is done or open." in messages_of(response)
    mentor_item.refresh_from_db()
    assert mentor_item.done_at is None


def test_toggle_goes_back_to_a_local_page_only(client, mentor_item, mentee):
    client.force_login(mentee)
    response = client.post(item_url("action-item-toggle", mentor_item), {"done": "1", "next": "/"})
    assert response.url == "/"
    response = client.post(item_url("action-item-toggle", mentor_item), {"done": "0", "next": "https://evil.example/"})
    assert response.url == reverse("mentoring_sessions:action-items", args=[mentor_item.engagement.uuid])


# Editing and deleting ---------------------------------------------------------------------------


def test_mentor_edits_an_item_the_mentee_added(client, engagement, mentor, mentee, item_factory):
    item = item_factory(engagement=engagement, owner=mentee, created_by=mentee)
    client.force_login(mentor)
    response = client.post(item_url("action-item-edit", item), {"text": "Sharper", "owner": mentor.pk, "due_date": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.text, item.owner, item.due_date) == ("Sharper", mentor, None)


def test_mentee_edits_their_own_item_but_keeps_owning_it(client, engagement, mentor, mentee, item_factory):
    item = item_factory(engagement=engagement, owner=mentee, created_by=mentee)
    client.force_login(mentee)
    page = client.get(item_url("action-item-edit", item))
    assert page.context["form"].initial["text"] == item.text
    response = client.post(item_url("action-item-edit", item), {"text": "Mine, rephrased", "owner": mentor.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.text, item.owner) == ("Mine, rephrased", mentee)


def test_an_overlong_edit_is_refused(client, mentor_item, mentor, mentee):
    client.force_login(mentor)
    response = client.post(item_url("action-item-edit", mentor_item), {"text": "y" * 501, "owner": mentee.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    mentor_item.refresh_from_db()
    assert mentor_item.text == "Draft the hiring plan"


@pytest.mark.parametrize("who", ["mentor", "consultancy_admin"])
def test_creator_or_admin_deletes(client, request, mentor_item, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(item_url("action-item-delete", mentor_item)).status_code == 302
    assert not ActionItem.objects.exists()


def test_mentor_cannot_delete_an_item_an_admin_added(
    client, engagement, mentor, mentee, consultancy_admin, item_factory
):
    item = item_factory(engagement=engagement, owner=mentee, created_by=consultancy_admin)
    client.force_login(mentor)
    assert client.post(item_url("action-item-delete", item)).status_code == 403
    assert ActionItem.objects.filter(pk=item.pk).exists()


def test_deleting_twice_is_a_404_the_second_time(client, mentor_item, mentor):
    client.force_login(mentor)
    url = item_url("action-item-delete", mentor_item)
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 404


def test_the_list_shows_only_the_buttons_the_viewer_may_use(client, mentor_item, mentee):
    client.force_login(mentee)
    page = client.get(list_url(mentor_item.engagement)).content.decode()
    assert item_url("action-item-toggle", mentor_item) in page
    assert item_url("action-item-edit", mentor_item) not in page
    assert item_url("action-item-delete", mentor_item) not in page


# Reads: the list, the partials, query counts ----------------------------------------------------


def _fill(engagement, item_factory, owner, count: int, *, start: int = 0) -> None:
    today = timezone.localdate()
    for index in range(start, start + count):
        item = item_factory(
            engagement=engagement,
            owner=owner,
            text=f"Step {index}",
            due_date=today + datetime.timedelta(days=index - 2),
        )
        if index % 3 == 0:
            item.done_at = timezone.now()
            item.save()


@pytest.mark.parametrize(("who", "queries"), [("mentor", 6), ("mentee", 4)])
def test_list_page_queries_do_not_grow_with_items(
    client, request, engagement, mentee, item_factory, who, queries, django_assert_num_queries
):
    # Session, user, engagement, items; for the mentor the owner choices (rendered by the form).
    client.force_login(request.getfixturevalue(who))
    _fill(engagement, item_factory, mentee, 2)
    client.get(list_url(engagement))  # warm up
    with django_assert_num_queries(queries):
        assert client.get(list_url(engagement)).status_code == 200
    _fill(engagement, item_factory, mentee, 20, start=2)
    with django_assert_num_queries(queries):
        page = client.get(list_url(engagement))
    assert len(page.context["items"]) == 22


def test_open_items_for_the_engagement_in_one_query(
    engagement, item_factory, mentee, mentor, django_assert_num_queries
):
    _fill(engagement, item_factory, mentee, 3)
    with django_assert_num_queries(1):
        few = followup.open_action_items_for_engagement(engagement)
        [item.owner.display_name for item in few]
    _fill(engagement, item_factory, mentor, 15, start=3)
    with django_assert_num_queries(1):
        many = followup.open_action_items_for_engagement(engagement)
        [item.owner.display_name for item in many]
    assert all(item.done_at is None for item in many)
    assert len(many) > len(few)


def test_open_items_come_earliest_due_first_with_overdue_marked(engagement, item_factory, mentee):
    today = timezone.localdate()
    late = item_factory(engagement=engagement, owner=mentee, text="late", due_date=today - datetime.timedelta(days=1))
    undated = item_factory(engagement=engagement, owner=mentee, text="undated")
    soon = item_factory(engagement=engagement, owner=mentee, text="soon", due_date=today + datetime.timedelta(days=1))
    item_factory(engagement=engagement, owner=mentee, text="done", done_at=timezone.now())
    items = followup.open_action_items_for_engagement(engagement)
    assert [item.pk for item in items] == [late.pk, soon.pk, undated.pk]
    assert [item.is_overdue for item in items] == [True, False, False]


def _render(template: str, user, context: dict) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(template, {**context, "user": user}, request=request)


def test_engagement_partial_shows_open_items_to_participants_only(
    engagement, mentor_item, item_factory, mentee, mentor, other_mentor, consultancy_admin
):

    item_factory(engagement=engagement, owner=mentee, text="Already done", done_at=timezone.now())
    panel = followup.action_items_panel(viewer=mentee, engagement=engagement)
    html = _render("sessions/includes/open_action_items.html", mentee, {"action_items_panel": panel})
    assert "Draft the hiring plan" in html
    assert "Already done" not in html
    assert item_url("action-item-toggle", mentor_item) in html
    admin_html = _render(
        "sessions/includes/open_action_items.html",
        consultancy_admin,
        {"action_items_panel": followup.action_items_panel(viewer=consultancy_admin, engagement=engagement)},
    )
    assert "Draft the hiring plan" in admin_html
    assert item_url("action-item-toggle", mentor_item) not in admin_html  # admins do not tick items off
    make_assignment(engagement=engagement, mentor=other_mentor)
    assert followup.action_items_panel(viewer=other_mentor, engagement=engagement) is None
    assert _render("sessions/includes/open_action_items.html", other_mentor, {"action_items_panel": None}).strip() == ""


def test_engagement_panel_in_constant_queries(engagement, item_factory, mentee, mentor, django_assert_num_queries):
    _fill(engagement, item_factory, mentee, 2)
    with django_assert_num_queries(1):  # the items; the mentor needs no membership query
        followup.action_items_panel(viewer=mentor, engagement=engagement)
    _fill(engagement, item_factory, mentor, 12, start=2)
    with django_assert_num_queries(1):
        followup.action_items_panel(viewer=mentor, engagement=engagement)


def test_home_items_are_the_viewers_own_open_ones_across_engagements_overdue_first(
    engagement_factory, engagement, mentee, mentor, other_mentor, item_factory
):
    second = engagement_factory(mentee=mentee, mentor=other_mentor, status=Engagement.Status.ACTIVE)
    today = timezone.localdate()
    later = item_factory(engagement=engagement, owner=mentee, text="Later", due_date=today + datetime.timedelta(days=5))
    overdue = item_factory(
        engagement=second, owner=mentee, text="Overdue one", due_date=today - datetime.timedelta(days=3)
    )
    item_factory(engagement=engagement, owner=mentor, text="The mentor's")
    item_factory(engagement=engagement, owner=mentee, text="Done already", done_at=timezone.now())
    home = followup.open_action_items_for_owner(mentee)
    assert [item.pk for item in home["items"]] == [overdue.pk, later.pk]
    assert (home["overdue"], home["more"]) == (1, 0)
    html = _render("sessions/includes/home_action_items.html", mentee, {"home_action_items": home})
    assert "Overdue one" in html
    assert "Later" in html
    assert "The mentor&#x27;s" not in html
    assert "Done already" not in html
    assert "1 item is overdue." in html
    assert html.index("Overdue one") < html.index("Later")


def test_home_items_leave_out_engagements_the_owner_no_longer_sees(team_engagement, team, item_factory):
    member = team.memberships.first().user
    item_factory(engagement=team_engagement, owner=member)
    assert len(followup.open_action_items_for_owner(member)["items"]) == 1
    TeamMembership.objects.filter(team=team, user=member).delete()
    assert followup.open_action_items_for_owner(member)["items"] == []


def test_home_partial_shows_nothing_without_items(mentee):
    html = _render(
        "sessions/includes/home_action_items.html",
        mentee,
        {"home_action_items": followup.open_action_items_for_owner(mentee)},
    )
    assert html.strip() == ""


def test_home_items_in_constant_queries(engagement, item_factory, mentee, django_assert_num_queries):
    _fill(engagement, item_factory, mentee, 3)
    with django_assert_num_queries(2):
        few = followup.open_action_items_for_owner(mentee)
        _render("sessions/includes/home_action_items.html", mentee, {"home_action_items": few})
    _fill(engagement, item_factory, mentee, 30, start=3)
    with django_assert_num_queries(2):
        many = followup.open_action_items_for_owner(mentee)
        _render("sessions/includes/home_action_items.html", mentee, {"home_action_items": many})
    assert len(many["items"]) == followup.HOME_ACTION_ITEM_LIMIT
    assert many["more"] > 0
