"""The sponsor portal: a client sponsor's home (their organisation's mentoring on one page) and
one engagement's page; and the mentee's "what your sponsor sees" preview, which is that same
page, built by the same function, with a banner."""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from mentorship.models import Engagement
from reporting.reports.forms import SponsorPeriodForm
from sponsors import access
from sponsors.sponsor_view import build_sponsor_view, default_sponsor_period


def _period(request: HttpRequest):
    default = default_sponsor_period()
    form = SponsorPeriodForm(request.GET or None, initial={"date_from": default.start, "date_to": default.end})
    return form, form.period(default)


@login_required
@require_safe
def portal(request: HttpRequest) -> HttpResponse:
    """Every organisation the person sponsors, each as the sponsor view; 403 for non-sponsors."""
    organisations = list(access.sponsored_organisations(request.user))
    if not organisations:
        raise PermissionDenied
    form, period = _period(request)
    engagements = access.engagements_for_sponsor(request.user)
    views = [build_sponsor_view(organisation=o, engagements=engagements, period=period) for o in organisations]
    return render(request, "sponsors/portal/portal.html", {"form": form, "views": views})


def _engagement_page(request: HttpRequest, engagement: Engagement, *, is_preview: bool) -> HttpResponse:
    form, period = _period(request)
    view = build_sponsor_view(
        organisation=engagement.organisation, engagements=Engagement.objects.filter(pk=engagement.pk), period=period
    )
    context = {
        "form": form,
        "view": view,
        "engagement": engagement,
        "row": view.rows[0] if view.rows else None,
        "is_preview": is_preview,
    }
    return render(request, "sponsors/portal/engagement.html", context)


@login_required
@require_safe
def engagement(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    return _engagement_page(request, access.get_engagement_for_sponsor(request.user, engagement_uuid), is_preview=False)


@login_required
@require_safe
def preview(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    """The mentee sees exactly the sponsor's page of their engagement."""
    return _engagement_page(request, access.get_engagement_for_preview(request.user, engagement_uuid), is_preview=True)
