"""Consent item by item (and the plan page that shows it): private → shared → withdrawn → shared again, by the item's owner only,
at once, with a history and an audit entry; admins and mentors see the state and cannot change it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from demo import factories
from mentorship import audit
from mentorship.models import AuditEntry
from progress.consent import services as consent
from progress.models import ConsentEvent, ConsentState


def _goal_consent_url(goal):
    return reverse("progress:goal-consent", kwargs={"engagement_uuid": goal.engagement.uuid, "goal_pk": goal.pk})


def test_the_state_machine_of_one_item(mentee, engagement):
    goal = factories.make_goal(engagement=engagement)
    states = [goal.title_consent]
    for share in (True, True, False, False, True):
        goal = consent.set_goal_consent(actor=mentee, goal=goal, item="goal_title", share=share)
        states.append(goal.title_consent)

    assert states == ["private", "shared", "shared", "withdrawn", "withdrawn", "shared"]
    # Only real changes are recorded: a repeated share or withdrawal (a double submit) is not.
    assert list(ConsentEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "shared",
        "withdrawn",
        "shared",
    ]
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "actor")) == [
        ("consent_shared", mentee.pk),
        ("consent_withdrawn", mentee.pk),
        ("consent_shared", mentee.pk),
    ]


def test_the_audit_log_names_the_item_in_the_readers_language_and_never_its_words(mentee, engagement):
    goal = factories.make_goal(engagement=engagement, title="Delegate the weekly planning")
    consent.set_goal_consent(actor=mentee, goal=goal, item="goal_ratings", share=True)
    entry = AuditEntry.objects.get()
    assert (entry.target_type, entry.target_id) == ("mentorship.Engagement", str(engagement.pk))
    assert "Delegate" not in entry.target_label + str(entry.detail_params)
    with translation.override("en"):
        assert audit.describe(entry) == f"a goal's progress ratings, engagement of {engagement}"
        assert entry.get_action_display() == "Shared progress with the sponsor"
    with translation.override("sv"):
        assert audit.describe(entry) == f"ett måls framstegsbetyg, mentorskapet med {engagement}"


def test_the_mentee_shares_and_withdraws_from_the_plan_page(client, mentee, engagement):
    goal = factories.make_goal(engagement=engagement, title="Delegate")
    client.force_login(mentee)

    client.post(_goal_consent_url(goal), {"item": "goal_ratings", "share": "1"})
    goal.refresh_from_db()
    assert (goal.title_consent, goal.ratings_consent) == (ConsentState.PRIVATE, ConsentState.SHARED)

    client.post(_goal_consent_url(goal), {"item": "goal_ratings", "share": "0"})
    goal.refresh_from_db()
    assert goal.ratings_consent == ConsentState.WITHDRAWN


@pytest.mark.parametrize("person", ["mentor", "consultancy_admin"])
def test_mentors_and_admins_see_the_state_but_cannot_change_it(client, request, engagement, person):
    goal = factories.make_goal(engagement=engagement, title="Delegate", shared=("title",))
    statement = factories.make_statement(engagement=engagement, state="shared")
    client.force_login(request.getfixturevalue(person))

    html = client.get(reverse("progress:plan", args=[engagement.uuid])).content.decode()
    assert "Shared with the sponsor" in html
    assert _goal_consent_url(goal) not in html
    assert client.post(_goal_consent_url(goal), {"item": "goal_title", "share": "0"}).status_code == 403
    statement_url = reverse("progress:statement-consent", args=[engagement.uuid, statement.pk])
    assert client.post(statement_url, {"share": "0"}).status_code == 403
    goal.refresh_from_db()
    statement.refresh_from_db()
    assert (goal.title_consent, statement.consent) == (ConsentState.SHARED, ConsentState.SHARED)


def test_an_unknown_item_is_refused(client, mentee, engagement):
    goal = factories.make_goal(engagement=engagement)
    client.force_login(mentee)

    response = client.post(_goal_consent_url(goal), {"item": "notes", "share": "1"}, follow=True)

    assert "Choose what to share." in response.content.decode()
    assert not ConsentEvent.objects.exists()


def test_an_archived_goal_cannot_be_shared(mentee, engagement):
    goal = factories.make_goal(engagement=engagement, archived_at=engagement.created_at)

    with pytest.raises(ValidationError, match="archived"):
        consent.set_goal_consent(actor=mentee, goal=goal, item="goal_title", share=True)


class TestTeamConsent:
    def test_a_member_shares_their_own_goal_not_a_team_goal_nor_anothers(self, team_engagement, members):
        own = factories.make_goal(engagement=team_engagement, member=members[0])
        team_goal = factories.make_goal(engagement=team_engagement, team_goal=True)
        others = factories.make_goal(engagement=team_engagement, member=members[1])

        consent.set_goal_consent(actor=members[0], goal=own, item="goal_title", share=True)
        for goal in (team_goal, others):
            with pytest.raises(PermissionDenied):
                consent.set_goal_consent(actor=members[0], goal=goal, item="goal_title", share=True)

    def test_the_coordinator_shares_team_goals(self, team_engagement, members):
        team_engagement.coordinator = members[2]
        team_engagement.save()
        team_goal = factories.make_goal(engagement=team_engagement, team_goal=True)

        goal = consent.set_goal_consent(actor=members[2], goal=team_goal, item="goal_title", share=True)

        assert goal.title_consent == ConsentState.SHARED

    def test_without_a_coordinator_a_team_goal_stays_private_and_the_page_says_so(
        self, client, team_engagement, members
    ):
        factories.make_goal(engagement=team_engagement, team_goal=True, title="One voice")
        client.force_login(members[0])

        html = client.get(reverse("progress:plan", args=[team_engagement.uuid])).content.decode()

        assert "this team has none, so it stays private" in html

    def test_a_member_cannot_share_anothers_statement(self, client, team_engagement, members):
        statement = factories.make_statement(engagement=team_engagement, mentee=members[1])
        client.force_login(members[0])

        url = reverse("progress:statement-consent", args=[team_engagement.uuid, statement.pk])
        assert client.post(url, {"share": "1"}).status_code == 404
        statement.refresh_from_db()
        assert statement.consent == ConsentState.PRIVATE


def test_the_plan_page_reads_a_fixed_number_of_queries_however_many_goals(client, mentee, engagement):
    client.force_login(mentee)
    url = reverse("progress:plan", args=[engagement.uuid])
    factories.make_goal(engagement=engagement)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        factories.make_goal(engagement=engagement)
    with CaptureQueriesContext(connection) as six:
        client.get(url)

    assert len(six) == len(one)
