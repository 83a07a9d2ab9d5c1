"""URLs for reports; composed into the `mentorship` namespace by routes/__init__.py."""

from django.urls import path

from mentorship.views import reports as views

urlpatterns: list = [
    path("reports/", views.report_index, name="reports"),
    path("reports/engagements.csv", views.export_engagements, name="export-engagements"),
    path("reports/sessions.csv", views.export_sessions, name="export-sessions"),
    path(
        "organisations/<uuid:organisation_uuid>/sponsor-report/",
        views.sponsor_report,
        name="sponsor-report",
    ),
    path(
        "organisations/<uuid:organisation_uuid>/sponsor-report/print/",
        views.sponsor_report_print,
        name="sponsor-report-print",
    ),
    path("engagements/<uuid:engagement_uuid>/review/", views.engagement_review, name="engagement-review"),
]
