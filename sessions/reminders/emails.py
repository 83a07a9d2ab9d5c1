"""The email for each reminder kind: text + HTML in the recipient's language and time zone, an
.ics for session reminders, links to book or reschedule, and a one-click unsubscribe."""

import datetime

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from accounts.models import User
from accounts.unsubscribe import unsubscribe_path
from core.emails import absolute_url, render_templated_email
from mentorship.models import Contract, Engagement
from sessions import usage
from sessions.booking import selectors
from sessions.calendars.ics import invite_ics
from sessions.models import MentoringSession, ReminderKind
from sessions.one_to_ones.nudges import member_of_key
from sessions.one_to_ones.paths import one_to_one_booking_path
from sessions.reminders.sweep import PREFERENCE, Reminder


def build(reminder: Reminder, recipient: User) -> EmailMultiAlternatives:
    if reminder.contract_id is not None:
        return _build_contract_alert(reminder, recipient)
    session = (
        MentoringSession.objects.select_related("engagement__team", "mentor", "mentee", "venue").get(
            pk=reminder.session_id
        )
        if reminder.session_id
        else None
    )
    engagement = (
        session.engagement
        if session
        else Engagement.objects.select_related("mentor", "mentee", "team").get(pk=reminder.engagement_id)
    )
    unsubscribe = absolute_url(unsubscribe_path(recipient, PREFERENCE[reminder.kind]))
    context = {
        "recipient": recipient,
        "engagement": engagement,
        "session": session,
        "kind": reminder.kind,
        "about": reminder.about,
        "is_mentor": recipient.pk == engagement.mentor_id,
        "engagement_url": absolute_url(engagement.get_absolute_url()),
        "book_url": absolute_url(reverse("mentoring_sessions:book", args=[engagement.uuid])),
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute_url(reverse("accounts:profile")),
    }
    if (member_pk := member_of_key(reminder.key)) is not None:
        # A one-to-one's nudge: to book with the member's own link (the mentor's names the member).
        context["one_to_one_member"] = User.objects.get(pk=member_pk)
        context["book_url"] = absolute_url(
            one_to_one_booking_path(engagement, member_pk, for_mentor=context["is_mentor"])
        )
    attachments = []
    if session is not None:
        context["session_url"] = absolute_url(session.get_absolute_url())
        context["reschedule_url"] = absolute_url(reverse("mentoring_sessions:session-reschedule", args=[session.uuid]))
        if reminder.kind == ReminderKind.SESSION:
            people = selectors.participants(session)
            context["participants"] = people
            invite = invite_ics(
                session, participants=people, zone_name=recipient.time_zone, language=recipient.language
            )
            attachments.append(("invite.ics", invite, "text/calendar; charset=utf-8; method=REQUEST"))
    if reminder.kind in (ReminderKind.BOOKING_NUDGE, ReminderKind.REVIEW, ReminderKind.PHASE_CHANGE):
        context["about_date"] = datetime.date.fromisoformat(reminder.about)
    return render_templated_email(
        to=[recipient.email],
        template=f"reminder_{reminder.kind}",
        context=context,
        language=recipient.language,
        time_zone=recipient.time_zone,
        attachments=attachments,
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def _build_contract_alert(reminder: Reminder, recipient: User) -> EmailMultiAlternatives:
    """A contract's package is mostly or wholly used, or the contract ends soon. Counts and dates
    only: no price, and the contract's reference and page only for admins."""
    contract = Contract.objects.select_related("organisation").get(pk=reminder.contract_id)
    unsubscribe = absolute_url(unsubscribe_path(recipient, PREFERENCE[reminder.kind]))
    is_admin = recipient.is_consultancy_admin
    context = {
        "recipient": recipient,
        "organisation_name": contract.organisation.name,
        "reference": contract.reference if is_admin else "",
        "usage": usage.usage_of(contract),
        "end_date": contract.end_date,
        "percent": reminder.about if reminder.kind == ReminderKind.CONTRACT_USAGE else "",
        "link": absolute_url(contract.get_absolute_url() if is_admin else reverse("mentorship:engagement-list")),
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute_url(reverse("accounts:profile")),
    }
    return render_templated_email(
        to=[recipient.email],
        template=f"reminder_{reminder.kind}",
        context=context,
        language=recipient.language,
        time_zone=recipient.time_zone,
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
