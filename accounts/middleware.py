import hashlib
import zoneinfo

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from mentorship import pagecache


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with the signed-in person read from the cache instead of
    the database on most requests.

    The copy is keyed by the session's user id, backend and session hash (so it is only ever the
    user this session was verified for) and is stale after any database write (mentorship/pagecache.py):
    a changed password, a deactivated account or a changed role is seen on the next request.
    """

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: cached_user(request))


def cached_user(request):
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    backend = session.get(auth.BACKEND_SESSION_KEY)
    if settings.PAGE_CACHE_SECONDS <= 0 or user_id is None or backend is None:
        return auth.get_user(request)
    identity = "\0".join((str(user_id), backend, session.get(auth.HASH_SESSION_KEY, "")))
    key = pagecache.value_key("user:" + hashlib.sha256(identity.encode()).hexdigest())
    generation, user = pagecache.read(key)
    if user is None:
        user = auth.get_user(request)
        if user.is_authenticated:
            if user.is_consultancy_admin:
                user.has_totp = _has_totp(user)  # kept with the copy: AdminMFAMiddleware asks every time
            pagecache.write(key, generation, user, timeout=settings.PAGE_CACHE_SECONDS)
    return user


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
    """Consultancy admins see every client's data: until they have set up an authenticator app
    (TOTP), every page sends them to the setup page. Account pages (setup, sign-out, password)
    and static files stay reachable."""

    OPEN_PREFIXES = ("/accounts/", "/static/", "/me/language/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.REQUIRE_ADMIN_MFA
            and user is not None
            and user.is_authenticated
            and user.is_consultancy_admin
            and not request.path.startswith(self.OPEN_PREFIXES)
            and not _admin_has_totp(user)
        ):
            messages.warning(
                request,
                _(
                    "As a consultancy admin you need two-factor authentication. Set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_totp(user) -> bool:
    return is_mfa_enabled(user, types=[Authenticator.Type.TOTP])


def _admin_has_totp(user) -> bool:
    # A copy of the user from the cache (CachedAuthenticationMiddleware) carries the answer, made
    # stale like the copy itself by any database write, so removing the authenticator counts at once.
    known = getattr(user, "has_totp", None)
    return known if known is not None else _has_totp(user)
