"""Forms for a person's data: asking for deletion, and an admin confirming it."""

from django import forms
from django.utils.translation import gettext_lazy as _

REASON_MAX_LENGTH = 2000


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Anything we should know? (optional)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my data will be deleted and my account closed, and that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that you want your data deleted.")},
    )


class DeletionCompleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Delete this person's data now. This cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the deletion.")},
    )
