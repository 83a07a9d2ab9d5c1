"""The dashboard's overdue and review lists in full (`reporting:health-overdue`, `-reviews`):
every row, in the dashboard's order, paged and filtered as the dashboard is; the dashboard shows
the first LIST_LIMIT and links to them; admins only."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from demo.factories import make_organisation
from reporting.health import dashboard
from reporting.health import views as health_views

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
DAY = datetime.timedelta(days=1)
OVERDUE = reverse("reporting:health-overdue")
REVIEWS = reverse("reporting:health-reviews")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(engagement_factory, mentor):
    """Per organisation, engagements whose kickoff was due 20, 40 and 60 days ago (none booked:
    overdue) and whose planned ends are 25, 5 and 15 days away (reviews); and one of each far
    from either."""
    rows = {}
    for org_name in ("Lindqvist Bygg", "Norrsken Energi"):
        organisation = make_organisation(name=org_name)
        for overdue_days, ends_in in ((20, 25), (40, 5), (60, 15), (-30, 90)):
            start = TODAY - (overdue_days + 7) * DAY  # the kickoff is due a week after the start
            rows[(org_name, overdue_days)] = engagement_factory(
                organisation=organisation,
                mentor=mentor,
                status="active",
                start_date=start,
                planned_end=TODAY + ends_in * DAY,
            )
    return rows


def _names(response) -> list[tuple[str, int | None]]:
    return [(row.engagement.organisation.name, getattr(row, "overdue_days", None)) for row in response.context["rows"]]


def test_the_overdue_list_has_every_overdue_engagement_longest_first(client, consultancy_admin, world):
    client.force_login(consultancy_admin)
    response = client.get(OVERDUE)
    assert response.status_code == 200
    assert sorted(days for _org, days in _names(response)) == [20, 20, 40, 40, 60, 60]
    assert [days for _org, days in _names(response)] == [60, 60, 40, 40, 20, 20]
    html = response.content.decode()
    assert "6 engagements overdue" in html
    for row in response.context["rows"]:
        assert row.engagement.get_absolute_url() in html


def test_the_reviews_list_has_every_planned_end_within_30_days_soonest_first(client, consultancy_admin, world):
    client.force_login(consultancy_admin)
    response = client.get(REVIEWS)
    ends = [row.engagement.planned_end for row in response.context["rows"]]
    assert ends == sorted(ends)
    assert [(end - TODAY).days for end in ends] == [5, 5, 15, 15, 25, 25]
    assert "6 reviews coming up" in response.content.decode()


@pytest.mark.parametrize("url", [OVERDUE, REVIEWS])
def test_a_list_is_filtered_as_the_dashboard_is(client, consultancy_admin, world, url):
    client.force_login(consultancy_admin)
    response = client.get(url, {"organisation": "Norrsken"})
    assert {org for org, _days in _names(response)} == {"Norrsken Energi"}
    assert len(response.context["rows"]) == 3
    # The way back keeps the filter.
    assert f"{reverse('reporting:health-dashboard')}?organisation=Norrsken" in response.content.decode()


@pytest.mark.parametrize("url", [OVERDUE, REVIEWS])
def test_a_list_is_paged(client, consultancy_admin, world, url, monkeypatch):
    monkeypatch.setattr(health_views, "LIST_PAGE_SIZE", 4)
    client.force_login(consultancy_admin)
    first, second = client.get(url), client.get(url, {"page": 2})
    assert len(first.context["rows"]) == 4
    assert len(second.context["rows"]) == 2
    assert not {row.engagement for row in first.context["rows"]} & {row.engagement for row in second.context["rows"]}
    assert client.get(url, {"page": "nonsense"}).status_code == 200  # the first page


def test_the_dashboard_shows_the_first_few_and_links_to_each_list(client, consultancy_admin, world, monkeypatch):
    monkeypatch.setattr(dashboard, "LIST_LIMIT", 4)
    client.force_login(consultancy_admin)
    response = client.get(reverse("reporting:health-dashboard"), {"organisation": "Lindqvist"})
    data = response.context["data"]
    assert [row.overdue_days for row in data.overdue] == [60, 40, 20]
    unfiltered = client.get(reverse("reporting:health-dashboard")).context["data"]
    assert [row.overdue_days for row in unfiltered.overdue] == [60, 60, 40, 40]
    html = response.content.decode()
    assert f"{OVERDUE}?organisation=Lindqvist" in html
    assert f"{REVIEWS}?organisation=Lindqvist" in html


@pytest.mark.parametrize("url", [OVERDUE, REVIEWS])
def test_only_admins_see_the_lists(client, world, mentor, mentee, url):
    assert client.get(url).status_code == 302  # to sign in
    for person in (mentor, mentee):
        client.force_login(person)
        assert client.get(url).status_code == 403
