"""The printable sponsor report for consultancy admins: the sponsor view of one organisation
(`sponsors.sponsor_view`, exactly what its sponsors see in the portal, consent included), for a
period. Every opening is written to the audit log."""

import uuid
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext as _

from mentorship import access as mentorship_access
from mentorship import audit
from mentorship.models import AuditEntry
from reporting.reports.forms import SponsorPeriodForm
from sponsors import access
from sponsors.sponsor_view import build_sponsor_view, default_sponsor_period

SAFE_METHODS = ("GET", "HEAD")


def _report(request: HttpRequest, organisation_uuid: uuid.UUID, template: str) -> HttpResponse:
    organisation = access.get_organisation_for_report(request.user, organisation_uuid)
    # Method checked after the fetch so that anybody but an admin gets a 404 for any method.
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    default = default_sponsor_period()
    form = SponsorPeriodForm(request.GET or None, initial={"date_from": default.start, "date_to": default.end})
    period = form.period(default)
    report = build_sponsor_view(
        organisation=organisation, engagements=mentorship_access.engagements_visible_to(request.user), period=period
    )
    audit.record(
        actor=request.user,
        action=AuditEntry.Action.EXPORTED,
        target=organisation,
        label=_("Sponsor report for %(name)s, %(start)s–%(end)s")
        % {"name": organisation.name, "start": period.start.isoformat(), "end": period.end.isoformat()},
    )
    query = urlencode({"date_from": period.start.isoformat(), "date_to": period.end.isoformat()})
    return render(request, template, {"form": form, "report": report, "organisation": organisation, "query": query})


@login_required
def report(request: HttpRequest, organisation_uuid: uuid.UUID) -> HttpResponse:
    return _report(request, organisation_uuid, "sponsors/reports/report.html")


@login_required
def report_print(request: HttpRequest, organisation_uuid: uuid.UUID) -> HttpResponse:
    return _report(request, organisation_uuid, "sponsors/reports/report_print.html")
