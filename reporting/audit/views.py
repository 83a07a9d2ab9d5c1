"""The audit log for consultancy admins: read-only, newest first, filterable by action."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.access import role_required
from accounts.models import Role
from mentorship import access, audit
from mentorship.models import AuditEntry

PAGE_SIZE = 50


@role_required(Role.CONSULTANCY_ADMIN)
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = access.audit_entries_visible_to(request.user).order_by("-at", "-pk")
    action = request.GET.get("action", "")
    if action in AuditEntry.Action.values:
        entries = entries.filter(action=action)
    else:
        action = ""  # an unknown filter shows everything rather than an error
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.about = audit.describe(entry)  # in the reader's language
    context = {"page": page, "actions": AuditEntry.Action.choices, "current": action}
    return render(request, "reporting/audit/log.html", context)
