"""Fixtures for the mentorship domain: two client organisations, a team, engagements.

The people come from the root conftest: `consultancy_admin`, `mentor`, `other_mentor`, `mentee`
(at `organisation`) and `outsider_mentee` (at `other_organisation`).
"""

import datetime

import pytest

from mentorship.models import (
    Engagement,
    FocusArea,
    LeadershipTeam,
    MentorProfile,
    Organisation,
    OrganisationMember,
    TeamMembership,
)


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Alder Freight AB", city="Göteborg")


@pytest.fixture
def other_organisation(db):
    return Organisation.objects.create(name="Birch Power AB", city="Uppsala")


@pytest.fixture
def mentee(mentee, organisation):
    OrganisationMember.objects.create(organisation=organisation, user=mentee, title="Head of Sales")
    return mentee


@pytest.fixture
def outsider_mentee(outsider_mentee, other_organisation):
    OrganisationMember.objects.create(organisation=other_organisation, user=outsider_mentee, title="CFO")
    return outsider_mentee


@pytest.fixture
def team(organisation, user_factory):
    team = LeadershipTeam.objects.create(organisation=organisation, name="Alder leadership team")
    for index, title in enumerate(["CEO", "CFO", "COO"]):
        member = user_factory(f"team.member{index}@example.org", roles=("mentee",), full_name=f"Team Member {index}")
        OrganisationMember.objects.create(organisation=organisation, user=member, title=title)
        TeamMembership.objects.create(team=team, user=member, title=title)
    return team


@pytest.fixture
def focus_areas(db):
    """The focus areas seeded by migration 0003, by slug."""
    return {area.slug: area for area in FocusArea.objects.all()}


@pytest.fixture
def mentor_profile_factory(db):
    def make(user, *, focus=(), languages=("sv", "en"), **fields):
        profile = MentorProfile.objects.create(user=user, languages=list(languages), **fields)
        if focus:
            profile.focus_areas.set(FocusArea.objects.filter(slug__in=focus))
        return profile

    return make


@pytest.fixture
def engagement_factory(db):
    def make(*, mentee=None, team=None, mentor=None, status=Engagement.Status.PROPOSED, focus=(), **fields):
        organisation = team.organisation if team else mentee.organisation_membership.organisation
        start = fields.pop("start_date", datetime.date(2026, 9, 1))
        engagement = Engagement.objects.create(
            organisation=organisation,
            mentee=mentee,
            team=team,
            mentor=mentor,
            status=status,
            triggers=fields.pop("triggers", ["new_in_role"]),
            initiated_by=fields.pop("initiated_by", "mentee"),
            goals=fields.pop("goals", "Grow into the new role."),
            start_date=start,
            planned_end=fields.pop("planned_end", start + datetime.timedelta(days=182)),
            **fields,
        )
        if focus:
            engagement.focus_areas.set(FocusArea.objects.filter(slug__in=focus))
        return engagement

    return make


@pytest.fixture
def engagement(engagement_factory, mentee, mentor):
    """An active individual engagement: `mentor` mentors `mentee`."""
    return engagement_factory(mentee=mentee, mentor=mentor, status=Engagement.Status.ACTIVE, focus=["leadership"])


@pytest.fixture
def team_engagement(engagement_factory, team, mentor):
    return engagement_factory(team=team, mentor=mentor, status=Engagement.Status.ACTIVE, initiated_by="leadership_team")


@pytest.fixture
def outsider_engagement(engagement_factory, outsider_mentee, other_mentor):
    return engagement_factory(mentee=outsider_mentee, mentor=other_mentor, status=Engagement.Status.ACTIVE)
