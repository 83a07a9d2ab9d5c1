"""The sponsor report of one client organisation: sessions held and adherence per engagement in
a period, headline numbers, a printable view, an audit entry per view, no confidential text, a
constant number of queries, and bad period input answered with errors (never a 500)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.tests.helpers import local_today
from demo.factories import make_feedback, make_note, make_reflection
from mentorship.models import AuditEntry, Engagement
from sessions.models import NoteRevision, SessionStatus
from sponsors.sponsor_view import default_sponsor_period

pytestmark = [pytest.mark.clock, pytest.mark.django_db]

VIEWS = ["report", "report-print"]


@pytest.fixture
def admin_client(client, consultancy_admin):
    client.force_login(consultancy_admin)
    return client


def _url(organisation, name="report") -> str:
    return reverse(f"sponsors:{name}", args=[organisation.uuid])


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def world(engagement_factory, mentee, mentor, team, outsider_engagement, past_session):
    """At Alder: an individual engagement with three held sessions (one late), a team engagement
    with one, a proposed one and a cancelled one; at Birch: one engagement with a session."""
    individual = engagement_factory(
        mentee=mentee, mentor=mentor, status=Engagement.Status.ACTIVE, start_date=_days_ago(60)
    )
    # The kickoff is due on day 7 and on time within a week of it; day 12 is clear of that edge
    # at every test clock (a session at 23:50 in winter lands on the next day in summer time).
    past_session(individual, days_ago=48)  # day 12: on time
    past_session(individual, days_ago=32)  # day 28, due on day 26: on time
    past_session(individual, days_ago=5)  # day 55, due on day 42: late
    past_session(individual, days_ago=3, status=SessionStatus.NO_SHOW)
    team_engagement = engagement_factory(
        team=team, mentor=mentor, status=Engagement.Status.PAUSED, start_date=_days_ago(30)
    )
    past_session(team_engagement, days_ago=18)  # day 12: on time
    proposed = engagement_factory(mentee=mentee, start_date=_days_ago(10))
    cancelled = engagement_factory(
        mentee=mentee, mentor=mentor, status=Engagement.Status.CANCELLED, start_date=_days_ago(300)
    )
    past_session(outsider_engagement, days_ago=2)
    return {"individual": individual, "team": team_engagement, "proposed": proposed, "cancelled": cancelled}


def test_the_report_shows_held_sessions_and_adherence_per_engagement(admin_client, world, organisation):
    response = admin_client.get(_url(organisation))
    assert response.status_code == 200
    report = response.context["report"]
    rows = {row.engagement.pk: row for row in report.rows}
    assert set(rows) == {world["individual"].pk, world["team"].pk}  # never started, or cancelled: left out
    individual = rows[world["individual"].pk]
    assert (individual.held_in_period, individual.held_total, individual.adherence.percent) == (3, 3, 67)
    assert (rows[world["team"].pk].held_in_period, rows[world["team"].pk].adherence.percent) == (1, 100)
    assert (report.active_now, report.held_in_period, report.adherence.percent) == (1, 4, 75)
    content = response.content.decode()
    assert "Dave Mentee" in content
    assert "Alder leadership team" in content
    assert "67 %" in content
    assert "Erin Outsider" not in content  # another organisation's engagement


def test_the_period_narrows_the_counts(admin_client, world, organisation):
    params = {"date_from": _days_ago(40).isoformat(), "date_to": _days_ago(10).isoformat()}
    report = admin_client.get(_url(organisation), params).context["report"]
    rows = {row.engagement.pk: row for row in report.rows}
    assert (rows[world["individual"].pk].held_in_period, rows[world["individual"].pk].held_total) == (1, 3)
    assert rows[world["individual"].pk].adherence.percent == 100  # day 28 only: on time
    assert rows[world["team"].pk].held_in_period == 1
    assert report.held_in_period == 2


def test_a_cancelled_engagement_with_sessions_in_the_period_is_shown(admin_client, world, organisation, past_session):
    past_session(world["cancelled"], days_ago=100)
    report = admin_client.get(_url(organisation), {"date_from": _days_ago(120), "date_to": _days_ago(90)}).context[
        "report"
    ]
    assert world["cancelled"].pk in {row.engagement.pk for row in report.rows}


def test_an_engagement_that_started_after_the_period_is_left_out(admin_client, world, organisation):
    params = {"date_from": _days_ago(200).isoformat(), "date_to": _days_ago(100).isoformat()}
    report = admin_client.get(_url(organisation), params).context["report"]
    assert report.rows == []
    assert report.held_in_period == 0


def test_the_default_period_is_the_last_six_months(admin_client, consultancy_admin, organisation):
    response = admin_client.get(_url(organisation))
    today = local_today(consultancy_admin)
    assert response.context["report"].period == default_sponsor_period(today)
    assert response.context["report"].period.end == today


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "not-a-date", "date_to": "2026-01-01"},
        {"date_from": "2026-06-01", "date_to": "2026-05-01"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
        {"date_from": "2026-06-01"},
        {"date_to": "2026-02-30"},
    ],
)
@pytest.mark.parametrize("name", VIEWS)
def test_a_bad_period_shows_errors_and_falls_back_to_the_default(
    admin_client, consultancy_admin, world, organisation, params, name
):
    response = admin_client.get(_url(organisation, name), params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["report"].period == default_sponsor_period(local_today(consultancy_admin))
    if name == "report":
        assert "field-error" in response.content.decode()


@pytest.mark.parametrize("name", VIEWS)
def test_every_view_of_the_report_is_audited(admin_client, consultancy_admin, organisation, name):
    admin_client.get(_url(organisation, name), {"date_from": "2026-01-01", "date_to": "2026-06-30"})
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (consultancy_admin, "exported")
    assert (entry.target_type, entry.target_id) == ("mentorship.Organisation", str(organisation.pk))
    assert entry.target_label == "Sponsor report for Alder Freight AB, 2026-01-01–2026-06-30"


def test_the_printable_view_is_a_bare_page_with_the_same_report(admin_client, world, organisation):
    params = {"date_from": _days_ago(40).isoformat(), "date_to": _days_ago(10).isoformat()}
    page = admin_client.get(_url(organisation), params).content.decode()
    printable = admin_client.get(_url(organisation, "report-print"), params)
    content = printable.content.decode()
    assert printable.context["report"].held_in_period == 2
    assert 'class="report-print"' in content
    assert "css/app.css" in content
    assert "site-header" not in content
    assert "<form" not in content
    assert "<script" not in content
    assert "style=" not in content
    print_link = f"{_url(organisation, 'report-print')}?date_from={params['date_from']}&amp;date_to={params['date_to']}"
    assert f'href="{print_link}"' in page  # the printable view keeps the period


def test_the_report_names_the_contact_person(admin_client, organisation):
    organisation.contact_name = "Greta Sponsor"
    organisation.save()
    assert "Prepared for Greta Sponsor." in admin_client.get(_url(organisation)).content.decode()


SECRETS = ["PRIVATE-NOTE-51ab", "SHARED-NOTE-51ab", "OLD-NOTE-51ab", "REFLECTION-51ab", "FEEDBACK-COMMENT-51ab"]


@pytest.mark.parametrize("name", VIEWS)
def test_the_report_contains_no_note_reflection_or_feedback_text(
    admin_client, world, organisation, mentor, mentee, name, past_session
):
    session = past_session(world["individual"], days_ago=1)
    make_note(session=session, author=mentor, visibility="private", body=SECRETS[0])
    shared = make_note(session=session, author=mentor, visibility="shared", body=SECRETS[1])
    NoteRevision.objects.create(note=shared, body=SECRETS[2], edited_by=mentor)
    make_reflection(session=session, author=mentee, timing="after", visibility="shared", body=SECRETS[3])
    make_feedback(session=session, mentee=mentee, usefulness=2, trust=3, comment=SECRETS[4])
    content = admin_client.get(_url(organisation, name)).content.decode()
    assert "Dave Mentee" in content
    assert "51ab" not in content


def _grow(engagement_factory, past_session, mentee, mentor, count, offset=0):
    for index in range(offset, offset + count):
        engagement = engagement_factory(
            mentee=mentee, mentor=mentor, status=Engagement.Status.ACTIVE, start_date=_days_ago(100 + index)
        )
        for days_ago in (80, 60, 40):
            past_session(engagement, days_ago=days_ago + index * 0.25)  # 6 hours apart: no overlap


@pytest.mark.parametrize("name", VIEWS)
def test_query_count_does_not_grow_with_engagements(
    admin_client, django_assert_num_queries, engagement_factory, organisation, mentee, mentor, name, past_session
):
    url = _url(organisation, name)
    _grow(engagement_factory, past_session, mentee, mentor, 2)
    with CaptureQueriesContext(connection) as small:
        admin_client.get(url)
    _grow(engagement_factory, past_session, mentee, mentor, 15, offset=2)
    with django_assert_num_queries(len(small)):
        response = admin_client.get(url)
    assert len(response.context["report"].rows) == 17
    assert response.context["report"].held_in_period == 51
