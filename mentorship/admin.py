from django.contrib import admin

from mentorship.models import AuditEntry, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_seen", "beats"]
    readonly_fields = ["name", "last_seen", "beats"]

    def has_add_permission(self, request) -> bool:
        # Only the worker writes heartbeats; an added one had every field read-only, so a second
        # "add" broke the unique name with a 500.
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is read-only everywhere: nobody adds, changes or deletes an entry here."""

    list_display = ["at", "actor_label", "action", "target_label"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_label"]
    date_hierarchy = "at"
    fields = ["at", "actor", "actor_label", "action", "target_label", "target_type", "target_id"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
