"""The check-in form: a rating 1–10 for each goal's progress and each focus area's clarity."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorship.models import FocusArea
from progress.models import Goal

SCORE_ERRORS = {
    "required": _("Give a number from 1 to 10."),
    "invalid": _("Give a number from 1 to 10."),
    "min_value": _("Give a number from 1 to 10."),
    "max_value": _("Give a number from 1 to 10."),
}


def _score(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=1,
        max_value=10,
        error_messages=SCORE_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "score-input"}),
    )


class CheckInForm(forms.Form):
    def __init__(self, *args, goals: list[Goal], areas: list[FocusArea], **kwargs):
        super().__init__(*args, **kwargs)
        self.goals, self.areas = goals, areas
        for goal in goals:
            self.fields[f"goal_{goal.pk}"] = _score(
                _("Progress on “%(goal)s” (1–10)") % {"goal": goal.title}, goal.focus_area.name
            )
        for area in areas:
            self.fields[f"area_{area.pk}"] = _score(_("How clear “%(area)s” feels (1–10)") % {"area": area.name})

    def goal_scores(self) -> dict[Goal, int]:
        return {goal: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.goals}

    def area_scores(self) -> dict[FocusArea, int]:
        return {area: self.cleaned_data[f"area_{area.pk}"] for area in self.areas}
