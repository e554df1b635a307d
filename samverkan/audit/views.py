from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import RoleChange
from samverkan.audit.forms import LogFilterForm, RoleChangeFilterForm
from samverkan.audit.models import AccessLog
from samverkan.pagination import CURSORS, keyset_page
from samverkan.permissions import Action, permission_required, record

# The lists are counted only this far ("fler än 10 000 träffar" beyond).
COUNT_UP_TO = 10_000


def asked(request) -> str:
    """What the reviewer asked for, as the log records it: the filters, and the page as the
    moment and id it starts from (a cursor without its signature, which says nothing)."""
    query = request.GET.copy()
    for name in CURSORS:
        if name in query:
            query[name] = query[name].split(":")[0]
    return query.urlencode() or "-"


@permission_required("audit.view_accesslog")
def log_review(request):
    form = LogFilterForm(request.GET or None)
    entries, parts = AccessLog.objects.none(), None
    if not form.is_bound:
        entries = AccessLog.objects.all()
    elif form.is_valid():
        entries = form.filter(AccessLog.objects.all())
        parts = form.parts(entries)
    # Keyset pages, newest first: no count of the whole log and no OFFSET, so the last page
    # is as quick as the first at tens of millions of rows (see pagination.keyset_page).
    page = keyset_page(
        request, entries.select_related("user"), parts=parts, count_up_to=COUNT_UP_TO
    )
    response = render(request, "audit/log_review.html", {"form": form, "page": page})
    # Reading the log is itself logged, with what was asked for (after the page is read, so
    # the entry does not show up in the very page it describes).
    record(
        request,
        reason=format_lazy("{} {}", _("Logggranskning:"), asked(request)),
        action=Action.SEARCH,
    )
    return response


@permission_required("audit.view_accesslog")
def role_changes(request):
    """Who changed whose roles (flags, unit memberships, seats, groups), newest first: read
    by the log reviewers beside the access log."""
    form = RoleChangeFilterForm(request.GET or None)
    changes = RoleChange.objects.none()
    if not form.is_bound:
        changes = RoleChange.objects.all()
    elif form.is_valid():
        changes = form.filter(RoleChange.objects.all())
    page = keyset_page(request, changes, count_up_to=COUNT_UP_TO)
    record(
        request,
        reason=format_lazy("{} {}", _("Granskning av rolländringar:"), asked(request)),
        action=Action.SEARCH,
    )
    return render(request, "audit/role_changes.html", {"form": form, "page": page})
