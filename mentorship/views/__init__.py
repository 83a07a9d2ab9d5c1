from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import data
from mentorship import health as health_metrics  # not `health`: that name is the views.health module
from mentorship import selectors
from sessions import followup
from sessions import selectors as session_selectors


def home(request: HttpRequest) -> HttpResponse:
    """The landing page for visitors; for signed-in people one page with a section per role."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "mentorship/landing.html")
    context = {
        "home_engagements": selectors.home_engagements_for(user),
        "home_sessions": session_selectors.upcoming_for_home(user),
        "home_action_items": followup.open_action_items_for_owner(user),
        "feedback_requests": followup.sessions_awaiting_feedback(user),
    }
    if user.is_mentor:
        context["mentor_requests"] = selectors.pending_requests_for(user)
    if user.is_consultancy_admin:
        context.update(
            heartbeat=selectors.latest_heartbeat(),
            open_invitations=selectors.open_invitation_count(user),
            open_inquiries=selectors.open_inquiry_count(user),
            **data.home_admin_context(user),
            health_summary=health_metrics.home_summary_for(user),
        )
    return render(request, "mentorship/home.html", context)
