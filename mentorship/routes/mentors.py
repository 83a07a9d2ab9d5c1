"""URLs for mentors; composed into the `mentorship` namespace by routes/__init__.py."""

from django.urls import path

from mentorship.views import mentors as views

urlpatterns = [
    path("me/mentor-profile/", views.mentor_profile_edit, name="mentor-profile-edit"),
    path("mentors/", views.mentor_list, name="mentor-list"),
    path("mentors/<int:mentor_pk>/", views.mentor_profile, name="mentor-profile"),
    path("focus-areas/", views.focus_area_list, name="focus-area-list"),
    path("focus-areas/new/", views.focus_area_create, name="focus-area-create"),
    path("focus-areas/<int:pk>/edit/", views.focus_area_edit, name="focus-area-edit"),
    path("focus-areas/<int:pk>/delete/", views.focus_area_delete, name="focus-area-delete"),
]
