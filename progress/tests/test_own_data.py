"""The development plan in a person's own data export, and gone when the person is erased (through
`accounts.signals`, which `privacy` sends)."""

import datetime

from demo import factories
from privacy.deletion import complete_deletion, request_deletion
from privacy.export import export_own_data
from progress.models import CheckIn, Goal, ProgressStatement


def test_the_export_carries_the_persons_goals_check_ins_and_statement(mentee, engagement):
    goal = factories.make_goal(engagement=engagement, title="Delegate", shared=("title",))
    area = engagement.focus_areas.get()
    factories.make_check_in(
        engagement=engagement, person=mentee, on=datetime.date(2026, 9, 1), goals={goal: 4}, clarity={area: 6}
    )
    factories.make_statement(engagement=engagement, text="Calmer now.", state="shared")

    progress = export_own_data(user=mentee)["progress"]

    assert progress["goals"][0]["title"] == "Delegate"
    assert progress["goals"][0]["title_shared_with_sponsor"] == "shared"
    assert progress["check_ins"][0]["goals"] == {"Delegate": 4}
    assert progress["check_ins"][0]["clarity"] == {area.name_en: 6}
    assert progress["progress_statements"][0]["text"] == "Calmer now."


def test_another_persons_plan_is_not_in_the_export(mentee, outsider_engagement, outsider_mentee):
    factories.make_goal(engagement=outsider_engagement, title="Not yours")
    factories.make_check_in(engagement=outsider_engagement, person=outsider_mentee)

    progress = export_own_data(user=mentee)["progress"]

    assert progress == {"goals": [], "check_ins": [], "progress_statements": []}


def test_erasing_a_team_member_removes_their_goal_check_ins_and_statement_not_the_teams(
    team_engagement, members, consultancy_admin
):
    team_goal = factories.make_goal(engagement=team_engagement, team_goal=True, title="One voice")
    factories.make_goal(engagement=team_engagement, member=members[0], title="Mine")
    factories.make_check_in(engagement=team_engagement, person=members[0], goals={team_goal: 5})
    factories.make_check_in(engagement=team_engagement, person=members[1], goals={team_goal: 7})
    factories.make_statement(engagement=team_engagement, mentee=members[0], state="shared")
    deletion, _created = request_deletion(user=members[0])

    complete_deletion(deletion_request=deletion, by=consultancy_admin)

    assert list(Goal.objects.values_list("title", flat=True)) == ["One voice"]
    assert list(CheckIn.objects.values_list("person", flat=True)) == [members[1].pk]
    assert not ProgressStatement.objects.exists()
