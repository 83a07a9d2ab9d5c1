from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.timezones import find_time_zone, time_zone_choices


class TimeZoneInput(forms.TextInput):
    """A text field with the current zones as suggestions (a <datalist>): typing "Sto" offers
    Europe/Stockholm, in every browser and without JavaScript."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs'].get('id', name)}_list"
        return context

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        list_id = f"{(attrs or {}).get('id', name)}_list"
        options = format_html_join("", '<option value="{}">{}</option>', time_zone_choices())
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's signup form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    def signup(self, request, user: User) -> None:
        from accounts.signup import SIGNUP_NAME_SESSION_KEY

        if hasattr(request, "session"):
            request.session.pop(SIGNUP_NAME_SESSION_KEY, None)
        user.full_name = self.cleaned_data["full_name"].strip()
        language = getattr(request, "LANGUAGE_CODE", "")
        if language in ("sv", "en"):
            user.language = language
        user.save(update_fields=["full_name", "language"])


class ProfileForm(forms.ModelForm):
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        help_text=_("Start typing your city, e.g. Stockholm or New York, and choose from the list."),
        widget=TimeZoneInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = User
        fields = ["full_name", "time_zone", "language"]
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def clean_time_zone(self) -> str:
        zone = find_time_zone(self.cleaned_data["time_zone"])
        if zone is None:
            raise forms.ValidationError(
                _("Choose a time zone from the list, e.g. Europe/Stockholm."), code="invalid_time_zone"
            )
        return zone

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name


class EmailPreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email_session_reminders", "email_booking_nudges", "email_notes_nudges", "email_engagement_updates"]
