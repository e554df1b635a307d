from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import RoleChange, User
from samverkan.logs_admin import AppendOnlyLogAdmin
from samverkan.organisations.admin import NotOneselfInline, is_oneself
from samverkan.organisations.models import SELF_CHANGE_REFUSED, UnitMembership

# What makes up a user's roles on the user itself (unit memberships and seats are rows of
# their own). Nobody changes these on their own account.
ROLE_FIELDS = [
    "is_superuser",
    "is_staff",
    "is_secretariat",
    "is_log_reviewer",
    "is_active",
    "groups",
    "user_permissions",
]


class UnitMembershipInline(NotOneselfInline):
    """On one's own user page, one's unit memberships are shown but cannot be changed."""

    model = UnitMembership
    extra = 0
    autocomplete_fields = ["unit"]

    def has_add_permission(self, request, obj=None):
        return not is_oneself(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not is_oneself(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_oneself(request, obj) and super().has_delete_permission(request, obj)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "is_secretariat",
        "is_log_reviewer",
        "is_active",
    ]
    list_filter = ["is_secretariat", "is_log_reviewer", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [UnitMembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "phone"]}),
        (
            _("Roller"),
            {
                "fields": [
                    "is_secretariat",
                    "is_log_reviewer",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                ]
            },
        ),
        (_("Datum"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "password1", "password2"],
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if is_oneself(request, obj):
            readonly += [name for name in ROLE_FIELDS if name not in readonly]
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not is_oneself(request, obj):
            return fieldsets
        return [
            (name, {**options, "description": SELF_CHANGE_REFUSED})
            if "is_superuser" in options["fields"]
            else (name, options)
            for name, options in fieldsets
        ]


@admin.register(RoleChange)
class RoleChangeAdmin(AppendOnlyLogAdmin):
    """Read-only: role changes are written by ``signals.py`` and never edited. The log
    reviewers read them (also at /logg/roller/)."""

    list_display = ["at", "subject_label", "kind", "change", "actor_label", "source"]
    list_filter = ["kind", "source"]
    search_fields = ["subject_label", "actor_label"]
    date_hierarchy = "at"
