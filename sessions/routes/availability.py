"""URLs for availability; composed into the `mentoring_sessions` namespace by routes/__init__.py."""

from django.urls import path

from sessions.views import availability as views

urlpatterns = [
    path("availability/", views.availability, name="availability"),
    path("availability/windows/new/", views.window_create, name="availability-window-create"),
    path("availability/windows/<int:pk>/delete/", views.window_delete, name="availability-window-delete"),
    path("availability/time-off/new/", views.time_off_create, name="time-off-create"),
    path("availability/time-off/<int:pk>/delete/", views.time_off_delete, name="time-off-delete"),
    path("availability/booking-settings/", views.booking_settings, name="booking-settings"),
    path("venues/", views.venue_list, name="venue-list"),
    path("venues/new/", views.venue_create, name="venue-create"),
    path("venues/<int:pk>/edit/", views.venue_edit, name="venue-edit"),
    path("venues/<int:pk>/delete/", views.venue_delete, name="venue-delete"),
]
