"""Explained mentor matching.

The scoring is a pure function over plain data (the dataclasses below): no database, no clock,
no randomness, so the same engagement and mentors always give the same ranking, and table tests
pin the exact scores and reasons. `rank_engagement()` at the bottom is the only part that reads
the database: it loads every candidate in a fixed number of queries and hands plain data to
`rank()`.

Reasons are plain words in the active language; callers that store them (the options offered to
a mentee) compute them inside `translation.override(<reader's language>)`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorship.models import (
    AssignmentStatus,
    Engagement,
    EngagementStatus,
    LanguageCode,
    MentorAssignment,
    MentorProfile,
)

# What a mentor's load counts: engagements they run now (a paused one keeps its place).
LOAD_STATUSES = (EngagementStatus.ACTIVE, EngagementStatus.PAUSED)

POINTS_PER_SHARED_AREA = 10
POINTS_LANGUAGE = 30
POINTS_TEAM_EXPERIENCE = 15
POINTS_PER_FREE_PLACE = 2
FREE_PLACES_COUNTED = 5  # beyond five free places, more room does not make a better match
POINTS_SAME_REGION = 5


@dataclass(frozen=True)
class Area:
    id: int
    name: str


@dataclass(frozen=True)
class Need:
    """What the engagement asks of a mentor."""

    focus_areas: tuple[Area, ...]
    preferred_language: str
    is_team: bool
    city: str = ""


@dataclass(frozen=True)
class Candidate:
    """A mentor as matching sees them. `active_count` is their current load (active + paused)."""

    mentor_id: int
    name: str
    focus_area_ids: frozenset[int]
    languages: tuple[str, ...]
    mentors_teams: bool
    capacity: int
    active_count: int
    accepting_new: bool
    region: str = ""
    headline: str = ""
    is_current_mentor: bool = False
    is_pending: bool = False  # asked to take this engagement and not answered yet
    declined_reason: str | None = None  # None: has not declined this engagement


class ReasonKind:
    FOCUS = "focus"
    LANGUAGE = "language"
    TEAM = "team"
    CAPACITY = "capacity"
    REGION = "region"


@dataclass(frozen=True)
class Reason:
    """One plain-word reason; positive points speak for the mentor, zero against."""

    kind: str
    points: int
    text: str

    @property
    def is_for(self) -> bool:
        return self.points > 0


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    score: int
    reasons: tuple[Reason, ...]
    set_apart_because: tuple[str, ...] = field(default=())

    @property
    def is_available(self) -> bool:
        return not self.set_apart_because

    @property
    def reasons_for(self) -> list[Reason]:
        return [reason for reason in self.reasons if reason.is_for]

    @property
    def reasons_against(self) -> list[Reason]:
        return [reason for reason in self.reasons if not reason.is_for]

    @property
    def free_places(self) -> int:
        return max(self.candidate.capacity - self.candidate.active_count, 0)


@dataclass(frozen=True)
class Ranking:
    ranked: tuple[Match, ...]  # available mentors, best first
    set_apart: tuple[Match, ...]  # at capacity, not taking new engagements, or declined this one

    def top(self, count: int) -> tuple[Match, ...]:
        return self.ranked[:count]


def language_name(code: str) -> str:
    try:
        return str(LanguageCode(code).label)
    except ValueError:
        return code


def _focus_reasons(need: Need, candidate: Candidate) -> list[Reason]:
    shared = [area for area in need.focus_areas if area.id in candidate.focus_area_ids]
    if shared:
        names = ", ".join(area.name for area in shared)
        text = _("Focus areas in common: %(areas)s") % {"areas": names}
        return [Reason(ReasonKind.FOCUS, POINTS_PER_SHARED_AREA * len(shared), text)]
    if need.focus_areas:
        return [Reason(ReasonKind.FOCUS, 0, _("No focus areas in common"))]
    return []


def _language_reason(need: Need, candidate: Candidate) -> Reason:
    language = language_name(need.preferred_language)
    if need.preferred_language in candidate.languages:
        return Reason(ReasonKind.LANGUAGE, POINTS_LANGUAGE, _("Speaks %(language)s") % {"language": language})
    return Reason(ReasonKind.LANGUAGE, 0, _("Does not speak %(language)s") % {"language": language})


def _team_reasons(need: Need, candidate: Candidate) -> list[Reason]:
    if not need.is_team:
        return []
    if candidate.mentors_teams:
        return [Reason(ReasonKind.TEAM, POINTS_TEAM_EXPERIENCE, _("Mentors whole leadership teams"))]
    return [Reason(ReasonKind.TEAM, 0, _("Does not mentor whole leadership teams"))]


def _capacity_reasons(candidate: Candidate, free: int) -> list[Reason]:
    if not free:
        return []
    text = ngettext(
        "Room for %(free)d more engagement (%(active)d of %(capacity)d active)",
        "Room for %(free)d more engagements (%(active)d of %(capacity)d active)",
        free,
    ) % {"free": free, "active": candidate.active_count, "capacity": candidate.capacity}
    return [Reason(ReasonKind.CAPACITY, POINTS_PER_FREE_PLACE * min(free, FREE_PLACES_COUNTED), text)]


def _region_reasons(need: Need, candidate: Candidate) -> list[Reason]:
    region, city = candidate.region.strip(), need.city.strip()
    if not (region and city):
        return []
    if region.casefold() == city.casefold():
        return [
            Reason(
                ReasonKind.REGION, POINTS_SAME_REGION, _("Based in %(region)s, like the client") % {"region": region}
            )
        ]
    text = _("Based in %(region)s; the client is in %(city)s") % {"region": region, "city": city}
    return [Reason(ReasonKind.REGION, 0, text)]


def _set_apart_because(candidate: Candidate, free: int) -> list[str]:
    set_apart: list[str] = []
    if candidate.declined_reason is not None:
        set_apart.append(_("Declined this engagement: %(reason)s") % {"reason": candidate.declined_reason})
    if not candidate.accepting_new:
        set_apart.append(_("Not taking new engagements"))
    if not free:
        set_apart.append(
            _("At capacity: %(active)d of %(capacity)d active")
            % {"active": candidate.active_count, "capacity": candidate.capacity}
        )
    return set_apart


def score(need: Need, candidate: Candidate) -> Match:
    """Score one mentor for one engagement, with the reasons behind every point."""
    free = max(candidate.capacity - candidate.active_count, 0)
    reasons = [
        *_focus_reasons(need, candidate),
        _language_reason(need, candidate),
        *_team_reasons(need, candidate),
        *_capacity_reasons(candidate, free),
        *_region_reasons(need, candidate),
    ]
    return Match(
        candidate=candidate,
        score=sum(reason.points for reason in reasons),
        reasons=tuple(reasons),
        set_apart_because=tuple(_set_apart_because(candidate, free)),
    )


def _order(match: Match) -> tuple:
    # Best score first; ties by name, then by id, so equal mentors never swap between page loads.
    return (-match.score, match.candidate.name.casefold(), match.candidate.mentor_id)


def rank(need: Need, candidates: Iterable[Candidate]) -> Ranking:
    """All candidates scored and ordered: available mentors ranked, the others set apart."""
    matches = sorted((score(need, candidate) for candidate in candidates), key=_order)
    return Ranking(
        ranked=tuple(match for match in matches if match.is_available),
        set_apart=tuple(match for match in matches if not match.is_available),
    )


# Loading from the database ---------------------------------------------------------------------


def candidate_profiles():
    """Every mentor who can be matched: an active user with the mentor role and a profile, with
    their load annotated and focus areas prefetched (three queries however many mentors)."""
    return (
        MentorProfile.objects.filter(user__is_mentor=True, user__is_active=True)
        .select_related("user")
        .prefetch_related("focus_areas")
        .annotate(
            active_count=Count(
                "user__engagements_as_mentor",
                filter=Q(user__engagements_as_mentor__status__in=LOAD_STATUSES),
                distinct=True,
            )
        )
    )


def need_for(engagement: Engagement) -> Need:
    return Need(
        focus_areas=tuple(Area(area.pk, area.name) for area in engagement.focus_areas.all()),
        preferred_language=engagement.preferred_language,
        is_team=engagement.is_team,
        city=engagement.organisation.city,
    )


def candidates_for(engagement: Engagement, profiles: Sequence[MentorProfile] | None = None) -> list[Candidate]:
    """Plain candidates for an engagement, marked with who was asked and who declined it."""
    if profiles is None:
        profiles = candidate_profiles()
    pending: set[int] = set()
    declined: dict[int, str] = {}
    answers = MentorAssignment.objects.filter(
        engagement=engagement, status__in=[AssignmentStatus.PENDING, AssignmentStatus.DECLINED]
    ).order_by("created_at", "pk")
    for mentor_id, status, reason in answers.values_list("mentor_id", "status", "decline_reason"):
        # Oldest first, so the latest request decides: asked again after declining counts as asked.
        if status == AssignmentStatus.PENDING:
            pending.add(mentor_id)
            declined.pop(mentor_id, None)
        else:
            declined[mentor_id] = reason
            pending.discard(mentor_id)
    return [
        Candidate(
            mentor_id=profile.user_id,
            name=profile.user.display_name,
            focus_area_ids=frozenset(area.pk for area in profile.focus_areas.all()),
            languages=tuple(profile.languages),
            mentors_teams=profile.mentors_teams,
            capacity=profile.capacity,
            active_count=profile.active_count,
            accepting_new=profile.accepting_new,
            region=profile.region,
            headline=profile.headline,
            is_current_mentor=profile.user_id == engagement.mentor_id,
            is_pending=profile.user_id in pending,
            declined_reason=declined.get(profile.user_id),
        )
        for profile in profiles
    ]


def rank_engagement(engagement: Engagement) -> Ranking:
    """The ranking for one engagement, in four queries whatever the number of mentors."""
    return rank(need_for(engagement), candidates_for(engagement))
