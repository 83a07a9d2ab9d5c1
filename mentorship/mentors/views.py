"""Mentor profiles (edited by the mentor, seen by admins and their mentees) and focus areas."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from mentorship import access
from mentorship.mentors import selectors, services
from mentorship.mentors.forms import FocusAreaForm, MentorProfileForm
from mentorship.models import FocusArea, MentorProfile


@role_required(Role.MENTOR)
def mentor_profile_edit(request: HttpRequest) -> HttpResponse:
    profile = MentorProfile.objects.filter(user=request.user).first()
    if request.method == "POST":
        form = MentorProfileForm(request.POST, instance=profile)
        if form.is_valid():
            try:
                services.save_mentor_profile(mentor=request.user, data=form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your mentor profile was saved."))
                return redirect("mentorship:mentor-profile-edit")
    else:
        form = MentorProfileForm(instance=profile)
    retired = list(profile.focus_areas.filter(is_active=False)) if profile else []
    return render(
        request, "mentorship/mentors/profile_form.html", {"form": form, "profile": profile, "retired_areas": retired}
    )


@login_required
def mentor_profile(request: HttpRequest, mentor_pk: int) -> HttpResponse:
    profile = access.get_mentor_profile_for(request.user, mentor_pk)
    context = {
        "profile": profile,
        "focus_areas": list(profile.focus_areas.all()),
        "is_own": profile.user_id == request.user.pk,
        "sees_load": access.is_consultancy_admin(request.user) or profile.user_id == request.user.pk,
    }
    return render(request, "mentorship/mentors/profile_detail.html", context)


@role_required(Role.CONSULTANCY_ADMIN)
def mentor_list(request: HttpRequest) -> HttpResponse:
    return render(request, "mentorship/mentors/mentor_list.html", {"mentors": selectors.mentors_overview()})


# Focus areas ------------------------------------------------------------------------------------


@role_required(Role.CONSULTANCY_ADMIN)
def focus_area_list(request: HttpRequest) -> HttpResponse:
    areas = FocusArea.objects.annotate(
        mentor_count=Count("mentors", distinct=True), engagement_count=Count("engagements", distinct=True)
    )
    return render(request, "mentorship/mentors/focus_area_list.html", {"focus_areas": areas})


def _save_focus_area(form: FocusAreaForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.save_focus_area(focus_area=form.save(commit=False))
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@role_required(Role.CONSULTANCY_ADMIN)
def focus_area_create(request: HttpRequest) -> HttpResponse:
    form = FocusAreaForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _save_focus_area(form):
        messages.success(request, _("The focus area was added."))
        return redirect("mentorship:focus-area-list")
    return render(request, "mentorship/mentors/focus_area_form.html", {"form": form, "focus_area": None})


@role_required(Role.CONSULTANCY_ADMIN)
def focus_area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    focus_area = access.get_focus_area_for_admin(request.user, pk)
    name = focus_area.name_en  # the heading keeps the saved name while the form shows errors
    form = FocusAreaForm(request.POST if request.method == "POST" else None, instance=focus_area)
    if request.method == "POST" and _save_focus_area(form):
        messages.success(request, _("The focus area was saved."))
        return redirect("mentorship:focus-area-list")
    context = {"form": form, "focus_area": focus_area, "name": name}
    return render(request, "mentorship/mentors/focus_area_form.html", context)


@role_required(Role.CONSULTANCY_ADMIN)
@require_POST
def focus_area_delete(request: HttpRequest, pk: int) -> HttpResponse:
    focus_area = access.get_focus_area_for_admin(request.user, pk)
    try:
        services.delete_focus_area(focus_area=focus_area)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The focus area was deleted."))
    return redirect("mentorship:focus-area-list")
