from django.urls import include, path

from privacy import views

app_name = "privacy"

deletion_request_urls = [
    path("", views.deletion_request_list, name="deletion-request-list"),
    path("<int:pk>/complete/", views.deletion_complete, name="deletion-complete"),
]

urlpatterns = [
    path("export/", views.data_export, name="data-export"),
    path("notes-export/", views.notes_export, name="notes-export"),
    path("deletion/", views.deletion_request, name="deletion-request"),
    path("deletion-requests/", include(deletion_request_urls)),
]
