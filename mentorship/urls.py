"""The site's URLs, and below them the `mentorship:` routes.

Each app's own urls.py is mounted by name (`include("sessions.urls")`), so this module imports no
app above `mentorship`. The mentorship routes are grouped by the object they act on, as
healthchecks' hc/front/urls.py does.
"""

import os

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.signup import signup
from accounts.views import admin_login
from core.healthz import healthz
from mentorship.contracts import views as contracts
from mentorship.engagements import views as engagements
from mentorship.inquiries import views as inquiries
from mentorship.matching import views as matching
from mentorship.mentors import views as mentors
from mentorship.organisations import views as organisations

admin.site.site_header = _("Mentorship administration")
admin.site.site_title = _("Mentorship")

organisation_urls = [
    path("", organisations.organisation_list, name="organisation-list"),
    path("new/", organisations.organisation_create, name="organisation-create"),
    path("<uuid:organisation_uuid>/", organisations.organisation_detail, name="organisation-detail"),
    path("<uuid:organisation_uuid>/edit/", organisations.organisation_edit, name="organisation-edit"),
    path("<uuid:organisation_uuid>/teams/new/", organisations.team_create, name="team-create"),
    path("<uuid:organisation_uuid>/teams/paste/", organisations.team_paste, name="team-paste"),
    path("<uuid:organisation_uuid>/invite/", organisations.invitation_create, name="invitation-create"),
    path("<uuid:organisation_uuid>/contracts/", contracts.contract_list, name="contract-list"),
    path("<uuid:organisation_uuid>/contracts/new/", contracts.contract_create, name="contract-create"),
    path("invitations/<int:invitation_pk>/resend/", organisations.invitation_resend, name="invitation-resend"),
    path("invitations/<int:invitation_pk>/revoke/", organisations.invitation_revoke, name="invitation-revoke"),
    path("sponsors/<int:sponsorship_pk>/revoke/", organisations.sponsorship_revoke, name="sponsorship-revoke"),
]

# /teams/<uuid>/…
team_urls = [
    path("", organisations.team_detail, name="team-detail"),
    path("edit/", organisations.team_edit, name="team-edit"),
    path("members/add/", organisations.team_member_add, name="team-member-add"),
    path("members/<int:membership_pk>/edit/", organisations.team_member_edit, name="team-member-edit"),
    path("members/<int:membership_pk>/remove/", organisations.team_member_remove, name="team-member-remove"),
]

# /contracts/<uuid>/… (the contract page itself is overview:contract-detail)
contract_urls = [
    path("edit/", contracts.contract_edit, name="contract-edit"),
    path("extend/", contracts.contract_extend, name="contract-extend"),
    path("close/", contracts.contract_close, name="contract-close"),
]

mentor_urls = [
    path("", mentors.mentor_list, name="mentor-list"),
    path("<int:mentor_pk>/", mentors.mentor_profile, name="mentor-profile"),
]

focus_area_urls = [
    path("", mentors.focus_area_list, name="focus-area-list"),
    path("new/", mentors.focus_area_create, name="focus-area-create"),
    path("<int:pk>/edit/", mentors.focus_area_edit, name="focus-area-edit"),
    path("<int:pk>/delete/", mentors.focus_area_delete, name="focus-area-delete"),
]

engagement_urls = [
    path("", engagements.engagement_list, name="engagement-list"),
    path("new/", engagements.engagement_create, name="engagement-create"),
]

# /engagements/<uuid>/… (the engagement page itself is overview:engagement-detail)
one_engagement_urls = [
    path("edit/", engagements.engagement_edit, name="engagement-edit"),
    path("status/", engagements.engagement_status, name="engagement-status"),
    path("extend/", engagements.engagement_extend, name="engagement-extend"),
    path("intake/", engagements.engagement_intake, name="engagement-intake"),
    path("contract/", contracts.engagement_contract, name="engagement-contract"),
    path("matching/", matching.engagement_matching, name="engagement-matching"),
    path("assign/", matching.engagement_assign, name="engagement-assign"),
    path("offer-options/", matching.engagement_offer_options, name="engagement-offer-options"),
    path("choose/", matching.engagement_choose_mentor, name="engagement-choose-mentor"),
]

assignment_urls = [
    path("accept/", matching.assignment_accept, name="assignment-accept"),
    path("decline/", matching.assignment_decline, name="assignment-decline"),
]

inquiry_urls = [
    path("", inquiries.inquiry_list, name="inquiry-list"),
    path("<int:pk>/handled/", inquiries.inquiry_handle, name="inquiry-handle"),
    path("<int:pk>/reopen/", inquiries.inquiry_reopen, name="inquiry-reopen"),
    path("<int:pk>/make-client/", inquiries.inquiry_convert, name="inquiry-convert"),
]

mentorship_urls = [
    path("organisations/", include(organisation_urls)),
    path("teams/<uuid:team_uuid>/", include(team_urls)),
    path("contracts/<uuid:contract_uuid>/", include(contract_urls)),
    path("invitations/<slug:token>/", organisations.invitation_accept, name="invitation-accept"),
    path("me/mentor-profile/", mentors.mentor_profile_edit, name="mentor-profile-edit"),
    path("mentors/", include(mentor_urls)),
    path("focus-areas/", include(focus_area_urls)),
    path("engagements/", include(engagement_urls)),
    path("engagements/<uuid:engagement_uuid>/", include(one_engagement_urls)),
    path("assignments/<int:pk>/", include(assignment_urls)),
    path("contact/", inquiries.inquiry_create, name="inquiry-create"),
    path("contact/thanks/", inquiries.inquiry_thanks, name="inquiry-thanks"),
    path("inquiries/", include(inquiry_urls)),
]

urlpatterns = [
    path("", include("overview.urls")),
    path("healthz", healthz, name="healthz"),
    # The invited person's name filled in (accounts/signup.py); the rest of allauth as it is.
    path("accounts/signup/", signup, name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("me/data/", include("privacy.urls")),
    path("", include((mentorship_urls, "mentorship"))),
    path("", include("sessions.urls")),
    path("", include("reporting.urls")),
    path("", include("billing.urls")),
    path("", include("sponsors.urls")),
    path("", include("progress.urls")),
    path("admin/login/", admin_login, name="admin-login"),  # before admin.site.urls, which has its own
    path("admin/", admin.site.urls),
]

# The trivial view `make bench` (bench/run.py) compares pages against; only in a benchmark run.
if not settings.DEBUG and os.environ.get("BENCHMARK_PING") == "true":
    urlpatterns.append(path("bench/ping", lambda request: HttpResponse("pong"), name="bench-ping"))
