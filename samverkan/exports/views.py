import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.exports.models import PENDING, Export
from samverkan.exports.tasks import BUILDERS, MAX_ATTEMPTS, enqueue
from samverkan.notifications.service import mark_read
from samverkan.permissions import Action, load, record


def dedupe_key(kind: str, params: dict, child_id=None) -> str:
    text = json.dumps([kind, params, child_id], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _pending(user, key):
    return Export.objects.defer("content").filter(
        requested_by=user, dedupe_key=key, status__in=PENDING
    )


def request_export(request, kind: str, title, params: dict, child_id=None, reason=None):
    """Queue a file for the user and send them to its status page. The task is enqueued
    once the request's transaction has committed, so the worker always finds the row.

    The same file (kind, ``params``, child) asked for again by the same person while it is
    still being made is that export: they are sent to it and no second job is made, even
    when both requests arrive at once (a unique constraint over the pending ones decides).
    ``reason`` is what the access log says (by default "Beställde export: <title>")."""
    assert kind in BUILDERS, kind
    key = dedupe_key(kind, params, child_id)
    if reason is None:
        reason = gettext_lazy("Beställde export: %(title)s") % {"title": title}
    export = _pending(request.user, key).first()
    if export is None:
        try:
            with transaction.atomic():
                export = Export.objects.create(
                    requested_by=request.user, kind=kind, title=str(title)[:200],
                    params=params, child_id=child_id, dedupe_key=key,
                )  # fmt: skip
        except IntegrityError:  # the same request, a moment earlier
            export = _pending(request.user, key).first()
            if export is None:
                raise
        else:
            record(request, export, reason=reason, action=Action.EXPORT)
            enqueue(export.pk)
            return redirect(export)
    record(request, export, reason=reason, action=Action.EXPORT)
    messages.info(request, _("Du har redan beställt den här filen. Den skapas nu."))
    return redirect(export)


EXPORTS = Export.objects.defer("content")


@login_required
def status(request, pk):
    export = load(
        request, EXPORTS, "exports.view_export", reason=gettext_lazy("Visade exportens status"),
        pk=pk,
    )  # fmt: skip
    if export.status == Export.Status.FAILED:
        mark_read(request.user, export)  # the notification that said so
    return render(request, "exports/status.html", {"export": export, "max_attempts": MAX_ATTEMPTS})


@login_required
def retry(request, pk):
    """Try a failed export again (POST; a GET goes to its status page). The builder checks
    again that the person may have the file."""
    posted = request.method == "POST"
    export = load(
        request, EXPORTS, "exports.view_export", pk=pk,
        reason=gettext_lazy("Bad om att exporten görs om") if posted
        else gettext_lazy("Visade exportens status"),
    )  # fmt: skip
    if not posted or export.status != Export.Status.FAILED:
        return redirect(export)
    try:
        with transaction.atomic():
            again = Export.objects.filter(pk=export.pk, status=Export.Status.FAILED).update(
                status=Export.Status.QUEUED, attempts=0, error="", started_at=None,
                finished_at=None,
            )  # fmt: skip
    except IntegrityError:  # the same file was asked for anew meanwhile and is being made
        newer = _pending(request.user, export.dedupe_key).first()
        messages.info(request, _("Du har redan beställt den här filen. Den skapas nu."))
        return redirect(newer or export)
    if again:
        enqueue(export.pk)
    return redirect(export)


@login_required
def download(request, pk):
    export = load(
        request, Export.objects.all(), "exports.view_export",
        reason=gettext_lazy("Laddade ner export"), action=Action.EXPORT, pk=pk,
    )  # fmt: skip
    if export.status != Export.Status.READY:
        return redirect(export)
    response = HttpResponse(bytes(export.content), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    return response
