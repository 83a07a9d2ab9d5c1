"""URLs for the audit log; composed into the `mentorship` namespace by routes/__init__.py."""

from django.urls import path

from mentorship.views import audit as views

urlpatterns: list = [
    path("audit-log/", views.audit_log, name="audit-log"),
]
