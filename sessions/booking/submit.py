"""Submitting a booking form, for the booking page and the one-to-one booking page alike: the
form's one-time token, the booking service, and what the person is told afterwards."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.models import User
from core.dates import local_format
from mentorship.models import Engagement
from sessions.booking import services, tokens
from sessions.booking.forms import SlotVenueForm
from sessions.models import BookingFormUse, MentoringSession, SessionStatus


def when(session: MentoringSession) -> str:
    # "Tue 8 Dec, 09:00"; in Swedish "tis 8 dec. 09:00".
    return local_format(session.start, "WEEKDAY_TIME_FORMAT")


def already_done(request: HttpRequest, used: tokens.FormAlreadyUsed) -> HttpResponse:
    """A booking form submitted again: show what its first submit did, do nothing more."""
    if used.kind == BookingFormUse.Kind.MOVE:
        message = _("You already moved this session to %(when)s.") % {"when": when(used.session)}
    else:
        message = _("You already booked %(when)s.") % {"when": when(used.session)}
    messages.info(request, message)
    return redirect("mentoring_sessions:session-detail", session_uuid=used.session.uuid)


def booked_message(session: MentoringSession, created: bool) -> str:
    if not created:
        return _("You already booked %(when)s.") % {"when": when(session)}
    if session.status == SessionStatus.REQUESTED:
        return _("Requested — the mentor will confirm.")
    return _("Session booked. An invitation is on its way by email.")


def submit_booking(
    request: HttpRequest, form: SlotVenueForm, engagement: Engagement, *, member: User | None = None
) -> HttpResponse | None:
    """Book the time the submitted `form` names (with `member`, that member's one-to-one): the
    redirect to the session booked, or to the one a resubmitted form booked before; None when
    the form is to be shown again with its errors (the service's refusal among them)."""
    try:
        # Before the form is checked: the time a resubmitted form names may be gone by now.
        tokens.check_unused(form.token)
        if not form.is_valid():
            return None
        session, created = services.book_session(
            engagement=engagement,
            start=form.cleaned_data["start"],
            venue=form.cleaned_data["venue"],
            booked_by=request.user,
            client_site_confirmed=form.cleaned_data["client_site_confirmed"],
            form_token=form.token,
            member=member,
        )
    except tokens.FormAlreadyUsed as used:
        return already_done(request, used)
    except ValidationError as error:
        form.add_service_error(error)
        return None
    (messages.success if created else messages.info)(request, booked_message(session, created))
    return redirect("mentoring_sessions:session-detail", session_uuid=session.uuid)
