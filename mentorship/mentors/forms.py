"""Forms for mentor profiles and the admins' list of focus areas."""

from django import forms
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from mentorship.models import FocusArea, LanguageCode, MentorProfile


class FocusAreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: FocusArea) -> str:
        return obj.name  # follows the active language


class MentorProfileForm(forms.ModelForm):
    """The mentor's own profile. Only focus areas in use can be picked; retired ones already on
    the profile are kept by the service, not offered again."""

    focus_areas = FocusAreaChoiceField(
        label=_("Focus areas"),
        queryset=FocusArea.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The core areas you mentor in. Matching compares them with each engagement's."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you mentor in"),
        choices=LanguageCode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    years_of_experience = forms.IntegerField(
        label=_("Years of experience as a mentor or leader"), min_value=0, max_value=70
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=0,
        max_value=50,
        help_text=_("The most engagements you take at a time (0 to 50)."),
    )

    class Meta:
        model = MentorProfile
        fields = [
            "headline",
            "bio",
            "focus_areas",
            "languages",
            "years_of_experience",
            "mentors_teams",
            "capacity",
            "accepting_new",
            "region",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "headline": _("One line that says what you bring, e.g. “Former CFO, mentors new leaders”."),
            "accepting_new": _("Untick while you are full or away: you are then listed apart in matching."),
        }

    def clean_languages(self) -> list[str]:
        # Keep the order of the choices, so the stored list does not depend on the browser.
        chosen = set(self.cleaned_data["languages"])
        return [code for code in LanguageCode.values if code in chosen]


class FocusAreaForm(forms.ModelForm):
    class Meta:
        model = FocusArea
        fields = ["name_en", "name_sv", "slug", "is_active", "position"]
        help_texts = {
            "slug": _("A short key in the addresses and data exports. Left empty, it is made from the English name."),
            "is_active": _(
                "Untick to retire the area: it is no longer offered for new profiles and engagements "
                "but stays where it is used."
            ),
            "position": _("Lower numbers are listed first."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean_name_en(self) -> str:
        name = self.cleaned_data["name_en"].strip()
        duplicates = FocusArea.objects.annotate(lower=Lower("name_en")).filter(lower=name.lower())
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(_("A focus area with this English name already exists."))
        return name

    def clean_name_sv(self) -> str:
        return self.cleaned_data["name_sv"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("name_en"):
            slug = slugify(cleaned["name_en"])[:60].strip("-")
            if not slug:
                self.add_error("slug", _("Enter a key: the English name has no letters to make one from."))
            else:
                cleaned["slug"] = slug
        return cleaned
