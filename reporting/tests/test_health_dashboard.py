"""The health selectors over real rows (explicit dates) and the dashboard and at-risk pages:
adherence, overdue, reviews, utilisation, feedback, the ranking, filters, escaping, and a
constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from demo.factories import (
    build_engagement,
    build_feedback,
    build_intake,
    build_session,
    make_feedback,
    make_intake,
    make_member,
    make_organisation,
    make_session,
)
from mentorship.models import Engagement, IntakeResponse
from reporting.health import dashboard, store
from reporting.health import selectors as health
from reporting.models import EngagementHealthRecord
from sessions.models import Feedback, MentoringSession, SessionStatus

pytestmark = pytest.mark.clock

D = datetime.date
UTC = datetime.UTC
NOW = datetime.datetime(2025, 6, 15, 12, tzinfo=UTC)
DASHBOARD = reverse("reporting:health-dashboard")
AT_RISK = reverse("reporting:health-at-risk")
OVERDUE = reverse("reporting:health-overdue")
REVIEWS = reverse("reporting:health-reviews")
EVIL = "<script>alert(1)</script>"


def _session(engagement, day, status=SessionStatus.COMPLETED, *, hour=10, booked_by=None, **fields):
    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=UTC)
    return make_session(
        engagement=engagement,
        start=start,
        minutes=120,
        status=status,
        booked_by=booked_by or engagement.mentor,
        **fields,
    )


@pytest.fixture
def scenario(engagement_factory, mentor_profile_factory, mentee, mentor, other_mentor, outsider_mentee, team):
    """Three active engagements and a paused one, seen on 15 June 2025.

    A (mentee, Bob): since 6 January; held 6 Jan, 20 Jan, 14 Feb (late), 28 Feb, 10 Apr (late),
      10 May; cancelled 1 Mar; no-show 24 Apr; feedback falls from 5 to 3 on usefulness.
    B (team, Bob): since 3 March, held 3 March only: overdue; planned end 1 July.
    C (outsider, Carol): since 2 June, asked for by a manager, commitment 2, a session booked.
    D (mentee, Bob): paused.
    """
    mentor_profile_factory(user=mentor, capacity=4)
    a = engagement_factory(
        mentee=mentee, mentor=mentor, status="active", start_date=D(2025, 1, 6), planned_end=D(2025, 12, 31)
    )
    for day in (D(2025, 1, 6), D(2025, 1, 20), D(2025, 2, 14), D(2025, 2, 28), D(2025, 4, 10), D(2025, 5, 10)):
        _session(a, day, booked_by=mentee)
    _session(a, D(2025, 3, 1), SessionStatus.CANCELLED, booked_by=mentee, cancelled_by=mentor)
    _session(a, D(2025, 4, 24), SessionStatus.NO_SHOW, booked_by=mentee)
    for day, usefulness, trust in [
        (D(2025, 1, 6), 5, 5),
        (D(2025, 1, 20), 5, 5),
        (D(2025, 4, 10), 3, 4),
        (D(2025, 5, 10), 3, 4),
    ]:
        make_feedback(session=a.sessions.get(start__date=day), mentee=mentee, usefulness=usefulness, trust=trust)
    b = engagement_factory(
        team=team,
        mentor=mentor,
        status="active",
        initiated_by="leadership_team",
        start_date=D(2025, 3, 3),
        planned_end=D(2025, 7, 1),
    )
    _session(b, D(2025, 3, 3))
    c = engagement_factory(
        mentee=outsider_mentee, mentor=other_mentor, status="active", initiated_by="manager", start_date=D(2025, 6, 2)
    )
    _session(c, D(2025, 6, 20), SessionStatus.CONFIRMED)
    make_intake(engagement=c, mentee=outsider_mentee, own_goals="x", commitment=2, wants_from_mentor="y")
    d = engagement_factory(mentee=mentee, mentor=mentor, status="paused", start_date=D(2025, 1, 6))
    return {"a": a, "b": b, "c": c, "d": d}


def _dashboard(now=NOW):
    return dashboard.dashboard(
        engagements=Engagement.objects.all(), mentors=User.objects.filter(is_mentor=True), now=now
    )


def _by_engagement(rows):
    return {row.engagement: row for row in rows}


# The selectors, on explicit dates -----------------------------------------------------------


@pytest.mark.django_db
def test_adherence_counts_sessions_held_within_their_due_window(scenario):
    data = _dashboard()
    assert (data.held, data.held_on_time) == (7, 5)
    assert data.adherence == pytest.approx(5 / 7)
    by_month = {month.month: (month.first, month.second) for month in data.adherence_by_month}
    assert by_month[D(2025, 1, 1)] == (2, 2)
    assert by_month[D(2025, 2, 1)] == (2, 1)
    assert by_month[D(2025, 3, 1)] == (1, 1)
    assert by_month[D(2025, 4, 1)] == (1, 0)
    assert by_month[D(2025, 5, 1)] == (1, 1)
    assert by_month[D(2025, 6, 1)] == (0, 0)
    assert data.months[0] == D(2024, 7, 1)


@pytest.mark.django_db
def test_sessions_per_month_split_held_from_cancelled_and_no_shows(scenario):
    by_month = {month.month: (month.first, month.second) for month in _dashboard().sessions_by_month}
    assert by_month[D(2025, 1, 1)] == (2, 0)
    assert by_month[D(2025, 3, 1)] == (1, 1)
    assert by_month[D(2025, 4, 1)] == (1, 1)
    assert by_month[D(2025, 6, 1)] == (0, 0)  # the booked session is still to come
    assert len(by_month) == 12


@pytest.mark.django_db
def test_active_engagements_by_phase(scenario):
    data = _dashboard()
    active = EngagementHealthRecord.objects.filter(is_active=True).values_list("engagement", flat=True)
    assert set(active) == {scenario["a"].pk, scenario["b"].pk, scenario["c"].pk}
    assert (data.counts["active"], data.counts["initial"], data.counts["steady"]) == (3, 1, 2)


@pytest.mark.django_db
def test_overdue_after_the_grace_period_only_when_nothing_is_booked(scenario):
    data = _dashboard()
    assert [(row.engagement, row.overdue_days) for row in data.overdue] == [(scenario["b"], 90)]
    # A's next session was due 10 June: 5 days late is within the grace period, 10 days is not.
    later = _dashboard(NOW + datetime.timedelta(days=5))
    assert _by_engagement(later.overdue)[scenario["a"]].overdue_days == 10
    assert scenario["c"] not in _by_engagement(later.overdue)  # booked


@pytest.mark.django_db
def test_reviews_coming_up_within_thirty_days(scenario):
    data = _dashboard()
    assert [row.engagement for row in data.reviews] == [scenario["b"]]
    assert data.reviews[0].days_to_planned_end == 16


@pytest.mark.django_db
def test_mentor_utilisation_counts_active_and_paused_against_capacity(scenario, mentor, other_mentor):
    utilisation = _dashboard().utilisation
    assert (utilisation.total, utilisation.over_capacity) == (2, 0)
    loads = {row.mentor: row for row in utilisation.mentors}
    assert (loads[mentor].active, loads[mentor].paused, loads[mentor].capacity) == (2, 1, 4)
    assert loads[mentor].share == 0.75
    assert (loads[other_mentor].load, loads[other_mentor].capacity, loads[other_mentor].share) == (1, None, None)


@pytest.mark.django_db
def test_feedback_averages(scenario):
    feedback = _dashboard().feedback
    assert feedback["count"] == 4
    assert float(feedback["usefulness"]) == 4.0
    assert float(feedback["trust"]) == 4.5


@pytest.mark.django_db
def test_at_risk_ranking_with_explained_signals(scenario):
    ranked = _dashboard().at_risk
    assert [row.engagement for row in ranked] == [scenario["c"], scenario["b"], scenario["a"]]
    signals = {row.engagement: {s.code: s.weight for s in row.signals} for row in ranked}
    assert signals[scenario["c"]] == {"manager_initiated": 2, "low_commitment": 2}
    assert signals[scenario["b"]] == {"overdue": 3}
    assert signals[scenario["a"]] == {"missed_sessions": 1, "falling_feedback": 2}
    assert [row.score for row in ranked] == [4, 3, 3]


@pytest.mark.django_db
def test_only_the_mentee_sides_late_cancellations_count(engagement_factory, mentee, mentor):
    engagement = engagement_factory(mentee=mentee, mentor=mentor, status="active", start_date=D(2025, 5, 1))
    late = {"status": SessionStatus.CANCELLED, "late_cancellation": True}
    _session(engagement, D(2025, 6, 1), booked_by=mentee, cancelled_by=mentee, **late)  # counts
    _session(  # the mentor's own late cancellation: does not count
        engagement, D(2025, 6, 2), booked_by=mentee, cancelled_by=mentor, cancelled_at=NOW.replace(day=1), **late
    )
    _session(  # recorded by the mentor once it had started ("cancelled late"): counts
        engagement, D(2025, 6, 3), booked_by=mentee, cancelled_by=mentor, cancelled_at=NOW, **late
    )
    _session(engagement, D(2025, 2, 1), booked_by=mentee, cancelled_by=mentee, **late)  # too long ago
    _session(engagement, D(2025, 6, 4), SessionStatus.CANCELLED, booked_by=mentee, cancelled_by=mentee)  # in time
    (row,) = health.engagement_health(Engagement.objects.all(), now=NOW)
    (missed,) = [signal for signal in row.signals if signal.code == "missed_sessions"]
    assert missed.weight == 2
    assert missed.reason.startswith("2 late cancellations by the mentee side")


@pytest.mark.django_db
def test_a_mentee_who_never_books_is_flagged(engagement_factory, mentee, mentor):
    engagement = engagement_factory(mentee=mentee, mentor=mentor, status="active", start_date=D(2025, 6, 1))
    _session(engagement, D(2025, 6, 2), booked_by=mentor)
    _session(engagement, D(2025, 6, 20), SessionStatus.CONFIRMED, booked_by=mentor)
    (row,) = health.engagement_health(Engagement.objects.all(), now=NOW)
    assert [signal.code for signal in row.signals] == ["never_books"]
    _session(engagement, D(2025, 6, 27), SessionStatus.CONFIRMED, booked_by=mentee)
    (row,) = health.engagement_health(Engagement.objects.all(), now=NOW)
    assert row.signals == []


@pytest.mark.django_db
def test_engagement_risk_for_one_engagement_page(scenario):
    assert dashboard.engagement_risk(scenario["b"], now=NOW).score == 3
    assert dashboard.engagement_risk(scenario["d"], now=NOW) is None  # paused


@pytest.mark.django_db
def test_home_summary_counts_for_admins_only(
    django_assert_num_queries, consultancy_admin, mentor, engagement, team_engagement
):
    store.refresh_due()  # as beat does every few minutes
    with django_assert_num_queries(2):  # nothing due to refresh, then one count
        summary = dashboard.home_summary_for(consultancy_admin)
    assert summary == {"at_risk": 2, "overdue": 2}  # the fixtures never met since 1 September 2026
    assert dashboard.home_summary_for(mentor) == {}
    html = render_to_string("reporting/includes/home_health.html", {"health_summary": summary})
    assert "2 at risk" in html
    assert "2 overdue" in html
    assert reverse("reporting:health-dashboard") in html


@pytest.mark.django_db
def test_engagement_page_partial_explains_the_score(engagement):
    html = render_to_string(
        "reporting/health/includes/engagement_risk.html", {"risk": dashboard.engagement_risk(engagement)}
    )
    assert "At-risk score 3" in html
    assert "+3 Due with nothing booked" in html
    assert "Next session due" in html
    assert render_to_string("reporting/health/includes/engagement_risk.html", {"risk": None}).strip() == ""


# The pages ---------------------------------------------------------------------------------


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
def test_dashboard_shows_every_section_with_links_and_charts(
    client, consultancy_admin, engagement, team_engagement, outsider_engagement
):
    client.force_login(consultancy_admin)
    response = client.get(DASHBOARD)
    html = response.content.decode()
    assert response.status_code == 200
    for heading in ("At a glance", "At risk", "Overdue", "Reviews coming up", "Sessions per month"):
        assert heading in html
    # The fixtures started on 1 September 2026 and never met: all overdue, all at risk.
    assert engagement.get_absolute_url() in html
    assert outsider_engagement.get_absolute_url() in html
    assert html.count("<svg ") == 3
    assert 'role="img"' in html
    assert html.count("<summary>Show as a table</summary>") == 3
    assert reverse("reporting:health-at-risk") in html
    assert "style=" not in html
    assert "<script>" not in html  # no inline scripts


@pytest.mark.django_db
def test_at_risk_page_ranks_and_links_each_engagement(
    client, consultancy_admin, engagement, team_engagement, outsider_engagement
):
    make_intake(
        engagement=outsider_engagement,
        mentee=outsider_engagement.mentee,
        own_goals="x",
        commitment=1,
        wants_from_mentor="y",
    )
    client.force_login(consultancy_admin)
    response = client.get(AT_RISK)
    rows = list(response.context["rows"])
    assert rows[0].engagement == outsider_engagement  # overdue and low commitment
    assert {row.engagement for row in rows} == {engagement, team_engagement, outsider_engagement}
    html = response.content.decode()
    for row in rows:
        assert row.engagement.get_absolute_url() in html
    assert "+3 Due with nothing booked" in html
    assert "+2 Low commitment at intake" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", [DASHBOARD, AT_RISK])
def test_organisation_filter_shows_only_that_organisations_engagements(
    client, consultancy_admin, engagement, team_engagement, outsider_engagement, organisation, url
):
    client.force_login(consultancy_admin)
    response = client.get(url, {"organisation": organisation.name[:5].lower()})
    rows = response.context["data"].overdue if url == DASHBOARD else response.context["rows"]
    assert {row.engagement for row in rows} == {engagement, team_engagement}
    assert outsider_engagement.get_absolute_url() not in response.content.decode()
    assert _messages(response) == []


@pytest.mark.django_db
def test_mentor_filter_narrows_engagements_and_utilisation(
    client, consultancy_admin, engagement, team_engagement, outsider_engagement, other_mentor
):
    client.force_login(consultancy_admin)
    data = client.get(DASHBOARD, {"mentor": "carol"}).context["data"]
    assert {row.engagement for row in data.overdue} == {outsider_engagement}
    assert [row.mentor for row in data.utilisation.mentors] == [other_mentor]


@pytest.mark.django_db
def test_team_filter(client, consultancy_admin, engagement, team_engagement, outsider_engagement, team):
    client.force_login(consultancy_admin)
    data = client.get(DASHBOARD, {"team": team.name}).context["data"]
    assert {row.engagement for row in data.overdue} == {team_engagement}
    assert [row.mentor for row in data.utilisation.mentors] == [team_engagement.mentor]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [DASHBOARD, AT_RISK])
@pytest.mark.parametrize(
    ("params", "ignored"),
    [
        ({"organisation": "x" * 101}, "Client organisation"),
        ({"mentor": "x" * 101}, "Mentor"),
        ({"team": "x\x00y"}, "Leadership team"),
        ({"team": "x" * 101, "page": "abc"}, "Leadership team"),
    ],
)
def test_bad_filter_values_are_ignored_with_a_message(
    client, consultancy_admin, engagement, team_engagement, outsider_engagement, url, params, ignored
):
    client.force_login(consultancy_admin)
    response = client.get(url, params)
    assert response.status_code == 200
    rows = response.context["data"].overdue if url == DASHBOARD else response.context["rows"]
    assert {row.engagement for row in rows} == {engagement, team_engagement, outsider_engagement}
    (message,) = _messages(response)
    assert ignored in message


@pytest.mark.django_db
@pytest.mark.parametrize("url", [DASHBOARD, AT_RISK])
def test_a_search_that_finds_nothing_shows_nothing(client, consultancy_admin, engagement, url):
    client.force_login(consultancy_admin)
    response = client.get(url, {"organisation": "no such client"})
    rows = response.context["data"].overdue if url == DASHBOARD else response.context["rows"]
    assert list(rows) == []
    assert _messages(response) == []


@pytest.mark.django_db
def test_a_mentee_is_no_mentor_to_search_for(client, consultancy_admin, engagement, mentee):
    client.force_login(consultancy_admin)
    data = client.get(DASHBOARD, {"mentor": mentee.email}).context["data"]
    assert data.counts["active"] == 0
    assert data.utilisation.mentors == []


@pytest.mark.django_db
def test_one_bad_filter_keeps_the_good_ones(
    client, consultancy_admin, engagement, team_engagement, outsider_engagement, other_organisation
):
    client.force_login(consultancy_admin)
    response = client.get(DASHBOARD, {"organisation": other_organisation.name, "mentor": "x" * 101})
    assert {row.engagement for row in response.context["data"].overdue} == {outsider_engagement}
    assert len(_messages(response)) == 1


@pytest.mark.django_db
def test_the_filters_are_search_inputs_not_lists_of_every_option(client, consultancy_admin, engagement):
    client.force_login(consultancy_admin)
    html = client.get(DASHBOARD).content.decode()
    assert "<option" not in html[html.index('class="card health-filters"') : html.index("</form>")]
    assert html.count('type="search"') == 3


@pytest.mark.django_db
def test_names_are_escaped_in_charts_tables_and_lists(
    client, consultancy_admin, user_factory, engagement_factory, mentor_profile_factory
):

    organisation = make_organisation(name=f"Org {EVIL}")
    evil_mentor = user_factory(email="evil.mentor@example.org", roles=("mentor",), full_name=EVIL)
    mentor_profile_factory(user=evil_mentor, capacity=2)
    evil_mentee = user_factory(email="evil.mentee@example.org", roles=("mentee",), full_name=f"Mentee {EVIL}")
    make_member(organisation=organisation, user=evil_mentee)
    engagement_factory(
        mentee=evil_mentee,
        mentor=evil_mentor,
        status="active",
        start_date=timezone.localdate() - datetime.timedelta(days=60),
    )
    client.force_login(consultancy_admin)
    for url in (DASHBOARD, AT_RISK):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html
        assert "Org &lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "Mentee &lt;script&gt;alert(1)&lt;/script&gt;" in html
    html = client.get(DASHBOARD).content.decode()
    svg = html[html.index('<svg class="chart chart-bars"') :]
    svg = svg[: svg.index("</svg>")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg  # in the tooltip, whole
    assert '<th scope="row">&lt;script&gt;alert(1)&lt;/script&gt;</th>' in html  # the table fallback


# Query counts ------------------------------------------------------------------------------


def _bulk(count: int, *, organisation, mentee, mentor, offset: int) -> None:
    """`count` active engagements, each with a held session (with feedback) and a no-show, and an
    intake answer; sessions three hours apart so none overlaps."""
    today = timezone.localdate()
    engagements = Engagement.objects.bulk_create(
        build_engagement(
            organisation=organisation,
            mentee=mentee,
            mentor=mentor,
            status=Engagement.Status.ACTIVE,
            initiated_by="manager" if index % 2 else "mentee",
            goals="Goals",
            start_date=today - datetime.timedelta(days=300),
            planned_end=today + datetime.timedelta(days=index % 60),
        )
        for index in range(count)
    )
    base = timezone.now() - datetime.timedelta(days=290)
    sessions = []
    for index, engagement in enumerate(engagements):
        for slot, status in ((0, SessionStatus.COMPLETED), (1, SessionStatus.NO_SHOW)):
            start = base + datetime.timedelta(hours=3 * (2 * (offset + index) + slot))
            sessions.append(
                build_session(
                    engagement=engagement,
                    start=start,
                    end=start + datetime.timedelta(hours=2),
                    status=status,
                    booked_by=mentee,
                )
            )
    MentoringSession.objects.bulk_create(sessions)
    Feedback.objects.bulk_create(
        build_feedback(session=session, mentee=mentee, usefulness=1 + index % 5, trust=5)
        for index, session in enumerate(sessions)
        if session.status == SessionStatus.COMPLETED
    )
    IntakeResponse.objects.bulk_create(
        build_intake(
            engagement=engagement, mentee=mentee, own_goals="g", commitment=1 + index % 5, wants_from_mentor="w"
        )
        for index, engagement in enumerate(engagements)
    )


@pytest.mark.once
@pytest.mark.django_db
@pytest.mark.parametrize("url", [DASHBOARD, AT_RISK, OVERDUE, REVIEWS])
@pytest.mark.parametrize("filtered", [False, True])
def test_same_number_of_queries_with_10_and_1000_engagements(
    client,
    django_assert_num_queries,
    consultancy_admin,
    mentee,
    mentor,
    organisation,
    mentor_profile_factory,
    url,
    filtered,
):
    mentor_profile_factory(user=mentor, capacity=10)
    params = {"organisation": organisation.name, "mentor": mentor.email} if filtered else {}
    client.force_login(consultancy_admin)
    client.get(url)  # warm up the session
    _bulk(10, organisation=organisation, mentee=mentee, mentor=mentor, offset=0)
    store.rebuild()  # bulk inserts send no signals
    with CaptureQueriesContext(connection) as small:
        small_page = client.get(url, params)
    _bulk(990, organisation=organisation, mentee=mentee, mentor=mentor, offset=10)
    store.rebuild()
    with django_assert_num_queries(len(small)):
        big_page = client.get(url, params)
    if url == DASHBOARD:
        assert small_page.context["data"].counts["active"] == 10
        assert big_page.context["data"].counts["active"] == 1000
        assert len(big_page.context["data"].overdue) == dashboard.LIST_LIMIT
        assert big_page.context["data"].held == 1000
    elif url == AT_RISK:
        assert small_page.context["page"].paginator.count == 10
        assert big_page.context["page"].paginator.count == 1000
    else:  # a full page of the longer list
        assert len(big_page.context["rows"]) > len(small_page.context["rows"])
