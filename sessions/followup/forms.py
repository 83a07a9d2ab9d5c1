"""Forms for action items and session feedback."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from mentorship.models import Engagement
from sessions.followup import services as followup
from sessions.models import ActionItem


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class ActionItemForm(forms.Form):
    """A next step. Mentors and admins pick its owner among the engagement's people; a mentee's
    form has no owner field — the step is their own."""

    text = forms.CharField(
        label=_("Next step"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        help_text=_("What was agreed, in a sentence or two (at most 500 characters)."),
    )
    owner = OwnerChoiceField(label=_("Who does it"), queryset=User.objects.none(), empty_label=None)
    due_date = forms.DateField(
        label=_("Due (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Today or a later day."),
    )

    def __init__(self, *args, engagement: Engagement, chooses_owner: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.engagement = engagement
        if chooses_owner:
            self.fields["owner"].queryset = followup.possible_owners(engagement)
        else:
            del self.fields["owner"]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write the next step."), code="required")
        return text

    def clean_due_date(self) -> datetime.date | None:
        """No due date in the past; an item being edited may keep the one it has."""
        due = self.cleaned_data["due_date"]
        if due is not None and due < timezone.localdate() and due != self.initial.get("due_date"):
            raise ValidationError(_("That day has passed: pick today or a later day."), code="past_due")
        return due

    def add_service_error(self, error: ValidationError) -> None:
        field = "owner" if getattr(error, "code", None) == "owner" and "owner" in self.fields else None
        self.add_error(field, error)

    @classmethod
    def initial_for(cls, item: ActionItem) -> dict:
        return {"text": item.text, "owner": item.owner_id, "due_date": item.due_date}


class ToggleForm(forms.Form):
    """Mark an item done ("1") or open again ("0"): the target state, so repeating it is harmless."""

    done = forms.TypedChoiceField(choices=[("1", _("Done")), ("0", _("Open"))], coerce=lambda value: value == "1")


RATING_CHOICES = [
    (1, _("1 – not at all")),
    (2, _("2")),
    (3, _("3")),
    (4, _("4")),
    (5, _("5 – very much")),
]


class FeedbackForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label=_("How useful was the session?"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    trust = forms.TypedChoiceField(
        label=_("How much do you trust your mentor?"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Anything else? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text=_(
            "Your mentor never sees your comment or your single ratings — only averages over ratings "
            "from at least three different people. The consultancy reads them to improve its mentoring."
        ),
    )
