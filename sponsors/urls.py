from django.urls import include, path

from sponsors.extensions import views as extensions
from sponsors.portal import views as portal
from sponsors.reports import views as reports

app_name = "sponsors"

portal_urls = [
    path("", portal.portal, name="portal"),
    path("engagements/<uuid:engagement_uuid>/", portal.engagement, name="engagement"),
    path("engagements/<uuid:engagement_uuid>/extension/", extensions.request_extension, name="extension-request"),
]

report_urls = [
    path("", reports.report, name="report"),
    path("print/", reports.report_print, name="report-print"),
]

urlpatterns = [
    path("sponsor/", include(portal_urls)),
    path("engagements/<uuid:engagement_uuid>/sponsor-preview/", portal.preview, name="preview"),
    path("organisations/<uuid:organisation_uuid>/sponsor-report/", include(report_urls)),
]
