"""The filters on the health dashboard and the at-risk list (GET)."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from mentorship.models import Engagement, LeadershipTeam, Organisation


class _TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, team: LeadershipTeam) -> str:
        return f"{team.organisation.name} — {team.name}"


class _MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, mentor: User) -> str:
        return mentor.display_name


class HealthFilterForm(forms.Form):
    """Narrow the health pages to one client organisation, mentor or leadership team.

    A value that is not understood (a malformed or unknown id) is left out and listed in
    `ignored`, so the page shows everything else instead of an error."""

    organisation = forms.ModelChoiceField(
        label=_("Client organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Any organisation"),
        to_field_name="uuid",
    )
    mentor = _MentorChoiceField(
        label=_("Mentor"), queryset=User.objects.none(), required=False, empty_label=_("Any mentor")
    )
    team = _TeamChoiceField(
        label=_("Leadership team"),
        queryset=LeadershipTeam.objects.none(),
        required=False,
        empty_label=_("Any leadership team"),
        to_field_name="uuid",
    )

    def __init__(
        self,
        *args,
        organisations: QuerySet[Organisation],
        mentors: QuerySet[User],
        teams: QuerySet[LeadershipTeam],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.order_by("name")
        self.fields["mentor"].queryset = mentors.order_by("full_name", "email")
        self.fields["team"].queryset = teams.select_related("organisation").order_by("organisation__name", "name")

    @property
    def ignored(self) -> list[str]:
        """Labels of the filters whose values were not understood."""
        if not self.is_bound or self.is_valid():
            return []
        return [str(self.fields[name].label) for name in self.errors if name in self.fields]

    def _chosen(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()  # a bad value drops only its own field from cleaned_data
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def is_filtered(self) -> bool:
        return bool(self._chosen())

    def engagements(self, engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
        chosen = self._chosen()
        if "organisation" in chosen:
            engagements = engagements.filter(organisation=chosen["organisation"])
        if "mentor" in chosen:
            engagements = engagements.filter(mentor=chosen["mentor"])
        if "team" in chosen:
            engagements = engagements.filter(team=chosen["team"])
        return engagements

    def mentors(self, mentors: QuerySet[User], engagements: QuerySet[Engagement]) -> QuerySet[User]:
        """The mentors whose utilisation to show: with a mentor filter that mentor; with an
        organisation or team filter those who mentor one of `engagements` (the filtered ones);
        otherwise every active mentor. Their load always counts all their engagements: capacity
        is the mentor's, not the client's."""
        chosen = self._chosen()
        if "mentor" in chosen:
            return mentors.filter(pk=chosen["mentor"].pk)
        if chosen:
            return mentors.filter(pk__in=engagements.order_by().values("mentor"))
        return mentors.filter(is_active=True)
