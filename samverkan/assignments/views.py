"""Pages for assignments: mine, a body's, giving one, one assignment and closing it.

An assignment is reached through the door (``permissions.load``): someone who may not see
it gets 404, logged with the record. Meetings are found through the model's own foreign
key rather than by importing ``governance`` (which sits above ``sip``, whose
``send_reminders`` calls this app)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan import permissions
from samverkan.assignments import services
from samverkan.assignments.forms import AssignmentForm, CloseForm
from samverkan.assignments.models import Assignment
from samverkan.deviations.models import Deviation
from samverkan.forms import could_be_key
from samverkan.notifications.service import mark_read
from samverkan.organisations.models import Body
from samverkan.organisations.standing import standing
from samverkan.pagination import paginate
from samverkan.permissions import allowed, permission_required, record, refuse

ASSIGNMENTS = Assignment.objects.select_related(
    "given_by_body__local_group",
    "meeting__body__local_group",
    "deviation",
    "assignee_user",
    "assignee_body__local_group",
    "created_by",
    "closed_by",
)
CHANGE = permissions.Action.CHANGE


def load(request, pk, reason):
    """The assignment, through the door: 404 unless the user may see it; logged."""
    return permissions.load(
        request, ASSIGNMENTS, "assignments.view_assignment", reason=reason, pk=pk
    )


# --- lists ------------------------------------------------------------------------------------
@permission_required("assignments.list_mine")
def mine(request):
    """Given to me, or to a body where I hold a seat today: open ones first."""
    body_ids = {m.body_id for m in standing(request.user).body_memberships}
    page = paginate(request, ASSIGNMENTS.given_to(request.user, body_ids).open_first())
    return render(request, "assignments/mine.html", {"page": page, "today": timezone.localdate()})


@login_required
def body_list(request, body_pk):
    """Given by the body (or at its meetings), or to it: for its members and the
    secretariat."""
    body = get_object_or_404(Body.objects.select_related("local_group"), pk=body_pk)
    if not allowed(request.user, "assignments.view_body", body):
        raise PermissionDenied
    page = paginate(request, ASSIGNMENTS.of_body(body).open_first())
    return render(
        request,
        "assignments/body.html",
        {
            "body": body,
            "page": page,
            "may_give": allowed(request.user, "assignments.give", Assignment(given_by_body=body)),
            "today": timezone.localdate(),
        },
    )


# --- giving -----------------------------------------------------------------------------------
def _draft(request, body_pk=None, deviation_pk=None) -> Assignment:
    """An unsaved assignment carrying its giver: the body (at one of its meetings with
    ``?mote=``), or the deviation report; 404 for one that does not exist."""
    if deviation_pk is not None:
        deviation = permissions.load(
            request,
            Deviation.objects.select_related("local_group"),
            "deviations.view_deviation",
            reason=gettext_lazy("Ge uppdrag utifrån avvikelse"),
            pk=deviation_pk,
        )
        return Assignment(deviation=deviation)
    body = get_object_or_404(Body.objects.select_related("local_group"), pk=body_pk)
    meeting = None
    if "mote" in request.GET:
        key = request.GET["mote"]
        meetings = Assignment._meta.get_field("meeting").related_model.objects
        if not could_be_key(meetings.model, None, key):
            raise Http404
        meeting = get_object_or_404(meetings, pk=key, body=body)
        meeting.body = body
    return Assignment(given_by_body=body, meeting=meeting)


def _back(draft) -> str:
    if draft.meeting is not None:
        return draft.meeting.get_absolute_url()
    if draft.deviation is not None:
        return draft.deviation.get_absolute_url()
    return reverse("assignments:body", args=[draft.given_by_body.pk])


@login_required
def give(request, body_pk=None, deviation_pk=None):
    """Give an assignment for a body (``organ/<pk>/nytt/``, at one of its meetings with
    ``?mote=<pk>``) or for a deviation report (``avvikelse/<pk>/nytt/``)."""
    draft = _draft(request, body_pk, deviation_pk)
    if not allowed(request.user, "assignments.give", draft):
        if draft.deviation is not None:
            refuse(request, draft.deviation, 403)
        raise PermissionDenied
    form = AssignmentForm(request.POST or None, instance=draft)
    if request.method == "POST" and form.is_valid():
        assignment = services.give(form.instance, request.user)
        record(request, assignment, reason=gettext_lazy("Gav uppdrag"), action=CHANGE)
        messages.success(request, _("Uppdraget är givet."))
        return redirect(assignment)
    return render(
        request,
        "assignments/form.html",
        {"form": form, "giver": draft.giver, "back": _back(draft)},
    )


# --- one assignment ---------------------------------------------------------------------------
def _detail(request, assignment, form=None):
    may_close = assignment.is_open and allowed(request.user, "assignments.close", assignment)
    if may_close and form is None:
        form = CloseForm(may_cancel=allowed(request.user, "assignments.cancel", assignment))
    return render(
        request,
        "assignments/detail.html",
        {
            "assignment": assignment,
            "close_form": form if may_close else None,
            "today": timezone.localdate(),
        },
    )


@login_required
def detail(request, pk):
    assignment = load(request, pk, gettext_lazy("Visade uppdrag"))
    mark_read(request.user, assignment)
    return _detail(request, assignment)


@login_required
def close(request, pk):
    """Mark the assignment done (or, for whoever gave it, cancelled), with a note (POST)."""
    assignment = load(request, pk, gettext_lazy("Avsluta uppdrag"))
    if request.method != "POST":
        return redirect(assignment)
    if not allowed(request.user, "assignments.close", assignment):
        refuse(request, assignment, 403)
    if not assignment.is_open:
        messages.error(request, _("Uppdraget är redan avslutat."))
        return redirect(assignment)
    form = CloseForm(
        request.POST, may_cancel=allowed(request.user, "assignments.cancel", assignment)
    )
    if not form.is_valid():
        return _detail(request, assignment, form)
    try:
        services.close(assignment, request.user, form.cleaned_data["closing_note"], form.status)
    except services.AssignmentError as refused:
        messages.error(request, str(refused))
        return redirect(assignment)
    record(request, assignment, reason=gettext_lazy("Avslutade uppdrag"), action=CHANGE)
    if form.status == Assignment.Status.CANCELLED:
        messages.success(request, _("Uppdraget är avbrutet."))
    else:
        messages.success(request, _("Uppdraget är markerat som klart."))
    return redirect(assignment)
