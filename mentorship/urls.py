from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("Mentorship administration")
admin.site.site_title = _("Mentorship")

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("", include("mentorship.routes")),
    path("", include("sessions.routes")),
    path("admin/", admin.site.urls),
]
