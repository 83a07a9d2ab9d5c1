"""URLs for session records; composed into the `mentoring_sessions` namespace by routes/__init__.py."""

from django.urls import path

from sessions.views import records as views

urlpatterns: list = [
    path("sessions/<uuid:session_uuid>/attendance/", views.session_attendance, name="session-attendance"),
    path("sessions/<uuid:session_uuid>/notes/new/", views.note_create, name="note-create"),
    path("sessions/<uuid:session_uuid>/notes/<int:note_pk>/edit/", views.note_edit, name="note-edit"),
    path("sessions/<uuid:session_uuid>/notes/<int:note_pk>/delete/", views.note_delete, name="note-delete"),
    path("sessions/<uuid:session_uuid>/reflections/<str:timing>/", views.reflection_edit, name="reflection-edit"),
]
