"""The public inquiry form and the consultancy admins' list of leads."""

from http import HTTPStatus

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import role_required
from accounts.models import Role
from mentorship import access
from mentorship.inquiries import convert, services
from mentorship.inquiries.forms import HONEYPOT_FIELD, InquiryConvertForm, InquiryForm
from mentorship.models import Inquiry

# Valid posts per client IP, in allauth's rate syntax; the sixth within the hour is refused.
RATE_LIMIT = getattr(settings, "INQUIRY_RATE_LIMIT", "5/h/ip")
LEADS_PER_PAGE = 25
FILTERS = {"open": gettext_lazy("Open"), "handled": gettext_lazy("Handled"), "all": gettext_lazy("All")}


def _within_rate_limit(request: HttpRequest) -> bool:
    # allauth's limiter (its per-IP key honours ALLAUTH_TRUSTED_PROXY_COUNT) with our own rate;
    # the public allauth.core.ratelimit.consume only reads ACCOUNT_RATE_LIMITS.
    usage = ratelimit.consume(request, app="mentorship", action="inquiry", config={"inquiry": RATE_LIMIT})
    return usage is not None


def _page_language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@require_http_methods(["GET", "POST"])
def inquiry_create(request: HttpRequest) -> HttpResponse:
    form = InquiryForm(request.POST if request.method == "POST" else None)
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_spam():
            return redirect("mentorship:inquiry-thanks")  # tell a bot nothing
        if form.is_valid():
            if _within_rate_limit(request):
                data = {key: value for key, value in form.cleaned_data.items() if key != HONEYPOT_FIELD}
                services.submit_inquiry(**data, language=_page_language())
                return redirect("mentorship:inquiry-thanks")
            form.add_error(None, _("You have sent several messages in a short time. Please try again in an hour."))
            status = HTTPStatus.TOO_MANY_REQUESTS
    return render(request, "mentorship/inquiries/create.html", {"form": form}, status=status)


@require_safe
def inquiry_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "mentorship/inquiries/thanks.html")


@role_required(Role.CONSULTANCY_ADMIN)
def inquiry_list(request: HttpRequest) -> HttpResponse:
    current = request.GET.get("status")
    if current not in FILTERS:
        current = "open"
    leads = access.inquiries_visible_to(request.user)
    counts = leads.aggregate(all=Count("pk"), open=Count("pk", filter=Q(handled_at__isnull=True)))
    counts["handled"] = counts["all"] - counts["open"]
    if current == "open":
        leads = leads.filter(handled_at__isnull=True)
    elif current == "handled":
        leads = leads.filter(handled_at__isnull=False)
    leads = (
        leads.select_related(
            "handled_by", "client_organisation", "first_engagement", "engagement__mentee", "engagement__team"
        )
        .alias(is_handled=ExpressionWrapper(Q(handled_at__isnull=False), output_field=BooleanField()))
        .order_by("is_handled", "-created_at", "-pk")
    )
    page = Paginator(leads, LEADS_PER_PAGE).get_page(request.GET.get("page"))
    filters = [(key, label, counts[key]) for key, label in FILTERS.items()]
    context = {"page": page, "filters": filters, "current": current}
    return render(request, "mentorship/inquiries/list.html", context)


def _back_to_list(request: HttpRequest) -> HttpResponse:
    status = request.POST.get("status")
    url = reverse("mentorship:inquiry-list")
    return redirect(f"{url}?status={status}" if status in FILTERS else url)


@role_required(Role.CONSULTANCY_ADMIN)
@require_POST
def inquiry_handle(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = access.get_inquiry_for_admin(request.user, pk)
    if services.mark_inquiry_handled(inquiry=inquiry, by=request.user):
        messages.success(request, _("Marked the inquiry from %(name)s as handled.") % {"name": inquiry.name})
    else:
        messages.info(request, _("The inquiry from %(name)s was already handled.") % {"name": inquiry.name})
    return _back_to_list(request)


@role_required(Role.CONSULTANCY_ADMIN)
@require_POST
def inquiry_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = access.get_inquiry_for_admin(request.user, pk)
    if services.reopen_inquiry(inquiry=inquiry):
        messages.success(request, _("Reopened the inquiry from %(name)s.") % {"name": inquiry.name})
    else:
        messages.info(request, _("The inquiry from %(name)s is already open.") % {"name": inquiry.name})
    return _back_to_list(request)


@role_required(Role.CONSULTANCY_ADMIN)
def inquiry_convert(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a lead a client: its organisation, first engagement and an invitation, in one step."""
    inquiry = access.get_inquiry_for_admin(request.user, pk)
    if inquiry.kind == Inquiry.Kind.EXTENSION:
        raise Http404  # a sponsor's extension request is about a client already
    if inquiry.client_organisation_id is not None:
        messages.info(request, _("This inquiry has already become a client."))
        return redirect("mentorship:organisation-detail", inquiry.client_organisation.uuid)
    initial = {
        "organisation_name": inquiry.company or inquiry.name,
        "team_name": _("Leadership team"),
        "goals": inquiry.message,
        "preferred_language": inquiry.language,
    }
    form = InquiryConvertForm(request.POST or None, initial=initial, inquiry=inquiry)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation, engagement, invitation = convert.convert_inquiry(
                inquiry=inquiry,
                organisation_name=data["organisation_name"],
                city=data["city"],
                team_name=data.get("team_name", ""),
                title=data["title"],
                engagement_fields=form.engagement_fields(),
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _converted(request, organisation, engagement, invitation)
    return render(request, "mentorship/inquiries/convert.html", {"form": form, "inquiry": inquiry})


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = {"name": "organisation_name"}.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _converted(request: HttpRequest, organisation, engagement, invitation) -> HttpResponse:
    if engagement is not None:
        messages.success(
            request,
            _("%(organisation)s is a client, with its team's engagement; %(email)s was invited. Next: find a mentor.")
            % {"organisation": organisation.name, "email": invitation.email},
        )
        return redirect("overview:engagement-detail", engagement_uuid=engagement.uuid)
    messages.success(
        request,
        _("%(organisation)s is a client and %(email)s was invited; the engagement opens when they accept.")
        % {"organisation": organisation.name, "email": invitation.email},
    )
    return redirect("mentorship:organisation-detail", organisation.uuid)
