"""Session records: attendance, the mentor's notes and the mentee's reflections.

Every view fetches the session through `sessions.access.get_session_for` first, so somebody who
may not see the session gets a 404 whatever the method; then the method and the role are checked.
No message, error or page for anybody but the author carries a note's or reflection's text; the
text fields are marked sensitive, so error reports (the debug page, error emails) show stars.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from sessions import access
from sessions.models import MentoringSession, ReflectionTiming
from sessions.one_to_ones.paths import one_to_one_booking_path
from sessions.records import selectors as record_selectors
from sessions.records import services as records
from sessions.records import wrapup
from sessions.records.forms import AttendanceForm, MemberAttendanceForm, NoteForm, ReflectionForm

SAFE_METHODS = ("GET", "HEAD")
ATTENDANCE_MESSAGES = {
    records.Attendance.HELD: gettext_lazy("Recorded: the session was held."),
    records.Attendance.NO_SHOW: gettext_lazy("Recorded: a no-show."),
    records.Attendance.CANCELLED_LATE: gettext_lazy("Recorded: cancelled late."),
}


def _method_not_allowed(request: HttpRequest, *allowed: str) -> HttpResponseNotAllowed | None:
    # Checked after the fetch, so an outsider gets the same 404 whatever the method.
    return None if request.method in allowed else HttpResponseNotAllowed(allowed)


def _back_to(session: MentoringSession, anchor: str) -> HttpResponse:
    return redirect(reverse("mentoring_sessions:session-detail", args=[session.uuid]) + f"#{anchor}")


@login_required
def session_attendance(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = access.get_session_for(request.user, session_uuid)
    if refused := _method_not_allowed(request, "POST"):
        return refused
    if not access.can_write_notes(request.user, session):
        raise PermissionDenied(_("Only the session's mentor records attendance."))
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["outcome"]))
        return _back_to(session, "attendance")
    outcome = form.cleaned_data["outcome"]
    try:
        _session, changed = records.record_attendance(session=session, actor=request.user, outcome=outcome)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        (messages.success if changed else messages.info)(request, ATTENDANCE_MESSAGES[outcome])
    return _back_to(session, "attendance")


@login_required
def session_member_attendance(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    """The mentor records, per member of a team session, who was present, late or absent."""
    session = access.get_session_for(request.user, session_uuid)
    if refused := _method_not_allowed(request, "POST"):
        return refused
    if not access.can_write_notes(request.user, session) or not session.team_id:
        raise PermissionDenied(_("Only the session's mentor records attendance."))
    members = [seat.user for seat in session.roster().select_related("user").order_by("user__full_name")]
    form = MemberAttendanceForm(request.POST, members=members)
    if not form.is_valid():
        missing = [str(form.fields[name].label) for name in form.errors]
        messages.error(request, _("Choose present, late or absent for: %(names)s.") % {"names": ", ".join(missing)})
        return _back_to(session, "attendance")
    try:
        _session, changed = records.record_member_attendance(
            session=session, actor=request.user, statuses=form.statuses()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        (messages.success if changed else messages.info)(request, _("Attendance per member recorded."))
    return _back_to(session, "attendance")


@sensitive_post_parameters("body")
@login_required
@sensitive_variables()
def note_create(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = access.get_session_for(request.user, session_uuid)
    if refused := _method_not_allowed(request, "GET", "HEAD", "POST"):
        return refused
    if not access.can_write_notes(request.user, session):
        raise PermissionDenied(_("Only the session's mentor writes notes on it."))
    form = NoteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            note, created = records.create_note(session=session, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("body", error)
        else:
            if created:
                messages.success(request, _("The note was saved."))
            else:
                messages.info(request, _("This note was already saved."))
            return _back_to(session, f"note-{note.pk}")
    return render(request, "sessions/records/note_form.html", {"session": session, "form": form})


@sensitive_post_parameters("body")
@login_required
@sensitive_variables()
def note_edit(request: HttpRequest, session_uuid: uuid.UUID, note_pk: int) -> HttpResponse:
    session = access.get_session_for(request.user, session_uuid)
    note = access.get_note_for_author(request.user, session, note_pk)
    if refused := _method_not_allowed(request, "GET", "HEAD", "POST"):
        return refused
    initial = {"body": note.body, "visibility": note.visibility}
    form = NoteForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            _note, changed = records.edit_note(note=note, editor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("body", error)
        else:
            if changed:
                messages.success(request, _("The note was saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return _back_to(session, f"note-{note.pk}")
    context = {"session": session, "form": form, "note": note}
    return render(request, "sessions/records/note_form.html", context)


@login_required
def note_delete(request: HttpRequest, session_uuid: uuid.UUID, note_pk: int) -> HttpResponse:
    session = access.get_session_for(request.user, session_uuid)
    note = access.get_note_for_author(request.user, session, note_pk)
    if refused := _method_not_allowed(request, "POST"):
        return refused
    records.delete_note(note=note, actor=request.user)
    messages.success(request, _("The note was deleted."))
    return _back_to(session, "notes")


@sensitive_post_parameters("body")
@login_required
@sensitive_variables()
def reflection_edit(request: HttpRequest, session_uuid: uuid.UUID, timing: str) -> HttpResponse:
    session = access.get_session_for(request.user, session_uuid)
    if timing not in ReflectionTiming.values:
        raise Http404
    if refused := _method_not_allowed(request, "GET", "HEAD", "POST"):
        return refused
    if not access.can_reflect(request.user, session):
        raise PermissionDenied(_("Only the session's mentees write reflections on it."))
    if not records.can_write_reflection(request.user, session, timing):
        messages.error(
            request, _("You can write this reflection once the session has started, unless it was cancelled.")
        )
        return _back_to(session, "reflections")
    existing = access.reflections_visible_to(request.user, session).filter(author=request.user, timing=timing).first()
    initial = {"body": existing.body, "visibility": existing.visibility} if existing else None
    form = ReflectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            records.save_reflection(session=session, author=request.user, timing=timing, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Your reflection was saved."))
            return _back_to(session, "reflections")
    context = {"session": session, "form": form, "timing": ReflectionTiming(timing), "existing": existing}
    return render(request, "sessions/records/reflection_form.html", context)


WRAP_UP_PARTS = {
    "attendance": gettext_lazy("attendance"),
    "note": gettext_lazy("the note"),
    "item": gettext_lazy("the next step"),
}


def _wrapped_message(saved: wrapup.WrapUpSaved) -> str:
    if not saved.new:
        return _("Nothing new to save: this wrap-up is already saved.")
    return _("Wrap-up saved: %(parts)s.") % {"parts": ", ".join(str(WRAP_UP_PARTS[part]) for part in saved.new)}


@sensitive_post_parameters("note_body")
@login_required
@sensitive_variables()
def session_wrapup(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    """The mentor's wrap-up: attendance, a note, a next step and "book the next session", saved
    together (`sessions.records.wrapup`). On the session page; this page shows it again with
    its errors."""
    session = access.get_session_for(request.user, session_uuid)
    if refused := _method_not_allowed(request, "GET", "HEAD", "POST"):
        return refused
    if not records.can_record_attendance(request.user, session):
        raise PermissionDenied(_("Only the session's mentor wraps it up, once it has started."))
    form = record_selectors.wrapup_form(session, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        parts = wrapup.WrapUp(
            outcome=data.get("outcome"),
            statuses=form.statuses(),
            note_body=data["note_body"],
            note_visibility=data["note_visibility"],
            item_text=data["item_text"],
            item_owner=data.get("item_owner"),
            item_due=data.get("item_due"),
        )
        try:
            saved = wrapup.wrap_up(session=session, actor=request.user, parts=parts)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            (messages.success if saved.new else messages.info)(request, _wrapped_message(saved))
            if request.POST.get("then") == "book" and session.is_one_to_one:  # the member's next one-to-one
                return redirect(one_to_one_booking_path(session.engagement, session.mentee_id, for_mentor=True))
            if request.POST.get("then") == "book":
                return redirect("mentoring_sessions:book", engagement_uuid=session.engagement.uuid)
            return _back_to(session, "wrap-up")
    context = {"session": session, "wrapup_form": form, "shared_with": wrapup.shared_with(session)}
    return render(request, "sessions/records/wrapup.html", context)
