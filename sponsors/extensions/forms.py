from django import forms
from django.utils.translation import gettext_lazy as _


class ExtensionRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message to the consultancy"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For example how much longer, and why. The consultancy answers you by email."),
    )

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Please write a few words."))
        return message
