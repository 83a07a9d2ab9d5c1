"""Forms for matching: asking a mentor, declining with a reason, and the mentee's choice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class AssignForm(forms.Form):
    mentor = forms.ModelChoiceField(
        label=_("Mentor"),
        queryset=User.objects.filter(is_mentor=True, is_active=True, mentor_profile__isnull=False),
        error_messages={"invalid_choice": _("Choose a mentor from the list.")},
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The consultancy reads this when it looks for another mentor."),
        error_messages={"required": _("Please say why, so the consultancy can find the right mentor.")},
    )


class ChooseMentorForm(forms.Form):
    option = forms.IntegerField(min_value=1, error_messages={"required": _("Choose one of the mentors offered.")})
