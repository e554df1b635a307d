from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.decorators import permission_required
from samverkan.audit import record_access
from samverkan.audit.forms import LogFilterForm
from samverkan.audit.models import AccessLog
from samverkan.pagination import paginate


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
    record_access(
        request,
        reason=format_lazy("{} {}", _("Logggranskning:"), request.GET.urlencode() or "-"),
        action="search",
    )
    return response
