"""The review at the planned end: what an admin wants in view when deciding to extend, switch
to monthly or complete (the decisions themselves are `mentorship.engagements.services`)."""

import dataclasses
import datetime

from django.utils import timezone

from mentorship.cadence import CadenceRules, Phase
from mentorship.models import Engagement
from reporting.reports.periods import Adherence, adherence_of, held_dates_by_engagement


@dataclasses.dataclass(frozen=True)
class ReviewFacts:
    held: int
    adherence: Adherence
    last_held: datetime.date | None
    days_to_planned_end: int
    in_steady_phase: bool


def review_facts(engagement: Engagement, today: datetime.date | None = None) -> ReviewFacts:
    """What an admin wants in view when deciding: sessions held, adherence, time left. One query."""
    today = today or timezone.localdate()
    dates = held_dates_by_engagement(Engagement.objects.filter(pk=engagement.pk)).get(engagement.pk, [])
    rules = CadenceRules.of(engagement)
    return ReviewFacts(
        held=len(dates),
        adherence=adherence_of(rules, dates),
        last_held=dates[-1] if dates else None,
        days_to_planned_end=(engagement.planned_end - today).days,
        in_steady_phase=rules.phase_on(today) is Phase.STEADY,
    )
