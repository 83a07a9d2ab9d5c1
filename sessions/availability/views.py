"""A mentor's availability (weekly windows, time off, booking rules) and the admins' venues."""

import zoneinfo

from django.contrib import messages
from django.db.models import Case, Count, IntegerField, Min, ProtectedError, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from mentorship.access import organisations_visible_to
from mentorship.models import Engagement
from sessions import access
from sessions.availability.forms import (
    MIN_SESSION_MINUTES,
    AvailabilityWindowForm,
    BookingSettingsForm,
    TimeOffForm,
    VenueForm,
)
from sessions.booking.selectors import booking_settings_for
from sessions.busy.forms import BusyCalendarForm
from sessions.models import AvailabilityWindow, BookingSettings, TimeOff, Venue, VenueKind, Weekday

# Venues are listed neutral ground first, as the interview asks, then online, then client sites.
VENUE_KIND_ORDER = [VenueKind.NEUTRAL, VenueKind.CAFE, VenueKind.ONLINE, VenueKind.CLIENT_SITE]


def _windows_by_weekday(windows: list[AvailabilityWindow], time_zone: str) -> list[dict]:
    """Every weekday with its windows; each window marked when it overlaps another of the same day
    or was saved in a zone other than the mentor's current one."""
    days = [{"weekday": day, "label": day.label, "windows": []} for day in Weekday]
    for window in windows:
        window.other_zone = window.time_zone != time_zone
        window.overlaps = False
        for other in days[window.weekday]["windows"]:
            if other.time_zone == window.time_zone and other.end_time > window.start_time:
                window.overlaps = other.overlaps = True
        days[window.weekday]["windows"].append(window)
    return days


def render_availability(
    request: HttpRequest, *, window_form=None, time_off_form=None, busy_calendar_form=None
) -> HttpResponse:
    mentor = request.user
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(mentor.time_zone))
    windows = list(access.availability_windows_of(mentor).order_by("weekday", "start_time", "end_time"))
    context = {
        "time_zone": mentor.time_zone,
        "days": _windows_by_weekday(windows, mentor.time_zone),
        "has_windows": bool(windows),
        "has_other_zone": any(window.time_zone != mentor.time_zone for window in windows),
        "time_off": list(access.time_off_of(mentor).filter(end_date__gte=today)),
        "settings": booking_settings_for(mentor),
        "window_form": window_form or AvailabilityWindowForm(prefix="window", session_minutes=_session_minutes(mentor)),
        "time_off_form": time_off_form or TimeOffForm(prefix="time_off", time_zone=mentor.time_zone),
        "busy_calendars": list(access.busy_calendars_of(mentor)),
        "busy_calendar_form": busy_calendar_form or BusyCalendarForm(prefix="calendar"),
    }
    return render(request, "sessions/availability/availability.html", context)


def _session_minutes(mentor) -> int:
    """The shortest session of the mentor's active or proposed engagements (90 minutes, the
    shortest allowed, when they have none): a window shorter than it holds no session."""
    shortest = Engagement.objects.filter(
        mentor=mentor, status__in=[Engagement.Status.ACTIVE, Engagement.Status.PROPOSED]
    ).aggregate(shortest=Min("session_minutes"))["shortest"]
    return shortest or MIN_SESSION_MINUTES


@role_required(Role.MENTOR)
def availability(request: HttpRequest) -> HttpResponse:
    return render_availability(request)


@role_required(Role.MENTOR)
@require_POST
def window_create(request: HttpRequest) -> HttpResponse:
    mentor = request.user
    window = AvailabilityWindow(mentor=mentor, time_zone=mentor.time_zone)
    form = AvailabilityWindowForm(
        request.POST, prefix="window", instance=window, session_minutes=_session_minutes(mentor)
    )
    if not form.is_valid():
        return render_availability(request, window_form=form)
    same_day = list(access.availability_windows_of(mentor).filter(weekday=window.weekday, time_zone=window.time_zone))
    if any(w.start_time == window.start_time and w.end_time == window.end_time for w in same_day):
        # A second click on "Add" or a repeated entry: nothing new to save.
        messages.info(request, _("You already have this window."))
        return redirect("mentoring_sessions:availability")
    form.save()
    messages.success(request, _("The window was added: %(window)s.") % {"window": window})
    if any(w.start_time < window.end_time and window.start_time < w.end_time for w in same_day):
        messages.warning(
            request,
            _("It overlaps another window on the same day. That is fine: overlapping windows count as one."),
        )
    return redirect("mentoring_sessions:availability")


@role_required(Role.MENTOR)
@require_POST
def window_delete(request: HttpRequest, pk: int) -> HttpResponse:
    window = access.get_availability_window_for_mentor(request.user, pk)
    window.delete()
    messages.success(request, _("The window was removed: %(window)s.") % {"window": window})
    return redirect("mentoring_sessions:availability")


@role_required(Role.MENTOR)
@require_POST
def time_off_create(request: HttpRequest) -> HttpResponse:
    mentor = request.user
    form = TimeOffForm(request.POST, prefix="time_off", instance=TimeOff(mentor=mentor), time_zone=mentor.time_zone)
    if not form.is_valid():
        return render_availability(request, time_off_form=form)
    data = form.cleaned_data
    if access.time_off_of(mentor).filter(start_date=data["start_date"], end_date=data["end_date"]).exists():
        messages.info(request, _("You already have time off for exactly these days."))
    else:
        form.save()
        messages.success(request, _("Your time off was saved. Mentees cannot book you on these days."))
    return redirect("mentoring_sessions:availability")


@role_required(Role.MENTOR)
@require_POST
def time_off_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access.get_time_off_for_mentor(request.user, pk).delete()
    messages.success(request, _("The time off was removed."))
    return redirect("mentoring_sessions:availability")


@role_required(Role.MENTOR)
def booking_settings(request: HttpRequest) -> HttpResponse:
    form = BookingSettingsForm(
        request.POST if request.method == "POST" else None, instance=booking_settings_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in BookingSettingsForm.Meta.fields}
        BookingSettings.objects.update_or_create(mentor=request.user, defaults=values)
        messages.success(request, _("Your booking rules were saved."))
        return redirect("mentoring_sessions:availability")
    return render(request, "sessions/availability/booking_settings.html", {"form": form})


# Venues -----------------------------------------------------------------------------------------


@role_required(Role.CONSULTANCY_ADMIN)
def venue_list(request: HttpRequest) -> HttpResponse:
    kind_order = Case(
        *(When(kind=kind, then=position) for position, kind in enumerate(VENUE_KIND_ORDER)),
        output_field=IntegerField(),
    )
    venues = (
        Venue.objects.select_related("organisation")
        .annotate(kind_order=kind_order, session_count=Count("sessions"))
        .order_by("kind_order", "-is_active", "name", "pk")
    )
    return render(request, "sessions/availability/venue_list.html", {"venues": venues})


def _venue_form(request: HttpRequest, venue: Venue | None = None) -> VenueForm:
    data = request.POST if request.method == "POST" else None
    return VenueForm(data, instance=venue, organisations=organisations_visible_to(request.user))


@role_required(Role.CONSULTANCY_ADMIN)
def venue_create(request: HttpRequest) -> HttpResponse:
    form = _venue_form(request)
    if request.method == "POST" and form.is_valid():
        venue = form.save()
        messages.success(request, _("The venue “%(name)s” was added.") % {"name": venue.name})
        return redirect("mentoring_sessions:venue-list")
    return render(request, "sessions/availability/venue_form.html", {"form": form, "venue": None})


@role_required(Role.CONSULTANCY_ADMIN)
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    venue = access.get_venue_for_admin(request.user, pk)
    name = venue.name  # the heading keeps the saved name while the form shows errors
    form = _venue_form(request, venue)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The venue “%(name)s” was saved.") % {"name": venue.name})
        return redirect("mentoring_sessions:venue-list")
    context = {"form": form, "venue": venue, "name": name, "used": venue.sessions.exists()}
    return render(request, "sessions/availability/venue_form.html", context)


@role_required(Role.CONSULTANCY_ADMIN)
@require_POST
def venue_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Only a venue no session ever used can go; a used one is taken out of use instead, so
    past sessions keep their venue."""
    venue = access.get_venue_for_admin(request.user, pk)
    try:
        venue.delete()
    except ProtectedError:
        messages.error(
            request,
            _("“%(name)s” has sessions, so it cannot be deleted. Untick “in use” to stop offering it.")
            % {"name": venue.name},
        )
        return redirect("mentoring_sessions:venue-edit", pk=venue.pk)
    messages.success(request, _("The venue “%(name)s” was deleted.") % {"name": venue.name})
    return redirect("mentoring_sessions:venue-list")
