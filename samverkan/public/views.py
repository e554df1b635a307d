"""The public pages (no log-in) and the secretariat's editing of them.

The public views show nothing about a person: the pages' texts, the directory of local
groups and their function mailboxes, and a form for reporting an accessibility barrier.
The editing views are the secretariat's (``public.edit_pages`` in ``accounts/rules.py``).
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.network import client_ip
from samverkan.organisations.models import Area, Body, LocalGroup
from samverkan.pagination import paginate
from samverkan.permissions import permission_required
from samverkan.public.forms import BarrierReportForm, NewPageForm, PageForm
from samverkan.public.models import ACCESSIBILITY_SLUG, BarrierReport, Page
from samverkan.public.services import (
    EditConflict,
    create_page,
    receive_barrier_report,
    save_version,
)

CONTACTS_PER_PAGE = 100


def _pages():
    """The published pages, in menu order, with their current versions."""
    return Page.objects.filter(current__isnull=False).select_related("current")


def _render(request, template, context=None, *, crumb=None, status=None):
    """A public page: the menu of pages beside it and the breadcrumbs to it."""
    crumbs = [(reverse("public:start"), _("Om BUS"))]
    if crumb:
        crumbs.append(crumb)
    context = {"pages": _pages(), "crumbs": crumbs, **(context or {})}
    return render(request, template, context, status=status)


def start(request):
    return _render(request, "public/start.html")


def page(request, slug):
    found = get_object_or_404(
        Page.objects.select_related("current__editor", "current__fact_checker"), slug=slug
    )
    if found.current is None:
        raise Http404
    return _show(request, found, found.current)


def _show(request, found, version, *, old=False):
    shown = version.shown(request.LANGUAGE_CODE)
    return _render(
        request,
        "public/page.html",
        {
            "page": found,
            "version": version,
            "shown": shown,
            "fallback": shown.language != request.LANGUAGE_CODE,
            "old": old,
            "is_accessibility": found.slug == ACCESSIBILITY_SLUG,
        },
        crumb=(request.path, shown.title),
    )


def contacts(request):
    """The local groups, the areas each covers and their function mailboxes, and the
    secretariat: live from the directory."""
    query = (request.GET.get("sok") or "").strip()[:100]
    groups = LocalGroup.objects.prefetch_related(
        Prefetch("areas", queryset=Area.objects.order_by("name"))
    )
    if query:
        groups = groups.filter(Q(name__icontains=query) | Q(areas__name__icontains=query))
        groups = groups.distinct()
    return _render(
        request,
        "public/contacts.html",
        {
            "county_bodies": Body.objects.filter(
                kind__in=[Body.Kind.SECRETARIAT, Body.Kind.BUSSAM]
            ).order_by("-kind", "name"),
            "groups": paginate(request, groups.order_by("name"), CONTACTS_PER_PAGE),
            "query": query,
        },
        crumb=(request.path, _("Kontakt")),
    )


# --- reporting a barrier --------------------------------------------------------------------
def _rate_key(request) -> str:
    address = client_ip(request) or "unknown"
    return "public:barrier:" + hashlib.sha256(address.encode()).hexdigest()[:32]


@require_http_methods(["GET", "POST"])
def barrier_report(request):
    """Anyone may report a barrier; a few reports per address and hour (a cheap guard
    against a flood, kept in the shared cache)."""
    if request.method == "POST":
        form = BarrierReportForm(request.POST)
        key = _rate_key(request)
        if cache.get(key, 0) >= settings.BARRIER_REPORTS_PER_HOUR:
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Du har skickat flera rapporter den senaste timmen. Försök igen senare, "
                    "eller skriv direkt till BUS-sekretariatet (se Kontakt)."
                ),
            )
            return _barrier_form(request, form, status=429)
        if form.is_valid():
            report = receive_barrier_report(form.cleaned_data)
            if not cache.add(key, 1, timeout=60 * 60):
                try:
                    cache.incr(key)
                except ValueError:  # expired in between
                    cache.add(key, 1, timeout=60 * 60)
            messages.success(
                request,
                _("Tack! Din rapport har tagits emot med nummer %(reference)s.")
                % {"reference": report.reference},
            )
            return redirect("public:barrier_thanks")
    else:
        form = BarrierReportForm(initial={"page": (request.GET.get("sida") or "")[:300]})
    return _barrier_form(request, form)


def _barrier_form(request, form, status=None):
    return _render(
        request,
        "public/barrier_report.html",
        {"form": form},
        crumb=(request.path, _("Rapportera en brist i tillgängligheten")),
        status=status,
    )


def barrier_thanks(request):
    return _render(
        request, "public/barrier_thanks.html", crumb=(request.path, _("Tack för din rapport"))
    )


# --- the secretariat ------------------------------------------------------------------------
@permission_required("public.edit_pages")
def manage(request):
    pages = Page.objects.select_related("current__editor", "current__fact_checker")
    return render(request, "public/manage.html", {"pages": pages})


@permission_required("public.edit_pages")
@require_http_methods(["GET", "POST"])
def new_page(request):
    form = NewPageForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        data = form.cleaned_data
        created = create_page(data["slug"], data["position"], data, request.user)
        messages.success(request, _("Sidan är publicerad."))
        return redirect(created)
    return render(request, "public/edit.html", {"form": form, "preview": _preview(request, form)})


@permission_required("public.edit_pages")
@require_http_methods(["GET", "POST"])
def edit_page(request, slug):
    found = get_object_or_404(Page.objects.select_related("current"), slug=slug)
    current = found.current
    conflict = None
    if request.method == "POST":
        form = PageForm(request.POST)
        if form.is_valid() and "preview" not in request.POST:
            try:
                save_version(
                    found, form.cleaned_data, request.user, based_on=form.cleaned_data["based_on"]
                )
            except EditConflict as error:
                conflict = error.current
                form.add_error(
                    None,
                    _(
                        "%(name)s sparade version %(number)s medan du skrev. Din text är inte "
                        "sparad: jämför med den nya versionen nedan och spara igen."
                    )
                    % {
                        "name": conflict.editor.get_full_name() or conflict.editor.email,
                        "number": conflict.number,
                    },
                )
                form.data = form.data.copy()
                form.data["based_on"] = conflict.number
            else:
                messages.success(request, _("Den nya versionen är publicerad."))
                return redirect(found)
    else:
        initial = {"based_on": current.number if current else 0}
        if current is not None:
            initial |= {
                name: getattr(current, name)
                for name in ("title_sv", "lead_sv", "body_sv", "title_en", "lead_en", "body_en")
            }
            initial["fact_checked_on"] = current.fact_checked_on
            initial["fact_checker"] = current.fact_checker.email if current.fact_checker else ""
        form = PageForm(initial=initial)
    return render(
        request,
        "public/edit.html",
        {
            "form": form,
            "page": found,
            "conflict": conflict,
            "preview": _preview(request, form),
        },
    )


def _preview(request, form):
    """What the page would look like, when the editor asked for a preview."""
    if request.method != "POST" or "preview" not in request.POST or not form.is_valid():
        return None
    data = form.cleaned_data
    return {"title": data["title_sv"], "lead": data["lead_sv"], "body": data["body_sv"]}


@permission_required("public.edit_pages")
def versions(request, slug):
    found = get_object_or_404(Page, slug=slug)
    listed = paginate(request, found.versions.select_related("editor", "fact_checker"))
    return render(request, "public/versions.html", {"page": found, "versions": listed})


@permission_required("public.edit_pages")
def version(request, slug, number):
    found = get_object_or_404(Page.objects.select_related("current"), slug=slug)
    kept = get_object_or_404(found.versions.select_related("editor", "fact_checker"), number=number)
    return _show(request, found, kept, old=kept.pk != found.current_id)


@permission_required("public.read_barrier_reports")
def barrier_reports(request):
    return render(
        request,
        "public/barrier_reports.html",
        {"reports": paginate(request, BarrierReport.objects.all())},
    )
