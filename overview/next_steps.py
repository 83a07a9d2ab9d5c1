"""What happens next, for the top of a person's home page: a mentee's mentorship in words with
ONE primary action, and a mentor's to-do (requests to answer, sessions today, notes to write).

Composed from the apps below (`mentorship`, `sessions`) in a fixed number of queries: the
mentee's engagements are those the home page already read (at most HOME_ENGAGEMENT_LIMIT)."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship.matching.services import can_choose, declined_choice, open_options
from mentorship.models import AssignmentStatus, Engagement, EngagementStatus, MentorAssignment, MentorOption
from sessions import access as session_access
from sessions.due import due_from_stats, session_stats
from sessions.models import MentoringSession, SessionNote

SHOWN = 3  # mentorships led with; a person with more has the engagement list


@dataclass(frozen=True)
class NextStep:
    engagement: Engagement
    heading: str  # "Your mentorship with Leila Karimi"
    state: str  # where it stands and what happens next, in words
    action_label: str = ""  # the one primary action, if the mentee has one
    action_url: str = ""


def _heading(engagement: Engagement) -> str:
    if engagement.mentor_id is None:
        return _("Your mentorship") if not engagement.is_team else _("Your team's mentorship")
    name = engagement.mentor.display_name
    if engagement.is_team:
        return _("Your team's mentorship with %(name)s") % {"name": name}
    return _("Your mentorship with %(name)s") % {"name": name}


def _proposed_step(engagement: Engagement, options: list[MentorOption], pending: MentorAssignment | None) -> NextStep:
    choose_url = reverse("mentorship:engagement-choose-mentor", args=[engagement.uuid])
    if can_choose(engagement, options, pending is not None):
        declined = declined_choice(options)
        state = (
            _("%(name)s could not take this on. Choose another of the mentors offered, or ask the consultancy.")
            % {"name": declined.mentor.display_name}
            if declined
            else _("The consultancy suggests %(count)d mentors. Read about them and choose one.")
            % {"count": len(open_options(options))}
        )
        return NextStep(engagement, _heading(engagement), state, _("Choose your mentor"), choose_url)
    declined = declined_choice(options)
    if pending is not None:
        state = _(
            "%(name)s has been asked to be your mentor. You get an email as soon as they answer, "
            "usually within a few days."
        ) % {"name": pending.mentor.display_name}
    elif declined is not None:
        state = _("%(name)s could not take this on. The consultancy has been told and will suggest another mentor.") % {
            "name": declined.mentor.display_name
        }
    else:
        state = _("The consultancy is finding your mentor. You get an email when a mentor has said yes.")
    if not getattr(engagement, "has_answered", True):
        intake_url = reverse("mentorship:engagement-intake", args=[engagement.uuid])
        return NextStep(engagement, _heading(engagement), state, _("Answer the intake questions"), intake_url)
    return NextStep(engagement, _heading(engagement), state)


def _active_step(user: User, engagement: Engagement, due, next_session: MentoringSession | None) -> NextStep:
    heading = _heading(engagement)
    if next_session is not None:
        when = timezone.localtime(next_session.start)
        state = _("Your next session is booked: %(when)s.") % {"when": _format(when)}
        url = reverse("mentoring_sessions:session-detail", args=[next_session.uuid])
        return NextStep(engagement, heading, state, _("See your next session"), url)
    if due is not None:
        state = _("Your next session is due %(day)s and is not booked yet.") % {"day": _format(due.due_date)}
    else:
        state = _("No session is booked yet.")
    if session_access.can_book(user, engagement):
        book_url = reverse("mentoring_sessions:book", args=[engagement.uuid])
        return NextStep(engagement, heading, state, _("Book your next session"), book_url)
    return NextStep(engagement, heading, f"{state} {session_access.booking_refusal(user, engagement)}")


def _format(value) -> str:
    from django.utils.formats import date_format

    if isinstance(value, datetime.datetime):
        return date_format(value, "DATETIME_FORMAT")
    return date_format(value, "DATE_FORMAT")


def mentee_next_steps(user: User, engagements: list[Engagement]) -> list[NextStep]:
    """The mentee's first SHOWN mentorships (from `home_engagements_for`), each with its state and
    one action. Three queries for them all, plus the booking rights of a team engagement."""
    if not user.is_mentee or not engagements:
        return []
    engagements = engagements[:SHOWN]
    proposed = [e.pk for e in engagements if e.status == EngagementStatus.PROPOSED]
    options: dict[int, list[MentorOption]] = {}
    pending: dict[int, MentorAssignment] = {}
    if proposed:
        for option in MentorOption.objects.filter(engagement__in=proposed).select_related("mentor"):
            options.setdefault(option.engagement_id, []).append(option)
        for assignment in MentorAssignment.objects.filter(
            engagement__in=proposed, status=AssignmentStatus.PENDING
        ).select_related("mentor"):
            pending[assignment.engagement_id] = assignment
    now = timezone.now()
    active = [e.pk for e in engagements if e.status == EngagementStatus.ACTIVE]
    with_stats = Engagement.objects.filter(pk__in=active).values("pk").annotate(**session_stats(now, "sessions__"))
    stats = {row["pk"]: row for row in with_stats}
    # The first upcoming session of each, one row per engagement (DISTINCT ON).
    firsts = (
        session_access.sessions_visible_to(user)
        .upcoming(now)
        .filter(engagement__in=active)
        .order_by("engagement_id", "start")
        .distinct("engagement_id")
    )
    upcoming = {session.engagement_id: session for session in firsts}
    steps = []
    for engagement in engagements:
        if engagement.status == EngagementStatus.PROPOSED:
            steps.append(_proposed_step(engagement, options.get(engagement.pk, []), pending.get(engagement.pk)))
        elif engagement.status == EngagementStatus.ACTIVE:
            row = stats.get(engagement.pk, {})
            due = due_from_stats(
                engagement, last_held=row.get("last_held"), next_booked=row.get("next_booked"), now=now
            )
            steps.append(_active_step(user, engagement, due, upcoming.get(engagement.pk)))
        else:
            state = _("Paused for now. The consultancy tells you when it resumes.")
            steps.append(NextStep(engagement, _heading(engagement), state))
    return steps


@dataclass(frozen=True)
class MentorTodo:
    sessions_today: list[MentoringSession]  # still to come today, in the mentor's zone
    without_notes: list[MentoringSession]  # held in the last NOTES_WITHIN_DAYS, no note by them yet
    without_notes_more: int

    @property
    def is_empty(self) -> bool:
        return not (self.sessions_today or self.without_notes)


NOTES_WITHIN_DAYS = 30
TODO_LIMIT = 5


def mentor_todo(user: User) -> MentorTodo | None:
    """A mentor's next things to do besides answering requests (which have their own box):
    today's sessions still to come and recent held sessions without their note. Two or three
    queries over the mentor's own sessions."""
    if not user.is_mentor:
        return None
    now = timezone.now()
    end_of_day = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    own = MentoringSession.objects.filter(mentor=user).select_related("mentee", "team")
    today = list(own.upcoming(now).filter(start__lte=end_of_day).order_by("start")[:TODO_LIMIT])
    noted = SessionNote.objects.filter(session=OuterRef("pk"), author=user)
    missing = (
        own.held(now)
        .filter(end__gt=now - datetime.timedelta(days=NOTES_WITHIN_DAYS))
        .exclude(Exists(noted))
        .order_by("-start")
    )
    rows = list(missing[: TODO_LIMIT + 1])
    more = missing.count() - TODO_LIMIT if len(rows) > TODO_LIMIT else 0
    return MentorTodo(sessions_today=today, without_notes=rows[:TODO_LIMIT], without_notes_more=more)
