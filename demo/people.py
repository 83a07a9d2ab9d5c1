"""Who and what the demo invents: the consultancy's people, two client companies, their people and
leadership team, the mentors' profiles. Made up, all of it (`demo/seed.py` makes them)."""

from dataclasses import dataclass

DEMO_PASSWORD = "mentorship-demo"
# Demo consultancy admins have two-factor authentication set up with this (public!) secret:
# `python manage.py demo_totp_code` prints the current code. Never use it outside the demo.
DEMO_TOTP_SECRET = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"


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
    (
        DemoPerson("lina.berg@example.com", "Lina Berg", ("mentee",)),
        "Björkvik Logistik AB",
        "Head of Customer Service",
    ),
]

# The client's sponsor: follows Björkvik's mentoring read-only in the sponsor portal (no other role).
SPONSOR = (DemoPerson("sponsor@example.com", "Ingrid Wall", ()), "Björkvik Logistik AB", "HR Business Partner")

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


# The team's roster changed during the mentorship: Eva Strand (CTO) left, and Lina Berg joined
# later; the leadership team's earlier sessions are not hers, its later ones not Eva's. Ali Hassan
# missed two of the three latest team sessions (a health signal); Maria Sjöberg books the team's
# sessions as its coordinator.
TEAM_LEFT = ("eva.strand@example.com", 35)  # (who, left this many days before the seed day)
TEAM_JOINED_LATE = ("lina.berg@example.com", 21)  # (who, joined this many days before the seed day)
TEAM_COORDINATOR = "maria.sjoberg@example.com"
TEAM_MISSING = "ali.hassan@example.com"


MENTOR_PROFILES = {
    "mentor@example.com": {
        "headline": "Former COO who helps new leaders find their footing",
        "bio": "Twenty years of leading logistics and operations teams. I work with people who are new in a "
        "role, and with leadership teams in the middle of a change.",
        "focus": ["leadership", "new-in-role", "change-management", "team-development"],
        "languages": ["sv", "en"],
        "years_of_experience": 22,
        "mentors_teams": True,
        "capacity": 5,
        "region": "Göteborg",
    },
    "johan.sandell@example.com": {
        "headline": "Strategy and business development for growing companies",
        "bio": "Founder of two companies; I help leaders test new business ideas before they bet on them.",
        "focus": ["strategy-business-development", "leadership", "communication"],
        "languages": ["sv", "en", "no"],
        "years_of_experience": 18,
        "mentors_teams": True,
        "capacity": 3,
        "region": "Stockholm",
    },
    "leila.karimi@example.com": {
        "headline": "Communication and conflict handling under pressure",
        "bio": "HR director turned mentor. I help people handle tougher demands and difficult conversations.",
        "focus": ["communication", "conflict-handling", "personal-effectiveness"],
        "languages": ["en", "sv", "ar"],
        "years_of_experience": 15,
        "mentors_teams": False,
        "capacity": 4,
        "region": "Uppsala",
    },
    "per.holm@example.com": {
        "headline": "Personal effectiveness for leaders with too much on their plate",
        "bio": "Works from New York with Nordic leaders in international roles.",
        "focus": ["personal-effectiveness", "new-in-role"],
        "languages": ["en", "sv"],
        "years_of_experience": 12,
        "mentors_teams": False,
        "capacity": 2,
        "accepting_new": False,
        "region": "New York",
    },
}

# One-to-ones inside the team's engagement (monthly per member): (who, days from the seed day,
# the mentor's shared note or None, the mentor's private note or None). Karin's shared note is
# hers alone; Oskar's note is private to the mentor; Ali's one-to-one is still to come.
TEAM_ONE_TO_ONES = [
    (
        "karin.alm@example.com",
        -16,
        "We agreed you chair the Monday meeting yourself for a month and hand the follow-ups to Maria.",
        "Karin is unsure whether the board backs the nationwide plan; ask again next time.",
    ),
    ("oskar.lund@example.com", -9, None, "Oskar hinted at leaving if the terminal move slips again."),
    ("ali.hassan@example.com", 6, None, None),
]
