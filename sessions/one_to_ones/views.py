"""Booking a one-to-one inside a team engagement: the member books their own ("Book a one-to-one
with <mentor>"); the mentor and admins book one for a member named by `?member=`. The booking
page, its form and the booking service are the ordinary ones, given the member."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship import access as mentorship_access
from mentorship.models import Engagement
from sessions import access, usage
from sessions.booking import picker, selectors, week
from sessions.booking.forms import SlotVenueForm
from sessions.booking.submit import submit_booking
from sessions.models import BookingFormUse
from sessions.one_to_ones.due import member_one_to_ones


def _member_for(user: User, engagement: Engagement, chosen: str | None) -> User | None:
    """Whose one-to-one: the member themself; for the mentor and admins, the member named (one
    of the team today; anyone else is a 404)."""
    if access.is_consultancy_admin(user) or mentorship_access.is_engagement_mentor(user, engagement):
        if not chosen or not chosen.isdigit():
            raise Http404
        member = access.one_to_one_members(engagement).filter(pk=int(chosen)).first()
        if member is None:
            raise Http404
        return member
    return user


def _refusal(engagement: Engagement) -> str:
    if engagement.status != Engagement.Status.ACTIVE or engagement.mentor_id is None:
        return _("Sessions can be booked once the mentorship is active and has a mentor.")
    return _("One-to-ones are for the members of the team today, each booking their own.")


@login_required
def book_one_to_one(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    engagement = mentorship_access.get_engagement_for(user, engagement_uuid)
    if not engagement.is_team:
        raise Http404
    member = _member_for(user, engagement, request.GET.get("member"))
    if not access.can_book_one_to_one(user, engagement, member):
        return render(request, "403.html", {"reason": _refusal(engagement)}, status=403)
    data = request.POST if request.method == "POST" else None
    form = SlotVenueForm(data, engagement=engagement, user=user, token_kind=BookingFormUse.Kind.BOOK)
    if data is not None and (done := submit_booking(request, form, engagement, member=member)) is not None:
        return done
    part = member_one_to_ones(engagement, member)
    due = part.due if part else None
    earliest, latest = week.engagement_bounds(engagement)
    slots = selectors.free_slots_for_engagement(engagement, earliest=earliest, latest=latest, member=member)
    context = picker.picker_context(request, form, engagement, slots, due)
    context["suggest_label"] = (
        _("Request the suggested time") if context["needs_confirmation"] else _("Book the suggested time")
    )
    context.update(
        one_to_one_member=member,
        one_to_one_due=due,
        last_one_to_one=part.last_held if part else None,
        today=timezone.localdate(),
        usage=usage.usage_for(user, engagement),
    )
    return render(request, "sessions/booking/book.html", context)
