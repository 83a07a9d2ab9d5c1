"""Demo: a mentee's choice of mentor that went back to them. Solhaga's proposed engagement was
offered three mentors, the mentee chose Per Holm and he declined, so the choice is hers again and
the engagement is in the admins' "needs attention" queue."""

import datetime

from django.utils import timezone

from accounts.models import User
from demo import factories
from mentorship.models import Engagement, EngagementEvent, MentorOption

# Solhaga's proposed engagement: three mentors were offered, the mentee chose Per Holm and he
# declined, so the choice is back with the mentee and in the admins' queue.
DECLINED_CHOICE = {
    "for": "other.mentee@example.com",
    "options": ["per.holm@example.com", "leila.karimi@example.com", "mentor@example.com"],
    "reasons": ["Has mentored people testing a new business idea", "Works in English"],
    "decline_reason": "Fully booked until February: I would not give this the time it needs.",
}


def seed_declined_choice(people: dict[str, User]) -> None:
    """Once: the options, the mentee's choice and the chosen mentor's decline, days apart."""
    engagement = Engagement.objects.filter(
        mentee=people[DECLINED_CHOICE["for"]], status=Engagement.Status.PROPOSED
    ).first()
    if engagement is None or engagement.mentor_options.exists():
        return
    now = timezone.now()
    offered, chosen, declined = (now - datetime.timedelta(days=days) for days in (4, 3, 1))
    mentors = [people[email] for email in DECLINED_CHOICE["options"]]
    for rank, mentor in enumerate(mentors, start=1):
        option = MentorOption.objects.create(
            engagement=engagement, mentor=mentor, rank=rank, reasons=DECLINED_CHOICE["reasons"]
        )
        MentorOption.objects.filter(pk=option.pk).update(
            created_at=offered, **({"chosen_at": chosen, "declined_at": declined} if rank == 1 else {})
        )
    engagement.mentee_chooses = True
    engagement.save(update_fields=["mentee_chooses"])
    factories.make_assignment(
        engagement=engagement,
        mentor=mentors[0],
        assigned_by=engagement.mentee,
        status="declined",
        decline_reason=DECLINED_CHOICE["decline_reason"],
        responded_at=declined,
    )
    kind = EngagementEvent.Kind
    admin = people["admin@example.com"]
    for what, actor, at, detail in (
        (kind.OPTIONS_OFFERED, admin, offered, ", ".join(mentor.display_name for mentor in mentors)),
        (kind.MENTEE_CHOSE, engagement.mentee, chosen, mentors[0].display_name),
        (kind.MENTOR_DECLINED, mentors[0], declined, DECLINED_CHOICE["decline_reason"]),
    ):
        factories.make_event(engagement=engagement, kind=what, actor=actor, at=at, detail=detail)
