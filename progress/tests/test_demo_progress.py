"""The demo's development plans: Erik's three goals with check-ins and the mentor's view, some
shared, some not, one withdrawn; the leadership team's goals, the team goal shared by Maria."""

import pytest
from django.core.management import call_command

from accounts.models import User
from mentorship.models import Engagement
from progress.models import AuthorRole, CheckIn, ConsentState, Goal
from progress.sharing import shared_progress


@pytest.fixture
def seeded(settings, db):
    settings.DEBUG = True
    call_command("seed_demo")


def test_eriks_plan_shares_some_items_keeps_others_and_has_one_withdrawn(seeded):
    engagement = Engagement.objects.get(mentee__email="mentee@example.com")
    goals = {goal.title: goal for goal in Goal.objects.filter(engagement=engagement)}

    assert len(goals) == 3
    assert {goal.title_consent for goal in goals.values()} == {ConsentState.SHARED, ConsentState.WITHDRAWN}
    assert CheckIn.objects.filter(engagement=engagement, author_role=AuthorRole.MENTOR).exists()
    shared = shared_progress([engagement])[engagement.pk]
    assert [(goal.title, bool(goal.ratings)) for goal in shared.goals] == [
        ("Lead the warehouse team through the move to the new terminal", True),
        ("Build trust with the night shift", False),
    ]
    assert len(shared.statements) == 1


def test_the_team_has_team_goals_and_a_members_own_goal(seeded):
    engagement = Engagement.objects.get(team__isnull=False, status="active")
    karin = User.objects.get(email="karin.alm@example.com")

    assert Goal.objects.filter(engagement=engagement, member__isnull=True).count() == 2
    assert Goal.objects.filter(engagement=engagement, member=karin).count() == 1
    (shared,) = shared_progress([engagement])[engagement.pk].goals
    assert shared.member_name is None
    assert shared.ratings
