from django.urls import path

from . import data_views, views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("language/", views.set_language, name="set-language"),
    path("email-settings/", views.email_preferences, name="email-preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("data/export/", data_views.data_export, name="data-export"),
    path("data/notes-export/", data_views.notes_export, name="notes-export"),
    path("data/deletion/", data_views.deletion_request, name="deletion-request"),
    path("data/deletion-requests/", data_views.deletion_request_list, name="deletion-request-list"),
    path("data/deletion-requests/<int:pk>/complete/", data_views.deletion_complete, name="deletion-complete"),
]
