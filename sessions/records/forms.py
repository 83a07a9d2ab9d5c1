"""Forms for session records: attendance, notes, reflections."""

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
