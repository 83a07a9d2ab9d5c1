"""The filters on the health dashboard and the at-risk list (GET)."""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from mentorship.models import Engagement, LeadershipTeam, Organisation

SEARCH_WIDGET = forms.TextInput(attrs={"type": "search"})


class HealthFilterForm(forms.Form):
    """Narrow the health pages to the client organisations, mentors or leadership teams whose
    names contain the words typed: a choice among every one of them put thousands of options on
    the page. Matched case-insensitively among the `organisations`, `mentors` and `teams` given.

    A value that is not understood (too long, a NUL byte) is left out and listed in `ignored`, so
    the page shows everything else instead of an error."""

    organisation = forms.CharField(
        label=_("Client organisation"),
        required=False,
        max_length=100,
        widget=SEARCH_WIDGET,
        help_text=_("Part of the name."),
    )
    mentor = forms.CharField(
        label=_("Mentor"),
        required=False,
        max_length=100,
        widget=SEARCH_WIDGET,
        help_text=_("Part of the name or the email address."),
    )
    team = forms.CharField(
        label=_("Leadership team"),
        required=False,
        max_length=100,
        widget=SEARCH_WIDGET,
        help_text=_("Part of the team's name."),
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
        self.organisations, self.all_mentors, self.teams = organisations, mentors, teams

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
        return {name: value.strip() for name, value in self.cleaned_data.items() if value and value.strip()}

    @property
    def is_filtered(self) -> bool:
        return bool(self._chosen())

    def _found_mentors(self, words: str) -> QuerySet[User]:
        return self.all_mentors.filter(Q(full_name__icontains=words) | Q(email__icontains=words))

    def engagements(self, engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
        chosen = self._chosen()
        if words := chosen.get("organisation"):
            engagements = engagements.filter(organisation__in=self.organisations.filter(name__icontains=words))
        if words := chosen.get("mentor"):
            engagements = engagements.filter(mentor__in=self._found_mentors(words))
        if words := chosen.get("team"):
            engagements = engagements.filter(team__in=self.teams.filter(name__icontains=words))
        return engagements

    def mentors(self, mentors: QuerySet[User], engagements: QuerySet[Engagement]) -> QuerySet[User]:
        """The mentors whose utilisation to show: with a mentor filter those found; with an
        organisation or team filter those who mentor one of `engagements` (the filtered ones);
        otherwise every active mentor. Their load always counts all their engagements: capacity
        is the mentor's, not the client's."""
        chosen = self._chosen()
        if words := chosen.get("mentor"):
            return mentors.filter(pk__in=self._found_mentors(words).values("pk"))
        if chosen:
            return mentors.filter(pk__in=engagements.order_by().values("mentor"))
        return mentors.filter(is_active=True)
