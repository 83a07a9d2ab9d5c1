"""URLs for matching; composed into the `mentorship` namespace by routes/__init__.py."""

from django.urls import path

from mentorship.views import matching as views

urlpatterns = [
    path("engagements/<uuid:engagement_uuid>/matching/", views.engagement_matching, name="engagement-matching"),
    path("engagements/<uuid:engagement_uuid>/assign/", views.engagement_assign, name="engagement-assign"),
    path(
        "engagements/<uuid:engagement_uuid>/offer-options/",
        views.engagement_offer_options,
        name="engagement-offer-options",
    ),
    path("engagements/<uuid:engagement_uuid>/choose/", views.engagement_choose_mentor, name="engagement-choose-mentor"),
    path("assignments/<int:pk>/accept/", views.assignment_accept, name="assignment-accept"),
    path("assignments/<int:pk>/decline/", views.assignment_decline, name="assignment-decline"),
]
