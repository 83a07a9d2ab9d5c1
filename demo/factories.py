"""The one way to make data: the tests, the demo (`seed_demo`) and the benchmarks all build their
people, organisations, engagements and sessions here.

`make_*` saves a valid object with sensible defaults and returns it; `build_*` returns the same
object unsaved, for `bulk_create`. Every argument is a keyword; whatever is not named goes to the
model as a field. Nothing here sends email or writes the audit log: that is the services' job.
"""

import datetime
import importlib
from collections.abc import Iterable
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from accounts.mfa import needs_second_factor
from accounts.models import User
from demo.building import number as _number
from demo.building import saved as _saved
from demo.progress_factories import make_check_in as make_check_in  # the progress side, made here too
from demo.progress_factories import make_goal as make_goal
from demo.progress_factories import make_statement as make_statement
from demo.session_factories import (
    build_action_item as build_action_item,
)
from demo.session_factories import (  # the session side, made here too
    build_availability as build_availability,
)
from demo.session_factories import (
    build_feedback as build_feedback,
)
from demo.session_factories import (
    build_note as build_note,
)
from demo.session_factories import (
    build_session as build_session,
)
from demo.session_factories import (
    build_venue as build_venue,
)
from demo.session_factories import (
    make_action_item as make_action_item,
)
from demo.session_factories import (
    make_availability as make_availability,
)
from demo.session_factories import (
    make_booking_settings as make_booking_settings,
)
from demo.session_factories import (
    make_busy_calendar as make_busy_calendar,
)
from demo.session_factories import (
    make_busy_interval as make_busy_interval,
)
from demo.session_factories import (
    make_feedback as make_feedback,
)
from demo.session_factories import (
    make_note as make_note,
)
from demo.session_factories import (
    make_reflection as make_reflection,
)
from demo.session_factories import (
    make_session as make_session,
)
from demo.session_factories import (
    make_time_off as make_time_off,
)
from demo.session_factories import (
    make_venue as make_venue,
)
from mentorship.models import (
    Contract,
    ContractEvent,
    ContractUnit,
    Engagement,
    EngagementEvent,
    FocusArea,
    Inquiry,
    IntakeResponse,
    Invitation,
    LeadershipTeam,
    MentorAssignment,
    MentorProfile,
    Organisation,
    OrganisationMember,
    Sponsorship,
    TeamMembership,
    roster_date,
)

# Every made-up person's password unless given another (None: no usable password, no hashing).
PASSWORD = "correct horse battery staple"
# Consultancy admins must use two-factor authentication; theirs uses this public, made-up secret.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# A fixed start, so that what follows from an engagement's cadence never moves with the day.
ENGAGEMENT_START = datetime.date(2026, 9, 1)


# People ------------------------------------------------------------------------------------------


def build_user(
    *,
    email: str | None = None,
    full_name: str | None = None,
    roles: Iterable[str] = (),
    password: str | None = PASSWORD,
    language: str = "en",
    **fields,
) -> User:
    """A person with `roles` ("mentee", "mentor", "consultancy_admin"). English unless told (the
    tests read English; the demo gives its people their own language)."""
    email = (email or f"person{_number()}@example.org").lower()
    full_name = email.split("@")[0].title() if full_name is None else full_name
    user = User(email=email, full_name=full_name, language=language, **fields)
    for role in roles:
        user.add_role(role)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    return user


def make_user(
    *,
    verified: bool = True,
    with_totp: bool = True,
    totp_secret: str = TOTP_SECRET,
    organisation: Organisation | None = None,
    title: str = "",
    **fields,
) -> User:
    """build_user, saved, with its email address (verified unless told). Whoever needs a second
    factor (consultancy admins, staff, superusers) gets a TOTP authenticator unless
    `with_totp=False`; with `organisation` the person joins it."""
    user = _saved(build_user(**fields))
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    if needs_second_factor(user) and with_totp:
        TOTP.activate(user, totp_secret)
    if organisation is not None:
        make_member(organisation=organisation, user=user, title=title)
    return user


# Organisations and teams --------------------------------------------------------------------------


def build_organisation(*, name: str | None = None, city: str = "Göteborg", **fields) -> Organisation:
    return Organisation(name=name or f"Organisation {_number()} AB", city=city, **fields)


def make_organisation(**fields) -> Organisation:
    return _saved(build_organisation(**fields))


def build_member(*, organisation: Organisation, user: User, title: str = "") -> OrganisationMember:
    return OrganisationMember(organisation=organisation, user=user, title=title)


def make_member(**fields) -> OrganisationMember:
    return _saved(build_member(**fields))


def build_team(*, organisation: Organisation, name: str | None = None, **fields) -> LeadershipTeam:
    return LeadershipTeam(organisation=organisation, name=name or f"Leadership team {_number()}", **fields)


def make_team(*, members: Iterable[User] = (), **fields) -> LeadershipTeam:
    """A leadership team with `members` (people of its organisation) in it."""
    team = _saved(build_team(**fields))
    for user in members:
        make_team_member(team=team, user=user)
    return team


# Unless told, a member has sat in the team for a long while: every session a test or the demo
# makes, however far back, has them on its roster.
LONG_AGO_JOINED = datetime.timedelta(days=3 * 365)


def build_team_member(
    *,
    team: LeadershipTeam,
    user: User,
    title: str | None = None,
    joined_on: datetime.date | None = None,
    left_on: datetime.date | None = None,
) -> TeamMembership:
    """A place in the team; the title is the person's title at the organisation unless given.
    Joined three years ago unless `joined_on` is given; still in the team unless `left_on` is."""
    if title is None:
        membership = OrganisationMember.objects.filter(user=user).first()
        title = membership.title if membership else ""
    joined_on = joined_on or roster_date() - LONG_AGO_JOINED
    return TeamMembership(team=team, user=user, title=title, joined_on=joined_on, left_on=left_on)


def make_team_member(**fields) -> TeamMembership:
    return _saved(build_team_member(**fields))


def make_invitation(*, organisation: Organisation, email: str | None = None, **fields) -> Invitation:
    """A pending invitation to the organisation, two weeks left unless told."""
    fields.setdefault("expires_at", timezone.now() + datetime.timedelta(days=14))
    return _saved(Invitation(organisation=organisation, email=email or f"invitee{_number()}@example.org", **fields))


def make_sponsorship(*, organisation: Organisation, user: User | None = None, **fields) -> Sponsorship:
    """An active sponsor seat at the organisation, for a new person without other roles unless told."""
    user = user or make_user(full_name="Ingrid Sponsor")
    return _saved(Sponsorship(organisation=organisation, user=user, **fields))


def make_inquiry(*, email: str | None = None, name: str = "Mats Fors", **fields) -> Inquiry:
    """A lead from the public contact form (for one person unless told)."""
    fields.setdefault("kind", Inquiry.Kind.INDIVIDUAL)
    fields.setdefault("message", "I have just become a manager for the first time and would like a mentor.")
    return _saved(Inquiry(email=email or f"lead{_number()}@example.org", name=name, **fields))


def build_contract(
    *,
    organisation: Organisation,
    unit: str = ContractUnit.SESSIONS,
    quantity: Decimal | int | None = None,
    start_date: datetime.date = ENGAGEMENT_START,
    **fields,
) -> Contract:
    """A contract with the organisation: twelve sessions at 4 000 SEK each for a year from the
    engagements' start unless told (24 hours at 2 000 SEK for hours; a fixed fee has no number)."""
    if quantity is None and unit != ContractUnit.FIXED_FEE:
        quantity = 24 if unit == ContractUnit.HOURS else 12
    default_price = {ContractUnit.SESSIONS: "4000", ContractUnit.HOURS: "2000"}.get(unit, "60000")
    fields.setdefault("price", Decimal(default_price))
    fields.setdefault("end_date", start_date + datetime.timedelta(days=364))
    fields.setdefault("reference", f"PO-{_number()}")
    return Contract(
        organisation=organisation,
        unit=unit,
        quantity=None if quantity is None else Decimal(quantity),
        start_date=start_date,
        **fields,
    )


def make_contract(**fields) -> Contract:
    return _saved(build_contract(**fields))


def make_contract_event(*, contract: Contract, kind: str = "created", **fields) -> ContractEvent:
    """A line in the contract's history, by whoever created the contract unless told."""
    fields.setdefault("actor", contract.created_by)
    return _saved(ContractEvent(contract=contract, kind=kind, **fields))


# Mentors ------------------------------------------------------------------------------------------


def core_focus_areas() -> dict[str, FocusArea]:
    """The focus areas migration 0003 adds, by slug; put back when a flushed database (the
    benchmark's, transactional tests) lost them."""
    core = importlib.import_module("mentorship.migrations.0003_seed_focus_areas").FOCUS_AREAS
    areas = {}
    for position, (slug, name_en, name_sv) in enumerate(core, start=1):
        areas[slug], _ = FocusArea.objects.get_or_create(
            slug=slug, defaults={"name_en": name_en, "name_sv": name_sv, "position": position * 10}
        )
    return areas


def make_focus_area(*, slug: str | None = None, name_en: str | None = None, **fields) -> FocusArea:
    number = _number()
    fields.setdefault("name_sv", name_en or f"Fokusområde {number}")
    return _saved(FocusArea(slug=slug or f"area-{number}", name_en=name_en or f"Focus area {number}", **fields))


def build_mentor_profile(*, user: User, languages: Iterable[str] = ("sv", "en"), **fields) -> MentorProfile:
    return MentorProfile(user=user, languages=list(languages), **fields)


def make_mentor_profile(*, focus: Iterable[str] = (), **fields) -> MentorProfile:
    """build_mentor_profile, saved, with the focus areas of the slugs in `focus`."""
    profile = _saved(build_mentor_profile(**fields))
    if focus:
        profile.focus_areas.set(FocusArea.objects.filter(slug__in=focus))
    return profile


# Engagements --------------------------------------------------------------------------------------


def build_engagement(
    *,
    mentee: User | None = None,
    team: LeadershipTeam | None = None,
    organisation: Organisation | None = None,
    start_date: datetime.date = ENGAGEMENT_START,
    **fields,
) -> Engagement:
    """An engagement of one mentee or one team (proposed unless told), at their organisation,
    planned for half a year."""
    if organisation is None:
        organisation = team.organisation if team else mentee.organisation_membership.organisation
    fields.setdefault("triggers", ["new_in_role"])
    fields.setdefault("initiated_by", "mentee")
    fields.setdefault("goals", "Grow into the new role.")
    fields.setdefault("planned_end", start_date + datetime.timedelta(days=182))
    return Engagement(organisation=organisation, mentee=mentee, team=team, start_date=start_date, **fields)


def make_engagement(*, focus: Iterable[str] = (), **fields) -> Engagement:
    """build_engagement, saved, with the focus areas of the slugs in `focus`. Without a mentee or
    a team, a new mentee at a new organisation."""
    if fields.get("mentee") is None and fields.get("team") is None:
        organisation = fields.setdefault("organisation", make_organisation())
        fields["mentee"] = make_user(roles=("mentee",), organisation=organisation)
    engagement = _saved(build_engagement(**fields))
    if focus:
        engagement.focus_areas.set(FocusArea.objects.filter(slug__in=focus))
    return engagement


def build_assignment(*, engagement: Engagement, mentor: User, **fields) -> MentorAssignment:
    """A request to `mentor` to take the engagement on (pending unless told), by whoever created
    the engagement unless told."""
    fields.setdefault("assigned_by", engagement.created_by)
    return MentorAssignment(engagement=engagement, mentor=mentor, **fields)


def make_assignment(**fields) -> MentorAssignment:
    return _saved(build_assignment(**fields))


def build_intake(*, engagement: Engagement, mentee: User | None = None, **fields) -> IntakeResponse:
    """The mentee's answers to the intake questions (the engagement's mentee unless given)."""
    fields.setdefault("own_goals", "Lead the team through the change.")
    fields.setdefault("commitment", 4)
    fields.setdefault("wants_from_mentor", "Honest questions.")
    return IntakeResponse(engagement=engagement, mentee=mentee or engagement.mentee, **fields)


def make_intake(**fields) -> IntakeResponse:
    return _saved(build_intake(**fields))


def make_event(*, engagement: Engagement, kind: str = EngagementEvent.Kind.CREATED, **fields) -> EngagementEvent:
    """A line in the engagement's history, by whoever created the engagement unless told."""
    fields.setdefault("actor", engagement.created_by)
    return _saved(EngagementEvent(engagement=engagement, kind=kind, **fields))
