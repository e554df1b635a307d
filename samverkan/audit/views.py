from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import RoleChange
from samverkan.audit.forms import LogFilterForm, RoleChangeFilterForm
from samverkan.audit.models import AccessLog
from samverkan.pagination import paginate
from samverkan.permissions import Action, permission_required, record


@permission_required("audit.view_accesslog")
def log_review(request):
    form = LogFilterForm(request.GET or None)
    entries = AccessLog.objects.none()
    if not form.is_bound:
        entries = AccessLog.objects.all()
    elif form.is_valid():
        entries = form.filter(AccessLog.objects.all())
    page = paginate(request, entries.select_related("user").order_by("-at", "-id"))
    response = render(request, "audit/log_review.html", {"form": form, "page": page})
    # Reading the log is itself logged, with what was asked for (after the page is read, so
    # the entry does not show up in the very page it describes).
    record(
        request,
        reason=format_lazy("{} {}", _("Logggranskning:"), request.GET.urlencode() or "-"),
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
    page = paginate(request, changes.order_by("-at", "-id"))
    asked = request.GET.urlencode() or "-"
    record(
        request,
        reason=format_lazy("{} {}", _("Granskning av rolländringar:"), asked),
        action=Action.SEARCH,
    )
    return render(request, "audit/role_changes.html", {"form": form, "page": page})
