"""Booking pages: book a session, its detail page, move, cancel, confirm, .ics download, the list.

Views stay thin: the rules (free slots, venues, cut-off, confirmation) live in `sessions.services`
and `sessions.selectors`; who may see and change what in `sessions.access`.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from mentorship import access as mentorship_access
from mentorship.engagements.services import allowed_transitions
from mentorship.models import Contract, Engagement, EngagementStatus
from sessions import access, usage
from sessions.booking import meeting_links, picker, selectors, services, stopping, tokens, week
from sessions.booking.forms import CancelForm, MeetingLinkForm, SlotVenueForm, StopEngagementForm
from sessions.booking.submit import already_done, submit_booking, when
from sessions.calendars import ics as calendar
from sessions.due import due_for
from sessions.models import UPCOMING_STATUSES, BookingFormUse, SessionStatus, upcoming_condition
from sessions.records import selectors as timeline

UPCOMING_PAGE_SIZE = 25
PAST_PAGE_SIZE = 25
ALREADY_BOOKED_SHOWN = 3
SAFE_METHODS = ("GET", "HEAD")


def _method_not_allowed(request: HttpRequest, *allowed: str) -> HttpResponseNotAllowed | None:
    # Checked after the fetch, so an outsider gets the same 404 whatever the method.
    return None if request.method in allowed else HttpResponseNotAllowed(allowed)


@login_required
def book(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    engagement = mentorship_access.get_engagement_for(request.user, engagement_uuid)
    if not access.can_book(request.user, engagement):
        reason = access.booking_refusal(request.user, engagement)
        return render(request, "403.html", {"reason": reason}, status=403)
    data = request.POST if request.method == "POST" else None
    form = SlotVenueForm(data, engagement=engagement, user=request.user, token_kind=BookingFormUse.Kind.BOOK)
    if data is not None and (done := submit_booking(request, form, engagement)) is not None:
        return done
    due = due_for(engagement)
    earliest, latest = week.engagement_bounds(engagement)
    slots = selectors.free_slots_for_engagement(engagement, earliest=earliest, latest=latest)
    context = picker.picker_context(request, form, engagement, slots, due)
    context["suggest_label"] = (
        _("Request the suggested time") if context["needs_confirmation"] else _("Book the suggested time")
    )
    package = usage.usage_for(request.user, engagement)
    context.update(due=due, today=timezone.localdate(), usage=package)
    # What this person has booked already, on top: after Back the browser may show the page anew.
    already = selectors.upcoming_booked_by(request.user, engagement)[:ALREADY_BOOKED_SHOWN]
    context["already_booked"] = [
        (session, _("You already booked %(when)s.") % {"when": when(session)}) for session in already
    ]
    if package is not None and not package.room_for(usage.session_hours(engagement)):
        context["package_full"] = True
        context["overage_allowed"] = engagement.contract.overage == Contract.Overage.EXTRA
    return render(request, "sessions/booking/book.html", context)


@login_required
def session_detail(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    session = access.get_session_for(user, session_uuid)
    if refused := _method_not_allowed(request, *SAFE_METHODS):
        return refused
    is_upcoming = session.status in UPCOMING_STATUSES and session.start > timezone.now()
    may_change = is_upcoming and access.can_change(user, session)
    members = []
    if session.team_id:
        members = list(session.roster().select_related("user").order_by("user__full_name"))
    late = may_change and services.within_cutoff(session)
    context = {
        "session": session,
        "members": members,
        "may_change": may_change,
        "late": late,
        "too_late_to_move": late and not access.is_mentor_or_admin(user, session.mentor_id),
        "cutoff_hours": selectors.booking_settings_for(session.mentor).change_cutoff_hours,
        "may_confirm": session.status == SessionStatus.REQUESTED and access.is_mentor_or_admin(user, session.mentor_id),
        "cancel_form": CancelForm(),
        "meeting_link": access.meeting_link_for(user, session),
        "link_form": MeetingLinkForm() if access.can_set_meeting_link(user, session) else None,
        "current_zone": timezone.get_current_timezone_name(),
        **timeline.session_records(user, session),
    }
    if package := usage.usage_for(user, session.engagement):
        context.update(usage=package, session_number=usage.session_number(session))
    return render(request, "sessions/booking/detail.html", context)


@login_required
def session_reschedule(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    session = access.get_session_for(user, session_uuid)
    if not access.can_change(user, session):
        raise PermissionDenied(_("You cannot change this session."))
    engagement = session.engagement
    is_upcoming = session.status in UPCOMING_STATUSES and session.start > timezone.now()
    too_late = (
        is_upcoming and services.within_cutoff(session) and not access.is_mentor_or_admin(user, session.mentor_id)
    )
    data = request.POST if request.method == "POST" and is_upcoming and not too_late else None
    form = SlotVenueForm(
        data,
        engagement=engagement,
        initial={"start": session.start, "venue": session.venue_id},
        user=user,
        token_kind=BookingFormUse.Kind.MOVE,
    )
    if request.method == "POST" and (used := tokens.use_of(form.token)) is not None:
        return already_done(request, tokens.FormAlreadyUsed(used))
    if data is not None and form.is_valid():
        sequence = session.sequence
        try:
            moved = services.reschedule_session(
                session=session,
                start=form.cleaned_data["start"],
                venue=form.cleaned_data["venue"],
                actor=user,
                client_site_confirmed=form.cleaned_data["client_site_confirmed"],
                form_token=form.token,
            )
        except tokens.FormAlreadyUsed as used:
            return already_done(request, used)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if moved.sequence == sequence:
                messages.info(request, _("Nothing changed: the session is already at that time and place."))
            else:
                messages.success(request, _("Session moved. Everyone gets an updated invitation by email."))
            return redirect("mentoring_sessions:session-detail", session_uuid=session.uuid)
    earliest, latest = week.engagement_bounds(engagement)
    member = session.mentee if session.is_one_to_one else None
    slots = (
        selectors.free_slots_for_engagement(
            engagement, ignore_session=session, earliest=earliest, latest=latest, member=member
        )
        if is_upcoming
        else []
    )
    context = picker.picker_context(request, form, engagement, slots, due_for(engagement), session=session)
    context["suggest_label"] = _("Move to the suggested time")
    context.update(
        session=session,
        is_upcoming=is_upcoming,
        too_late=too_late,
        cutoff_hours=selectors.booking_settings_for(session.mentor).change_cutoff_hours,
    )
    return render(request, "sessions/booking/reschedule.html", context)


@login_required
def session_cancel(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = access.get_session_for(request.user, session_uuid)
    if refused := _method_not_allowed(request, "POST"):
        return refused
    if not access.can_change(request.user, session):
        raise PermissionDenied(_("You cannot change this session."))
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect("mentoring_sessions:session-detail", session_uuid=session.uuid)
    was_cancelled = session.status == SessionStatus.CANCELLED
    try:
        cancelled = services.cancel_session(session=session, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if was_cancelled:
            messages.info(request, _("This session was already cancelled."))
        elif cancelled.late_cancellation:
            messages.warning(request, _("Session cancelled. It was cancelled late and is recorded as such."))
        else:
            messages.success(request, _("Session cancelled. Everyone is told by email."))
    return redirect("mentoring_sessions:session-detail", session_uuid=session.uuid)


@login_required
def session_meeting_link(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = access.get_session_for(request.user, session_uuid)
    if refused := _method_not_allowed(request, "POST"):
        return refused
    if not access.can_set_meeting_link(request.user, session):
        raise PermissionDenied(_("Only the mentor can change the meeting link of an upcoming online session."))
    form = MeetingLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["meeting_url"]))
        return redirect("mentoring_sessions:session-detail", session_uuid=session.uuid)
    sequence = session.sequence
    try:
        changed = meeting_links.set_meeting_link(
            session=session, actor=request.user, url=form.cleaned_data["meeting_url"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if changed.sequence == sequence:
            messages.info(request, _("Nothing changed: the session already has that meeting link."))
        else:
            messages.success(request, _("Meeting link saved. Everyone gets an updated invitation by email."))
    return redirect("mentoring_sessions:session-detail", session_uuid=session.uuid)


@login_required
def engagement_stop(request: HttpRequest, engagement_uuid: uuid.UUID, to_status: str) -> HttpResponse:
    """Pause, complete or cancel an engagement: GET shows what will happen (and the sessions it
    still has to come, to cancel or keep), POST does it."""
    engagement = mentorship_access.get_engagement_for_admin(request.user, engagement_uuid)
    if to_status not in stopping.STOPPING_STATUSES:
        raise Http404
    if refused := _method_not_allowed(request, "GET", "HEAD", "POST"):
        return refused
    if request.method != "POST" and to_status not in allowed_transitions(engagement):
        messages.info(request, _cannot_become(engagement, to_status))
        return redirect("overview:engagement-detail", engagement_uuid=engagement.uuid)
    future = list(selectors.future_sessions_of(engagement).select_related("venue"))
    form = StopEngagementForm(request.POST or None, has_future_sessions=bool(future))
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = stopping.stop_engagement(
                engagement=engagement,
                to_status=to_status,
                actor=request.user,
                note=form.cleaned_data["note"],
                cancel_future_sessions=form.cancel_future_sessions,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _stopped_message(engagement, len(cancelled), kept=len(future) - len(cancelled)))
        return redirect("overview:engagement-detail", engagement_uuid=engagement.uuid)
    context = {"engagement": engagement, "to_status": to_status, "future": future, "form": form}
    return render(request, "sessions/booking/engagement_stop.html", context)


def _cannot_become(engagement: Engagement, to_status: str) -> str:
    return _("An engagement that is %(from)s cannot become %(to)s.") % {
        "from": engagement.get_status_display().lower(),
        "to": EngagementStatus(to_status).label.lower(),
    }


def _stopped_message(engagement: Engagement, cancelled: int, *, kept: int) -> str:
    status = engagement.get_status_display().lower()
    if cancelled:
        return ngettext(
            "The engagement is now %(status)s. %(count)d session was cancelled; everyone is told by email.",
            "The engagement is now %(status)s. %(count)d sessions were cancelled; everyone is told by email.",
            cancelled,
        ) % {"status": status, "count": cancelled}
    if kept:
        return ngettext(
            "The engagement is now %(status)s. Its %(count)d future session stays booked, without reminders.",
            "The engagement is now %(status)s. Its %(count)d future sessions stay booked, without reminders.",
            kept,
        ) % {"status": status, "count": kept}
    return _("The engagement is now %(status)s.") % {"status": status}


@login_required
def session_confirm(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = access.get_session_for(request.user, session_uuid)
    if refused := _method_not_allowed(request, "POST"):
        return refused
    if not access.is_mentor_or_admin(request.user, session.mentor_id):
        raise PermissionDenied(_("Only the mentor can confirm this session."))
    try:
        services.confirm_session(session=session, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Session confirmed. Everyone gets the invitation by email."))
    return redirect("mentoring_sessions:session-detail", session_uuid=session.uuid)


@login_required
def session_ics(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = access.get_session_for(request.user, session_uuid)
    if refused := _method_not_allowed(request, *SAFE_METHODS):
        return refused
    body = calendar.invite_ics(
        session,
        participants=selectors.participants(session),
        zone_name=timezone.get_current_timezone_name(),
        with_link=access.is_session_participant(request.user, session),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    local_start = timezone.localtime(session.start)
    response["Content-Disposition"] = f'attachment; filename="mentoring-session-{local_start:%Y-%m-%d-%H%M}.ics"'
    return response


@login_required
@require_safe
def session_list(request: HttpRequest) -> HttpResponse:
    mine = access.own_sessions(request.user)
    now = timezone.now()
    # Each list is paged on its own (?upcoming=, ?page=): a page reads what it shows and a count,
    # the ids first and then those sessions with their people (`fetched_with`).
    upcoming = Paginator(mine.upcoming(now).order_by("start", "pk"), UPCOMING_PAGE_SIZE)
    past = Paginator(mine.exclude(upcoming_condition(now)).order_by("-start", "-pk"), PAST_PAGE_SIZE)
    upcoming_page = upcoming.get_page(request.GET.get("upcoming"))
    past_page = past.get_page(request.GET.get("page"))
    related = (*selectors.PERSON_RELATED, "engagement__organisation")
    upcoming_page.object_list = upcoming_page.object_list.fetched_with(*related)
    past_page.object_list = past_page.object_list.fetched_with(*related)
    context = {
        "upcoming_page": upcoming_page,
        "upcoming": upcoming_page.object_list,
        "past_page": past_page,
        "past": past_page.object_list,
    }
    return render(request, "sessions/booking/list.html", context)
