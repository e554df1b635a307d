"""The per-child log extract, for the log reviewer (see ``extract.py``)."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from samverkan.audit.extract import extract_for
from samverkan.audit.forms import ExtractForm
from samverkan.exports.views import request_export
from samverkan.pagination import keyset_page
from samverkan.permissions import Action, permission_required, record

FORMATS = {"pdf": "audit.child_extract.pdf", "xlsx": "audit.child_extract.xlsx"}


@permission_required("audit.view_accesslog")
def child_extract(request):
    """Find a child by number and read every access to anything about it. Opening the
    extract is logged against each of the child's records, so it shows in the extract."""
    data = request.POST if request.method == "POST" else request.GET
    form = ExtractForm(data or None)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        query = form.query()
        extract = extract_for(**query)
        for child in extract.records:
            record(request, child, reason=_("Logguttdrag"), action=Action.SEARCH)
        if not extract.records:
            record(request, reason=_("Logguttdrag (ingen registrering)"), action=Action.SEARCH)
        if request.method == "POST" and request.POST.get("format") in FORMATS:
            kind = FORMATS[request.POST["format"]]
            title = _("Logguttdrag (%(format)s)") % {"format": request.POST["format"].upper()}
            child_id = extract.child_ids[0] if extract.child_ids else None
            return request_export(request, kind, title, {"query": query}, child_id=child_id)
        page = keyset_page(
            request, extract.entries, parts=extract.entries_by_record(), count_up_to=10_000
        )
        for entry in page:
            entry.held_by = extract.held_by(entry)
        context.update(extract=extract, page=page)
    return render(request, "audit/child_extract.html", context)
