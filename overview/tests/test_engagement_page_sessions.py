"""The engagement page shows its sessions, the rhythm and who may book."""

import pytest
from django.urls import reverse

from core.tests.helpers import days_from_now
from demo.factories import make_session
from mentorship.models import MentorOption

pytestmark = pytest.mark.django_db


def _session(engagement, days):
    return make_session(engagement=engagement, start=days_from_now(days), minutes=120)


def test_mentee_sees_sessions_next_due_date_and_a_book_button(client, engagement, mentee):
    session = _session(engagement, days=5)
    client.force_login(mentee)
    html = client.get(reverse("overview:engagement-detail", args=[engagement.uuid])).content.decode()
    assert session.get_absolute_url() in html
    assert reverse("mentoring_sessions:book", args=[engagement.uuid]) in html
    assert "Next session due" in html


def test_team_member_sees_team_sessions_but_no_book_button(client, team_engagement):
    session = _session(team_engagement, days=5)
    member = team_engagement.team.memberships.first().user
    client.force_login(member)
    html = client.get(reverse("overview:engagement-detail", args=[team_engagement.uuid])).content.decode()
    assert session.get_absolute_url() in html
    assert reverse("mentoring_sessions:book", args=[team_engagement.uuid]) not in html


def test_mentee_is_invited_to_choose_when_options_are_offered(client, engagement_factory, mentee, mentor, other_mentor):
    proposed = engagement_factory(mentee=mentee, mentee_chooses=True)
    for rank, person in enumerate([mentor, other_mentor], start=1):
        MentorOption.objects.create(engagement=proposed, mentor=person, rank=rank)
    client.force_login(mentee)
    html = client.get(reverse("overview:engagement-detail", args=[proposed.uuid])).content.decode()
    assert reverse("mentorship:engagement-choose-mentor", args=[proposed.uuid]) in html


def test_engagement_page_query_count_does_not_grow_with_sessions(client, engagement, mentee, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(mentee)
    url = reverse("overview:engagement-detail", args=[engagement.uuid])
    _session(engagement, days=3)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(4, 24):
        _session(engagement, days=day)
    with django_assert_num_queries(len(few)):
        client.get(url)
