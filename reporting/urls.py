from django.urls import include, path

from reporting.audit import views as audit
from reporting.health import views as health
from reporting.reports import views as reports

app_name = "reporting"

health_urls = [
    path("", health.dashboard, name="health-dashboard"),
    path("at-risk/", health.at_risk, name="health-at-risk"),
    path("overdue/", health.overdue, name="health-overdue"),
    path("reviews/", health.reviews, name="health-reviews"),
]

report_urls = [
    path("", reports.report_index, name="reports"),
    path("engagements.csv", reports.export_engagements, name="export-engagements"),
    path("sessions.csv", reports.export_sessions, name="export-sessions"),
]

urlpatterns = [
    path("health/", include(health_urls)),
    path("reports/", include(report_urls)),
    path("engagements/<uuid:engagement_uuid>/review/", reports.engagement_review, name="engagement-review"),
    path("audit-log/", audit.audit_log, name="audit-log"),
]
