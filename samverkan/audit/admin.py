from django.contrib import admin

from samverkan.audit.models import AccessLog
from samverkan.logs_admin import AppendOnlyLogAdmin


@admin.register(AccessLog)
class AccessLogAdmin(AppendOnlyLogAdmin):
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
