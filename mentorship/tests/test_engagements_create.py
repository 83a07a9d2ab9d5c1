"""Opening and editing an engagement in the browser: the admin's intake form."""

import datetime

import pytest
from django.urls import reverse

from mentorship.models import Engagement, EngagementEvent, FocusArea

CREATE_URL = reverse("mentorship:engagement-create")


@pytest.fixture
def form_data(focus_areas):
    def make(**overrides):
        data = {
            "mentee": "",
            "team": "",
            "triggers": ["new_in_role"],
            "trigger_other": "",
            "initiated_by": "mentee",
            "focus_areas": [focus_areas["leadership"].pk],
            "goals": "Grow into the new role.",
            "preferred_language": "sv",
            "start_date": "2026-08-31",
            "planned_months": "6",
            "initial_phase_weeks": "12",
            "initial_interval_days": "14",
            "steady_interval_months": "1",
            "session_minutes": "120",
        }
        return data | overrides

    return make


@pytest.mark.django_db
def test_admin_opens_an_engagement_for_a_mentee(client, consultancy_admin, mentee, organisation, form_data):
    client.force_login(consultancy_admin)
    data = form_data(mentee=mentee.pk, triggers=["new_in_role", "other"], trigger_other="A reorganisation")
    response = client.post(CREATE_URL, data)
    engagement = Engagement.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("overview:engagement-detail", kwargs={"engagement_uuid": engagement.uuid})
    assert (engagement.mentee, engagement.team, engagement.organisation) == (mentee, None, organisation)
    assert engagement.status == Engagement.Status.PROPOSED
    assert engagement.planned_end == datetime.date(2027, 2, 28)
    assert engagement.trigger_other == "A reorganisation"
    assert engagement.created_by == consultancy_admin
    assert EngagementEvent.objects.get(engagement=engagement).kind == "created"


@pytest.mark.django_db
def test_admin_opens_an_engagement_for_a_team(client, consultancy_admin, team, form_data):
    client.force_login(consultancy_admin)
    data = form_data(team=team.pk, initiated_by="leadership_team", session_minutes="90", mentee_chooses="on")
    assert client.post(CREATE_URL, data).status_code == 302
    engagement = Engagement.objects.get()
    assert (engagement.team, engagement.mentee, engagement.organisation) == (team, None, team.organisation)
    assert engagement.session_minutes == 90
    assert engagement.mentee_chooses


@pytest.mark.django_db
def test_the_form_starts_with_the_usual_defaults(client, consultancy_admin):
    client.force_login(consultancy_admin)
    form = client.get(CREATE_URL).context["form"]
    assert form["planned_months"].value() == 6
    assert form["session_minutes"].value() == 120
    assert form["initial_phase_weeks"].value() == 12
    assert form["initial_interval_days"].value() == 14
    assert form["steady_interval_months"].value() == 1
    assert not form["mentee_chooses"].value()
    assert "" not in [value for value, _label in form.fields["initiated_by"].choices]


@pytest.mark.django_db
def test_prefill_from_team_and_mentee(client, consultancy_admin, team, mentee):
    client.force_login(consultancy_admin)
    form = client.get(CREATE_URL, {"team": str(team.uuid)}).context["form"]
    assert form["team"].value() == team.pk
    form = client.get(CREATE_URL, {"mentee": str(mentee.pk)}).context["form"]
    assert form["mentee"].value() == mentee.pk


@pytest.mark.django_db
def test_organisation_prefill_limits_the_choices(
    client, consultancy_admin, organisation, mentee, outsider_mentee, team, form_data
):
    client.force_login(consultancy_admin)
    url = f"{CREATE_URL}?organisation={organisation.uuid}"
    form = client.get(url).context["form"]
    assert set(form.fields["mentee"].queryset) >= {mentee}
    assert outsider_mentee not in form.fields["mentee"].queryset
    response = client.post(url, form_data(mentee=outsider_mentee.pk))
    assert "mentee" in response.context["form"].errors
    assert not Engagement.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("param", ["organisation", "team"])
def test_an_unknown_or_malformed_prefill_is_harmless(client, consultancy_admin, param):
    client.force_login(consultancy_admin)
    assert client.get(CREATE_URL, {param: "not-a-uuid"}).status_code == 200
    assert client.get(CREATE_URL, {param: "00000000-0000-0000-0000-000000000000"}).status_code == 404
    assert client.get(CREATE_URL, {"mentee": "abc"}).status_code == 200


@pytest.mark.django_db
def test_both_mentee_and_team_is_a_form_error(client, consultancy_admin, mentee, team, form_data):
    client.force_login(consultancy_admin)
    response = client.post(CREATE_URL, form_data(mentee=mentee.pk, team=team.pk))
    assert response.status_code == 200
    assert "not both" in " ".join(response.context["form"].non_field_errors())
    assert not Engagement.objects.exists()


@pytest.mark.django_db
def test_neither_mentee_nor_team_is_a_form_error(client, consultancy_admin, form_data):
    client.force_login(consultancy_admin)
    response = client.post(CREATE_URL, form_data())
    assert response.status_code == 200
    assert "Choose the mentee or the leadership team" in response.content.decode()
    assert not Engagement.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"session_minutes": "89"}, "session_minutes"),
        ({"session_minutes": "121"}, "session_minutes"),
        ({"session_minutes": "two hours"}, "session_minutes"),
        ({"triggers": []}, "triggers"),
        ({"triggers": ["bored"]}, "triggers"),
        ({"triggers": ["other"], "trigger_other": "   "}, "trigger_other"),
        ({"triggers": ["other"], "trigger_other": "x" * 201}, "trigger_other"),
        ({"initiated_by": ""}, "initiated_by"),
        ({"initiated_by": "the board"}, "initiated_by"),
        ({"focus_areas": []}, "focus_areas"),
        ({"focus_areas": ["999999"]}, "focus_areas"),
        ({"goals": ""}, "goals"),
        ({"goals": "x" * 5001}, "goals"),
        ({"preferred_language": "xx"}, "preferred_language"),
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"start_date": ""}, "start_date"),
        ({"planned_months": "0"}, "planned_months"),
        ({"planned_months": "61"}, "planned_months"),
        ({"planned_months": "six"}, "planned_months"),
        ({"initial_phase_weeks": "105"}, "initial_phase_weeks"),
        ({"initial_interval_days": "0"}, "initial_interval_days"),
        ({"steady_interval_months": "7"}, "steady_interval_months"),
    ],
)
def test_bad_input_gets_a_form_error(client, consultancy_admin, mentee, form_data, overrides, field):
    client.force_login(consultancy_admin)
    response = client.post(CREATE_URL, form_data(mentee=mentee.pk, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Engagement.objects.exists()


@pytest.mark.django_db
def test_a_mentee_outside_any_organisation_cannot_be_chosen(client, consultancy_admin, user_factory, form_data):
    loner = user_factory(email="loner@example.org", roles=("mentee",))
    client.force_login(consultancy_admin)
    response = client.post(CREATE_URL, form_data(mentee=loner.pk))
    assert "mentee" in response.context["form"].errors
    assert not Engagement.objects.exists()


@pytest.mark.django_db
def test_a_person_without_the_mentee_role_cannot_be_chosen(client, consultancy_admin, mentor, form_data):
    client.force_login(consultancy_admin)
    response = client.post(CREATE_URL, form_data(mentee=mentor.pk))
    assert "mentee" in response.context["form"].errors


@pytest.mark.django_db
def test_a_retired_focus_area_is_not_offered(client, consultancy_admin, mentee, focus_areas, form_data):
    retired = focus_areas["leadership"]
    FocusArea.objects.filter(pk=retired.pk).update(is_active=False)
    client.force_login(consultancy_admin)
    response = client.post(CREATE_URL, form_data(mentee=mentee.pk, focus_areas=[retired.pk]))
    assert "focus_areas" in response.context["form"].errors


@pytest.mark.django_db
def test_script_in_goals_is_stored_as_given_and_shown_escaped(client, consultancy_admin, mentee, form_data):
    client.force_login(consultancy_admin)
    goals = "<script>alert('x')</script>\nSecond line"
    client.post(CREATE_URL, form_data(mentee=mentee.pk, goals=goals))
    engagement = Engagement.objects.get()
    assert engagement.goals == goals
    html = client.get(engagement.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>Second line" in html


@pytest.mark.django_db
def test_a_rejected_form_keeps_the_input(client, consultancy_admin, mentee, form_data):
    client.force_login(consultancy_admin)
    response = client.post(CREATE_URL, form_data(mentee=mentee.pk, goals="Keep me", session_minutes="60"))
    assert "Keep me" in response.content.decode()


# Editing ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_edits_an_engagement_and_the_change_is_recorded(client, consultancy_admin, engagement, form_data):
    client.force_login(consultancy_admin)
    url = reverse("mentorship:engagement-edit", kwargs={"engagement_uuid": engagement.uuid})
    form = client.get(url).context["form"]
    assert "mentee" not in form.fields
    assert "team" not in form.fields
    data = form_data(
        goals="Sharper goals",
        start_date=engagement.start_date.isoformat(),
        planned_months="6",
        session_minutes="100",
        focus_areas=[area.pk for area in engagement.focus_areas.all()],
    )
    response = client.post(url, data)
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert (engagement.goals, engagement.session_minutes) == ("Sharper goals", 100)
    event = EngagementEvent.objects.get(engagement=engagement, kind="edited")
    assert event.actor == consultancy_admin
    assert "goals" in event.detail


@pytest.mark.django_db
def test_the_edit_form_shows_the_planned_length_in_months(client, consultancy_admin, engagement_factory, mentee):
    engagement = engagement_factory(
        mentee=mentee, start_date=datetime.date(2026, 8, 31), planned_end=datetime.date(2027, 8, 31)
    )
    client.force_login(consultancy_admin)
    form = client.get(reverse("mentorship:engagement-edit", kwargs={"engagement_uuid": engagement.uuid})).context[
        "form"
    ]
    assert form["planned_months"].value() == 12


@pytest.mark.django_db
def test_a_retired_focus_area_stays_on_an_old_engagement(client, consultancy_admin, engagement, form_data):
    area = engagement.focus_areas.get()
    FocusArea.objects.filter(pk=area.pk).update(is_active=False)
    client.force_login(consultancy_admin)
    url = reverse("mentorship:engagement-edit", kwargs={"engagement_uuid": engagement.uuid})
    response = client.post(url, form_data(start_date=engagement.start_date.isoformat(), focus_areas=[area.pk]))
    assert response.status_code == 302
    assert list(engagement.focus_areas.all()) == [area]


@pytest.mark.django_db
def test_bad_edit_input_changes_nothing(client, consultancy_admin, engagement, form_data):
    client.force_login(consultancy_admin)
    url = reverse("mentorship:engagement-edit", kwargs={"engagement_uuid": engagement.uuid})
    response = client.post(url, form_data(session_minutes="121", goals="Not saved"))
    assert "session_minutes" in response.context["form"].errors
    engagement.refresh_from_db()
    assert engagement.goals == "Grow into the new role."
    assert not EngagementEvent.objects.exists()
