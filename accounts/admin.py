from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import DeletionRequest, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_mentee", "is_mentor", "is_consultancy_admin", "is_staff", "is_active"]
    list_filter = ["is_mentee", "is_mentor", "is_consultancy_admin", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "time_zone", "language")}),
        (_("Roles"), {"fields": ("is_mentee", "is_mentor", "is_consultancy_admin")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)


@admin.register(DeletionRequest)
class DeletionRequestAdmin(admin.ModelAdmin):
    """View only: a deletion is completed on the deletion-requests page, in one transaction."""

    list_display = ["email", "requested_at", "completed_at", "completed_by"]
    list_filter = ["completed_at"]
    list_select_related = ["completed_by"]
    search_fields = ["email", "full_name"]
    fields = ["user", "email", "full_name", "reason", "requested_at", "completed_at", "completed_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
