"""Reports for consultancy admins: the review at the planned end, CSV exports. (The sponsor
report lives in the sponsors app, built from the same sponsor view as the sponsor portal.)

Every export and every opening of a sponsor report is written to the audit log.
"""

import uuid
from collections.abc import Callable, Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import role_required
from accounts.models import Role, User
from mentorship import access, audit
from mentorship.cadence import add_months
from mentorship.engagements import services as engagement_services
from mentorship.models import AuditEntry, Engagement
from reporting.reports import exports, review
from reporting.reports.forms import ExportFilterForm, ReviewCompleteForm, ReviewExtendForm, SponsorReportFinderForm
from sessions.booking import selectors as booking_selectors
from sessions.booking import stopping as booking_stopping

SAFE_METHODS = ("GET", "HEAD")


def _filter_form(request: HttpRequest, data) -> ExportFilterForm:
    return ExportFilterForm(
        data, organisations=access.organisations_visible_to(request.user), mentors=User.objects.filter(is_mentor=True)
    )


# The sponsor reports listed by name on the reports page; the others are found by typing.
SPONSOR_REPORTS_LISTED = 20


def _index(
    request: HttpRequest, form: ExportFilterForm, finder: SponsorReportFinderForm | None = None, status: int = 200
) -> HttpResponse:
    organisations = access.organisations_visible_to(request.user).order_by("name")
    listed = list(organisations[: SPONSOR_REPORTS_LISTED + 1])
    context = {
        "form": form,
        "finder": finder or SponsorReportFinderForm(organisations=organisations),
        "organisations": listed[:SPONSOR_REPORTS_LISTED],
        "more_organisations": len(listed) > SPONSOR_REPORTS_LISTED,
    }
    return render(request, "reporting/reports/index.html", context, status=status)


@role_required(Role.CONSULTANCY_ADMIN)
@require_safe
def report_index(request: HttpRequest) -> HttpResponse:
    if "sponsor_organisation" not in request.GET:
        return _index(request, _filter_form(request, None))
    finder = SponsorReportFinderForm(request.GET, organisations=access.organisations_visible_to(request.user))
    if finder.is_valid():
        return redirect("sponsors:report", finder.cleaned_data["sponsor_organisation"].uuid)
    return _index(request, _filter_form(request, None), finder, status=400)


def _audit_params(kind: str, filters: exports.ExportFilters) -> dict:
    """The export and its filters for the audit log, as plain values (shown in the reader's words)."""
    return {
        "kind": kind,
        "organisation": filters.organisation.name if filters.organisation else "",
        "mentor": filters.mentor.display_name if filters.mentor else "",
        "status": filters.status,
        "from": filters.period.start.isoformat() if filters.period.start else "",
        "to": filters.period.end.isoformat() if filters.period.end else "",
    }


def _export(request: HttpRequest, kind: str, header: list[str], rows: Callable[..., Iterable]) -> HttpResponse:
    form = _filter_form(request, request.GET)
    if not form.is_valid():
        return _index(request, form, status=400)
    filters = form.export_filters()
    audit.record(
        actor=request.user,
        action=AuditEntry.Action.EXPORTED,
        target=filters.organisation,
        detail="csv_export",
        params=_audit_params(kind, filters),
    )
    response = StreamingHttpResponse(exports.csv_lines(header, rows(filters)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{timezone.localdate().isoformat()}.csv"'
    return response


@role_required(Role.CONSULTANCY_ADMIN)
@require_safe
def export_engagements(request: HttpRequest) -> HttpResponse:
    return _export(
        request,
        "engagements",
        exports.header(exports.ENGAGEMENT_COLUMNS),
        lambda filters: exports.engagement_rows(request.user, filters),
    )


@role_required(Role.CONSULTANCY_ADMIN)
@require_safe
def export_sessions(request: HttpRequest) -> HttpResponse:
    return _export(
        request,
        "sessions",
        exports.header(exports.SESSION_COLUMNS),
        lambda filters: exports.session_rows(exports.sessions_for_export(request.user, filters)),
    )


# The review at the planned end ------------------------------------------------------------------


@login_required
def engagement_review(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    engagement = access.get_engagement_for_admin(request.user, engagement_uuid)
    if request.method not in (*SAFE_METHODS, "POST"):
        return HttpResponseNotAllowed([*SAFE_METHODS, "POST"])
    facts = review.review_facts(engagement)
    data = request.POST if request.method == "POST" else None
    decision = data.get("decision") if data is not None else None
    extend_form = ReviewExtendForm(
        data if decision == "extend" else None,
        prefix="extend",
        engagement=engagement,
        offer_switch=not facts.in_steady_phase,
        initial={"new_end": add_months(engagement.planned_end, 6)},
    )
    future = list(booking_selectors.future_sessions_of(engagement))
    complete_form = ReviewCompleteForm(
        data if decision == "complete" else None, prefix="complete", future_sessions=len(future)
    )
    if data is not None:
        done = _decide(request, engagement, decision, extend_form, complete_form)
        if done is not None:
            return done
    context = {
        "engagement": engagement,
        "facts": facts,
        "can_review": engagement.status in engagement_services.REVIEWABLE_STATUSES,
        "extend_form": extend_form,
        "complete_form": complete_form,
        "future": future,
        "responses": list(access.intake_responses_visible_to(request.user, engagement).select_related("mentee")),
    }
    return render(request, "reporting/reports/review.html", context)


def _decide(
    request: HttpRequest,
    engagement: Engagement,
    decision: str | None,
    extend_form: ReviewExtendForm,
    complete_form: ReviewCompleteForm,
) -> HttpResponse | None:
    """Carry out the admin's choice; None to show the page again with the form's errors."""
    if engagement.status not in engagement_services.REVIEWABLE_STATUSES:
        messages.error(request, _("Only an active or paused engagement can be reviewed."))
        return redirect("overview:engagement-detail", engagement_uuid=engagement.uuid)
    if decision not in ("extend", "complete"):
        messages.error(request, _("Choose whether to extend or to complete the engagement."))
        return redirect("reporting:engagement-review", engagement_uuid=engagement.uuid)
    form = extend_form if decision == "extend" else complete_form
    if not form.is_valid():
        return None
    try:
        if decision == "extend":
            switched = engagement_services.extend_after_review(
                engagement=engagement, actor=request.user, **form.cleaned_data
            )
        else:
            with transaction.atomic():  # completed and its sessions to come cancelled, or neither
                engagement_services.complete_with_outcome(engagement=engagement, actor=request.user, **form.outcome)
                if form.cancel_future_sessions:
                    booking_stopping.cancel_future_sessions_of(engagement=engagement, actor=request.user)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return None
    if decision == "complete":
        messages.success(request, _("The engagement is completed and its outcome recorded."))
    elif switched:
        messages.success(request, _("The planned end was moved, and sessions are monthly from now on."))
    else:
        messages.success(request, _("The planned end was moved."))
    return redirect("overview:engagement-detail", engagement_uuid=engagement.uuid)
