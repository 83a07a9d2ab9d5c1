"""The demo's sponsor: sponsor@example.com signs in with the demo password and lands in Björkvik's
sponsor portal, from an accepted sponsor invitation; seeding again adds nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.people import DEMO_PASSWORD
from mentorship.models import Invitation, Sponsorship

pytestmark = pytest.mark.django_db


def test_the_demo_sponsor_signs_in_to_bjorkviks_portal(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    seat = Sponsorship.objects.active().get(user__email="sponsor@example.com")
    assert seat.organisation.name == "Björkvik Logistik AB"
    assert Invitation.objects.get(email="sponsor@example.com").state == "accepted"
    assert not seat.user.roles
    response = client.post("/accounts/login/", {"login": "sponsor@example.com", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("overview:home"))
    assert home.url == reverse("sponsors:portal")
    portal = client.get(home.url)
    content = portal.content.decode()
    assert "Björkvik Logistik AB" in content
    assert "Solhaga" not in content
    rows = portal.context["views"][0].rows
    shared_titles = {goal.title for row in rows if row.progress for goal in row.progress.goals}
    assert "Lead the warehouse team through the move to the new terminal" in shared_titles  # the demo's shared goal
    assert "Lead the warehouse team through the move to the new terminal" in content
