from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import User
from samverkan.organisations.models import UnitMembership


class UnitMembershipInline(admin.TabularInline):
    model = UnitMembership
    extra = 0
    autocomplete_fields = ["unit"]


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
