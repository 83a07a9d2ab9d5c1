"""A person's own data, taken out: the JSON export of everything they may see, and a mentor's
export of their own notes.

Reads go through the access modules (`mentorship.access`, `sessions.access`): a mentee's export
holds exactly what they may already see, so a mentor's private note never leaves the system,
except in its own author's notes export. Every export is written to the audit log.
"""

import datetime
import json
from typing import Any

from allauth.account.models import EmailAddress
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import DeletionRequest, User
from accounts.signals import personal_data_export
from mentorship import audit
from mentorship.access import engagements_visible_to
from mentorship.models import (
    AuditEntry,
    Engagement,
    EngagementOutcome,
    IntakeResponse,
    OrganisationMember,
    TeamMembership,
)
from sessions.access import notes_visible_to_for_sessions, sessions_visible_to
from sessions.models import (
    ActionItem,
    Feedback,
    MentoringSession,
    NoteVisibility,
    Reflection,
    SessionNote,
)

FORMAT_VERSION = 1


# Export helpers --------------------------------------------------------------------------------


def _utc(moment: datetime.datetime | None) -> str | None:
    """ISO 8601 in UTC, the zone every reader of the file can convert from."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).isoformat()


def _date(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _header(kind: str) -> dict[str, Any]:
    return {"kind": kind, "format_version": FORMAT_VERSION, "exported_at": _utc(timezone.now())}


def to_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def export_filename(kind: str) -> str:
    return f"mentorship-{kind}-{timezone.now().date().isoformat()}.json"


def _session_ref(session: MentoringSession) -> dict[str, Any]:
    return {"id": str(session.uuid), "start": _utc(session.start), "end": _utc(session.end)}


def _venue(session: MentoringSession) -> dict[str, Any] | None:
    venue = session.venue
    if venue is None:
        return None
    return {
        "name": venue.name,
        "kind": venue.kind,
        "address": venue.address,
        "city": venue.city,
        "meeting_url": session.live_meeting_url,  # the session's own room: the person sat in it
    }


# A person's own data ---------------------------------------------------------------------------


def own_engagements(user: User) -> QuerySet[Engagement]:
    """The engagements the person takes part in as a mentee: their own, or their team's. Built on
    the access scoper, so it never holds more than the person may open."""
    return (
        engagements_visible_to(user)
        .filter(Q(mentee=user) | Q(team__memberships__user=user))
        .distinct()
        .select_related("organisation", "team", "mentor")
        .prefetch_related("focus_areas")
        .order_by("start_date", "pk")
    )


def _profile(user: User) -> dict[str, Any]:
    membership = OrganisationMember.objects.filter(user=user).select_related("organisation").first()
    teams = TeamMembership.objects.filter(user=user).select_related("team__organisation").order_by("team__name")
    return {
        "name": user.full_name,
        "email": user.email,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "time_zone": user.time_zone,
        "language": user.language,
        "roles": user.roles,
        "joined": _utc(user.date_joined),
        "organisation": (
            {"name": membership.organisation.name, "title": membership.title} if membership is not None else None
        ),
        "teams": [
            {"name": item.team.name, "organisation": item.team.organisation.name, "title": item.title} for item in teams
        ],
    }


def _sessions(sessions: list[MentoringSession], notes: dict[int, list[SessionNote]]) -> list[dict[str, Any]]:
    return [
        {
            **_session_ref(session),
            "status": session.status,
            "venue": _venue(session),
            "cancelled_late": session.late_cancellation,
            "cancellation_reason": session.cancellation_reason,
            "notes": [
                {
                    "visibility": note.visibility,
                    "text": note.body,
                    "written": _utc(note.created_at),
                    "changed": _utc(note.updated_at),
                }
                for note in notes.get(session.pk, [])
            ],
        }
        for session in sessions
    ]


def _engagement(
    user: User, engagement: Engagement, sessions: list[MentoringSession], notes: dict[int, list[SessionNote]]
) -> dict[str, Any]:
    intake = IntakeResponse.objects.filter(engagement=engagement, mentee=user).first()
    outcome = EngagementOutcome.objects.filter(engagement=engagement).first()
    items = ActionItem.objects.filter(engagement=engagement).select_related("owner", "session").order_by("pk")
    return {
        "id": str(engagement.uuid),
        "organisation": engagement.organisation.name,
        "team": engagement.team.name if engagement.team_id else None,
        "mentor": engagement.mentor.display_name if engagement.mentor_id else None,
        "status": engagement.status,
        "start_date": _date(engagement.start_date),
        "planned_end": _date(engagement.planned_end),
        "triggers": engagement.triggers,
        "trigger_other": engagement.trigger_other,
        "initiated_by": engagement.initiated_by,
        "focus_areas": [area.name_en for area in engagement.focus_areas.all()],
        "goals": engagement.goals,
        "language": engagement.preferred_language,
        "your_intake_answers": (
            {
                "own_goals": intake.own_goals,
                "commitment": intake.commitment,
                "wants_from_mentor": intake.wants_from_mentor,
                "submitted": _utc(intake.submitted_at),
                "updated": _utc(intake.updated_at),
            }
            if intake is not None
            else None
        ),
        "outcome": (
            {
                "goals_reached_mentee_words": outcome.mentee_words,
                "goals_reached_mentor_words": outcome.mentor_words,
                "final_feedback": outcome.final_feedback,
                "recorded": _utc(outcome.recorded_at),
            }
            if outcome is not None
            else None
        ),
        "sessions": _sessions(sessions, notes),
        "action_items": [
            {
                "text": item.text,
                "owner": "you" if item.owner_id == user.pk else item.owner.display_name,
                "due_date": _date(item.due_date),
                "done": _utc(item.done_at),
                "agreed": _utc(item.created_at),
                "session": str(item.session.uuid) if item.session_id else None,
            }
            for item in items
        ],
    }


def export_own_data(*, user: User) -> dict[str, Any]:
    """Everything the person may see about themselves, as plain JSON-ready data."""
    engagements = list(own_engagements(user))
    sessions_by_engagement: dict[int, list[MentoringSession]] = {engagement.pk: [] for engagement in engagements}
    visible_sessions = (
        sessions_visible_to(user)
        .filter(engagement__in=[engagement.pk for engagement in engagements])
        .select_related("venue")
        .order_by("start", "pk")
    )
    for session in visible_sessions:
        sessions_by_engagement[session.engagement_id].append(session)
    # The note scoper's rules for many sessions at once: for a mentee, the shared notes (and any
    # they wrote themselves), never a mentor's private note. The file leaves the system, so the
    # scoper's answer is narrowed once more to exactly that, as a second lock on the same door.
    readable = notes_visible_to_for_sessions(user, visible_sessions).filter(
        Q(visibility=NoteVisibility.SHARED) | Q(author=user)
    )
    notes: dict[int, list[SessionNote]] = {}
    for note in readable.order_by("created_at", "pk"):
        notes.setdefault(note.session_id, []).append(note)
    # The person's own writing, wherever it is: theirs to take, even from a team they have left.
    reflections = Reflection.objects.filter(author=user).select_related("session").order_by("created_at", "pk")
    feedback = Feedback.objects.filter(mentee=user).select_related("session").order_by("created_at", "pk")
    requests = DeletionRequest.objects.filter(user=user).order_by("requested_at", "pk")
    # What the apps beside this one hold of the person (the development plan), by signal.
    others = dict(response for _receiver, response in personal_data_export.send(sender=User, user=user))
    return {
        "export": _header("personal-data"),
        "profile": _profile(user),
        "engagements": [_engagement(user, item, sessions_by_engagement[item.pk], notes) for item in engagements],
        "reflections": [
            {
                "session": _session_ref(item.session),
                "timing": item.timing,
                "visibility": item.visibility,
                "text": item.body,
                "written": _utc(item.created_at),
                "changed": _utc(item.updated_at),
            }
            for item in reflections
        ],
        "feedback": [
            {
                "session": _session_ref(item.session),
                "usefulness": item.usefulness,
                "trust": item.trust,
                "comment": item.comment,
                "given": _utc(item.created_at),
            }
            for item in feedback
        ],
        "deletion_requests": [
            {"asked": _utc(item.requested_at), "reason": item.reason, "completed": _utc(item.completed_at)}
            for item in requests
        ],
        **others,
    }


def export_own_notes(*, user: User) -> dict[str, Any]:
    """Every session note the mentor wrote, private and shared, with its earlier versions. The
    only way a private note leaves the system: to its author, and only to them."""
    notes = (
        SessionNote.objects.filter(author=user)
        .select_related("session__engagement__organisation", "session__engagement__mentee", "session__engagement__team")
        .prefetch_related("revisions")
        .order_by("session__start", "created_at", "pk")
    )
    return {
        "export": _header("own-session-notes"),
        "author": {"name": user.full_name, "email": user.email},
        "notes": [
            {
                "visibility": note.visibility,
                "text": note.body,
                "written": _utc(note.created_at),
                "changed": _utc(note.updated_at),
                "session": {**_session_ref(note.session), "status": note.session.status},
                "engagement": {
                    "id": str(note.session.engagement.uuid),
                    "name": note.session.engagement.subject_name,
                    "organisation": note.session.engagement.organisation.name,
                },
                "earlier_versions": [
                    {"text": revision.body, "replaced": _utc(revision.replaced_at)} for revision in note.revisions.all()
                ],
            }
            for note in notes
        ],
    }


@transaction.atomic
def record_export(*, user: User, kind: str) -> AuditEntry:
    """Write the export to the audit log; the label names the kind and the user id, no more."""
    return audit.record(actor=user, action=AuditEntry.Action.EXPORTED, target=user, label=f"{kind} of user #{user.pk}")
