"""URLs for action items and feedback; composed into the `mentoring_sessions` namespace by routes/__init__.py."""

from django.urls import path

from sessions.views import followup as views

urlpatterns: list = [
    path("engagements/<uuid:engagement_uuid>/actions/", views.action_items, name="action-items"),
    path(
        "engagements/<uuid:engagement_uuid>/actions/<int:item_pk>/edit/",
        views.action_item_edit,
        name="action-item-edit",
    ),
    path(
        "engagements/<uuid:engagement_uuid>/actions/<int:item_pk>/toggle/",
        views.action_item_toggle,
        name="action-item-toggle",
    ),
    path(
        "engagements/<uuid:engagement_uuid>/actions/<int:item_pk>/delete/",
        views.action_item_delete,
        name="action-item-delete",
    ),
    path("sessions/<uuid:session_uuid>/feedback/", views.session_feedback, name="session-feedback"),
    path("engagements/<uuid:engagement_uuid>/feedback/", views.engagement_feedback, name="engagement-feedback"),
    path("mentors/<int:mentor_pk>/feedback/", views.mentor_feedback, name="mentor-feedback"),
    path("me/feedback/", views.my_feedback, name="my-feedback"),
]
