"""Patterns in the county's deviation reports and the yearly compilation for BUSSAM.

For the secretariat and BUSSAM's members, to whom the agreement says the compilations are
returned; only the secretariat gets links to the single reports. The numbers come from
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
from samverkan.permissions import allowed, permission_required, record

PERM = "deviations.view_county_reports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request):
    form = PeriodForm(request.GET)
    return form, form.period()


def _query(period) -> str:
    return urlencode({"fran": period[0].isoformat(), "till": period[1].isoformat()})


def _log(request, what, period, action="view"):
    record(
        request,
        reason=format_lazy(
            "{what}, {start} – {end}",
            what=what,
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
    form, period = _period(request)
    context = {
        "form": form,
        "secretariat_page": True,
        "crumbs": _crumbs(request, _("Mönster i avvikelser")),
    }
    if period:
        numbers = stats.compute(*period)
        context.update(
            stats=numbers,
            panels=compilation.panels(numbers),
            query=_query(period),
            links=allowed(request.user, "deviations.secretariat"),
        )
        _log(request, gettext_lazy("Mönster i avvikelser"), period)
    return render(request, "deviations/patterns.html", context)


@permission_required(PERM)
def compilation_page(request):
    form, period = _period(request)
    context = {
        "form": form,
        "secretariat_page": True,
        "crumbs": _crumbs(request, _("Årlig sammanställning")),
    }
    if period:
        context.update(compilation.context(stats.compute(*period)), query=_query(period))
        context["links"] = allowed(request.user, "deviations.secretariat")
        _log(request, gettext_lazy("Sammanställning av avvikelser"), period)
    return render(request, "deviations/compilation.html", context)


def _export(request, make, extension, content_type, what):
    form, period = _period(request)
    if not period:  # the page shows what is wrong with the period
        return redirect(f"{reverse('deviations:compilation')}?{request.GET.urlencode()}")
    numbers = stats.compute(*period)
    _log(request, what, period, action="export")
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
