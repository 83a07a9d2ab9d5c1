from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.forms import EmailPreferencesForm, ProfileForm
from accounts.models import Language
from accounts.unsubscribe import read_token


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            user = form.save()
            translation.activate(user.language)
            messages.success(request, _("Your profile was saved."))
            response = redirect("accounts:profile")
            response.set_cookie("django_language", user.language, samesite="Lax")
            return response
    else:
        form = ProfileForm(instance=request.user)
    return render(
        request, "accounts/profile.html", {"form": form, "email_form": EmailPreferencesForm(instance=request.user)}
    )


@login_required
@require_POST
def email_preferences(request: HttpRequest) -> HttpResponse:
    form = EmailPreferencesForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your email settings were saved."))
    else:
        messages.error(request, _("Your email settings could not be saved."))
    return redirect("accounts:profile")


@csrf_exempt  # the signed token is the credential; mail clients POST here for one-click unsubscribe
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: ask to confirm (link scanners must not unsubscribe people). POST: switch the email off,
    also as RFC 8058 one-click from the mail client."""
    found = read_token(token)
    if found is None:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=404)
    user, preference = found
    label = user._meta.get_field(preference).verbose_name
    if request.method == "POST":
        setattr(user, preference, False)
        user.save(update_fields=[preference])
        return render(request, "accounts/unsubscribe.html", {"done": True, "label": label})
    return render(request, "accounts/unsubscribe.html", {"label": label, "token": token})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in person keeps it on their account too."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if language not in Language.values:
        messages.error(request, _("That language is not available."))
        return response
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response.set_cookie("django_language", language, samesite="Lax", max_age=365 * 24 * 3600)
    return response


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
