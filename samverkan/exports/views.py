from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from samverkan.exports.models import Export
from samverkan.exports.tasks import BUILDERS, build_export
from samverkan.permissions import Action, load, record


def request_export(request, kind: str, title: str, params: dict, child_id=None):
    """Queue a file for the user and send them to its status page. The task is enqueued
    once the request's transaction has committed, so the worker always finds the row."""
    assert kind in BUILDERS, kind
    export = Export.objects.create(
        requested_by=request.user, kind=kind, title=str(title)[:200], params=params,
        child_id=child_id,
    )  # fmt: skip
    record(request, export, reason=_("Beställde export: %(title)s") % {"title": title},
           action=Action.EXPORT)  # fmt: skip
    transaction.on_commit(lambda: build_export.enqueue(str(export.pk)))
    return redirect(export)


EXPORTS = Export.objects.defer("content")


@login_required
def status(request, pk):
    export = load(
        request, EXPORTS, "exports.view_export", reason=_("Visade exportens status"), pk=pk
    )
    return render(request, "exports/status.html", {"export": export})


@login_required
def download(request, pk):
    export = load(
        request, Export.objects.all(), "exports.view_export",
        reason=_("Laddade ner export"), action=Action.EXPORT, pk=pk,
    )  # fmt: skip
    if export.status != Export.Status.READY:
        return redirect(export)
    response = HttpResponse(bytes(export.content), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    return response
