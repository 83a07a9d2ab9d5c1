"""The demo's client sponsor: Björkvik's HR partner follows its mentoring in the sponsor portal,
invited by the demo admin through an invitation they accepted (`demo/seed.py` calls this)."""

from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from demo import factories
from demo.people import DEMO_PASSWORD, SPONSOR
from mentorship.models import InvitationKind, Organisation, Sponsorship


@transaction.atomic
def seed_sponsor(people: dict[str, User]) -> Sponsorship:
    """Safe to repeat: the person, their accepted invitation and their seat are made once."""
    person, organisation_name, title = SPONSOR
    organisation = Organisation.objects.get(name=organisation_name)
    sponsor = User.objects.filter(email=person.email).first() or factories.make_user(
        **asdict(person), password=DEMO_PASSWORD
    )
    existing = Sponsorship.objects.active().filter(user=sponsor, organisation=organisation).first()
    if existing is not None:
        return existing
    now = timezone.now()
    invitation = factories.make_invitation(
        organisation=organisation,
        email=sponsor.email,
        full_name=sponsor.full_name,
        title=title,
        kind=InvitationKind.SPONSOR,
        invited_by=people["admin@example.com"],
        sent_at=now,
        send_count=1,
        accepted_at=now,
        accepted_by=sponsor,
    )
    return factories.make_sponsorship(organisation=organisation, user=sponsor, title=title, invitation=invitation)
