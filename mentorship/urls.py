import os
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import include, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from . import views
from .views import health_check

admin.site.site_header = _("Mentorship administration")
admin.site.site_title = _("Mentorship")


def admin_login(request: HttpRequest) -> HttpResponse:
    """Django's admin login replaced by allauth's, so one rate-limited sign-in form guards both.

    Staff who are signed in go on to `next`; anyone else signed in gets 403, because sending them
    to sign in again would loop (allauth sends a signed-in person straight back to `next`).
    """
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(next_url)
        raise PermissionDenied
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health_check.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("", include("mentorship.routes")),
    path("", include("sessions.routes")),
    path("admin/login/", admin_login, name="admin-login"),  # before admin.site.urls, which has its own
    path("admin/", admin.site.urls),
]

# The trivial view `make bench` (bench/run.py) compares pages against; only in a benchmark run.
if not settings.DEBUG and os.environ.get("BENCHMARK_PING") == "true":
    urlpatterns.append(path("bench/ping", lambda request: HttpResponse("pong"), name="bench-ping"))
