"""The public "Interested? Contact us." form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorship.engagements.forms import EngagementFieldsForm
from mentorship.models import Inquiry, InquiryKind, Organisation

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


CLIENT_FIELDS = ("organisation_name", "city", "team_name", "title")


class InquiryConvertForm(EngagementFieldsForm):
    """A lead made a client (`inquiries.convert`): the organisation, for a team lead its team, the
    writer's title, and the first engagement's intake fields."""

    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    city = forms.CharField(label=_("City or region"), max_length=100, required=False)
    team_name = forms.CharField(label=_("Leadership team"), max_length=200)
    title = forms.CharField(label=_("Their title"), max_length=150, required=False)

    field_order = ["organisation_name", "city", "team_name", "title", *EngagementFieldsForm.field_order]

    def __init__(self, *args, inquiry: Inquiry, **kwargs):
        super().__init__(*args, **kwargs)
        if inquiry.kind != Inquiry.Kind.TEAM:
            del self.fields["team_name"]
        else:
            del self.fields["mentee_chooses"]  # a whole team cannot make one person's choice

    def clean_organisation_name(self) -> str:
        name = self.cleaned_data["organisation_name"].strip()
        if Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("An organisation with this name already exists."))
        return name

    def engagement_fields(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if key not in CLIENT_FIELDS}
