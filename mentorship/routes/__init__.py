"""The `mentorship:` URL namespace, one module per topic."""

from . import audit, engagements, health, inquiries, matching, mentors, organisations, reports

app_name = "mentorship"

urlpatterns = [
    *organisations.urlpatterns,
    *mentors.urlpatterns,
    *engagements.urlpatterns,
    *matching.urlpatterns,
    *inquiries.urlpatterns,
    *audit.urlpatterns,
    *health.urlpatterns,
    *reports.urlpatterns,
]
