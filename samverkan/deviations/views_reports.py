"""Patterns in the county's deviation reports and the yearly compilation for BUSSAM.

For the secretariat and BUSSAM's members, to whom the agreement says the compilations are
returned, and for a local group's seat holders, who read their own group's (and choose only
among their groups); only the secretariat gets links to the single reports. The numbers come from
``stats`` (aggregate queries, as many for a thousand reports as for ten); no reporter is
named. Each page and export is logged with the
period it covered.
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.deviations import compilation, stats
from samverkan.deviations.forms_reports import PeriodForm
from samverkan.organisations.models import LocalGroup
from samverkan.permissions import allowed, permission_required, record

PERM = "deviations.view_reports"
COUNTY = "deviations.view_county_reports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request):
    """The form, the period asked for (None when the form has errors) and the group (None:
    the county). Only the groups the reader may read are choices."""
    county = allowed(request.user, COUNTY)
    groups = LocalGroup.objects.all() if county else LocalGroup.objects.seated(request.user)
    form = PeriodForm(request.GET, groups=groups.order_by("name"), whole_county=county)
    period = form.period()
    return form, period, form.group() if period else None


def _query(period, group) -> str:
    query = {"fran": period[0].isoformat(), "till": period[1].isoformat()}
    if group is not None:
        query["grupp"] = group.slug
    return urlencode(query)


def _log(request, what, period, group, action="view"):
    record(
        request,
        reason=format_lazy(
            "{what}, {where}, {start} – {end}",
            what=what,
            where=group.name if group else gettext_lazy("hela länet"),
            start=period[0].isoformat(),
            end=period[1].isoformat(),
        ),
        action=action,
    )


def _crumbs(request, label):
    if not allowed(request.user, "deviations.secretariat"):
        return [(request.path, label)]
    return [(reverse("deviations:inbox"), _("Avvikelser i länet")), (request.path, label)]


@permission_required(PERM)
def patterns(request):
    form, period, group = _period(request)
    context = {
        "form": form,
        "secretariat_page": True,
        "crumbs": _crumbs(request, _("Mönster i avvikelser")),
    }
    if period:
        numbers = stats.compute(*period, group=group)
        context.update(
            stats=numbers,
            panels=compilation.panels(numbers),
            query=_query(period, group),
            links=allowed(request.user, "deviations.secretariat"),
        )
        _log(request, gettext_lazy("Mönster i avvikelser"), period, group)
    return render(request, "deviations/patterns.html", context)


@permission_required(PERM)
def compilation_page(request):
    form, period, group = _period(request)
    context = {
        "form": form,
        "secretariat_page": True,
        "crumbs": _crumbs(request, _("Årlig sammanställning")),
    }
    if period:
        numbers = stats.compute(*period, group=group)
        context.update(compilation.context(numbers), query=_query(period, group))
        context["links"] = allowed(request.user, "deviations.secretariat")
        _log(request, gettext_lazy("Sammanställning av avvikelser"), period, group)
    return render(request, "deviations/compilation.html", context)


def _export(request, make, extension, content_type, what):
    form, period, group = _period(request)
    if not period:  # the page shows what is wrong with the period
        return redirect(f"{reverse('deviations:compilation')}?{request.GET.urlencode()}")
    numbers = stats.compute(*period, group=group)
    _log(request, what, period, group, action="export")
    response = HttpResponse(make(numbers), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{compilation.file_name(numbers, extension)}"'
    )
    return response


@permission_required(PERM)
def compilation_pdf(request):
    return _export(
        request,
        lambda numbers: compilation.compilation_pdf(request, numbers),
        "pdf",
        "application/pdf",
        gettext_lazy("Sammanställning av avvikelser som PDF"),
    )


@permission_required(PERM)
def compilation_xlsx(request):
    return _export(
        request,
        compilation.compilation_xlsx,
        "xlsx",
        XLSX,
        gettext_lazy("Sammanställning av avvikelser som kalkylblad"),
    )
