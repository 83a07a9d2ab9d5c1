"""Response headers that Django's SecurityMiddleware does not set, and paths no view should see."""

from django.conf import settings
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

# Features no page here uses; denying them means an injected script or a framed third party
# cannot ask for them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy on HTML pages, Permissions-Policy and Cross-Origin-Opener-Policy.

    The policy (settings.CONTENT_SECURITY_POLICY) allows scripts and styles from this site's own
    static files only: no inline `<script>`, `<style>`, `style="..."` or `on...=` handlers, so an
    injected tag cannot run even if escaping were ever missed. Django's admin needs no exception
    (mentorship/tests/test_security_csp.py renders its pages and checks). A header a view set
    itself is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Security-Policy", policy)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # SecurityMiddleware sets this too (SECURE_CROSS_ORIGIN_OPENER_POLICY); kept here so the
        # header does not depend on that setting staying at its default.
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class RejectNulBytesMiddleware:
    """A NUL byte belongs in no address of this site, and PostgreSQL refuses it in text: one in a
    path parameter (`/calendar/%00.ics`) reached a query and answered 500. Such a path names no
    page: 404, the site's own page. Query strings are left to the views, whose filters and forms
    refuse a NUL like any other bad value (Django's ProhibitNullCharactersValidator, the health
    filters' "ignored" message); the URL fuzzing (mentorship/tests/test_paths_fuzz.py) sends them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("NUL byte in the path")
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A page instead of Django's empty 405: someone who opens the address of a button (a bookmark,
    a link copied from the address bar after a POST, GET on `.../cancel/`) is told that the action
    is done with its button and is given a way back (the page they came from, on this site, or
    their home page). The status and the Allow header stay as the view set them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not isinstance(response, HttpResponseNotAllowed) or response.content:
            return response
        referer = request.META.get("HTTP_REFERER", "")
        back = referer if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}) else ""
        page = render(request, "405.html", {"back_url": back}, status=405)
        page["Allow"] = response["Allow"]
        return page
