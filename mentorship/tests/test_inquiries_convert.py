"""A lead becomes a client in one flow: organisation, first engagement, invitation; handled and linked."""

import pytest
from django.core import mail
from django.urls import reverse

from core.tests.helpers import TEST_PASSWORD, messages_of
from demo.factories import make_inquiry, make_member, make_organisation, make_user
from mentorship.models import Engagement, FocusArea, Inquiry, Invitation, LeadershipTeam, Organisation
from mentorship.organisations import services as organisations

pytestmark = pytest.mark.django_db


def convert_url(inquiry) -> str:
    return reverse("mentorship:inquiry-convert", args=[inquiry.pk])


def _form(**overrides) -> dict:
    area = FocusArea.objects.filter(is_active=True).first()
    data = {
        "organisation_name": "Tallbacka Bygg AB",
        "city": "Umeå",
        "team_name": "Ledningsgruppen",
        "title": "VD",
        "triggers": ["new_in_role"],
        "initiated_by": "mentee",
        "focus_areas": [area.pk],
        "goals": "Lead the company through its growth.",
        "preferred_language": "sv",
        "start_date": "2026-12-01",
        "planned_months": "6",
        "initial_phase_weeks": "12",
        "initial_interval_days": "14",
        "steady_interval_months": "1",
        "session_minutes": "120",
    }
    data.update(overrides)
    return data


def test_the_form_starts_from_the_lead(client, consultancy_admin, focus_areas):
    inquiry = make_inquiry(company="Tallbacka Bygg AB", message="Our new CEO needs a sparring partner.")
    client.force_login(consultancy_admin)
    html = client.get(convert_url(inquiry)).content.decode()
    assert 'value="Tallbacka Bygg AB"' in html
    assert "Our new CEO needs a sparring partner." in html
    assert 'name="team_name"' not in html  # one person: no team


def test_a_team_lead_becomes_organisation_team_and_engagement_at_once(
    client, consultancy_admin, focus_areas, django_capture_on_commit_callbacks
):
    inquiry = make_inquiry(kind=Inquiry.Kind.TEAM, name="Greta Holm", email="greta@tallbacka.example")
    client.force_login(consultancy_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(convert_url(inquiry), _form(initiated_by="leadership_team"))
    inquiry.refresh_from_db()
    organisation = Organisation.objects.get(name="Tallbacka Bygg AB")
    team = LeadershipTeam.objects.get(organisation=organisation, name="Ledningsgruppen")
    engagement = Engagement.objects.get(team=team)
    assert response.url == engagement.get_absolute_url()
    assert (inquiry.client_organisation, inquiry.first_engagement, inquiry.handled_by) == (
        organisation,
        engagement,
        consultancy_admin,
    )
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.email, invitation.full_name, invitation.title, invitation.team) == (
        "greta@tallbacka.example",
        "Greta Holm",
        "VD",
        team,
    )
    assert [message.to for message in mail.outbox] == [["greta@tallbacka.example"]]
    listed = client.get(reverse("mentorship:inquiry-list") + "?status=handled").content.decode()
    assert reverse("mentorship:organisation-detail", args=[organisation.uuid]) in listed


def test_a_lead_for_one_person_gets_the_engagement_when_they_accept(client, consultancy_admin, focus_areas):
    inquiry = make_inquiry(name="Mats Fors", email="mats@fors.example", company="")
    client.force_login(consultancy_admin)
    response = client.post(convert_url(inquiry), _form(organisation_name="Fors Konsult AB"))
    assert "the engagement opens when they accept" in " ".join(messages_of(client.get(response.url)))
    inquiry.refresh_from_db()
    assert inquiry.client_organisation.name == "Fors Konsult AB"
    assert inquiry.first_engagement is None
    assert not Engagement.objects.filter(organisation=inquiry.client_organisation).exists()

    invitation = Invitation.objects.get(email="mats@fors.example")
    person = make_user(email="mats@fors.example", full_name="")
    organisations.accept_invitation(invitation=invitation, user=person)
    engagement = Engagement.objects.get(mentee=person)
    assert engagement.organisation == inquiry.client_organisation
    assert engagement.goals == "Lead the company through its growth."
    assert engagement.status == "proposed"
    assert list(engagement.focus_areas.all()) == [FocusArea.objects.filter(is_active=True).first()]
    inquiry.refresh_from_db()
    assert inquiry.first_engagement == engagement
    assert person.full_name == "Mats Fors"
    invitation.refresh_from_db()
    assert invitation.engagement_plan == {}


def test_double_submit_makes_one_client(client, consultancy_admin, focus_areas):
    inquiry = make_inquiry(kind=Inquiry.Kind.TEAM)
    client.force_login(consultancy_admin)
    client.post(convert_url(inquiry), _form())
    again = client.post(convert_url(inquiry), _form(), follow=True)
    assert "This inquiry has already become a client." in messages_of(again)
    assert Organisation.objects.filter(name="Tallbacka Bygg AB").count() == 1
    assert Engagement.objects.count() == 1
    assert Invitation.objects.count() == 1


def test_a_taken_name_or_bad_fields_make_nothing(client, consultancy_admin, focus_areas):
    make_organisation(name="Tallbacka Bygg AB")
    inquiry = make_inquiry()
    client.force_login(consultancy_admin)
    html = client.post(convert_url(inquiry), _form(focus_areas=[])).content.decode()
    assert "An organisation with this name already exists." in html
    assert "Choose at least one focus area." in html
    inquiry.refresh_from_db()
    assert inquiry.client_organisation is None
    assert inquiry.handled_at is None
    assert not Invitation.objects.exists()


def test_a_writer_of_another_client_rolls_everything_back(client, consultancy_admin, focus_areas, other_organisation):
    make_member(organisation=other_organisation, user=make_user(email="taken@example.org", password=TEST_PASSWORD))
    inquiry = make_inquiry(email="taken@example.org", kind=Inquiry.Kind.TEAM)
    client.force_login(consultancy_admin)
    html = client.post(convert_url(inquiry), _form()).content.decode()
    assert "taken@example.org cannot be invited" in html
    assert not Organisation.objects.filter(name="Tallbacka Bygg AB").exists()
    assert not Engagement.objects.exists()
    inquiry.refresh_from_db()
    assert inquiry.handled_at is None


@pytest.mark.parametrize("who", ["mentor", "mentee"])
def test_other_roles_get_403(client, request, who, focus_areas):
    inquiry = make_inquiry()
    client.force_login(request.getfixturevalue(who))
    assert client.get(convert_url(inquiry)).status_code == 403
    assert client.post(convert_url(inquiry), _form()).status_code == 403
    assert not Organisation.objects.filter(name="Tallbacka Bygg AB").exists()


def test_an_unknown_inquiry_is_404(client, consultancy_admin):
    client.force_login(consultancy_admin)
    assert client.get(reverse("mentorship:inquiry-convert", args=[999999])).status_code == 404


def test_a_sponsors_extension_request_is_no_lead_to_convert(client, consultancy_admin, engagement):
    request = make_inquiry(kind=Inquiry.Kind.EXTENSION, engagement=engagement)
    client.force_login(consultancy_admin)
    assert client.get(convert_url(request)).status_code == 404
    listed = client.get(reverse("mentorship:inquiry-list")).content.decode()
    assert convert_url(request) not in listed
