"""A mentor's own calendars, on their availability page: add, remove, read again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from sessions import access
from sessions.busy import services
from sessions.busy.forms import BusyCalendarForm


@sensitive_post_parameters("url")
@role_required(Role.MENTOR)
@require_POST
def busy_calendar_create(request: HttpRequest) -> HttpResponse:
    from sessions.availability.views import render_availability

    form = BusyCalendarForm(request.POST, prefix="calendar")
    if not form.is_valid():
        return render_availability(request, busy_calendar_form=form)
    try:
        calendar, created = services.add_calendar(mentor=request.user, url=form.cleaned_data["url"])
    except ValidationError as error:
        form.add_error("url", error)
        return render_availability(request, busy_calendar_form=form)
    if created:
        messages.success(
            request,
            _(
                "Your calendar (%(hint)s) was added. It is read now and every 15 minutes; busy times are not offered to mentees."
            )
            % {"hint": calendar.url_hint},
        )
    else:
        messages.info(request, _("This calendar is already connected."))
    return redirect("mentoring_sessions:availability")


@role_required(Role.MENTOR)
@require_POST
def busy_calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    calendar = access.get_busy_calendar_for_mentor(request.user, pk)
    services.remove_calendar(calendar=calendar)
    messages.success(
        request, _("The calendar %(hint)s was removed, with the busy times read from it.") % {"hint": calendar.url_hint}
    )
    return redirect("mentoring_sessions:availability")


@role_required(Role.MENTOR)
@require_POST
def busy_calendar_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    calendar = access.get_busy_calendar_for_mentor(request.user, pk)
    if services.request_refresh(calendar=calendar):
        messages.success(request, _("The calendar %(hint)s is being read again.") % {"hint": calendar.url_hint})
    else:
        messages.info(request, _("The calendar %(hint)s was read a moment ago.") % {"hint": calendar.url_hint})
    return redirect("mentoring_sessions:availability")
