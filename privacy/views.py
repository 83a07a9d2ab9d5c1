"""A person's own data: exports, asking for deletion, and admins completing deletions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import role_required
from accounts.models import Role
from privacy import deletion, export
from privacy.forms import DeletionCompleteForm, DeletionRequestForm

COMPLETED_SHOWN = 50


def _download(payload: dict, kind: str) -> HttpResponse:
    response = HttpResponse(export.to_json(payload), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.export_filename(kind)}"'
    return response


@never_cache
@login_required
@require_POST
def data_export(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own data, as a JSON download. There is no way to name anybody else."""
    export.record_export(user=request.user, kind="data")
    return _download(export.export_own_data(user=request.user), "data")


@never_cache
@role_required(Role.MENTOR)
@require_POST
def notes_export(request: HttpRequest) -> HttpResponse:
    """Every note the mentor wrote, private ones included: to their author only."""
    export.record_export(user=request.user, kind="notes")
    return _download(export.export_own_notes(user=request.user), "notes")


@login_required
@require_http_methods(["GET", "POST"])
def deletion_request(request: HttpRequest) -> HttpResponse:
    existing = deletion.open_request_of(request.user)
    if existing is not None:
        messages.info(request, _("You have already asked for your data to be deleted. We will get back to you."))
        return redirect("accounts:profile")
    form = DeletionRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        created = deletion.request_deletion(user=request.user, reason=form.cleaned_data["reason"])[1]
        if created:
            messages.success(
                request,
                _("We have your request. A consultancy admin will delete your data and tell you when it is done."),
            )
        return redirect("accounts:profile")
    return render(request, "privacy/deletion_request.html", {"form": form})


@role_required(Role.CONSULTANCY_ADMIN)
@require_safe
def deletion_request_list(request: HttpRequest) -> HttpResponse:
    requests = deletion.deletion_requests_for_admin(request.user)
    context = {
        "open_requests": requests.filter(completed_at__isnull=True).order_by("requested_at", "pk"),
        "completed_requests": requests.filter(completed_at__isnull=False).order_by("-completed_at", "-pk")[
            :COMPLETED_SHOWN
        ],
        "counts": requests.aggregate(
            open=Count("pk", filter=Q(completed_at__isnull=True)),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
        ),
    }
    return render(request, "privacy/deletion_request_list.html", context)


@role_required(Role.CONSULTANCY_ADMIN)
@require_http_methods(["GET", "POST"])
def deletion_complete(request: HttpRequest, pk: int) -> HttpResponse:
    deletion_request = get_object_or_404(deletion.deletion_requests_for_admin(request.user), pk=pk)
    if deletion_request.completed_at is not None:
        messages.info(request, _("This request was already completed."))
        return redirect("privacy:deletion-request-list")
    form = DeletionCompleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            done = deletion.complete_deletion(deletion_request=deletion_request, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if done:
                messages.success(request, _("The person's data was deleted and their account closed."))
            else:
                messages.info(request, _("This request was already completed."))
            return redirect("privacy:deletion-request-list")
    context = {"deletion": deletion_request, "form": form, "summary": deletion.deletion_summary(deletion_request.user)}
    return render(request, "privacy/deletion_complete.html", context)
