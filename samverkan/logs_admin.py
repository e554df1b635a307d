"""The admin's view of a log (the access log, the role-change log): read-only for
everyone, and seen only by those the rules let read the access log."""

from django.contrib import admin

from samverkan.permissions import allowed


class AppendOnlyLogAdmin(admin.ModelAdmin):
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and allowed(request.user, "audit.view_accesslog")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
