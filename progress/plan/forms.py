"""The plan's forms: a goal (its words, its focus area, whose goal it is) and the progress statement."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from mentorship.models import Engagement, TeamMembership

TEAM = "team"


class GoalForm(forms.Form):
    title = forms.CharField(
        label=_("The goal, in your own words"),
        max_length=200,
        error_messages={"required": _("Write the goal first.")},
    )
    focus_area = forms.ModelChoiceField(
        label=_("Focus area"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Choose a focus area."), "invalid_choice": _("Choose a focus area.")},
    )
    success = forms.CharField(
        label=_("What success looks like"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How will you notice that you have reached it?"),
    )

    def __init__(self, *args, engagement: Engagement, user: User, sees_all: bool, with_owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.engagement = engagement
        self.fields["focus_area"].queryset = engagement.focus_areas.order_by("position", "name_en")
        if engagement.is_team and with_owner:
            if sees_all:
                people = [
                    seat.user
                    for seat in TeamMembership.objects.current()
                    .filter(team_id=engagement.team_id)
                    .select_related("user")
                    .order_by("user__full_name")
                ]
            else:
                people = [user]
            self.people = {str(person.pk): person for person in people}
            choices = [(TEAM, _("A goal of the whole team"))]
            choices += [
                (key, _("My own goal") if person.pk == user.pk else person.display_name)
                for key, person in self.people.items()
            ]
            self.fields["owner"] = forms.ChoiceField(
                label=_("Whose goal"),
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose whose goal it is."),
                    "invalid_choice": _("Choose whose goal it is."),
                },
            )

    def owner(self) -> User | None:
        """The member the new goal belongs to (None: the whole team's)."""
        if not self.engagement.is_team:
            return self.engagement.mentee
        value = self.cleaned_data["owner"]
        return None if value == TEAM else self.people[value]


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your progress, in your own words"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Private until you share it with your sponsor. If you change the words of a shared statement, "
            "it is private again until you share it again."
        ),
        error_messages={"required": _("Write something first.")},
    )
