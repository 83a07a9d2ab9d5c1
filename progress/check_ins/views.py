"""The check-in pages: at the start, at the review, and the optional step after a held session
(linked from the session page). The engagement is fetched through `progress.access` first (404
for outsiders), the session through `sessions.access` (404 for a session the person may not see)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from progress import access
from progress.check_ins import services
from progress.check_ins.forms import CheckInForm
from progress.models import CheckInKind
from sessions.access import get_session_for


@login_required
def check_in(request: HttpRequest, engagement_uuid: uuid.UUID, kind: str) -> HttpResponse:
    if kind not in (CheckInKind.START, CheckInKind.REVIEW):
        raise Http404
    engagement = access.get_plan_engagement(request.user, engagement_uuid)
    return _check_in(request, engagement, kind, session=None)


@login_required
def session_check_in(request: HttpRequest, engagement_uuid: uuid.UUID, session_uuid: uuid.UUID) -> HttpResponse:
    engagement = access.get_plan_engagement(request.user, engagement_uuid)
    session = get_session_for(request.user, session_uuid)
    if session.engagement_id != engagement.pk:
        raise Http404
    return _check_in(request, engagement, CheckInKind.SESSION, session=session)


def _check_in(request, engagement, kind, *, session) -> HttpResponse:
    user = request.user
    if access.check_in_role(user, engagement) is None:
        raise PermissionDenied(_("Only the mentee(s) and the mentor make check-ins."))
    plan_url = reverse("progress:plan", args=[engagement.uuid])
    if done := services.existing(person=user, engagement=engagement, kind=kind, session=session):
        messages.info(request, _("You already made this check-in on %(day)s.") % {"day": formats.date_format(done.on)})
        return redirect(plan_url)
    if session is not None:
        try:
            services.check_session(user=user, engagement=engagement, session=session)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(session.get_absolute_url())
    goals = services.rateable_goals(user, engagement)
    areas = list(engagement.focus_areas.order_by("position", "name_en"))
    form = CheckInForm(request.POST or None, goals=goals, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_check_in(
                actor=user,
                engagement=engagement,
                kind=kind,
                session=session,
                goal_scores=form.goal_scores(),
                area_scores=form.area_scores(),
            )
        except ValidationError as error:
            messages.info(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you: your check-in is saved."))
        return redirect(plan_url)
    context = {
        "engagement": engagement,
        "form": form,
        "kind": CheckInKind(kind),
        "session": session,
        "is_mentor_view": access.check_in_role(user, engagement) == "mentor",
    }
    return render(request, "progress/check_in_form.html", context)
