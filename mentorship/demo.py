"""Invented demo data: a consultancy, its mentors, two client companies and their people.

Every function is idempotent (keyed on email addresses and names), so `seed_demo` can run on
every `make run`. All people and companies here are made up.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User

from .models import LeadershipTeam, Organisation, OrganisationMember, TeamMembership

DEMO_PASSWORD = "mentorship-demo"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    roles: tuple[str, ...]
    language: str = "sv"
    time_zone: str = "Europe/Stockholm"


CONSULTANCY_PEOPLE = [
    DemoPerson("admin@example.com", "Sara Lindholm", ("consultancy_admin",)),
    DemoPerson("mentor@example.com", "Mona Ekberg", ("mentor",)),
    DemoPerson("johan.sandell@example.com", "Johan Sandell", ("mentor", "consultancy_admin")),
    DemoPerson("leila.karimi@example.com", "Leila Karimi", ("mentor",), language="en"),
    DemoPerson("per.holm@example.com", "Per Holm", ("mentor",), time_zone="America/New_York", language="en"),
]

ORGANISATIONS = {
    "Björkvik Logistik AB": {
        "city": "Göteborg",
        "contact_name": "Ingrid Wall",
        "contact_email": "ingrid.wall@example.com",
    },
    "Solhaga Energi AB": {"city": "Uppsala", "contact_name": "Tomas Rask", "contact_email": "tomas.rask@example.com"},
}

# (person, organisation, title)
CLIENT_PEOPLE = [
    (DemoPerson("mentee@example.com", "Erik Nyström", ("mentee",)), "Björkvik Logistik AB", "Head of Warehouse"),
    (DemoPerson("fredrik.olsson@example.com", "Fredrik Olsson", ("mentee",)), "Björkvik Logistik AB", "Sales Manager"),
    (DemoPerson("other.mentee@example.com", "Hanna Ek", ("mentee",), language="en"), "Solhaga Energi AB", "CFO"),
    (DemoPerson("karin.alm@example.com", "Karin Alm", ("mentee",)), "Björkvik Logistik AB", "CEO"),
    (DemoPerson("oskar.lund@example.com", "Oskar Lund", ("mentee",)), "Björkvik Logistik AB", "CFO"),
    (DemoPerson("maria.sjoberg@example.com", "Maria Sjöberg", ("mentee",)), "Björkvik Logistik AB", "HR Director"),
    (DemoPerson("ali.hassan@example.com", "Ali Hassan", ("mentee",)), "Björkvik Logistik AB", "COO"),
    (DemoPerson("eva.strand@example.com", "Eva Strand", ("mentee",)), "Björkvik Logistik AB", "CTO"),
]

LEADERSHIP_TEAM = (
    "Björkvik Logistik AB",
    "Björkvik ledningsgrupp",
    [
        "karin.alm@example.com",
        "oskar.lund@example.com",
        "maria.sjoberg@example.com",
        "ali.hassan@example.com",
        "eva.strand@example.com",
    ],
)


def ensure_person(person: DemoPerson) -> User:
    user, created = User.objects.get_or_create(
        email=person.email,
        defaults={"full_name": person.full_name, "language": person.language, "time_zone": person.time_zone},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
    for role in person.roles:
        user.add_role(role)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=person.email, defaults={"verified": True, "primary": True})
    return user


@transaction.atomic
def seed_people_and_organisations() -> dict[str, User]:
    people = {person.email: ensure_person(person) for person in CONSULTANCY_PEOPLE}
    organisations = {
        name: Organisation.objects.update_or_create(name=name, defaults=fields)[0]
        for name, fields in ORGANISATIONS.items()
    }
    for person, organisation_name, title in CLIENT_PEOPLE:
        user = ensure_person(person)
        people[person.email] = user
        OrganisationMember.objects.update_or_create(
            user=user, defaults={"organisation": organisations[organisation_name], "title": title}
        )
    organisation_name, team_name, member_emails = LEADERSHIP_TEAM
    team, _ = LeadershipTeam.objects.get_or_create(organisation=organisations[organisation_name], name=team_name)
    for email in member_emails:
        TeamMembership.objects.update_or_create(
            team=team, user=people[email], defaults={"title": people[email].organisation_membership.title}
        )
    return people


def seed_all() -> None:
    seed_people_and_organisations()
