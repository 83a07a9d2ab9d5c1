"""The `mentorship:` URL namespace, one module per topic."""

from . import audit, engagements, inquiries, matching, mentors, organisations

app_name = "mentorship"

urlpatterns = [
    *organisations.urlpatterns,
    *mentors.urlpatterns,
    *engagements.urlpatterns,
    *matching.urlpatterns,
    *inquiries.urlpatterns,
    *audit.urlpatterns,
]
