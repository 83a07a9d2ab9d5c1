"""URLs for booking; composed into the `mentoring_sessions` namespace by routes/__init__.py."""

from django.urls import path

from sessions.views import booking as views

urlpatterns: list = [
    path("engagements/<uuid:engagement_uuid>/book/", views.book, name="book"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/<uuid:session_uuid>/", views.session_detail, name="session-detail"),
    path("sessions/<uuid:session_uuid>/reschedule/", views.session_reschedule, name="session-reschedule"),
    path("sessions/<uuid:session_uuid>/cancel/", views.session_cancel, name="session-cancel"),
    path("sessions/<uuid:session_uuid>/confirm/", views.session_confirm, name="session-confirm"),
    path("sessions/<uuid:session_uuid>/invite.ics", views.session_ics, name="session-ics"),
]
