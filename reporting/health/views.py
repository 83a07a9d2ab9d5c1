"""Engagement health for consultancy admins: the dashboard, and its lists in full, paged: the
ranked at-risk list, the overdue engagements and the reviews coming up."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import role_required
from accounts.models import Role, User
from mentorship import access
from mentorship.models import LeadershipTeam
from reporting.health import charts, risk
from reporting.health import dashboard as dashboard_reads
from reporting.health import rules as health_rules
from reporting.health.forms import HealthFilterForm

LIST_PAGE_SIZE = 25


def _filters(request: HttpRequest) -> HealthFilterForm:
    organisations = access.organisations_visible_to(request.user)
    filters = HealthFilterForm(
        request.GET or None,
        organisations=organisations,
        mentors=User.objects.filter(is_mentor=True),
        teams=LeadershipTeam.objects.filter(organisation__in=organisations),
    )
    if filters.ignored:
        messages.warning(
            request,
            _("These filters were not understood and are ignored: %(filters)s.")
            % {"filters": ", ".join(filters.ignored)},
        )
    return filters


@role_required(Role.CONSULTANCY_ADMIN)
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    engagements = filters.engagements(access.engagements_visible_to(request.user))
    mentors = filters.mentors(User.objects.filter(is_mentor=True), engagements)
    data = dashboard_reads.dashboard(engagements=engagements, mentors=mentors, now=timezone.now())
    context = {
        "filters": filters,
        "data": data,
        "list_limit": dashboard_reads.LIST_LIMIT,
        "charts": charts.dashboard_charts(data),
        "weights": risk.Weight,
        "grace_days": health_rules.OVERDUE_GRACE_DAYS,
        "review_days": health_rules.REVIEW_WITHIN_DAYS,
    }
    return render(request, "reporting/health/dashboard.html", context)


def _health_list(request: HttpRequest, kind: str, template: str) -> HttpResponse:
    filters = _filters(request)
    engagements = filters.engagements(access.engagements_visible_to(request.user))
    page, rows = dashboard_reads.list_page(kind, engagements, request.GET.get("page"), per_page=LIST_PAGE_SIZE)
    context = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "weights": risk.Weight,
        "grace_days": health_rules.OVERDUE_GRACE_DAYS,
        "review_days": health_rules.REVIEW_WITHIN_DAYS,
    }
    return render(request, template, context)


@role_required(Role.CONSULTANCY_ADMIN)
@require_safe
def at_risk(request: HttpRequest) -> HttpResponse:
    return _health_list(request, "at-risk", "reporting/health/at_risk.html")


@role_required(Role.CONSULTANCY_ADMIN)
@require_safe
def overdue(request: HttpRequest) -> HttpResponse:
    return _health_list(request, "overdue", "reporting/health/overdue.html")


@role_required(Role.CONSULTANCY_ADMIN)
@require_safe
def reviews(request: HttpRequest) -> HttpResponse:
    return _health_list(request, "reviews", "reporting/health/reviews.html")
