"""Follow-up pages: an engagement's action items, a mentee's feedback on a held session, and the
feedback summaries (admins: per engagement and per mentor; a mentor: their own averages).

The rules live in `sessions.followup`; engagements and sessions are fetched through the access
modules, so outsiders get 404 whatever the method.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import role_required
from accounts.models import Role
from mentorship import access as mentorship_access
from mentorship.models import Engagement
from sessions import access
from sessions.followup import access as followup_access
from sessions.followup import services as followup
from sessions.followup.forms import ActionItemForm, FeedbackForm, ToggleForm
from sessions.models import ActionItem


def _action_items_for(
    request: HttpRequest, engagement_uuid: uuid.UUID
) -> tuple[Engagement, followup_access.ActionItemRights]:
    engagement = mentorship_access.get_engagement_for(request.user, engagement_uuid)
    rights = followup_access.ActionItemRights.of(request.user, engagement)
    if not rights.can_view:
        raise PermissionDenied(_("Only the people of this mentorship see its action items."))
    return engagement, rights


def _item(engagement: Engagement, item_pk: int, viewer) -> ActionItem:
    """One of the engagement's items the viewer may see (a one-to-one's: its member and mentor); 404 otherwise."""
    items = followup.action_items_seen_by(ActionItem.objects.select_related("engagement", "owner"), viewer)
    return get_object_or_404(items, engagement=engagement, pk=item_pk)


def _method_not_allowed(request: HttpRequest, *allowed: str) -> HttpResponseNotAllowed | None:
    # Checked after the fetch, so an outsider gets the same 404 whatever the method.
    return None if request.method in allowed else HttpResponseNotAllowed(allowed)


def _back(request: HttpRequest, engagement: Engagement) -> HttpResponse:
    """Back where the button was (the home page, the engagement page), or to the action items."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("mentoring_sessions:action-items", engagement_uuid=engagement.uuid)


@login_required
def action_items(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    engagement, rights = _action_items_for(request, engagement_uuid)
    data = request.POST if request.method == "POST" else None
    form = ActionItemForm(data, engagement=engagement, chooses_owner=rights.chooses_owner)
    if data is not None and form.is_valid():
        try:
            _created_item, created = followup.create_action_item(
                engagement=engagement,
                text=form.cleaned_data["text"],
                owner=form.cleaned_data.get("owner") or request.user,
                due_date=form.cleaned_data["due_date"],
                created_by=request.user,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if created:
                messages.success(request, _("Action item added."))
            else:
                messages.info(request, _("This action item is already on the list."))
            return redirect("mentoring_sessions:action-items", engagement_uuid=engagement.uuid)
    items = followup.action_items_for_engagement(engagement, viewer=request.user)
    for item in items:
        item.may_toggle, item.may_edit, item.may_delete = (
            rights.can_toggle(item),
            rights.can_edit(item),
            rights.can_delete(item),
        )
    context = {"engagement": engagement, "form": form, "items": items, "rights": rights}
    return render(request, "sessions/followup/action_items.html", context)


@login_required
def action_item_edit(request: HttpRequest, engagement_uuid: uuid.UUID, item_pk: int) -> HttpResponse:
    engagement, rights = _action_items_for(request, engagement_uuid)
    item = _item(engagement, item_pk, request.user)
    if not rights.can_edit(item):
        raise PermissionDenied(_("You cannot change this action item."))
    data = request.POST if request.method == "POST" else None
    chooses_owner = rights.chooses_owner
    form = ActionItemForm(
        data, engagement=engagement, chooses_owner=chooses_owner, initial=ActionItemForm.initial_for(item)
    )
    if data is not None and form.is_valid():
        try:
            followup.update_action_item(
                item=item,
                text=form.cleaned_data["text"],
                owner=form.cleaned_data["owner"] if chooses_owner else item.owner,
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Action item saved."))
            return redirect("mentoring_sessions:action-items", engagement_uuid=engagement.uuid)
    context = {"engagement": engagement, "item": item, "form": form}
    return render(request, "sessions/followup/action_item_edit.html", context)


@login_required
def action_item_toggle(request: HttpRequest, engagement_uuid: uuid.UUID, item_pk: int) -> HttpResponse:
    engagement = mentorship_access.get_engagement_for(request.user, engagement_uuid)
    rights = followup_access.ActionItemRights.of(request.user, engagement)
    item = _item(engagement, item_pk, request.user)
    if not rights.can_toggle(item):
        raise PermissionDenied(_("Only the people of this mentorship mark its action items done."))
    if refused := _method_not_allowed(request, "POST"):
        return refused
    form = ToggleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the item is done or open."))
        return _back(request, engagement)
    done = form.cleaned_data["done"]
    if followup.set_action_item_done(item=item, done=done):
        messages.success(request, _("Marked as done.") if done else _("Open again."))
    return _back(request, engagement)


@login_required
def action_item_delete(request: HttpRequest, engagement_uuid: uuid.UUID, item_pk: int) -> HttpResponse:
    engagement, rights = _action_items_for(request, engagement_uuid)
    item = _item(engagement, item_pk, request.user)
    if not rights.can_delete(item):
        raise PermissionDenied(_("Only whoever added an action item, or an admin, deletes it."))
    if refused := _method_not_allowed(request, "POST"):
        return refused
    followup.delete_action_item(item=item)
    messages.success(request, _("Action item deleted."))
    return redirect("mentoring_sessions:action-items", engagement_uuid=engagement.uuid)


@login_required
def session_feedback(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = access.get_session_for(request.user, session_uuid)
    if not followup_access.can_give_feedback(request.user, session):
        raise PermissionDenied(_("Only the mentees of this session give feedback on it."))
    given = followup.own_feedback(request.user, session)
    is_open = followup_access.feedback_is_open(session)
    form = FeedbackForm(request.POST if request.method == "POST" and is_open and not given else None)
    if form.is_bound and form.is_valid():
        try:
            _feedback, created = followup.give_feedback(session=session, mentee=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, _("Thank you for your feedback."))
            else:
                messages.info(request, _("You had already given feedback on this session."))
            return redirect("mentoring_sessions:session-feedback", session_uuid=session.uuid)
    status = 200
    if request.method == "POST" and (not is_open or given):
        status = 409  # not held yet, or already given: nothing was saved
    context = {"session": session, "form": form, "given": given, "is_open": is_open}
    return render(request, "sessions/followup/feedback.html", context, status=status)


@login_required
def engagement_feedback(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    engagement = mentorship_access.get_engagement_for_admin(request.user, engagement_uuid)
    if refused := _method_not_allowed(request, "GET", "HEAD"):
        return refused
    context = {"engagement": engagement, **followup.feedback_for_engagement(engagement)}
    return render(request, "sessions/followup/engagement_feedback.html", context)


@role_required(Role.CONSULTANCY_ADMIN)
@require_safe
def mentor_feedback(request: HttpRequest, mentor_pk: int) -> HttpResponse:
    mentor = followup_access.mentor_with_feedback_for_admin(request.user, mentor_pk)
    context = {"mentor": mentor, **followup.feedback_for_mentor(mentor)}
    return render(request, "sessions/followup/mentor_feedback.html", context)


@role_required(Role.MENTOR)
@require_safe
def my_feedback(request: HttpRequest) -> HttpResponse:
    context = {"summary": followup.mentor_own_averages(request.user), "minimum": followup.MIN_RATERS_FOR_MENTOR}
    return render(request, "sessions/followup/my_feedback.html", context)
