"""Feedback summaries: admins see every rating per engagement and per mentor; a mentor sees only
their own averages, over ratings from at least three different people (never three ratings of
one), never a single rating, its author, comment or date."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from demo.factories import make_member
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


@pytest.fixture
def mentees_of(mentor, organisation, user_factory, engagement_factory):
    """mentees_of(n): n more engagements of `mentor`, each with its own mentee: [(engagement, mentee)]."""

    def make(count: int):
        pairs = []
        for index in range(count):
            person = user_factory(email=f"rater{index}@example.org", roles=("mentee",), full_name=f"Rater {index}")
            make_member(organisation=organisation, user=person)
            pairs.append((engagement_factory(mentee=person, mentor=mentor, status=Engagement.Status.ACTIVE), person))
        return pairs

    return make


@pytest.mark.parametrize("raters", [1, 2])
def test_fewer_than_three_people_show_nothing_however_many_ratings(
    client, held_session, rate, mentees_of, mentor, raters
):
    pairs = mentees_of(raters)
    for _round in range(9):  # many ratings each: 9 or 18 in all
        for engagement, person in pairs:
            _rated(engagement, held_session, rate, [person], [(5, 1)])
    summary = followup.mentor_own_averages(mentor)
    assert (summary["usefulness"], summary["trust"], summary["counted"], summary["total"]) == (
        None,
        None,
        0,
        9 * raters,
    )
    client.force_login(mentor)
    page = client.get(MY_URL).content.decode()
    assert "No averages yet: fewer than 3 different people have rated your sessions." in page
    assert "an average could give away what one person thinks" in page
    assert "5.0" not in page
    assert "1.0" not in page


def test_three_people_with_many_ratings_each_show_averages_over_all_three(
    client, held_session, rate, mentees_of, mentor
):
    pairs = mentees_of(3)
    scores = {0: (5, 5), 1: (3, 3), 2: (1, 2)}
    for _round in range(5):
        for index, (engagement, person) in enumerate(pairs):
            _rated(engagement, held_session, rate, [person], [scores[index]])
    summary = followup.mentor_own_averages(mentor)
    assert (summary["usefulness"], summary["trust"], summary["counted"], summary["total"]) == (
        3.0,
        pytest.approx(10 / 3),
        15,
        15,
    )
    client.force_login(mentor)
    page = client.get(MY_URL).content.decode()
    assert "<dd>3.0</dd>" in page
    assert "<dd>3.3</dd>" in page
    assert "No averages yet" not in page


def test_one_persons_ratings_after_three_people_wait_for_two_more_people(held_session, rate, mentees_of, mentor):
    """Three ratings from one mentee would otherwise move the average by exactly their own."""
    (first, a), (second, b), (third, c) = mentees_of(3)
    _rated(first, held_session, rate, [a], [(4, 4)])
    _rated(second, held_session, rate, [b], [(4, 4)])
    _rated(third, held_session, rate, [c], [(4, 4)])
    before = followup.mentor_own_averages(mentor)
    _rated(first, held_session, rate, [a], [(1, 1)] * 5)  # a's trust falls: the mentor must not see it
    after = followup.mentor_own_averages(mentor)
    assert (after["usefulness"], after["trust"], after["counted"], after["total"]) == (4.0, 4.0, 3, 8)
    assert after["usefulness"] == before["usefulness"]
    _rated(second, held_session, rate, [b], [(4, 4)])
    assert followup.mentor_own_averages(mentor)["counted"] == 3  # two people since: still waiting
    _rated(third, held_session, rate, [c], [(4, 4)])
    closed = followup.mentor_own_averages(mentor)
    assert (closed["counted"], closed["usefulness"]) == (10, pytest.approx((3 * 4 + 5 * 1 + 2 * 4) / 10))


def test_people_count_across_the_mentors_engagements_and_teams(
    team_engagement, held_session, rate, mentor, mentee, engagement
):
    members = list(User.objects.filter(team_memberships__team=team_engagement.team).order_by("pk"))[:2]
    assert len(members) == 2
    _rated(engagement, held_session, rate, [mentee], [(2, 2)])
    _rated(team_engagement, held_session, rate, members, [(4, 4), (3, 3)])
    summary = followup.mentor_own_averages(mentor)
    assert (summary["usefulness"], summary["counted"]) == (3.0, 3)


@pytest.mark.parametrize(
    ("raters", "counted"),
    [
        ([], 0),
        ([1, 1, 1, 1], 0),
        ([1, 2, 1, 2, 2], 0),
        ([1, 2, 3], 3),
        ([1, 1, 2, 2, 3, 3], 5),
        ([1, 2, 3, 1, 1, 1, 2], 3),
        ([1, 2, 3, 3, 2, 1], 6),
    ],
)
def test_counted_ratings_close_a_group_at_its_third_different_person(raters, counted):
    assert followup.counted_ratings(raters) == counted


def test_two_ratings_show_no_averages(client, engagement, held_session, rate, mentee, mentor):
    _rated(engagement, held_session, rate, [mentee], [(5, 5), (1, 2)])
    client.force_login(mentor)
    page = client.get(MY_URL).content.decode()
    assert "No averages yet" in page
    assert "3.0" not in page
    assert "Secret words" not in page
    assert mentee.display_name not in page
    summary = followup.mentor_own_averages(mentor)
    assert (summary["usefulness"], summary["trust"], summary["total"]) == (None, None, 2)


def test_three_peoples_ratings_show_averages_and_nothing_else(client, held_session, rate, mentees_of, mentor):
    pairs = mentees_of(3)
    for (engagement, person), score in zip(pairs, [(5, 4), (4, 4), (3, 1)], strict=True):
        _rated(engagement, held_session, rate, [person], [score])
    client.force_login(mentor)
    response = client.get(MY_URL)
    page = response.content.decode()
    assert "No averages yet" not in page
    assert "<dd>4.0</dd>" in page  # usefulness (5 + 4 + 3) / 3
    assert "<dd>3.0</dd>" in page  # trust (4 + 4 + 1) / 3
    assert re.search(r"<dt>Ratings</dt>\s*<dd>\s*3\s*</dd>", page)
    # Never a single rating, its author, its comment or its session's date.
    assert "Secret words" not in page
    for engagement, person in pairs:
        assert person.display_name not in page
        assert person.email not in page
        for session in engagement.sessions.all():
            assert session.start.strftime("%-d %b %Y") not in page
            assert str(session.uuid) not in page
    assert set(response.context["summary"]) == {"total", "counted", "usefulness", "trust"}


def test_the_waiting_ratings_are_explained(client, held_session, rate, mentees_of, mentor):
    pairs = mentees_of(3)
    for engagement, person in pairs:
        _rated(engagement, held_session, rate, [person], [(4, 4)])
    _rated(pairs[0][0], held_session, rate, [pairs[0][1]], [(1, 1)])
    client.force_login(mentor)
    page = client.get(MY_URL).content.decode()
    assert "3 of 4 — the newest count once at least 3 different people have rated since." in page


def test_a_mentor_sees_only_their_own_ratings(
    client, held_session, rate, mentees_of, outsider_engagement, outsider_mentee, other_mentor
):
    for engagement, person in mentees_of(3):
        _rated(engagement, held_session, rate, [person], [(5, 5)])
    client.force_login(other_mentor)
    assert "No averages yet" in client.get(MY_URL).content.decode()
    _rated(outsider_engagement, held_session, rate, [outsider_mentee], [(2, 2), (2, 2), (2, 2)])
    summary = followup.mentor_own_averages(other_mentor)
    assert (summary["usefulness"], summary["total"]) == (None, 3)  # one person: still nothing


def test_my_feedback_in_constant_queries(
    client, engagement, held_session, rate, mentee, mentor, django_assert_num_queries
):
    client.force_login(mentor)
    _rated(engagement, held_session, rate, [mentee], [(4, 4)] * 3)
    client.get(MY_URL)
    with django_assert_num_queries(3):  # session, user, the ratings' people and scores
        client.get(MY_URL)
    _rated(engagement, held_session, rate, [mentee], [(3, 3)] * 12)
    with django_assert_num_queries(3):
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


def test_the_reason_is_given_in_swedish(client, engagement, held_session, rate, mentee, mentor):
    mentor.language = "sv"
    mentor.save(update_fields=["language"])
    _rated(engagement, held_session, rate, [mentee], [(5, 5)] * 4)
    client.force_login(mentor)
    page = client.get(MY_URL).content.decode()
    assert "Inga medelvärden ännu: färre än 3 olika personer har betygsatt dina träffar." in page
    assert "bara över betyg från minst 3 olika personer" in page
