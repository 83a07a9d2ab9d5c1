"""The mentorship world (registered in the root conftest): two client organisations, `mentee` at
`organisation` and `outsider_mentee` at `other_organisation`, a leadership team, focus areas,
mentor profiles and engagements. Every fixture is a thin wrapper around demo/factories.py."""

import pytest

from accounts.models import User
from demo import factories
from mentorship.models import Engagement, FocusArea, MentorProfile


@pytest.fixture
def organisation(db):
    return factories.make_organisation(name="Alder Freight AB", city="Göteborg")


@pytest.fixture
def other_organisation(db):
    return factories.make_organisation(name="Birch Power AB", city="Uppsala")


@pytest.fixture
def mentee(organisation):
    return factories.make_user(
        email="dave.mentee@example.org",
        roles=("mentee",),
        full_name="Dave Mentee",
        organisation=organisation,
        title="Head of Sales",
    )


@pytest.fixture
def outsider_mentee(other_organisation):
    return factories.make_user(
        email="erin.outsider@example.org",
        roles=("mentee",),
        full_name="Erin Outsider",
        organisation=other_organisation,
        title="CFO",
    )


@pytest.fixture
def team(organisation):
    """Alder's leadership team: three mentees (CEO, CFO, COO) of `organisation`."""
    members = [
        factories.make_user(
            email=f"team.member{index}@example.org",
            roles=("mentee",),
            full_name=f"Team Member {index}",
            organisation=organisation,
            title=title,
        )
        for index, title in enumerate(["CEO", "CFO", "COO"])
    ]
    return factories.make_team(organisation=organisation, name="Alder leadership team", members=members)


@pytest.fixture
def members(team):
    """The team's members, in a fixed order."""
    return [membership.user for membership in team.memberships.select_related("user").order_by("user__email")]


@pytest.fixture
def focus_areas(db):
    """The focus areas seeded by migration 0003, by slug."""
    return {area.slug: area for area in FocusArea.objects.all()}


@pytest.fixture
def mentor_profile_factory(db):
    """factories.make_mentor_profile: mentor_profile_factory(user=..., focus=[slugs], ...)."""
    return factories.make_mentor_profile


@pytest.fixture
def engagement_factory(db):
    """factories.make_engagement: engagement_factory(mentee=... or team=..., mentor=..., ...)."""
    return factories.make_engagement


@pytest.fixture
def bulk_mentors(db):
    """bulk_mentors(count): that many mentors with varied profiles, in a few queries (bulk inserts
    of the factories' build_* objects), for tests of query counts."""

    def make(count: int, *, prefix: str = "bulk", with_focus: bool = True):
        users = User.objects.bulk_create(
            factories.build_user(
                email=f"{prefix}{index}@example.org",
                full_name=f"{prefix.title()} Mentor {index:04d}",
                roles=("mentor",),
                password=None,
            )
            for index in range(count)
        )
        profiles = MentorProfile.objects.bulk_create(
            factories.build_mentor_profile(
                user=user,
                headline=f"Headline {index}",
                languages=["sv", "en"] if index % 2 else ["en"],
                capacity=index % 6,
                accepting_new=index % 7 != 0,
                mentors_teams=index % 3 == 0,
                region="Göteborg" if index % 4 == 0 else "Stockholm",
            )
            for index, user in enumerate(users)
        )
        if with_focus:
            areas = list(FocusArea.objects.order_by("pk"))
            through = MentorProfile.focus_areas.through
            through.objects.bulk_create(
                through(mentorprofile_id=profile.pk, focusarea_id=areas[(index + offset) % len(areas)].pk)
                for index, profile in enumerate(profiles)
                for offset in range(3)
            )
        return users

    return make


@pytest.fixture
def engagement(mentee, mentor):
    """An active individual engagement: `mentor` mentors `mentee`."""
    return factories.make_engagement(
        mentee=mentee, mentor=mentor, status=Engagement.Status.ACTIVE, focus=["leadership"]
    )


@pytest.fixture
def team_engagement(team, mentor):
    return factories.make_engagement(
        team=team, mentor=mentor, status=Engagement.Status.ACTIVE, initiated_by="leadership_team"
    )


@pytest.fixture
def outsider_engagement(outsider_mentee, other_mentor):
    return factories.make_engagement(mentee=outsider_mentee, mentor=other_mentor, status=Engagement.Status.ACTIVE)


@pytest.fixture
def contract(organisation):
    """Alder's contract: twelve sessions at 4 000 SEK, late cancellations and no-shows billable,
    sessions beyond the package refused."""
    return factories.make_contract(organisation=organisation, reference="PO-ALDER-1")


@pytest.fixture
def other_contract(other_organisation):
    """Birch's contract: 24 hours."""
    return factories.make_contract(organisation=other_organisation, unit="hours", reference="PO-BIRCH-1")
