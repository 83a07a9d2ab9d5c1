"""Emails about sessions (booked, moved, cancelled, confirmed, a new meeting link): one outbox email per participant,
recorded in the transaction that changes the session (core.outbox), so that a lost broker message
or a dead worker delays an email and never drops or doubles it."""

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import outbox
from core.emails import absolute_url, render_templated_email
from sessions.booking import selectors
from sessions.calendars.ics import invite_ics
from sessions.models import MentoringSession, SessionStatus

KINDS = {"booked", "moved", "cancelled", "confirmed", "link"}
SESSION_EMAIL = "sessions.session_email"


def session_email_key(session: MentoringSession, kind: str, recipient_id: int, sequence: int) -> str:
    # One email per change (the session's SEQUENCE) and person.
    return f"session-email:{session.uuid}:{sequence}:{kind}:{recipient_id}"


def queue_session_emails(session: MentoringSession, kind: str) -> int:
    """Record the email about this change for every participant, in the caller's transaction."""
    if kind not in KINDS:
        raise ValueError(f"unknown session email kind {kind!r}")
    people = selectors.participants(session)
    for person in people:
        outbox.enqueue(
            SESSION_EMAIL,
            key=session_email_key(session, kind, person.pk, session.sequence),
            session_id=session.pk,
            kind=kind,
            recipient_id=person.pk,
            sequence=session.sequence,
        )
    return len(people)


@outbox.sender(SESSION_EMAIL, label=_("Session booked, moved, cancelled or confirmed"))
def session_email(*, session_id: int, kind: str, recipient_id: int, sequence: int | None = None) -> EmailMessage | None:
    """The email to one participant, unless the session has changed since (a newer email is on
    its way) or the person's account is closed."""
    if kind not in KINDS:
        raise ValueError(f"unknown session email kind {kind!r}")
    session = (
        MentoringSession.objects.select_related("engagement__team", "engagement__mentee", "mentor", "mentee", "venue")
        .filter(pk=session_id)
        .first()
    )
    if session is None or (sequence is not None and sequence != session.sequence):
        return None
    if (kind == "cancelled") != (session.status == SessionStatus.CANCELLED):
        return None
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None:
        return None
    people = selectors.participants(session)
    return render_templated_email(
        to=[recipient.email],
        template=f"session_{kind}",
        context={
            "session": session,
            "recipient": recipient,
            "participants": people,
            "session_url": absolute_url(session.get_absolute_url()),
            "sessions_url": absolute_url(reverse("mentoring_sessions:session-list")),
        },
        language=recipient.language,
        time_zone=recipient.time_zone,
        attachments=[
            (
                "invite.ics",
                invite_ics(session, participants=people, zone_name=recipient.time_zone, language=recipient.language),
                "text/calendar; charset=utf-8; method=" + ("CANCEL" if kind == "cancelled" else "REQUEST"),
            )
        ],
    )
