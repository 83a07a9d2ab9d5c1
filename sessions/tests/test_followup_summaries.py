"""Feedback summaries: admins see every rating per engagement and per mentor; a mentor sees only
their own averages, from three ratings up, never a single rating, its author, comment or date."""

import re

import pytest
from django.urls import reverse

from mentorship.models import Engagement
from sessions.followup import services as followup

pytestmark = pytest.mark.clock

MY_URL = reverse("mentoring_sessions:my-feedback")


def _rated(engagement, held_session, rate, people, scores, *, comment="Secret words {i}"):
    """One held session per score, each rated by the next person in turn."""
    for index, (usefulness, trust) in enumerate(scores):
        session = held_session(engagement)
        rate(
            session=session,
            mentee=people[index % len(people)],
            usefulness=usefulness,
            trust=trust,
            comment=comment.format(i=index),
        )


def test_two_ratings_show_no_averages(client, engagement, held_session, rate, mentee, mentor):
    _rated(engagement, held_session, rate, [mentee], [(5, 5), (1, 2)])
    client.force_login(mentor)
    page = client.get(MY_URL).content.decode()
    assert "Not enough ratings yet" in page
    assert "3.0" not in page
    assert "Secret words" not in page
    assert mentee.display_name not in page
    summary = followup.mentor_own_averages(mentor)
    assert (summary["usefulness"], summary["trust"], summary["total"]) == (None, None, 2)


def test_three_ratings_show_averages_and_nothing_else(client, engagement, held_session, rate, mentee, mentor):
    _rated(engagement, held_session, rate, [mentee], [(5, 4), (4, 4), (3, 1)])
    client.force_login(mentor)
    response = client.get(MY_URL)
    page = response.content.decode()
    assert "Not enough ratings yet" not in page
    assert "<dd>4.0</dd>" in page  # usefulness (5 + 4 + 3) / 3
    assert "<dd>3.0</dd>" in page  # trust (4 + 4 + 1) / 3
    assert re.search(r"<dt>Ratings</dt>\s*<dd>\s*3\s*</dd>", page)
    # Never a single rating, its author, its comment or its session's date.
    assert "Secret words" not in page
    assert mentee.display_name not in page
    assert mentee.email not in page
    for session in engagement.sessions.all():
        assert session.start.strftime("%-d %b %Y") not in page
        assert str(session.uuid) not in page
    assert set(response.context["summary"]) == {"total", "counted", "usefulness", "trust"}


def test_averages_move_only_in_whole_groups_of_three(engagement, held_session, rate, mentee, mentor):
    """Otherwise the averages before and after one new rating give that rating away."""
    _rated(engagement, held_session, rate, [mentee], [(5, 5), (5, 5), (5, 5)])
    before = followup.mentor_own_averages(mentor)
    _rated(engagement, held_session, rate, [mentee], [(1, 1)])
    after_one = followup.mentor_own_averages(mentor)
    assert (after_one["usefulness"], after_one["trust"], after_one["counted"], after_one["total"]) == (
        before["usefulness"],
        before["trust"],
        3,
        4,
    )
    _rated(engagement, held_session, rate, [mentee], [(1, 1), (1, 1)])
    after_group = followup.mentor_own_averages(mentor)
    assert (after_group["usefulness"], after_group["counted"]) == (3.0, 6)


def test_a_mentor_sees_only_their_own_ratings(
    client, engagement, outsider_engagement, held_session, rate, mentee, outsider_mentee, other_mentor
):
    _rated(engagement, held_session, rate, [mentee], [(5, 5), (5, 5), (5, 5)])
    client.force_login(other_mentor)
    assert "Not enough ratings yet" in client.get(MY_URL).content.decode()
    _rated(outsider_engagement, held_session, rate, [outsider_mentee], [(2, 2), (2, 2), (2, 2)])
    summary = followup.mentor_own_averages(other_mentor)
    assert (summary["usefulness"], summary["total"]) == (2.0, 3)


def test_my_feedback_in_constant_queries(
    client, engagement, held_session, rate, mentee, mentor, django_assert_num_queries
):
    client.force_login(mentor)
    _rated(engagement, held_session, rate, [mentee], [(4, 4)] * 3)
    client.get(MY_URL)
    with django_assert_num_queries(4):  # session, user, count, averages of the counted ratings
        client.get(MY_URL)
    _rated(engagement, held_session, rate, [mentee], [(3, 3)] * 12)
    with django_assert_num_queries(4):
        client.get(MY_URL)


# Admin pages ---------------------------------------------------------------------------------------


def test_admin_sees_every_rating_of_an_engagement(client, engagement, held_session, rate, mentee, consultancy_admin):
    _rated(engagement, held_session, rate, [mentee], [(5, 4), (2, 3)], comment="Comment {i}")
    client.force_login(consultancy_admin)
    response = client.get(reverse("mentoring_sessions:engagement-feedback", args=[engagement.uuid]))
    page = response.content.decode()
    assert "Comment 0" in page
    assert "Comment 1" in page
    assert mentee.display_name in page
    averages = response.context["averages"]
    assert (averages["usefulness"], averages["trust"], averages["count"]) == (3.5, 3.5, 2)
    for session in engagement.sessions.all():
        assert reverse("mentoring_sessions:session-detail", args=[session.uuid]) in page


def test_engagement_feedback_leaves_out_other_engagements(
    client, engagement, outsider_engagement, held_session, rate, mentee, outsider_mentee, consultancy_admin
):
    _rated(engagement, held_session, rate, [mentee], [(5, 5)], comment="Ours")
    _rated(outsider_engagement, held_session, rate, [outsider_mentee], [(1, 1)], comment="Theirs")
    client.force_login(consultancy_admin)
    page = client.get(reverse("mentoring_sessions:engagement-feedback", args=[engagement.uuid])).content.decode()
    assert "Ours" in page
    assert "Theirs" not in page


def test_admin_sees_a_mentor_per_engagement(
    client, engagement_factory, engagement, team_engagement, team, held_session, rate, mentee, mentor, consultancy_admin
):
    members = [membership.user for membership in team.memberships.all()]
    _rated(engagement, held_session, rate, [mentee], [(5, 5), (3, 3)], comment="Solo {i}")
    _rated(team_engagement, held_session, rate, members, [(2, 4), (4, 4), (3, 1)], comment="Team {i}")
    client.force_login(consultancy_admin)
    response = client.get(reverse("mentoring_sessions:mentor-feedback", args=[mentor.pk]))
    page = response.content.decode()
    breakdown = {row.pk: (row.usefulness, row.trust, row.count) for row in response.context["breakdown"]}
    assert breakdown == {engagement.pk: (4.0, 4.0, 2), team_engagement.pk: (3.0, 3.0, 3)}
    averages = response.context["averages"]
    assert (averages["usefulness"], averages["count"]) == (3.4, 5)
    for text in ("Solo 0", "Team 2", members[0].display_name, mentee.display_name):
        assert text in page
    assert reverse("mentoring_sessions:engagement-feedback", args=[team_engagement.uuid]) in page


def test_a_mentor_page_counts_only_that_mentors_sessions(
    client, engagement, held_session, rate, mentee, mentor, other_mentor, consultancy_admin
):
    """After a change of mentor, each mentor is rated for the sessions they led."""
    _rated(engagement, held_session, rate, [mentee], [(5, 5)], comment="Bob's session")
    Engagement.objects.filter(pk=engagement.pk).update(mentor=other_mentor)
    engagement.refresh_from_db()
    _rated(engagement, held_session, rate, [mentee], [(1, 1)], comment="Carol's session")
    client.force_login(consultancy_admin)
    response = client.get(reverse("mentoring_sessions:mentor-feedback", args=[mentor.pk]))
    assert "Bob&#x27;s session" in response.content.decode()
    assert "Carol&#x27;s session" not in response.content.decode()
    assert [row.count for row in response.context["breakdown"]] == [1]
    assert response.context["averages"]["usefulness"] == 5.0


@pytest.mark.parametrize(
    ("name", "queries"), [("engagement-feedback", 6), ("mentor-feedback", 7)]
)  # incl. two-factor check
def test_admin_pages_in_constant_queries(
    client,
    name,
    queries,
    engagement,
    team_engagement,
    team,
    held_session,
    rate,
    mentee,
    mentor,
    consultancy_admin,
    django_assert_num_queries,
):
    members = [membership.user for membership in team.memberships.all()]
    url = reverse(f"mentoring_sessions:{name}", args=[engagement.uuid if name == "engagement-feedback" else mentor.pk])
    client.force_login(consultancy_admin)
    _rated(engagement, held_session, rate, [mentee], [(4, 4)] * 2)
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _rated(engagement, held_session, rate, [mentee], [(3, 3)] * 10)
    _rated(team_engagement, held_session, rate, members, [(2, 2)] * 9)
    with django_assert_num_queries(queries):
        page = client.get(url)
    assert page.content.decode().count("<td>Team Member") == (9 if name == "mentor-feedback" else 0)
