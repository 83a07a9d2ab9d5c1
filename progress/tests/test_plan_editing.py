"""Editing the development plan together: the mentee and the mentor add, change, archive and
restore goals; every change is kept with who, when, before and after, and shown on the plan page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from demo import factories
from progress.models import ConsentEvent, ConsentState, Goal, GoalEvent
from progress.plan import services as plan


def _plan_url(engagement, name="progress:plan", **kwargs):
    return reverse(name, kwargs={"engagement_uuid": engagement.uuid, **kwargs})


@pytest.mark.parametrize("person", ["mentee", "mentor"])
def test_the_mentee_and_the_mentor_add_a_goal_tied_to_a_focus_area(client, request, engagement, focus_areas, person):
    client.force_login(request.getfixturevalue(person))
    data = {"title": "Delegate the planning", "focus_area": focus_areas["leadership"].pk, "success": "I leave at five."}

    response = client.post(_plan_url(engagement, "progress:goal-add"), data)

    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.title, goal.focus_area.slug, goal.member, goal.success) == (
        "Delegate the planning",
        "leadership",
        engagement.mentee,
        "I leave at five.",
    )
    event = GoalEvent.objects.get()
    assert (event.kind, event.actor, event.after["title"]) == ("added", request.getfixturevalue(person), goal.title)


def test_a_focus_area_outside_the_engagement_is_refused(client, mentee, engagement, focus_areas):
    client.force_login(mentee)
    other = next(area for slug, area in focus_areas.items() if slug != "leadership")

    response = client.post(_plan_url(engagement, "progress:goal-add"), {"title": "X", "focus_area": other.pk})

    assert response.status_code == 200
    assert "Choose a focus area." in response.content.decode()
    assert not Goal.objects.exists()


def test_a_blank_title_is_refused_with_the_error_next_to_the_field(client, mentee, engagement, focus_areas):
    client.force_login(mentee)

    response = client.post(
        _plan_url(engagement, "progress:goal-add"), {"title": "", "focus_area": focus_areas["leadership"].pk}
    )

    html = response.content.decode()
    assert 'id="id_title_error"' in html
    assert "Write the goal first." in html
    assert not Goal.objects.exists()


def test_changes_keep_before_and_after_and_show_on_the_plan_page(client, mentee, mentor, engagement):
    goal = factories.make_goal(engagement=engagement, title="Say no more often")
    client.force_login(mentor)

    client.post(
        _plan_url(engagement, "progress:goal-edit", goal_pk=goal.pk),
        {"title": "Say no to side projects", "focus_area": goal.focus_area_id, "success": ""},
    )
    client.post(_plan_url(engagement, "progress:goal-archive", goal_pk=goal.pk), {"archive": "1"})

    changed = GoalEvent.objects.get(kind="changed")
    assert (changed.actor, changed.before["title"], changed.after["title"]) == (
        mentor,
        "Say no more often",
        "Say no to side projects",
    )
    assert GoalEvent.objects.filter(kind="archived").exists()
    client.force_login(mentee)
    html = client.get(_plan_url(engagement)).content.decode()
    assert "<del>Say no more often</del>" in html
    assert "<ins>Say no to side projects</ins>" in html
    assert "Archived goals" in html


def test_the_same_form_again_changes_nothing(mentee, engagement):
    goal = factories.make_goal(engagement=engagement, title="Same")

    assert not plan.change_goal(actor=mentee, goal=goal, title="Same", focus_area=goal.focus_area, success="")
    assert not plan.set_archived(actor=mentee, goal=goal, archived=False)
    assert not GoalEvent.objects.exists()


def test_changing_a_shared_goals_words_makes_it_private_until_shared_again(mentor, engagement):
    goal = factories.make_goal(engagement=engagement, title="Old words", shared=("title", "ratings"))

    plan.change_goal(actor=mentor, goal=goal, title="New words", focus_area=goal.focus_area, success="")

    goal.refresh_from_db()
    assert goal.title_consent == goal.ratings_consent == ConsentState.WITHDRAWN
    assert set(ConsentEvent.objects.values_list("action", flat=True)) == {"ended"}


def test_changing_only_what_success_looks_like_keeps_the_sharing(mentor, engagement):
    goal = factories.make_goal(engagement=engagement, shared=("title",))

    plan.change_goal(actor=mentor, goal=goal, title=goal.title, focus_area=goal.focus_area, success="Calmer weeks")

    goal.refresh_from_db()
    assert goal.title_consent == ConsentState.SHARED


def test_an_admin_reads_the_plan_but_does_not_edit_it(client, consultancy_admin, engagement, focus_areas):
    goal = factories.make_goal(engagement=engagement, title="Visible to the admin")
    client.force_login(consultancy_admin)

    assert "Visible to the admin" in client.get(_plan_url(engagement)).content.decode()
    add = client.post(
        _plan_url(engagement, "progress:goal-add"), {"title": "X", "focus_area": focus_areas["leadership"].pk}
    )
    edit = client.post(_plan_url(engagement, "progress:goal-edit", goal_pk=goal.pk), {"title": "Y"})
    assert (add.status_code, edit.status_code) == (403, 404)
    assert Goal.objects.get().title == "Visible to the admin"


def test_a_team_member_adds_team_goals_and_their_own_but_not_anothers(team_engagement, members, focus_areas):
    team_engagement.focus_areas.set([focus_areas["leadership"]])
    area = focus_areas["leadership"]

    team_goal = plan.add_goal(
        actor=members[0], engagement=team_engagement, title="One voice", focus_area=area, member=None
    )
    own = plan.add_goal(actor=members[0], engagement=team_engagement, title="Mine", focus_area=area, member=members[0])
    with pytest.raises(PermissionDenied):
        plan.add_goal(actor=members[0], engagement=team_engagement, title="Yours", focus_area=area, member=members[1])

    assert (team_goal.member, own.member) == (None, members[0])


def test_an_outsider_cannot_own_a_goal_of_the_team(team_engagement, mentor, outsider_mentee, focus_areas):
    team_engagement.focus_areas.set([focus_areas["leadership"]])

    with pytest.raises(ValidationError):
        plan.add_goal(
            actor=mentor,
            engagement=team_engagement,
            title="X",
            focus_area=focus_areas["leadership"],
            member=outsider_mentee,
        )


def test_the_mentee_writes_a_statement_and_new_words_end_its_sharing(client, mentee, engagement):
    client.force_login(mentee)
    client.post(_plan_url(engagement, "progress:statement"), {"text": "Calmer now."})
    statement = mentee.progress_statements.get()
    statement.shared_at = statement.updated_at
    statement.save()

    client.post(_plan_url(engagement, "progress:statement"), {"text": "Calmer, and I delegate."})

    statement.refresh_from_db()
    assert statement.text == "Calmer, and I delegate."
    assert statement.consent == ConsentState.WITHDRAWN


@pytest.mark.parametrize("person", ["mentor", "consultancy_admin"])
def test_only_the_mentee_writes_the_statement(client, request, engagement, person):
    client.force_login(request.getfixturevalue(person))

    assert client.post(_plan_url(engagement, "progress:statement"), {"text": "Not mine"}).status_code == 403
