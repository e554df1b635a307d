"""The yearly follow-up: each local group's indicators, the steering group's narrative and
its approval; and the county compilation for BUSSAM (page; PDF and spreadsheet made in
the background, ``report_exports``).

Who: anyone with a seat in the group's bodies, and the secretariat, sees a group's
follow-up; the steering group's chair, convener or secretary writes the narrative and
approves it; the county compilation is the secretariat's. The numbers are computed
(``indicators``), never typed in; approving keeps them as they were that day.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan import permissions
from samverkan.exports.views import request_export
from samverkan.governance import indicators, report_exports, reports
from samverkan.governance.forms_follow_up import NarrativeForm, YearForm, default_year, valid_year
from samverkan.governance.models import YearlyFollowUp
from samverkan.organisations.models import LocalGroup
from samverkan.permissions import allowed, permission_required
from samverkan.sorting import Swedish

VIEW = "governance.view_follow_up"
APPROVE = "governance.approve_follow_up"
COUNTY = report_exports.COUNTY


def _check_year(year: int) -> None:
    if not valid_year(year):
        raise Http404


def _visible_groups(user):
    groups = LocalGroup.objects.order_by(Swedish("name"))
    if allowed(user, "governance.view_county"):
        return groups
    return groups.seated(user)


def _crumbs(*extra):
    return [(reverse("governance:overview"), _("Styrning")), *extra]


# --- the list -------------------------------------------------------------------------------
@permission_required(VIEW)
def follow_ups(request):
    """The groups the user may see, with the chosen year's follow-up: approved or not."""
    form = YearForm(request.GET or None)
    year = form.year()
    groups = list(_visible_groups(request.user))
    records = {
        record.local_group_id: record
        for record in YearlyFollowUp.objects.filter(
            year=year, local_group__in=groups
        ).select_related("approved_by")
    }
    rows = [
        {"group": group, "record": records.get(group.pk), "url": reports.follow_up_url(group, year)}
        for group in groups
    ]
    return render(
        request,
        "governance/follow_ups.html",
        {
            "form": form,
            "year": year,
            "rows": rows,
            "approved": sum(1 for row in rows if row["record"] and row["record"].approved_at),
            "may_see_county": allowed(request.user, COUNTY),
            "crumbs": _crumbs((request.path, _("Årlig uppföljning"))),
        },
    )


# --- one group's year -----------------------------------------------------------------------
def _group_for(request, slug, year):
    _check_year(year)
    group = get_object_or_404(LocalGroup, slug=slug)
    if not allowed(request.user, VIEW, group):
        raise PermissionDenied
    return group


@login_required
def follow_up(request, slug, year):
    group = _group_for(request, slug, year)
    may_approve = allowed(request.user, APPROVE, group)
    record = (
        YearlyFollowUp.objects.select_related("approved_by")
        .filter(local_group=group, year=year)
        .first()
    )
    if request.method == "POST":
        if not may_approve:
            raise PermissionDenied
        return _save(request, group, year, record)
    form = NarrativeForm(instance=record) if may_approve and not _approved(record) else None
    return _render(request, group, year, record, form, may_approve)


def _approved(record) -> bool:
    return record is not None and record.approved_at is not None


def _render(request, group, year, record, form, may_approve):
    live = indicators.compute([group], year)[group.pk]
    live_before = indicators.compute([group], year - 1)[group.pk]
    before = (
        YearlyFollowUp.objects.filter(local_group=group, year=year - 1)
        .select_related("approved_by")
        .first()
    )
    current = reports.shown(live, record)
    previous = reports.shown(live_before, before)
    today = timezone.localdate()
    return render(
        request,
        "governance/follow_up.html",
        {
            "group": group,
            "year": year,
            "previous_year": year - 1,
            "record": record,
            "previous_record": before,
            "approved": _approved(record),
            "changed_since": _approved(record) and reports.differs(current, live),
            "sections": reports.sections(current, previous),
            "categories": reports.category_lines(current, previous),
            "form": form,
            "may_approve": may_approve,
            "year_over": year < today.year,
            "years": [y for y in (year - 1, year + 1) if valid_year(y)],
            "crumbs": _crumbs(
                (reverse("governance:follow_ups") + f"?ar={year}", _("Årlig uppföljning")),
                (request.path, f"{group.name} {year}"),
            ),
        },
    )


def _save(request, group, year, record):
    """The "Spara" button keeps the narrative; "Godkänn" keeps it and approves the year, once."""
    if _approved(record):
        return _refused(request, group, year)
    approve = request.POST.get("action") == "approve"
    form = NarrativeForm(
        request.POST, instance=record or YearlyFollowUp(local_group=group, year=year)
    )
    if form.is_valid() and approve and year >= timezone.localdate().year:
        form.add_error(
            None,
            _(
                "Året är inte slut. Uppföljningen för %(year)s kan godkännas från 1 januari "
                "%(next)s."
            )
            % {"year": year, "next": year + 1},
        )
    if not form.is_valid():
        return _render(request, group, year, record, form, may_approve=True)
    try:
        saved = _store(
            group, year, form.cleaned_data["narrative"], request.user if approve else None
        )
    except _AlreadyApproved:
        return _refused(request, group, year)
    if not approve:
        permissions.record(
            request, saved, reason=gettext_lazy("Sparade uppföljningens analys"), action="change"
        )
        messages.success(request, _("Analysen är sparad. Den är inte godkänd än."))
        return redirect("governance:follow_up", group.slug, year)
    what = gettext_lazy("Godkände årlig uppföljning")
    permissions.record(
        request, saved, reason=format_lazy("{what} {year}", what=what, year=year), action="change"
    )
    messages.success(
        request,
        _("Uppföljningen för %(year)s är godkänd. Siffrorna är sparade som de är i dag.")
        % {"year": year},
    )
    return redirect("governance:follow_up", group.slug, year)


class _AlreadyApproved(Exception):
    pass


def _store(group, year, narrative, approver=None) -> YearlyFollowUp:
    """Keep the narrative and, given an approver, approve the year with its indicators as
    they are now. Refused once approved, even when two people press at the same moment."""
    YearlyFollowUp.objects.get_or_create(local_group=group, year=year)
    with transaction.atomic():
        record = YearlyFollowUp.objects.select_for_update().get(local_group=group, year=year)
        if record.approved_at is not None:
            raise _AlreadyApproved
        record.narrative = narrative
        if approver is not None:
            record.approved_at = timezone.now()
            record.approved_by = approver
            record.indicators = indicators.compute([group], year)[group.pk]
        record.save()
    return record


def _refused(request, group, year):
    messages.error(
        request,
        _("Uppföljningen för %(year)s är redan godkänd. Inget har ändrats.") % {"year": year},
    )
    return redirect("governance:follow_up", group.slug, year)


# --- the county ------------------------------------------------------------------------------
def _log(request, what, year):
    permissions.record(request, reason=format_lazy("{what} {year}", what=what, year=year))


@permission_required(COUNTY)
def county_latest(request):
    return redirect("governance:county", default_year())


@permission_required(COUNTY)
def county(request, year):
    _check_year(year)
    context = reports.context(reports.county(year))
    context["crumbs"] = _crumbs(
        (reverse("governance:follow_ups") + f"?ar={year}", _("Årlig uppföljning")),
        (request.path, context["title"]),
    )
    context["years"] = [y for y in (year - 1, year + 1) if valid_year(y)]
    _log(request, gettext_lazy("Länets årliga uppföljning"), year)
    return render(request, "governance/county.html", context)


def _export(request, year, kind, what):
    """Ask for the file (POST, from the page's buttons): made in the background, the user
    sent to its status page. A GET goes back to the page."""
    _check_year(year)
    if request.method != "POST":
        return redirect("governance:county", year)
    reason = format_lazy("{what} {year}", what=what, year=year)
    return request_export(
        request, kind, reason, report_exports.params(year, request.user), reason=reason
    )


@permission_required(COUNTY)
def county_pdf(request, year):
    return _export(
        request, year, report_exports.PDF, gettext_lazy("Länets årliga uppföljning som PDF")
    )


@permission_required(COUNTY)
def county_xlsx(request, year):
    return _export(
        request,
        year,
        report_exports.XLSX,
        gettext_lazy("Länets årliga uppföljning som kalkylblad"),
    )
