"""Django admin for operations. Session notes, note revisions and reflections are deliberately NOT
registered: their bodies are confidential (a private note is for its author only), and the admin
is a channel like any other. Sessions are view-only here: booking rules, emails and calendar
sequence numbers live in `sessions.services`, which the admin would bypass."""

from django.contrib import admin

from sessions.models import ActionItem, Feedback, MentoringSession, Venue


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MentoringSession)
class MentoringSessionAdmin(ReadOnlyAdmin):
    list_display = ["start", "engagement", "mentor", "status", "venue", "late_cancellation"]
    list_filter = ["status", "late_cancellation"]
    list_select_related = ["engagement__mentee", "engagement__team", "mentor", "venue"]
    search_fields = ["uuid", "mentor__email", "mentee__email", "team__name", "engagement__organisation__name"]
    date_hierarchy = "start"
    fields = [
        "uuid",
        "engagement",
        "mentor",
        "mentee",
        "team",
        "start",
        "end",
        "status",
        "venue",
        "booked_by",
        "sequence",
        "cancelled_at",
        "cancelled_by",
        "cancellation_reason",
        "late_cancellation",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "organisation", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["organisation"]
    search_fields = ["name", "address", "city"]
    raw_id_fields = ["organisation"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["text", "engagement", "owner", "due_date", "done_at"]
    list_filter = ["done_at"]
    list_select_related = ["engagement__mentee", "engagement__team", "owner"]
    search_fields = ["text", "owner__email"]
    raw_id_fields = ["engagement", "session", "owner", "created_by"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    """A mentee's rating is theirs: staff may look, not change it."""

    list_display = ["session", "mentee", "usefulness", "trust", "created_at"]
    list_filter = ["usefulness", "trust"]
    list_select_related = ["session__engagement__mentee", "session__engagement__team", "mentee"]
    search_fields = ["mentee__email"]
    fields = ["session", "mentee", "usefulness", "trust", "comment", "created_at"]
    readonly_fields = fields
