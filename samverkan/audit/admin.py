from django.contrib import admin

from samverkan.audit.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the application and never edited (on PostgreSQL the
    database refuses it too); ``manage.py verify_access_log`` checks that nobody did."""

    list_display = [
        "at",
        "user_label",
        "action",
        "object_type",
        "object_id",
        "child_id",
        "status_code",
    ]
    list_filter = ["action"]
    date_hierarchy = "at"

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_log_reviewer

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
