from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.organisations.forms import PrincipalForm, UnitFilterForm
from samverkan.organisations.models import (
    Body,
    LocalGroup,
    Membership,
    Principal,
    Unit,
)
from samverkan.pagination import paginate
from samverkan.permissions import allowed, permission_required, record
from samverkan.sorting import Swedish

ROLE_ORDER = {role: i for i, role in enumerate(Membership.Role.values)}
BODY_ORDER = {kind: i for i, kind in enumerate(Body.Kind.values)}


def _current_memberships():
    return Prefetch(
        "memberships",
        queryset=Membership.objects.current().select_related("user", "unit"),
        to_attr="current_memberships",
    )


def _sorted(memberships):
    return sorted(memberships, key=lambda m: (ROLE_ORDER[m.role], m.function))


@permission_required("organisations.view_directory")
def directory(request):
    # (A query that counts is not ordered by Meta.ordering: the order is asked for.)
    groups = (
        LocalGroup.objects.prefetch_related("areas")
        .annotate(body_count=Count("bodies", distinct=True))
        .order_by(Swedish("name"))
    )
    county_bodies = sorted(
        Body.objects.filter(level=Body.Level.COUNTY), key=lambda b: BODY_ORDER[b.kind]
    )
    return render(
        request,
        "organisations/directory.html",
        {"groups": groups, "county_bodies": county_bodies},
    )


@permission_required("organisations.view_directory")
def group_detail(request, slug):
    group = get_object_or_404(LocalGroup.objects.prefetch_related("areas"), slug=slug)
    bodies = sorted(
        group.bodies.prefetch_related(_current_memberships()), key=lambda b: BODY_ORDER[b.kind]
    )
    for body in bodies:
        body.current_memberships = _sorted(body.current_memberships)
    return render(request, "organisations/group_detail.html", {"group": group, "bodies": bodies})


@permission_required("organisations.view_directory")
def body_detail(request, pk):
    body = get_object_or_404(
        Body.objects.select_related("local_group").prefetch_related(_current_memberships()),
        pk=pk,
    )
    members = _sorted(body.current_memberships)
    past = (
        body.memberships.exclude(pk__in=[m.pk for m in members])
        .select_related("user", "unit")
        .order_by("-valid_to")[:20]
    )
    return render(
        request,
        "organisations/body_detail.html",
        {
            "body": body,
            "members": members,
            "past_members": past,
        },
    )


@permission_required("organisations.view_unit")
def unit_list(request):
    form = UnitFilterForm(request.GET or None)
    units = Unit.objects.select_related("principal", "area").filter(is_active=True)
    if form.is_bound:
        units = form.filter(units)
    return render(
        request, "organisations/unit_list.html", {"form": form, "page": paginate(request, units)}
    )


@permission_required("organisations.view_unit")
def unit_detail(request, pk):
    unit = get_object_or_404(Unit.objects.select_related("principal", "area__municipality"), pk=pk)
    groups = LocalGroup.objects.filter(areas=unit.area_id) if unit.area_id else []
    seats = unit.body_memberships.current().select_related("body__local_group", "user")
    staff = None
    if allowed(request.user, "organisations.view_unit_staff", unit):
        staff = (
            unit.memberships.current().select_related("user").order_by("role", "user__last_name")
        )
        record(request, unit, reason=gettext_lazy("Visade verksamhetens personal"))
    return render(
        request,
        "organisations/unit_detail.html",
        {"unit": unit, "groups": groups, "seats": seats, "staff": staff},
    )


@permission_required("organisations.view_directory")
def principal_detail(request, pk):
    principal = get_object_or_404(Principal, pk=pk)
    units = principal.units.filter(is_active=True).select_related("area")
    return render(
        request,
        "organisations/principal_detail.html",
        {
            "principal": principal,
            "page": paginate(request, units),
            "may_change": allowed(request.user, "organisations.change_principal", principal),
        },
    )


@login_required
def principal_form(request, pk=None):
    principal = get_object_or_404(Principal, pk=pk) if pk else None
    perm = "organisations.change_principal" if principal else "organisations.add_principal"
    if not allowed(request.user, perm, principal):
        raise PermissionDenied
    form = PrincipalForm(request.POST or None, instance=principal)
    if request.method == "POST" and form.is_valid():
        principal = form.save()
        record(request, principal, reason=gettext_lazy("Sparade huvudman"), action="change")
        messages.success(request, _("Huvudmannen %(name)s är sparad.") % {"name": principal.name})
        return redirect(principal)
    return render(
        request, "organisations/principal_form.html", {"form": form, "principal": principal}
    )
