"""URLs for engagement health; composed into the `mentorship` namespace by routes/__init__.py."""

from django.urls import path

from mentorship.views import health as views

urlpatterns: list = [
    path("health/", views.dashboard, name="health-dashboard"),
    path("health/at-risk/", views.at_risk, name="health-at-risk"),
]
