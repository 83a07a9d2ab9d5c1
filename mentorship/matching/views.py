"""Matching: the admins' ranked mentors, asking one, the mentor's answer, the mentee's choice.

Every view fetches through mentorship/access.py, so people who may not see the engagement or
request get 404 (not 403): they do not learn that it exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship import access
from mentorship.matching import services
from mentorship.matching.forms import AssignForm, ChooseMentorForm, DeclineForm
from mentorship.matching.scoring import rank_engagement
from mentorship.models import AssignmentStatus, EngagementStatus, MentorAssignment


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def engagement_matching(request: HttpRequest, engagement_uuid) -> HttpResponse:
    engagement = access.get_engagement_for_admin(request.user, engagement_uuid)
    ranking = rank_engagement(engagement)
    context = {
        "engagement": engagement,
        "focus_areas": list(engagement.focus_areas.all()),
        "ranking": ranking,
        "top_count": min(len(ranking.ranked), services.OPTIONS_OFFERED),
        "can_assign": engagement.status == EngagementStatus.PROPOSED,
        "assignments": list(engagement.assignments.select_related("mentor", "assigned_by")),
        "options": list(access.mentor_options_visible_to(request.user, engagement).select_related("mentor")),
    }
    return render(request, "mentorship/matching/matching.html", context)


@login_required
@require_POST
def engagement_assign(request: HttpRequest, engagement_uuid) -> HttpResponse:
    engagement = access.get_engagement_for_admin(request.user, engagement_uuid)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["mentor"]))
        return redirect("mentorship:engagement-matching", engagement_uuid=engagement.uuid)
    mentor = form.cleaned_data["mentor"]
    try:
        services.assign_mentor(engagement=engagement, mentor=mentor, assigned_by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("%(name)s has been asked by email and answers from their home page.") % {"name": mentor.display_name},
        )
    return redirect("mentorship:engagement-matching", engagement_uuid=engagement.uuid)


@login_required
@require_POST
def engagement_offer_options(request: HttpRequest, engagement_uuid) -> HttpResponse:
    engagement = access.get_engagement_for_admin(request.user, engagement_uuid)
    try:
        options = services.offer_mentor_options(engagement=engagement, offered_by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("%(count)d mentors were offered; %(name)s gets an email to choose one.")
            % {"count": len(options), "name": engagement.subject_name},
        )
    return redirect("mentorship:engagement-matching", engagement_uuid=engagement.uuid)


@login_required
def engagement_choose_mentor(request: HttpRequest, engagement_uuid) -> HttpResponse:
    engagement = access.get_engagement_for(request.user, engagement_uuid)
    if not access.is_engagement_mentee(request.user, engagement):
        raise Http404
    if request.method == "POST":
        form = ChooseMentorForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Choose one of the mentors offered to you."))
            assignment = services.choose_mentor(
                engagement=engagement, option_pk=form.cleaned_data["option"], mentee=request.user
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("You chose %(name)s. They have been asked and will answer soon.")
                % {"name": assignment.mentor.display_name},
            )
        return redirect("mentorship:engagement-choose-mentor", engagement_uuid=engagement.uuid)
    options = list(
        access.mentor_options_visible_to(request.user, engagement)
        .select_related("mentor__mentor_profile")
        .prefetch_related("mentor__mentor_profile__focus_areas")
    )
    has_pending = engagement.assignments.filter(status=AssignmentStatus.PENDING).exists()
    still_open = services.open_options(options)
    context = {
        "engagement": engagement,
        "options": still_open,
        "chosen": next((option for option in still_open if option.chosen_at), None),
        "declined": services.declined_choice(options),
        "can_choose": services.can_choose(engagement, options, has_pending),
    }
    return render(request, "mentorship/matching/choose.html", context)


@login_required
@require_POST
def assignment_accept(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.get_pending_assignment_for_mentor(request.user, pk)
    try:
        engagement = services.accept_assignment(assignment=assignment, mentor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("overview:home")
    messages.success(request, _("You are now the mentor of %(name)s.") % {"name": engagement.subject_name})
    return redirect("overview:engagement-detail", engagement_uuid=engagement.uuid)


@login_required
def assignment_decline(request: HttpRequest, pk: int) -> HttpResponse:
    assignment: MentorAssignment = access.get_pending_assignment_for_mentor(request.user, pk)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.decline_assignment(assignment=assignment, mentor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("You declined. Thank you for saying why."))
            return redirect("overview:home")
    return render(request, "mentorship/matching/decline.html", {"assignment": assignment, "form": form})
