"""The sponsor portal and the sponsor's engagement page: what they show (who, mentor, status,
phase, dates, sessions held, rhythm, contract use without prices, team-level figures), who may
open them (a sponsor of the organisation only; 404 for another organisation's engagement, 403
for everybody without a sponsor seat), and a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demo.factories import (
    make_check_in,
    make_engagement,
    make_goal,
    make_session,
    make_sponsorship,
    make_statement,
    make_user,
)
from mentorship.models import Engagement, Sponsorship
from sessions.models import MemberAttendance, SessionStatus

pytestmark = [pytest.mark.clock, pytest.mark.django_db]

PORTAL = reverse("sponsors:portal")


def _page(engagement) -> str:
    return reverse("sponsors:engagement", args=[engagement.uuid])


@pytest.fixture
def alder(engagement, team_engagement, contract, past_session):
    """Alder's individual engagement on the contract with two held sessions and one booked, and
    its team engagement with one held team session (one member absent)."""
    Engagement.objects.filter(pk__in=[engagement.pk, team_engagement.pk]).update(
        contract=contract, start_date=timezone.localdate() - datetime.timedelta(days=60)
    )
    engagement.refresh_from_db()
    team_engagement.refresh_from_db()
    past_session(engagement, days_ago=48)
    past_session(engagement, days_ago=30)
    past_session(engagement, days_ago=-5, status=SessionStatus.CONFIRMED)
    team_session = past_session(team_engagement, days_ago=10)
    members = [m.user for m in team_engagement.team.memberships.order_by("user__email")]
    for member, status in zip(members, ["present", "late", "absent"], strict=True):
        MemberAttendance.objects.create(session=team_session, member=member, status=status)
    return {"individual": engagement, "team": team_engagement}


def test_the_portal_shows_the_organisations_mentoring(sponsor_client, alder, outsider_engagement):
    response = sponsor_client.get(PORTAL)
    assert response.status_code == 200
    [view] = response.context["views"]
    rows = {row.engagement.pk: row for row in view.rows}
    assert set(rows) == {alder["individual"].pk, alder["team"].pk}
    individual, team = rows[alder["individual"].pk], rows[alder["team"].pk]
    assert (individual.held_total, individual.usage.used_sessions, individual.usage.booked_sessions) == (2, 3, 1)
    assert (team.team.members_now, team.team.attended, team.team.recorded, team.team.attendance_percent) == (
        3,
        2,
        3,
        67,
    )
    content = response.content.decode()
    assert "Dave Mentee" in content
    assert "Alder leadership team" in content
    assert "3 of 12 sessions used" in content
    assert "Every other week (initial phase)" in content
    assert "67 %" in content
    assert "Erin Outsider" not in content  # another organisation's
    assert "Birch Power AB" not in content
    assert "4000" not in content
    assert "4 000" not in content
    assert _page(alder["individual"]) in content


def test_no_member_is_named_with_their_attendance(sponsor_client, alder):
    content = sponsor_client.get(_page(alder["team"])).content.decode()
    assert "Team Member" not in content
    assert "Absent" not in content


def test_the_engagement_page_shows_one_engagement_and_the_extension_button(sponsor_client, alder):
    response = sponsor_client.get(_page(alder["individual"]))
    assert response.status_code == 200
    assert response.context["row"].engagement == alder["individual"]
    content = response.content.decode()
    assert "Mona" in content or alder["individual"].mentor.display_name in content
    assert reverse("sponsors:extension-request", args=[alder["individual"].uuid]) in content
    assert "What your sponsor sees" not in content  # that banner is the preview's


def test_a_sponsor_gets_404_for_another_organisations_engagement(sponsor_client, outsider_engagement):
    assert sponsor_client.get(_page(outsider_engagement)).status_code == 404
    extension = reverse("sponsors:extension-request", args=[outsider_engagement.uuid])
    assert sponsor_client.get(extension).status_code == 404
    assert sponsor_client.post(extension, {"message": "More please"}).status_code == 404


def test_a_proposed_engagement_is_not_shown_to_the_sponsor(sponsor_client, mentee):
    proposed = make_engagement(mentee=mentee)
    assert sponsor_client.get(_page(proposed)).status_code == 404


@pytest.mark.parametrize("person", ["mentee", "mentor", "consultancy_admin", "outsider_mentee", "user_factory"])
def test_people_without_a_sponsor_seat_get_403_on_the_portal_and_404_on_its_pages(client, request, engagement, person):
    user = request.getfixturevalue(person)
    client.force_login(user() if person == "user_factory" else user)
    assert client.get(PORTAL).status_code == 403
    assert client.get(_page(engagement)).status_code == 404


def test_the_other_organisations_sponsor_sees_only_theirs(client, other_sponsor, engagement, outsider_engagement):
    client.force_login(other_sponsor)
    response = client.get(PORTAL)
    assert [row.engagement for row in response.context["views"][0].rows] == [outsider_engagement]
    assert "Alder Freight AB" not in response.content.decode()
    assert client.get(_page(engagement)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, engagement):
    for url in (PORTAL, _page(engagement)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_a_revoked_sponsor_loses_access_from_the_next_request(sponsor_client, sponsor, engagement):
    assert sponsor_client.get(_page(engagement)).status_code == 200
    Sponsorship.objects.filter(user=sponsor).update(revoked_at=timezone.now())
    assert sponsor_client.get(PORTAL).status_code == 403
    assert sponsor_client.get(_page(engagement)).status_code == 404


def test_a_deactivated_sponsor_loses_access(sponsor_client, sponsor, engagement):
    sponsor.is_active = False
    sponsor.save()
    assert sponsor_client.get(_page(engagement)).status_code in (302, 404)


def test_a_sponsor_with_another_role_reaches_the_portal_from_home(client, mentee, organisation, engagement):
    make_sponsorship(organisation=organisation, user=mentee)
    client.force_login(mentee)
    home = client.get(reverse("overview:home"))
    assert home.status_code == 200
    assert PORTAL in home.content.decode()
    assert client.get(PORTAL).status_code == 200


def test_the_nav_leads_a_sponsor_to_the_portal(sponsor_client, engagement):
    content = sponsor_client.get(_page(engagement)).content.decode()
    assert f'href="{PORTAL}"' in content


@pytest.mark.parametrize("url", ["portal", "engagement"])
def test_a_fixed_number_of_queries_whatever_the_number_of_engagements(
    sponsor_client, alder, organisation, mentor, held_session, url
):
    def get():
        path = PORTAL if url == "portal" else _page(alder["team"])
        with CaptureQueriesContext(connection) as queries:
            assert sponsor_client.get(path).status_code == 200
        return len(queries)

    first = alder["individual"]
    goal = make_goal(engagement=first, shared=("title", "ratings"))
    make_check_in(engagement=first, person=first.mentee, goals={goal: 5})
    make_statement(engagement=first, state="shared")
    few = get()
    for index in range(4):
        mentee = make_user(roles=("mentee",), organisation=organisation)
        extra = make_engagement(mentee=mentee, mentor=mentor, status="active", contract=alder["individual"].contract)
        held_session(extra)
        make_session(engagement=extra, start=timezone.now() + datetime.timedelta(days=20 + index))
        goal = make_goal(engagement=extra, shared=("title", "ratings"))
        make_check_in(engagement=extra, person=mentee, goals={goal: 5})
        make_statement(engagement=extra, state="shared")
    assert get() == few


def test_a_bad_period_falls_back_to_the_default(sponsor_client, engagement):
    response = sponsor_client.get(PORTAL, {"date_from": "nope", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors
