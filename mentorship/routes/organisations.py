"""URLs for organisations; composed into the `mentorship` namespace by routes/__init__.py."""

from django.urls import path

from mentorship.views import organisations as views

urlpatterns: list = [
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/<uuid:organisation_uuid>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<uuid:organisation_uuid>/edit/", views.organisation_edit, name="organisation-edit"),
    path("organisations/<uuid:organisation_uuid>/teams/new/", views.team_create, name="team-create"),
    path("organisations/<uuid:organisation_uuid>/invite/", views.invitation_create, name="invitation-create"),
    path("organisations/invitations/<int:invitation_pk>/resend/", views.invitation_resend, name="invitation-resend"),
    path("organisations/invitations/<int:invitation_pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("teams/<uuid:team_uuid>/", views.team_detail, name="team-detail"),
    path("teams/<uuid:team_uuid>/edit/", views.team_edit, name="team-edit"),
    path("teams/<uuid:team_uuid>/members/add/", views.team_member_add, name="team-member-add"),
    path("teams/<uuid:team_uuid>/members/<int:membership_pk>/edit/", views.team_member_edit, name="team-member-edit"),
    path(
        "teams/<uuid:team_uuid>/members/<int:membership_pk>/remove/",
        views.team_member_remove,
        name="team-member-remove",
    ),
    path("invitations/<slug:token>/", views.invitation_accept, name="invitation-accept"),
]
