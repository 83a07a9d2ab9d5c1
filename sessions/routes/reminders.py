"""URLs for reminder reports; composed into the `mentoring_sessions` namespace by routes/__init__.py."""

from django.urls import path

from sessions.views import reminders as views

urlpatterns = [
    path("reminders/", views.reminder_report, name="reminder-report"),
    path("engagements/<uuid:engagement_uuid>/reminders/", views.engagement_reminders, name="engagement-reminders"),
]
