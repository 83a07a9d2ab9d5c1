"""URLs for inquiries; composed into the `mentorship` namespace by routes/__init__.py."""

from django.urls import path

from mentorship.views import inquiries as views

urlpatterns: list = [
    path("contact/", views.inquiry_create, name="inquiry-create"),
    path("contact/thanks/", views.inquiry_thanks, name="inquiry-thanks"),
    path("inquiries/", views.inquiry_list, name="inquiry-list"),
    path("inquiries/<int:pk>/handled/", views.inquiry_handle, name="inquiry-handle"),
    path("inquiries/<int:pk>/reopen/", views.inquiry_reopen, name="inquiry-reopen"),
]
