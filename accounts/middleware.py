import zoneinfo

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.mfa import needs_second_factor


class UserPreferencesMiddleware:
    """Show pages in the signed-in person's own language and time zone.

    Runs after LocaleMiddleware and AuthenticationMiddleware: a signed-in person's saved
    language wins over the cookie and the browser's Accept-Language; anonymous visitors keep
    what LocaleMiddleware chose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone_name = settings.DEFAULT_USER_TIME_ZONE
        if user is not None and user.is_authenticated:
            zone_name = user.time_zone or zone_name
            if user.language and user.language != translation.get_language():
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone_name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.activate(zoneinfo.ZoneInfo(settings.DEFAULT_USER_TIME_ZONE))
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        return response


class AdminMFAMiddleware:
    """Consultancy admins see every client's data, and staff and superusers the Django admin:
    until they have set up an authenticator app (TOTP), every page sends them to the setup page
    (`accounts.mfa.needs_second_factor`). Account pages (setup, sign-out, password) and static
    files stay reachable."""

    OPEN_PREFIXES = ("/accounts/", "/static/", "/me/language/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.REQUIRE_ADMIN_MFA
            and user is not None
            and user.is_authenticated
            and needs_second_factor(user)
            and not request.path.startswith(self.OPEN_PREFIXES)
            and not is_mfa_enabled(user, types=[Authenticator.Type.TOTP])
        ):
            messages.warning(
                request,
                _(
                    "Your account can see other people's data, so it needs two-factor authentication. "
                    "Set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
