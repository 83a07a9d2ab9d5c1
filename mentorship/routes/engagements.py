"""URLs for engagements; composed into the `mentorship` namespace by routes/__init__.py."""

from django.urls import path

from mentorship.views import engagements as views

urlpatterns: list = [
    path("engagements/", views.engagement_list, name="engagement-list"),
    path("engagements/new/", views.engagement_create, name="engagement-create"),
    path("engagements/<uuid:engagement_uuid>/", views.engagement_detail, name="engagement-detail"),
    path("engagements/<uuid:engagement_uuid>/edit/", views.engagement_edit, name="engagement-edit"),
    path("engagements/<uuid:engagement_uuid>/status/", views.engagement_status, name="engagement-status"),
    path("engagements/<uuid:engagement_uuid>/extend/", views.engagement_extend, name="engagement-extend"),
    path("engagements/<uuid:engagement_uuid>/intake/", views.engagement_intake, name="engagement-intake"),
]
