from django.contrib import admin

from samverkan.organisations.models import (
    Area,
    Body,
    LocalGroup,
    Membership,
    Principal,
    Unit,
    UnitMembership,
)


@admin.register(Principal)
class PrincipalAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation_number"]
    list_filter = ["kind"]
    search_fields = ["name", "organisation_number"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["municipality"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "principal", "area", "is_active"]
    list_filter = ["kind", "is_active", "principal__kind"]
    search_fields = ["name", "principal__name"]
    list_select_related = ["principal", "area"]
    autocomplete_fields = ["principal", "area"]


@admin.register(UnitMembership)
class UnitMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "title", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__last_name", "unit__name"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["user", "unit"]


class BodyInline(admin.TabularInline):
    model = Body
    extra = 0
    fields = ["name", "kind", "level", "cadence", "cadence_note"]


@admin.register(LocalGroup)
class LocalGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["areas"]
    inlines = [BodyInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "unit"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "local_group", "cadence"]
    list_filter = ["kind", "level", "cadence"]
    search_fields = ["name", "local_group__name"]
    list_select_related = ["local_group"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["function", "body", "user", "role", "valid_from", "valid_to"]
    list_filter = ["role", "body__kind"]
    search_fields = ["function", "user__email", "body__name"]
    list_select_related = ["body__local_group", "user"]
    autocomplete_fields = ["body", "user", "unit"]
