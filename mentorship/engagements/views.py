"""Engagements: intake and edit by admins, the list, lifecycle, mentee intake. The engagement page
itself shows sessions and health too, so it is composed above both (`overview.views`)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.models import Role, User
from mentorship import access, cadence
from mentorship.engagements import services
from mentorship.engagements.forms import (
    EngagementCreateForm,
    EngagementEditForm,
    EngagementFilterForm,
    ExtendForm,
    IntakeForm,
    StatusChangeForm,
)
from mentorship.models import LeadershipTeam

PAGE_SIZE = 50


def _uuid_param(request: HttpRequest, name: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.GET.get(name, ""))
    except ValueError:
        return None


@login_required
def engagement_list(request: HttpRequest) -> HttpResponse:
    is_admin = access.is_consultancy_admin(request.user)
    filters = EngagementFilterForm(
        request.GET or None,
        organisations=access.organisations_visible_to(request.user) if is_admin else None,
        mentors=User.objects.filter(is_mentor=True) if is_admin else None,
    )
    engagements = filters.filter(access.engagements_visible_to(request.user)).select_related(
        "organisation", "mentee", "team", "mentor"
    )
    page = Paginator(engagements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "mentorship/engagements/list.html",
        {"filters": filters, "page": page, "engagements": page.object_list, "is_admin": is_admin},
    )


@role_required(Role.CONSULTANCY_ADMIN)
def engagement_create(request: HttpRequest) -> HttpResponse:
    mentees = access.mentees_visible_to(request.user).filter(is_active=True, organisation_membership__isnull=False)
    teams = LeadershipTeam.objects.filter(organisation__in=access.organisations_visible_to(request.user))
    organisation, initial = None, {}
    if organisation_uuid := _uuid_param(request, "organisation"):
        organisation = access.get_organisation_for_admin(request.user, organisation_uuid)
        mentees = mentees.filter(organisation_membership__organisation=organisation)
        teams = teams.filter(organisation=organisation)
    if team_uuid := _uuid_param(request, "team"):
        initial["team"] = access.get_team_for_admin(request.user, team_uuid).pk
    if request.GET.get("mentee", "").isdecimal():  # not isdigit(): "²" is a digit that int() refuses
        initial["mentee"] = int(request.GET["mentee"])
    data = request.POST if request.method == "POST" else None
    form = EngagementCreateForm(data, initial=initial, mentees=mentees, teams=teams)
    if data is not None and form.is_valid():
        try:
            engagement = services.create_engagement(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The engagement was opened. Next: find it a mentor."))
            return redirect("overview:engagement-detail", engagement_uuid=engagement.uuid)
    return render(request, "mentorship/engagements/form.html", {"form": form, "organisation": organisation})


@login_required
def engagement_edit(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    engagement = access.get_engagement_for_admin(request.user, engagement_uuid)
    data = request.POST if request.method == "POST" else None
    form = EngagementEditForm(data, instance=engagement)
    if data is not None and form.is_valid():
        try:
            services.update_engagement(engagement=engagement, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The engagement was saved."))
            return redirect("overview:engagement-detail", engagement_uuid=engagement.uuid)
    return render(request, "mentorship/engagements/form.html", {"form": form, "engagement": engagement})


@login_required
def engagement_status(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    engagement = access.get_engagement_for_admin(request.user, engagement_uuid)
    # Method checked after the fetch so that a GET from a non-admin is a 404 like a POST.
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("overview:engagement-detail", engagement_uuid=engagement.uuid)
    try:
        services.change_status(
            engagement=engagement,
            to_status=form.cleaned_data["to_status"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The engagement is now %(status)s.") % {"status": engagement.get_status_display().lower()}
        )
    return redirect("overview:engagement-detail", engagement_uuid=engagement.uuid)


@login_required
def engagement_extend(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    engagement = access.get_engagement_for_admin(request.user, engagement_uuid)
    data = request.POST if request.method == "POST" else None
    suggestion = cadence.add_months(engagement.planned_end, 6)
    form = ExtendForm(data, engagement=engagement, initial={"new_end": suggestion})
    if data is not None and form.is_valid():
        try:
            services.extend_planned_end(engagement=engagement, new_end=form.cleaned_data["new_end"], actor=request.user)
        except ValidationError as error:
            form.add_error("new_end", error)
        else:
            messages.success(request, _("The planned end was moved."))
            return redirect("overview:engagement-detail", engagement_uuid=engagement.uuid)
    context = {"form": form, "engagement": engagement, "is_closed": engagement.status in services.CLOSED_STATUSES}
    return render(request, "mentorship/engagements/extend.html", context)


@login_required
def engagement_intake(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    engagement = access.get_engagement_for(request.user, engagement_uuid)
    if not access.is_engagement_mentee(request.user, engagement):
        # Its mentor or an admin: they read the answers, they do not give them.
        raise PermissionDenied(_("Only the mentee answers the intake questions; you can read the answers."))
    own = access.intake_responses_visible_to(request.user, engagement).filter(mentee=request.user).first()
    is_closed = engagement.status in services.CLOSED_STATUSES
    if is_closed and request.method == "POST":
        messages.error(request, _("This engagement has ended; the intake answers can no longer change."))
        return redirect("overview:engagement-detail", engagement_uuid=engagement.uuid)
    data = request.POST if request.method == "POST" else None
    form = IntakeForm(data, instance=own)
    if data is not None and form.is_valid():
        try:
            _response, created = services.submit_intake(engagement=engagement, mentee=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, _("Thank you, your answers were saved.") if created else _("Your answers were updated.")
            )
            return redirect("overview:engagement-detail", engagement_uuid=engagement.uuid)
    context = {"form": form, "engagement": engagement, "own": own, "is_closed": is_closed}
    return render(request, "mentorship/engagements/intake.html", context)
