"""The development plan page and its actions: goals (add, change, archive, restore), the progress
statement, and sharing with the sponsor. Every view fetches the engagement through
`progress.access` first, so somebody who may not see it gets a 404 whatever the method."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from progress import access
from progress.consent import services as consent
from progress.plan import selectors
from progress.plan import services as plan
from progress.plan.forms import GoalForm, StatementForm


def plan_url(engagement, anchor: str = "") -> str:
    return reverse("progress:plan", args=[engagement.uuid]) + (f"#{anchor}" if anchor else "")


@login_required
def plan_page(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    engagement = access.get_plan_engagement(request.user, engagement_uuid)
    return render(request, "progress/plan.html", selectors.plan_page(request.user, engagement))


def _goal_form(request, engagement, *, with_owner: bool, initial=None) -> GoalForm:
    return GoalForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        engagement=engagement,
        user=request.user,
        sees_all=access.sees_every_goal(request.user, engagement),
        with_owner=with_owner,
    )


@login_required
def goal_add(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    engagement = access.get_plan_engagement(request.user, engagement_uuid)
    if not access.can_edit_plan(request.user, engagement):
        raise PermissionDenied(_("Only the mentee(s) and the mentor change the plan."))
    form = _goal_form(request, engagement, with_owner=True)
    if request.method == "POST" and form.is_valid():
        try:
            plan.add_goal(actor=request.user, engagement=engagement, member=form.owner(), **_words(form))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The goal is in the plan."))
            return redirect(plan_url(engagement, "goals"))
    return render(request, "progress/goal_form.html", {"engagement": engagement, "form": form, "goal": None})


def _words(form: GoalForm) -> dict:
    data = form.cleaned_data
    return {"title": data["title"], "focus_area": data["focus_area"], "success": data["success"]}


@login_required
def goal_edit(request: HttpRequest, engagement_uuid: uuid.UUID, goal_pk: int) -> HttpResponse:
    engagement = access.get_plan_engagement(request.user, engagement_uuid)
    goal = access.get_goal_to_edit(request.user, engagement, goal_pk)
    initial = {"title": goal.title, "focus_area": goal.focus_area_id, "success": goal.success}
    form = _goal_form(request, engagement, with_owner=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = plan.change_goal(actor=request.user, goal=goal, **_words(form))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            (messages.success if changed else messages.info)(
                request, _("The goal is changed.") if changed else _("Nothing was changed.")
            )
            return redirect(plan_url(engagement, "goals"))
    return render(request, "progress/goal_form.html", {"engagement": engagement, "form": form, "goal": goal})


@login_required
def goal_archive(request: HttpRequest, engagement_uuid: uuid.UUID, goal_pk: int) -> HttpResponse:
    engagement = access.get_plan_engagement(request.user, engagement_uuid)
    goal = access.get_goal_to_edit(request.user, engagement, goal_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    archive = request.POST.get("archive") == "1"
    if plan.set_archived(actor=request.user, goal=goal, archived=archive):
        messages.success(request, _("The goal is archived.") if archive else _("The goal is back in the plan."))
    return redirect(plan_url(engagement, "goals"))


@login_required
def goal_consent(request: HttpRequest, engagement_uuid: uuid.UUID, goal_pk: int) -> HttpResponse:
    engagement = access.get_plan_engagement(request.user, engagement_uuid)
    goal = access.get_goal_for(request.user, engagement, goal_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not access.may_share_goal(request.user, goal):
        raise PermissionDenied(_("Only the goal's owner decides what the sponsor sees."))
    share = request.POST.get("share") == "1"
    try:
        consent.set_goal_consent(actor=request.user, goal=goal, item=request.POST.get("item", ""), share=share)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your sponsor sees it now.") if share else _("Your sponsor no longer sees it."))
    return redirect(plan_url(engagement, f"goal-{goal.pk}"))


@login_required
@sensitive_post_parameters("text")
def statement_edit(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    engagement = access.get_plan_engagement(request.user, engagement_uuid)
    if access.check_in_role(request.user, engagement) != "mentee":
        raise PermissionDenied(_("Only the mentee writes their progress statement."))
    statement = access.statements_visible_to(request.user, engagement).filter(mentee=request.user).first()
    form = StatementForm(request.POST or None, initial={"text": statement.text if statement else ""})
    if request.method == "POST" and form.is_valid():
        plan.save_statement(actor=request.user, engagement=engagement, text=form.cleaned_data["text"])
        messages.success(request, _("Your statement is saved."))
        return redirect(plan_url(engagement, "statement"))
    return render(request, "progress/statement_form.html", {"engagement": engagement, "form": form})


@login_required
def statement_consent(request: HttpRequest, engagement_uuid: uuid.UUID, statement_pk: int) -> HttpResponse:
    engagement = access.get_plan_engagement(request.user, engagement_uuid)
    statement = get_object_or_404(access.statements_visible_to(request.user, engagement), pk=statement_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not access.may_share_statement(request.user, statement):
        raise PermissionDenied(_("Only the mentee who wrote it decides what the sponsor sees."))
    share = request.POST.get("share") == "1"
    consent.set_statement_consent(actor=request.user, statement=statement, share=share)
    messages.success(request, _("Your sponsor sees it now.") if share else _("Your sponsor no longer sees it."))
    return redirect(plan_url(engagement, "statement"))
