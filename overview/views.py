"""The two pages that show every domain at once: each person's home page and the engagement page.
They only compose what the apps below read (`mentorship`, `sessions`, `privacy`, `reporting`)."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.access import role_required
from accounts.models import Role
from billing import access as billing_access
from mentorship import access, audit
from mentorship.contracts import selectors as contracts
from mentorship.engagements import selectors as engagements
from mentorship.heartbeat import latest_heartbeat
from mentorship.inquiries.selectors import open_inquiry_count
from mentorship.matching.selectors import pending_requests_for
from mentorship.organisations.selectors import open_invitation_count
from overview import attention, next_steps
from privacy import deletion
from progress.plan import selectors as progress
from reporting.health import dashboard as health
from sessions import access as session_access
from sessions import usage
from sessions.booking import selectors as booking
from sessions.due import due_for
from sessions.followup import services as followup
from sessions.models import UPCOMING_STATUSES
from sessions.records import selectors as records


def home(request: HttpRequest) -> HttpResponse:
    """The landing page for visitors; for signed-in people one page with a section per role."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "overview/landing.html")
    is_sponsor = access.is_sponsor(user)
    if is_sponsor and not user.roles:
        return redirect("sponsors:portal")  # a sponsor's home is the sponsor portal
    home_engagements = engagements.home_engagements_for(user)
    context = {
        "is_sponsor": is_sponsor,
        "home_engagements": home_engagements,
        "next_steps": next_steps.mentee_next_steps(user, home_engagements["mentee_engagements"]),
        "mentor_todo": next_steps.mentor_todo(user),
        "home_sessions": booking.upcoming_for_home(user),
        "home_action_items": followup.open_action_items_for_owner(user),
        "feedback_requests": followup.sessions_awaiting_feedback(user),
        "one_to_one_engagements": booking.one_to_one_engagements_for(user),
    }
    if user.is_mentor:
        context["mentor_requests"] = pending_requests_for(user)
    if user.is_consultancy_admin:
        context.update(
            heartbeat=latest_heartbeat(),
            open_invitations=open_invitation_count(user),
            open_inquiries=open_inquiry_count(user),
            **deletion.home_admin_context(user),
            health_summary=health.home_summary_for(user),
            contract_alerts=usage.contract_alerts(),
            attention=attention.queue_for(user),
        )
    return render(request, "overview/home.html", context)


@role_required(Role.CONSULTANCY_ADMIN)
def attention_list(request: HttpRequest, kind: str) -> HttpResponse:
    """Every item of one kind of the admins' queue, a page at a time (the home page's "see all")."""
    kind, page = attention.page_of(request.user, kind, request.GET.get("page"))
    context = {"kind": kind, "page": page, "rows": page.object_list}
    return render(request, "overview/attention_list.html", context)


@login_required
def engagement_detail(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    engagement = access.get_engagement_for(user, engagement_uuid)
    context = engagements.engagement_page(user, engagement)
    if context["is_admin"]:
        audit.record(actor=user, action="viewed_engagement", target=engagement)
        context["risk"] = health.engagement_risk(engagement)
    sessions = list(
        session_access.sessions_visible_to(user)
        .filter(engagement=engagement)
        .select_related("venue", "mentee")
        .order_by("start")
    )
    now = timezone.now()
    context.update(
        sessions=sessions,
        # Pausing or completing then asks first what becomes of them (sessions:engagement-stop).
        has_future_sessions=any(s.status in UPCOMING_STATUSES and s.start > now for s in sessions),
        due=due_for(engagement),
        can_book=session_access.can_book(user, engagement),
        action_items_panel=followup.action_items_panel(viewer=user, engagement=engagement),
        timeline=records.engagement_timeline(user, engagement),
        usage=usage.usage_for(user, engagement),
        books_own_one_to_one=engagement.is_team and session_access.can_book_one_to_one(user, engagement, user),
        progress_panel=progress.engagement_panel(user, engagement),
    )
    return render(request, "overview/engagement_detail.html", context)


@login_required
def contract_detail(request: HttpRequest, contract_uuid: uuid.UUID) -> HttpResponse:
    """A contract with its engagements, usage and history (admins only; 404 for everybody else)."""
    contract = access.get_contract_for_admin(request.user, contract_uuid)
    context = contracts.contract_page(request.user, contract)
    context["usage"] = usage.usage_of(contract)
    context["invoices"] = list(billing_access.invoices_of(request.user, contract))
    return render(request, "overview/contract_detail.html", context)
