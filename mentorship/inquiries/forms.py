"""The public "Interested? Contact us." form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorship.models import Inquiry, InquiryKind

HONEYPOT_FIELD = "website"


class InquiryForm(forms.ModelForm):
    # An extension request comes only from a signed-in sponsor (sponsors.extensions), never from here.
    kind = forms.ChoiceField(
        label=_("Mentoring for"),
        choices=[(value, label) for value, label in InquiryKind.choices if value != InquiryKind.EXTENSION],
        widget=forms.RadioSelect,
    )
    # A trap for bots: hidden from sighted people by CSS and skipped by the keyboard; its label
    # asks screen-reader users to leave it empty. Anything typed here marks the post as spam.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Inquiry
        fields = ["name", "email", "company", "kind", "message"]
        labels = {
            "name": _("Your name"),
            "email": _("Your email address"),
            "company": _("Company or organisation"),
            "message": _("What would you like help with?"),
        }
        help_texts = {"company": _("Optional.")}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "company": forms.TextInput(attrs={"autocomplete": "organization"}),
            "message": forms.Textarea(attrs={"rows": 6}),
        }

    def is_spam(self) -> bool:
        """True when the honeypot was filled in. Read from the raw data so that a bot gets the same
        "thank you" whether or not the rest of its post would validate."""
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def fields_for_people(self) -> list[forms.BoundField]:
        """The fields to show normally: every field except the honeypot."""
        return [field for field in self if field.name != HONEYPOT_FIELD]
