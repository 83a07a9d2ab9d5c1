"""mentorship.access and sessions.access, tested directly as tables of (viewer, object) → allowed."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from demo.factories import make_assignment, make_member, make_session
from mentorship import access
from mentorship.models import MentorOption
from sessions import access as session_access

pytestmark = pytest.mark.django_db

VIEWERS = ["consultancy_admin", "mentor", "other_mentor", "mentee", "outsider_mentee", "team_member", "colleague"]


@pytest.fixture
def world(
    request, engagement, team_engagement, outsider_engagement, user_factory, organisation, mentor_profile_factory
):

    colleague = user_factory(email="colleague@example.org", roles=("mentee",))
    make_member(organisation=organisation, user=colleague)
    people = {name: request.getfixturevalue(name) for name in VIEWERS if name not in ("team_member", "colleague")}
    people["team_member"] = team_engagement.team.memberships.first().user
    people["colleague"] = colleague
    for name in ("mentor", "other_mentor"):
        mentor_profile_factory(user=people[name])
    start = timezone.now() + datetime.timedelta(days=3)
    session = make_session(engagement=engagement, start=start)
    return {"people": people, "engagement": engagement, "team_engagement": team_engagement,
            "outsider_engagement": outsider_engagement, "session": session}  # fmt: skip


# (viewer, object) → may see it
ENGAGEMENT_TABLE = [
    ("consultancy_admin", "engagement", True),
    ("consultancy_admin", "outsider_engagement", True),
    ("mentor", "engagement", True),
    ("mentor", "team_engagement", True),
    ("mentor", "outsider_engagement", False),
    ("other_mentor", "engagement", False),
    ("other_mentor", "outsider_engagement", True),
    ("mentee", "engagement", True),
    ("mentee", "team_engagement", False),
    ("mentee", "outsider_engagement", False),
    ("outsider_mentee", "engagement", False),
    ("outsider_mentee", "outsider_engagement", True),
    ("team_member", "team_engagement", True),
    ("team_member", "engagement", False),
    ("colleague", "engagement", False),
    ("colleague", "team_engagement", False),
]


@pytest.mark.parametrize(("viewer", "target", "allowed"), ENGAGEMENT_TABLE)
def test_engagement_visibility(world, viewer, target, allowed):
    user, engagement = world["people"][viewer], world[target]
    assert access.engagements_visible_to(user).filter(pk=engagement.pk).exists() is allowed
    if allowed:
        assert access.get_engagement_for(user, engagement.uuid) == engagement
    else:
        with pytest.raises(Http404):
            access.get_engagement_for(user, engagement.uuid)


@pytest.mark.parametrize(("viewer", "target", "allowed"), ENGAGEMENT_TABLE)
def test_session_visibility_follows_the_engagement(world, viewer, target, allowed):
    user = world["people"][viewer]
    engagement = world[target]
    start = timezone.now() + datetime.timedelta(days=10, hours=hash(target) % 5)
    session = make_session(engagement=engagement, start=start)
    assert session_access.sessions_visible_to(user).filter(pk=session.pk).exists() is allowed


@pytest.mark.parametrize(
    ("viewer", "allowed"),
    [
        ("consultancy_admin", True),
        ("mentor", False),
        ("other_mentor", False),
        ("mentee", False),
        ("outsider_mentee", False),
    ],
)
def test_only_admins_fetch_for_management(world, viewer, allowed):
    user = world["people"][viewer]
    if allowed:
        assert access.get_engagement_for_admin(user, world["engagement"].uuid)
        assert access.get_organisation_for_admin(user, world["engagement"].organisation.uuid)
    else:
        with pytest.raises(Http404):
            access.get_engagement_for_admin(user, world["engagement"].uuid)
        with pytest.raises(Http404):
            access.get_organisation_for_admin(user, world["engagement"].organisation.uuid)


@pytest.mark.parametrize(
    ("viewer", "sees_mentor", "sees_other_mentor"),
    [
        ("consultancy_admin", True, True),
        ("mentor", True, False),
        ("other_mentor", False, True),
        ("mentee", True, False),  # their own mentor
        ("outsider_mentee", False, True),
        ("colleague", False, False),
    ],
)
def test_mentor_profile_visibility(world, viewer, sees_mentor, sees_other_mentor):
    user = world["people"][viewer]
    visible = access.mentor_profiles_visible_to(user)
    assert visible.filter(user=world["people"]["mentor"]).exists() is sees_mentor
    assert visible.filter(user=world["people"]["other_mentor"]).exists() is sees_other_mentor


def test_a_mentee_sees_profiles_offered_to_them(world, engagement_factory):
    colleague = world["people"]["colleague"]
    proposed = engagement_factory(mentee=colleague)
    MentorOption.objects.create(engagement=proposed, mentor=world["people"]["other_mentor"], rank=1)
    assert access.mentor_profiles_visible_to(colleague).filter(user=world["people"]["other_mentor"]).exists()


def test_a_mentor_asked_to_take_an_engagement_sees_it_until_they_answer(world, engagement_factory):
    colleague, other_mentor = world["people"]["colleague"], world["people"]["other_mentor"]
    proposed = engagement_factory(mentee=colleague)
    assignment = make_assignment(engagement=proposed, mentor=other_mentor)
    assert access.engagements_visible_to(other_mentor).filter(pk=proposed.pk).exists()
    assignment.status = "declined"
    assignment.save()
    assert not access.engagements_visible_to(other_mentor).filter(pk=proposed.pk).exists()


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("consultancy_admin", {"mentee", "outsider_mentee", "team_member", "colleague"}),
        ("mentor", {"mentee", "team_member"}),
        ("other_mentor", {"outsider_mentee"}),
        ("mentee", {"mentee"}),
        ("outsider_mentee", {"outsider_mentee"}),
    ],
)
def test_people_visibility(world, viewer, expected):
    people = world["people"]
    visible = set(access.mentees_visible_to(people[viewer]).values_list("pk", flat=True))
    named = {name for name in ("mentee", "outsider_mentee", "team_member", "colleague") if people[name].pk in visible}
    assert named == expected


@pytest.mark.parametrize(
    ("viewer", "can_book"),
    [
        ("consultancy_admin", True),
        ("mentor", True),
        ("mentee", True),
        ("other_mentor", False),
        ("outsider_mentee", False),
    ],
)
def test_who_may_book_an_individual_engagement(world, viewer, can_book):
    assert session_access.can_book(world["people"][viewer], world["engagement"]) is can_book


@pytest.mark.parametrize(
    ("viewer", "can_book"),
    [("mentor", True), ("team_member", False), ("consultancy_admin", True), ("outsider_mentee", False)],
)
def test_who_may_book_for_a_leadership_team(world, viewer, can_book):
    assert session_access.can_book(world["people"][viewer], world["team_engagement"]) is can_book


def test_organisations_visible_to_a_mentee_are_only_their_own(world):
    mentee = world["people"]["mentee"]
    assert list(access.organisations_visible_to(mentee)) == [world["engagement"].organisation]
    assert not access.organisations_visible_to(world["people"]["mentor"]).exists()


@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_admins_see_contracts(world, viewer, contract, other_contract):
    user = world["people"][viewer]
    allowed = viewer == "consultancy_admin"
    assert set(access.contracts_visible_to(user)) == ({contract, other_contract} if allowed else set())
    if allowed:
        assert access.get_contract_for_admin(user, contract.uuid) == contract
        event = contract.events.create(kind="created", actor=user)
        assert list(access.contract_events_visible_to(user, contract)) == [event]
    else:
        contract.events.create(kind="created")
        with pytest.raises(Http404):
            access.get_contract_for_admin(user, contract.uuid)
        assert not access.contract_events_visible_to(user, contract).exists()


# (viewer, engagement) → sees how much of the package it draws on is used (never the contract)
USAGE_TABLE = [
    ("consultancy_admin", "engagement", True),
    ("consultancy_admin", "outsider_engagement", True),
    ("mentor", "engagement", True),
    ("mentor", "team_engagement", True),
    ("mentor", "outsider_engagement", False),
    ("other_mentor", "engagement", False),
    ("other_mentor", "outsider_engagement", True),
    ("mentee", "engagement", True),
    ("mentee", "team_engagement", False),
    ("outsider_mentee", "engagement", False),
    ("outsider_mentee", "outsider_engagement", True),
    ("team_member", "team_engagement", True),
    ("team_member", "engagement", False),
    ("colleague", "engagement", False),
]


@pytest.mark.parametrize(("viewer", "target", "allowed"), USAGE_TABLE)
def test_usage_visibility(world, viewer, target, allowed, contract, other_contract):
    from sessions import usage

    engagement = world[target]
    engagement.contract = other_contract if target == "outsider_engagement" else contract
    engagement.save()
    assert (usage.usage_for(world["people"][viewer], engagement) is not None) is allowed


@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_admins_bill(world, viewer, contract):
    from billing import access as billing_access

    user = world["people"][viewer]
    allowed = viewer == "consultancy_admin"
    assert billing_access.may_bill(user) is allowed
    assert billing_access.invoices_of(user, contract).query.is_empty() is not allowed
    if allowed:
        assert billing_access.get_contract_for_billing(user, contract.uuid) == contract
    else:
        with pytest.raises(Http404):
            billing_access.get_contract_for_billing(user, contract.uuid)
