"""Attendance per member of a team session: recorded by the session's mentor on its page, kept
per member, and the session is held if anyone came."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.tests.helpers import messages_of
from demo.factories import make_session, make_team_member, make_user
from mentorship.models import roster_date
from sessions.models import MemberAttendance, SessionStatus
from sessions.records import services as records

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

DAY = datetime.timedelta(days=1)


@pytest.fixture
def session(team_engagement):
    """A team session that started three hours ago and is not recorded yet."""
    return make_session(engagement=team_engagement, start=timezone.now() - datetime.timedelta(hours=3))


def url(session) -> str:
    return reverse("mentoring_sessions:session-member-attendance", args=[session.uuid])


def form_data(members, *statuses) -> dict:
    return {f"member_{member.pk}": status for member, status in zip(members, statuses, strict=True)}


def recorded(session) -> dict[int, str]:
    return dict(MemberAttendance.objects.filter(session=session).values_list("member_id", "status"))


def test_the_mentor_records_each_member_and_the_session_is_held(client, mentor, members, session):
    client.force_login(mentor)
    response = client.post(url(session), form_data(members, "present", "absent", "late"))
    assert response.status_code == 302
    assert recorded(session) == {members[0].pk: "present", members[1].pk: "absent", members[2].pk: "late"}
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    assert "Attendance per member recorded." in messages_of(client.get(response.url))


def test_the_session_page_shows_a_labelled_choice_per_member(client, mentor, members, session):
    client.force_login(mentor)
    client.post(url(session), form_data(members, "present", "absent", "late"))
    html = client.get(session.get_absolute_url()).content.decode()
    for member in members:
        assert f"<legend>{member.display_name}" in html or f">{member.display_name}</legend>" in html
    # What was recorded is checked when the page comes back.
    assert f'name="member_{members[1].pk}" value="absent"' in html
    form = client.get(session.get_absolute_url()).context["wrapup_form"]
    assert form.initial[f"member_{members[1].pk}"] == "absent"
    assert "outcome" not in form.fields  # a team session is held if anyone came


def test_nobody_came_is_a_no_show(mentor, members, session):
    records.record_member_attendance(
        session=session, actor=mentor, statuses={member.pk: "absent" for member in members}
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.NO_SHOW


def test_a_correction_changes_the_row_and_a_double_submit_changes_nothing(mentor, members, session):
    statuses = {member.pk: "present" for member in members}
    assert records.record_member_attendance(session=session, actor=mentor, statuses=statuses)[1] is True
    assert records.record_member_attendance(session=session, actor=mentor, statuses=statuses)[1] is False
    statuses[members[0].pk] = "late"
    assert records.record_member_attendance(session=session, actor=mentor, statuses=statuses)[1] is True
    assert recorded(session)[members[0].pk] == "late"
    assert MemberAttendance.objects.filter(session=session).count() == 3


def test_every_member_on_the_roster_and_nobody_else_is_recorded(mentor, members, session, organisation, team):
    with pytest.raises(ValidationError) as missing:
        records.record_member_attendance(session=session, actor=mentor, statuses={members[0].pk: "present"})
    assert missing.value.code == "members"
    late_joiner = make_user(email="late@example.org", roles=("mentee",), organisation=organisation)
    make_team_member(team=team, user=late_joiner, joined_on=roster_date() + DAY)
    with pytest.raises(ValidationError):
        records.record_member_attendance(
            session=session, actor=mentor, statuses={m.pk: "present" for m in [*members, late_joiner]}
        )
    with pytest.raises(ValidationError) as bad:
        records.record_member_attendance(session=session, actor=mentor, statuses={m.pk: "asleep" for m in members})
    assert bad.value.code == "invalid_status"
    assert recorded(session) == {}


def test_a_missing_choice_is_a_clear_error_and_records_nothing(client, mentor, members, session):
    client.force_login(mentor)
    response = client.post(url(session), {f"member_{members[0].pk}": "present"}, follow=True)
    text = " ".join(messages_of(response))
    assert "Choose present, late or absent for:" in text
    assert members[1].display_name in text
    assert recorded(session) == {}


def test_not_before_the_session_has_started(mentor, members, team_engagement):
    upcoming = make_session(engagement=team_engagement, start=timezone.now() + DAY)
    with pytest.raises(ValidationError) as error:
        records.record_member_attendance(
            session=upcoming, actor=mentor, statuses={member.pk: "present" for member in members}
        )
    assert error.value.code == "not_started"


@pytest.mark.parametrize(
    ("who", "status"),
    [("member", 403), ("consultancy_admin", 403), ("other_mentor", 404), ("outsider_mentee", 404)],
)
def test_only_the_sessions_mentor_records(client, request, members, session, who, status):
    person = members[0] if who == "member" else request.getfixturevalue(who)
    client.force_login(person)
    assert client.post(url(session), form_data(members, "present", "present", "present")).status_code == status
    assert recorded(session) == {}


def test_an_individual_session_has_no_attendance_per_member(client, mentor, engagement, mentee):
    individual = make_session(engagement=engagement, start=timezone.now() - datetime.timedelta(hours=3))
    client.force_login(mentor)
    assert client.post(url(individual), {f"member_{mentee.pk}": "present"}).status_code == 403
    form = client.get(individual.get_absolute_url()).context["wrapup_form"]
    assert [field.name for field in form.attendance_fields] == ["outcome"]
    with pytest.raises(ValidationError):
        records.record_member_attendance(session=individual, actor=mentor, statuses={mentee.pk: "present"})


def test_get_is_not_allowed(client, mentor, session):
    client.force_login(mentor)
    assert client.get(url(session)).status_code == 405


# The team page: attendance rate per member ------------------------------------------------------


@pytest.fixture
def three_recorded(mentor, members, team_engagement):
    """Three held team sessions: the first member came to all, the second missed two, the third
    was late once."""
    for days_ago, statuses in [
        (20, ("present", "absent", "late")),
        (13, ("present", "absent", "present")),
        (6, ("present", "present", "present")),
    ]:
        past = make_session(engagement=team_engagement, start=timezone.now() - days_ago * DAY)
        records.record_member_attendance(
            session=past, actor=mentor, statuses={m.pk: s for m, s in zip(members, statuses, strict=True)}
        )


def team_url(team) -> str:
    return reverse("mentorship:team-detail", args=[team.uuid])


@pytest.mark.parametrize("who", ["consultancy_admin", "mentor"])
def test_the_team_page_shows_each_members_attendance_rate(client, request, team, members, three_recorded, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(team_url(team))
    assert response.status_code == 200
    rates = {
        seat.user_id: (seat.attended, seat.recorded, seat.attendance_rate) for seat in response.context["memberships"]
    }
    assert rates == {members[0].pk: (3, 3, 100), members[1].pk: (1, 3, 33), members[2].pk: (3, 3, 100)}
    assert "1 of 3 (33 %)" in response.content.decode()


def test_the_mentor_sees_the_roster_but_not_the_admins_actions(client, mentor, team, members, team_engagement):
    client.force_login(mentor)
    html = client.get(team_url(team)).content.decode()
    assert members[0].display_name in html
    assert members[0].email not in html
    assert reverse("mentorship:team-member-add", args=[team.uuid]) not in html
    seat = team.memberships.first()
    assert client.post(reverse("mentorship:team-member-remove", args=[team.uuid, seat.pk])).status_code in (403, 404)


@pytest.mark.parametrize("who", ["other_mentor", "mentee", "member", "outsider_mentee"])
def test_nobody_else_opens_the_team_page(client, request, team, members, team_engagement, who):
    client.force_login(members[0] if who == "member" else request.getfixturevalue(who))
    assert client.get(team_url(team)).status_code == 404
