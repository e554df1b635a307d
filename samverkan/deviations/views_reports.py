"""Patterns in the county's deviation reports and the yearly compilation for BUSSAM.

For the secretariat and BUSSAM's members, to whom the agreement says the compilations are
returned, and for a local group's seat holders, who read their own group's (and choose only
among their groups); only the secretariat gets links to the single reports. The numbers
come from ``stats`` (aggregate queries, as many for a thousand reports as for ten); no
reporter is named. Each page and export is logged with the period and group it covered.
The PDF and the spreadsheet are made in the background (``report_exports``): the page's
buttons ask for them.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.deviations import compilation, report_exports, stats
from samverkan.deviations.forms_reports import PeriodForm
from samverkan.exports.views import request_export
from samverkan.permissions import allowed, permission_required, record

PERM = report_exports.PERM
# The pages list the first of each list (recurring pairs, principled questions, judgements);
# the PDF and the spreadsheet hold them all: a year of the whole country has thousands.
LISTED = 50


def _period(request, data=None):
    """The form, the period asked for (None when the form has errors) and the group (None:
    the county). Only the groups the reader may read are choices."""
    county, groups = report_exports.readable(request.user)
    form = PeriodForm(request.GET if data is None else data, groups=groups, whole_county=county)
    period = form.period()
    return form, period, form.group() if period else None


def _query(period, group) -> str:
    query = {"fran": period[0].isoformat(), "till": period[1].isoformat()}
    if group is not None:
        query["grupp"] = group.slug
    return urlencode(query)


def _reason(what, period, group):
    return format_lazy(
        "{what}, {where}, {start} – {end}",
        what=what,
        where=group.name if group else gettext_lazy("hela länet"),
        start=period[0].isoformat(),
        end=period[1].isoformat(),
    )


def _log(request, what, period, group):
    record(request, reason=_reason(what, period, group))


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
        **compilation.listed(LISTED),
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
        context.update(
            compilation.context(numbers, LISTED),
            query=_query(period, group),
            period=period,
            group=group,
        )
        context["links"] = allowed(request.user, "deviations.secretariat")
        _log(request, gettext_lazy("Sammanställning av avvikelser"), period, group)
    return render(request, "deviations/compilation.html", context)


def _export(request, kind, what):
    """Ask for the file (POST, from the page's buttons, with its period and group): made in
    the background, the user sent to its status page. The group is checked as the page
    checks it; a GET goes back to the page."""
    page = reverse("deviations:compilation")
    if request.method != "POST":
        query = request.GET.urlencode()
        return redirect(f"{page}?{query}" if query else page)
    form, period, group = _period(request, request.POST)
    if not period:  # the page shows what is wrong with the period
        asked = {k: v for k, v in request.POST.items() if k in ("fran", "till", "grupp")}
        return redirect(f"{page}?{urlencode(asked)}")
    reason = _reason(what, period, group)
    return request_export(
        request, kind, reason, report_exports.params(period, group, request.user), reason=reason
    )


@permission_required(PERM)
def compilation_pdf(request):
    return _export(
        request, report_exports.PDF, gettext_lazy("Sammanställning av avvikelser som PDF")
    )


@permission_required(PERM)
def compilation_xlsx(request):
    return _export(
        request,
        report_exports.XLSX,
        gettext_lazy("Sammanställning av avvikelser som kalkylblad"),
    )
