"""The sponsor's "Request an extension" form for one engagement of their organisation."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sponsors import access
from sponsors.extensions import services
from sponsors.extensions.forms import ExtensionRequestForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_extension(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    engagement = access.get_engagement_for_sponsor(request.user, engagement_uuid)
    form = ExtensionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _request, created = services.request_extension(
            engagement=engagement, sponsor=request.user, message=form.cleaned_data["message"]
        )
        if created:
            messages.success(request, _("Your request was sent to the consultancy. They will contact you."))
        else:
            messages.info(request, _("Your request for this engagement is already with the consultancy."))
        return redirect("sponsors:engagement", engagement.uuid)
    context = {
        "form": form,
        "engagement": engagement,
        "open_request": services.open_request(engagement=engagement, sponsor=request.user),
    }
    return render(request, "sponsors/extensions/request.html", context)
