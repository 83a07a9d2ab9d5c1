"""A leadership team with all its members in one step: paste, preview with errors per row, confirm."""

import pytest
from django.core import mail
from django.urls import reverse

from core.tests.helpers import messages_of
from demo.factories import make_invitation, make_member, make_team, make_user
from mentorship.models import Invitation, LeadershipTeam
from mentorship.organisations.team_paste import parse_rows

pytestmark = pytest.mark.django_db

PASTE = (
    "Karin Ek, karin.ek@example.org, CEO\nJonas Berg; jonas.berg@example.org; CFO\nSara Lind\tsara.lind@example.org\tHR"
)


def paste_url(organisation) -> str:
    return reverse("mentorship:team-paste", args=[organisation.uuid])


def test_rows_are_read_with_commas_semicolons_or_tabs():
    rows = parse_rows(PASTE + "\n\n")
    assert [(row.name, row.email, row.title) for row in rows] == [
        ("Karin Ek", "karin.ek@example.org", "CEO"),
        ("Jonas Berg", "jonas.berg@example.org", "CFO"),
        ("Sara Lind", "sara.lind@example.org", "HR"),
    ]
    assert all(row.ok for row in rows)


def test_preview_shows_each_row_and_creates_nothing(client, consultancy_admin, organisation):
    client.force_login(consultancy_admin)
    response = client.post(paste_url(organisation), {"name": "Ledningsgruppen", "rows": PASTE, "action": "preview"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Will be invited to the team.") == 3
    assert 'value="confirm"' in html
    assert not LeadershipTeam.objects.filter(name="Ledningsgruppen").exists()
    assert not Invitation.objects.exists()


def test_confirm_creates_the_team_and_invitations_in_one_step(
    client, consultancy_admin, organisation, django_capture_on_commit_callbacks
):
    client.force_login(consultancy_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            paste_url(organisation), {"name": "Ledningsgruppen", "rows": PASTE, "action": "confirm"}, follow=True
        )
    team = LeadershipTeam.objects.get(organisation=organisation, name="Ledningsgruppen")
    assert "The team Ledningsgruppen was added and 3 invitations were sent." in messages_of(response)
    invitations = Invitation.objects.filter(team=team).order_by("email")
    assert [(i.full_name, i.email, i.title) for i in invitations] == [
        ("Jonas Berg", "jonas.berg@example.org", "CFO"),
        ("Karin Ek", "karin.ek@example.org", "CEO"),
        ("Sara Lind", "sara.lind@example.org", "HR"),
    ]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(i.email for i in invitations)


def test_double_submit_makes_one_team_and_one_set_of_invitations(client, consultancy_admin, organisation):
    client.force_login(consultancy_admin)
    data = {"name": "Ledningsgruppen", "rows": PASTE, "action": "confirm"}
    client.post(paste_url(organisation), data)
    again = client.post(paste_url(organisation), data)
    assert again.status_code == 200
    assert "already has a leadership team with this name" in again.content.decode()
    assert LeadershipTeam.objects.filter(name="Ledningsgruppen").count() == 1
    assert Invitation.objects.count() == 3


def test_bad_rows_are_named_per_row_and_nothing_can_be_confirmed(
    client, consultancy_admin, organisation, other_organisation
):
    make_invitation(organisation=organisation, email="open@example.org")
    make_member(organisation=organisation, user=make_user(email="member@example.org"))
    make_member(organisation=other_organisation, user=make_user(email="elsewhere@example.org"))
    paste = "\n".join(
        [
            "Ann Ok, ann@example.org, CEO",
            "Bad Mail, not-an-address, CFO",
            "Ann Again, ANN@example.org, COO",
            "Olle Open, open@example.org",
            "Mia Member, member@example.org",
            "Eli Else, elsewhere@example.org",
            "only-one-part",
        ]
    )
    client.force_login(consultancy_admin)
    html = client.post(paste_url(organisation), {"name": "Team", "rows": paste, "action": "confirm"}).content.decode()
    assert "“not-an-address” is not an email address." in html
    assert "The same address as row 1." in html
    assert "Already has an open invitation" in html
    assert "Already a member of this organisation" in html
    assert "Already belongs to another client organisation." in html
    assert "Write name, email and title" in html
    assert html.count("Will be invited to the team.") == 1
    assert 'value="confirm"' not in html
    assert not LeadershipTeam.objects.filter(name="Team").exists()
    assert Invitation.objects.count() == 1  # the one that was there


def test_a_taken_team_name_is_an_error(client, consultancy_admin, organisation):
    make_team(organisation=organisation, name="Ledningsgruppen")
    client.force_login(consultancy_admin)
    html = client.post(paste_url(organisation), {"name": "ledningsgruppen", "rows": PASTE, "action": "preview"})
    assert "already has a leadership team with this name" in html.content.decode()


@pytest.mark.parametrize("who", ["mentor", "mentee"])
def test_other_roles_get_403(client, request, who, organisation):
    client.force_login(request.getfixturevalue(who))
    assert client.get(paste_url(organisation)).status_code == 403
    assert client.post(paste_url(organisation), {"name": "X", "rows": PASTE, "action": "confirm"}).status_code == 403
    assert not LeadershipTeam.objects.filter(name="X").exists()


def test_an_unknown_organisation_is_404(client, consultancy_admin):
    client.force_login(consultancy_admin)
    assert (
        client.get(reverse("mentorship:team-paste", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404
    )
