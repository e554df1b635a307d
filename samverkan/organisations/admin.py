from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from samverkan.organisations.models import (
    SELF_CHANGE_REFUSED,
    Area,
    Body,
    LocalGroup,
    Membership,
    Principal,
    Unit,
    UnitMembership,
)

# Unit memberships and seats are roles: every change is logged (``accounts/signals.py``)
# and nobody changes their own. Choosing oneself gives an error at the field, one's own
# rows are read-only and cannot be deleted, also not with the unit or body they belong to.
# ``accounts/admin.py`` uses the same pieces for the user page.



def is_oneself(request, user) -> bool:
    return user is not None and user.pk is not None and user.pk == request.user.pk


class RoleChangesAdmin(admin.ModelAdmin):
    """An admin page where roles can change. Every change is logged by the model signals
    (with the request the access-log middleware keeps as the current one); nobody changes
    their own roles: the forms below say so, and the signals refuse it in any case."""

    # --- a row that is the user's own role (a unit membership, a seat) ----------------------
    def own_role_rows(self, request, objs) -> list:
        """The rows among ``objs`` (or deleted with them) that are the user's own roles."""
        return []

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        own = self.own_role_rows(request, objs)
        if own:
            # Shown as "protected": the page says why, and confirming deletes nothing. (The
            # admin would otherwise only say that a permission is lacking.)
            protected = list(protected) + [f"{row} – {SELF_CHANGE_REFUSED}" for row in own]
            perms_needed = set()
        return deleted, model_count, perms_needed, protected


class NotOneselfForm(forms.ModelForm):
    """A unit membership or seat: refuses to give, change or take the editor's own."""

    actor = None  # the user editing; set per request by ``not_oneself()``

    def touches_oneself(self) -> bool:
        if self.actor is None:
            return False
        before = self.instance.user_id if self.instance.pk else None
        if "user" in self.fields:
            chosen = self.cleaned_data.get("user")
            after = chosen.pk if chosen is not None else None
        else:  # an inline under the user: the row is theirs
            after = self.instance.user_id
        return self.actor.pk in (before, after)

    def clean(self):
        data = super().clean()
        if self.has_changed() and self.touches_oneself():
            self.add_error("user" if "user" in self.fields else None, SELF_CHANGE_REFUSED)
        return data


class NotOneselfFormSet(forms.BaseInlineFormSet):
    """The inline rows: deleting one's own is refused too (a deleted row's own errors are
    ignored by the formset, so it is checked here)."""

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.touches_oneself():
                raise ValidationError(SELF_CHANGE_REFUSED)


def not_oneself(form_class, request):
    """``form_class`` knowing who edits."""
    return type(form_class.__name__, (form_class,), {"actor": request.user})


class NotOneselfInline(admin.TabularInline):
    form = NotOneselfForm
    formset = NotOneselfFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"form": not_oneself(formset.form, request)})


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
class UnitAdmin(RoleChangesAdmin):
    list_display = ["name", "kind", "principal", "area", "is_active"]
    list_filter = ["kind", "is_active", "principal__kind"]
    search_fields = ["name", "principal__name"]
    list_select_related = ["principal", "area"]
    autocomplete_fields = ["principal", "area"]

    def own_role_rows(self, request, objs):
        return list(UnitMembership.objects.filter(unit__in=objs, user=request.user))


class OwnRowsAdmin(RoleChangesAdmin):
    """Unit memberships and seats, each on its own page."""

    form = NotOneselfForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        return not_oneself(super().get_form(request, obj, change, **kwargs), request)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.user_id == request.user.pk:
            return False  # shown read-only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.user_id == request.user.pk:
            return False
        return super().has_delete_permission(request, obj)

    def own_role_rows(self, request, objs):
        return [row for row in objs if row.user_id == request.user.pk]


@admin.register(UnitMembership)
class UnitMembershipAdmin(OwnRowsAdmin):
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
class LocalGroupAdmin(RoleChangesAdmin):
    list_display = ["name", "slug", "mailbox"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["areas"]
    inlines = [BodyInline]

    def own_role_rows(self, request, objs):
        return list(Membership.objects.filter(body__local_group__in=objs, user=request.user))


class MembershipInline(NotOneselfInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "unit"]


@admin.register(Body)
class BodyAdmin(RoleChangesAdmin):
    list_display = ["name", "kind", "level", "local_group", "cadence"]
    list_filter = ["kind", "level", "cadence"]
    search_fields = ["name", "local_group__name"]
    list_select_related = ["local_group"]
    inlines = [MembershipInline]

    def own_role_rows(self, request, objs):
        return list(Membership.objects.filter(body__in=objs, user=request.user))


@admin.register(Membership)
class MembershipAdmin(OwnRowsAdmin):
    list_display = ["function", "body", "user", "role", "valid_from", "valid_to"]
    list_filter = ["role", "body__kind"]
    search_fields = ["function", "user__email", "body__name"]
    list_select_related = ["body__local_group", "user"]
    autocomplete_fields = ["body", "user", "unit"]
