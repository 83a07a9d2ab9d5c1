"""Forms for session records: attendance, notes, reflections."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from sessions.models import MemberAttendance, NoteVisibility, ReflectionVisibility
from sessions.records.services import MAX_TEXT_LENGTH, Attendance

TEXT_ERRORS = {
    "required": _("Write something first."),
    "max_length": _("Keep it under %(limit_value)d characters (it has %(show_value)d)."),
}


def _text_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=MAX_TEXT_LENGTH,
        error_messages=TEXT_ERRORS,
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class AttendanceForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened?"),
        choices=[
            (Attendance.HELD, _("Held")),
            (Attendance.NO_SHOW, _("No-show")),
            (Attendance.CANCELLED_LATE, _("Cancelled late")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happened."), "invalid_choice": _("Choose what happened.")},
    )


class MemberAttendanceForm(forms.Form):
    """One choice per member on a team session's roster: present, late or absent."""

    def __init__(self, *args, members: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=member.display_name,
                choices=MemberAttendance.Status.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose present, late or absent."),
                    "invalid_choice": _("Choose present, late or absent."),
                },
            )

    def statuses(self) -> dict[int, str]:
        return {member.pk: self.cleaned_data[f"member_{member.pk}"] for member in self.members}


class NoteForm(forms.Form):
    body = _text_field(
        _("Note"),
        _('Line breaks are kept. Start a line with "- " for a list. Up to 20 000 characters.'),
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it?"),
        choices=NoteVisibility.choices,
        initial=NoteVisibility.PRIVATE,
        widget=forms.RadioSelect,
        help_text=_("A private note is for you alone: nobody else, the consultancy included, can ever read it."),
    )


class ReflectionForm(forms.Form):
    body = _text_field(
        _("Your reflection"),
        _('Line breaks are kept. Start a line with "- " for a list. Up to 20 000 characters.'),
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it?"),
        choices=ReflectionVisibility.choices,
        initial=ReflectionVisibility.PRIVATE,
        widget=forms.RadioSelect,
        help_text=_("Nobody at the consultancy or your organisation can read your reflections."),
    )


class WrapUpForm(forms.Form):
    """The mentor's wrap-up after a session, in one form: attendance (held or not; per member on a
    team session), a note (private or shared), a next step with its owner and due date, all but
    the attendance optional. The service (`sessions.records.wrapup`) saves the parts together."""

    note_body = forms.CharField(
        label=_("Your note (optional)"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        error_messages=TEXT_ERRORS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_('Line breaks are kept. Start a line with "- " for a list.'),
    )
    note_visibility = forms.ChoiceField(
        label=_("Who can read the note?"),
        choices=NoteVisibility.choices,
        initial=NoteVisibility.PRIVATE,
        widget=forms.RadioSelect,
    )
    item_text = forms.CharField(
        label=_("Next step (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )
    item_owner = forms.ModelChoiceField(label=_("Who does it"), queryset=User.objects.none(), required=False)
    item_due = forms.DateField(
        label=_("Due (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, members: list[User] | None, owners, today: datetime.date, **kwargs):
        """`members`: a team session's roster (a choice each), or None for an individual session
        (held, no-show or cancelled late); `owners`: who may own the next step."""
        super().__init__(*args, **kwargs)
        self.members = members
        self.today = today
        attendance: dict[str, forms.Field] = {}
        if members is None:
            attendance["outcome"] = AttendanceForm().fields["outcome"]
        else:
            attendance.update(MemberAttendanceForm(members=members).fields)
        self.fields = {**attendance, **self.fields}  # attendance first
        self.fields["item_owner"].queryset = owners
        self.fields["item_owner"].label_from_instance = lambda user: user.display_name
        self.fields["item_due"].widget.attrs["min"] = today.isoformat()

    def clean_item_due(self) -> datetime.date | None:
        due = self.cleaned_data["item_due"]
        if due is not None and due < self.today:
            raise forms.ValidationError(
                _("That day has passed: pick today or a later day for the next step."), code="past_due"
            )
        return due

    def clean(self) -> dict:
        cleaned = super().clean()
        text = cleaned["item_text"] = (cleaned.get("item_text") or "").strip()
        if not text and (cleaned.get("item_due") or self.data.get("item_due")):
            self.add_error("item_text", _("Write the next step, or leave its due date empty."))
        if text and cleaned.get("item_owner") is None and "item_owner" not in self.errors:
            self.add_error("item_owner", _("Choose who does the next step."))
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:  # each error is read out with its field
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-describedby": f"id_{name}_error", "aria-invalid": "true"})

    @property
    def attendance_fields(self) -> list:
        return [self[name] for name in self.fields if name == "outcome" or name.startswith("member_")]

    @property
    def item_fields(self) -> list:
        return [self["item_text"], self["item_owner"], self["item_due"]]

    def statuses(self) -> dict[int, str] | None:
        if self.members is None:
            return None
        return {member.pk: self.cleaned_data[f"member_{member.pk}"] for member in self.members}
