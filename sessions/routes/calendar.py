"""URLs for calendar; composed into the `mentoring_sessions` namespace by routes/__init__.py."""

from django.urls import path

from sessions.views import calendar as views

urlpatterns: list = [
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("me/calendar/", views.calendar_settings, name="calendar-settings"),
    path("me/calendar/create/", views.calendar_feed_create, name="calendar-feed-create"),
    path("me/calendar/regenerate/", views.calendar_feed_regenerate, name="calendar-feed-regenerate"),
    path("me/calendar/revoke/", views.calendar_feed_revoke, name="calendar-feed-revoke"),
    path("agenda/", views.agenda, name="agenda"),
]
