"""The mentor's choice to share a team session's shared notes with members who joined later."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sessions import access
from sessions.records.sharing import share_with_later_joiners


@login_required
def session_share_later(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = access.get_session_for(request.user, session_uuid)  # 404 first for outsiders
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not access.can_write_notes(request.user, session) or not session.team_id:
        raise PermissionDenied(_("Only the session's mentor shares its notes."))
    shared = request.POST.get("shared") == "yes"
    try:
        changed = share_with_later_joiners(session=session, actor=request.user, shared=shared)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if not changed:
            messages.info(request, _("Nothing changed."))
        elif shared:
            messages.success(request, _("Members who joined after this session now read its shared notes too."))
        else:
            messages.success(request, _("Members who joined after this session no longer read its shared notes."))
    return redirect(reverse("mentoring_sessions:session-detail", args=[session.uuid]) + "#notes")
