"""Engagement health, the at-risk score: signals with weights and reasons in plain words, as pure
functions over `RiskFacts` (fixed by table tests). `selectors.engagement_health` gathers the facts."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mentorship.models import InitiatedBy
from reporting.health.rules import MISSED_LOOKBACK_DAYS

LOW_RATING = 2  # a commitment or feedback rating at or below this is low
FEEDBACK_DROP = 1  # the latest two ratings this much below the earlier average is a fall


class Weight:
    """What each signal adds to the at-risk score."""

    MANAGER_INITIATED = 2
    LOW_COMMITMENT = 2
    MISSED_PER_SESSION = 1  # per no-show or late cancellation by the mentee side …
    MISSED_CAP = 3  # … up to this many
    OVERDUE = 3
    FALLING_FEEDBACK = 2
    NEVER_BOOKS = 1
    MEMBER_MISSING = 2  # a team member who keeps missing the team's sessions (once, however many)


SIGNAL_LABELS = {
    "manager_initiated": gettext_lazy("Initiated by a manager"),
    "low_commitment": gettext_lazy("Low commitment at intake"),
    "missed_sessions": gettext_lazy("No-shows and late cancellations"),
    "overdue": gettext_lazy("Due with nothing booked"),
    "falling_feedback": gettext_lazy("Falling feedback"),
    "never_books": gettext_lazy("Never books their own sessions"),
    "member_missing": gettext_lazy("A team member keeps missing"),
}


@dataclass(frozen=True)
class RiskFacts:
    """What the at-risk score looks at, for one engagement, as plain data."""

    is_team: bool = False
    initiated_by: str = InitiatedBy.MENTEE
    commitments: tuple[int, ...] = ()  # intake answers, one per mentee who answered
    no_shows: int = 0  # in the last MISSED_LOOKBACK_DAYS
    late_cancellations: int = 0  # by the mentee side, in the last MISSED_LOOKBACK_DAYS
    overdue_days: int | None = None
    ratings: tuple[tuple[int, int], ...] = ()  # (usefulness, trust), oldest session first
    sessions: int = 0  # every session, whatever its status
    booked_by_mentee: int = 0
    # (member's name, absent, of the member's last recorded team sessions) for each current member
    # who keeps missing; see `rules.MEMBER_RECENT_SESSIONS`.
    member_absences: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True)
class Signal:
    code: str
    weight: int
    explain: Callable[[], str] = field(repr=False, compare=False)  # words `reason`

    @property
    def label(self) -> str:
        return str(SIGNAL_LABELS[self.code])

    @cached_property
    def reason(self) -> str:
        """Why the signal applies, in plain words in the active language. Worked out when first
        asked for: the dashboard scores every active engagement but explains only the few it lists."""
        return self.explain()


def _number(value: float) -> str:
    return formats.number_format(value, decimal_pos=1)


def _mean(values: Sequence[int]) -> float:
    # Whole numbers: as `statistics.mean` (both round the exact quotient once), much cheaper.
    return sum(values) / len(values)


def _fell(recent: Sequence[int], earlier: Sequence[int]) -> bool:
    """mean(recent) <= mean(earlier) - FEEDBACK_DROP, in whole numbers: exact like
    `statistics.mean`, without its cost (the dashboard asks this for every active engagement)."""
    return sum(recent) * len(earlier) <= (sum(earlier) - FEEDBACK_DROP * len(earlier)) * len(recent)


_RATING_NAMES = {0: gettext_lazy("usefulness"), 1: gettext_lazy("trust")}


# (which rating: 0 usefulness, 1 trust; the latest two; the earlier ones, or None for a low rating)
FeedbackFinding = tuple[int, list[int], list[int] | None]


def _feedback_findings(ratings: Sequence[tuple[int, int]]) -> list[FeedbackFinding]:
    latest, earlier = ratings[-2:], ratings[:-2]
    findings: list[FeedbackFinding] = []
    for index in _RATING_NAMES:
        recent = [rating[index] for rating in latest]
        before = [rating[index] for rating in earlier]
        if before and _fell(recent, before):
            findings.append((index, recent, before))
        elif min(recent) <= LOW_RATING:
            findings.append((index, recent, None))
    return findings


def _feedback_reasons(findings: Sequence[FeedbackFinding]) -> str:
    reasons = []
    for index, recent, before in findings:
        name = _RATING_NAMES[index]
        if before is not None:
            reasons.append(
                _("%(what)s fell to %(recent)s on the latest ratings from %(earlier)s before.")
                % {"what": name.capitalize(), "recent": _number(_mean(recent)), "earlier": _number(_mean(before))}
            )
        else:
            reasons.append(
                _("A recent %(what)s rating was %(rating)d of 5.") % {"what": str(name), "rating": min(recent)}
            )
    return " ".join(reasons)


def _manager_reason() -> str:
    return _("Their manager asked for this mentorship, not the mentee themselves.")


def _low_commitment_reason(is_team: bool, low: list[int], answers: int) -> str:
    if is_team:
        return ngettext(
            "%(low)d of %(total)d team members rated their own commitment 2 or lower at intake.",
            "%(low)d of %(total)d team members rated their own commitment 2 or lower at intake.",
            len(low),
        ) % {"low": len(low), "total": answers}
    return _("The mentee rated their own commitment %(rating)d of 5 at intake.") % {"rating": min(low)}


def _missed_reason(no_shows: int, late: int) -> str:
    parts = []
    if no_shows:
        parts.append(ngettext("%(count)d no-show", "%(count)d no-shows", no_shows) % {"count": no_shows})
    if late:
        parts.append(ngettext("%(count)d late cancellation", "%(count)d late cancellations", late) % {"count": late})
    what = parts[0] if len(parts) == 1 else _("%(no_shows)s and %(late)s") % {"no_shows": parts[0], "late": parts[1]}
    return _("%(what)s by the mentee side in the last %(days)d days.") % {"what": what, "days": MISSED_LOOKBACK_DAYS}


def _overdue_reason(days: int) -> str:
    return ngettext(
        "Nothing is booked, and the next session was due %(days)d day ago.",
        "Nothing is booked, and the next session was due %(days)d days ago.",
        days,
    ) % {"days": days}


def _never_books_reason(sessions: int) -> str:
    return ngettext(
        "The mentee booked none of the %(count)d session themselves.",
        "The mentee booked none of the %(count)d sessions themselves.",
        sessions,
    ) % {"count": sessions}


def _member_missing_reason(absences: Sequence[tuple[str, int, int]]) -> str:
    return " ".join(
        ngettext(
            "%(name)s was absent from %(missed)d of the last %(count)d team session.",
            "%(name)s was absent from %(missed)d of the last %(count)d team sessions.",
            count,
        )
        % {"name": name, "missed": missed, "count": count}
        for name, missed, count in absences
    )


def risk_signals(facts: RiskFacts) -> list[Signal]:
    """The signals that apply to an engagement, each with its weight and a reason in plain words.

    - Initiated by a manager rather than the mentee (a leadership team's own decision is not a
      signal): +2.
    - Low commitment at intake: any answer of 2 or less on the 1–5 scale (for a team, one member
      at 2 is enough — a team's mean hides the one who is not on board): +2.
    - No-shows and late cancellations by the mentee side in the last 90 days: +1 each, at most +3.
    - Due with nothing booked (overdue, see `overdue_days`): +3.
    - Falling feedback: the latest two ratings' average is 1 or more below the earlier average,
      or one of the latest two is 2 or less, for usefulness or trust (each team member's rating
      counts as one rating): +2.
    - A mentee who never books their own sessions: an individual engagement with 2 or more
      sessions, none of them booked by the mentee: +1.
    - A team member who keeps missing: absent from 2 or more of their last 3 team sessions with
      attendance per member recorded, while still in the team: +2 (once, naming each such member).
    """
    # Each reason is worded only when shown (see `Signal.reason`).
    signals: list[Signal] = []
    if facts.initiated_by == InitiatedBy.MANAGER:
        signals.append(Signal("manager_initiated", Weight.MANAGER_INITIATED, _manager_reason))
    low = [value for value in facts.commitments if value <= LOW_RATING]
    if low:
        reason = partial(_low_commitment_reason, facts.is_team, low, len(facts.commitments))
        signals.append(Signal("low_commitment", Weight.LOW_COMMITMENT, reason))
    missed = facts.no_shows + facts.late_cancellations
    if missed:
        weight = min(missed, Weight.MISSED_CAP) * Weight.MISSED_PER_SESSION
        reason = partial(_missed_reason, facts.no_shows, facts.late_cancellations)
        signals.append(Signal("missed_sessions", weight, reason))
    if facts.overdue_days is not None:
        signals.append(Signal("overdue", Weight.OVERDUE, partial(_overdue_reason, facts.overdue_days)))
    if facts.ratings and (findings := _feedback_findings(facts.ratings)):
        signals.append(Signal("falling_feedback", Weight.FALLING_FEEDBACK, partial(_feedback_reasons, findings)))
    if not facts.is_team and facts.sessions >= 2 and facts.booked_by_mentee == 0:
        signals.append(Signal("never_books", Weight.NEVER_BOOKS, partial(_never_books_reason, facts.sessions)))
    if facts.member_absences:
        reason = partial(_member_missing_reason, facts.member_absences)
        signals.append(Signal("member_missing", Weight.MEMBER_MISSING, reason))
    return signals


def risk_level(score: int) -> str:
    """ "high" from 5, "medium" from 3, "low" from 1, "" for no risk."""
    if score >= 5:
        return "high"
    if score >= 3:
        return "medium"
    return "low" if score > 0 else ""


RISK_LEVEL_LABELS = {
    "high": gettext_lazy("High risk"),
    "medium": gettext_lazy("Some risk"),
    "low": gettext_lazy("Low risk"),
}
