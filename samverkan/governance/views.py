import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan import calendar
from samverkan.governance import cadence
from samverkan.governance.forms import (
    ActionItemForm,
    DecisionForm,
    MeetingForm,
    RotationYearForm,
)
from samverkan.governance.models import ConvenerRotation, Meeting, RotationTurn
from samverkan.organisations.models import Body
from samverkan.pagination import paginate
from samverkan.permissions import allowed, permission_required, record


@permission_required("organisations.view_directory")
def overview(request):
    """The county at a glance: which bodies met as their cadence requires, this period and
    the one before, and who convenes the rotating bodies this year and the next."""
    context = cadence.overview()
    year = context["on"].year
    context["rotations"] = [
        (rotation, rotation.convener_for(year), rotation.convener_for(year + 1))
        for rotation in ConvenerRotation.objects.select_related(
            "body__local_group"
        ).prefetch_related(_turns())
    ]
    context["this_year"] = year
    return render(request, "governance/overview.html", context)


def _turns():
    return Prefetch("turns", queryset=RotationTurn.objects.select_related("principal"))


@permission_required("organisations.view_directory")
def rotation(request, body_pk):
    """Who convenes a rotating body in a given year (``?ar=2031``, this year by default),
    with the rotation's turns for the years that follow."""
    rotation = get_object_or_404(
        ConvenerRotation.objects.select_related("body__local_group").prefetch_related(_turns()),
        body_id=body_pk,
    )
    form = RotationYearForm(rotation, request.GET or None)
    year = form.year()
    turns = list(rotation.turns.all())
    return render(
        request,
        "governance/rotation.html",
        {
            "rotation": rotation,
            "body": rotation.body,
            "form": form,
            "year": year,
            "convener": rotation.convener_for(year) if year is not None else None,
            "years": rotation.years(year, len(turns)) if year is not None else [],
            "turns": turns,
        },
    )


@permission_required("organisations.view_directory")
def meetings(request, body_pk):
    body = get_object_or_404(Body.objects.select_related("local_group"), pk=body_pk)
    page = paginate(request, body.meetings.order_by("-held_on"))
    return render(
        request,
        "governance/meetings.html",
        {
            "body": body,
            "page": page,
            "may_manage": allowed(request.user, "governance.manage_meetings", body),
            "today": timezone.localdate(),
        },
    )


def _meeting_for_manager(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body__local_group"), pk=pk)
    if not allowed(request.user, "governance.manage_meetings", meeting.body):
        raise PermissionDenied
    return meeting


@login_required
def meeting_form(request, body_pk=None, pk=None):
    if pk is not None:
        meeting = _meeting_for_manager(request, pk)
        body = meeting.body
    else:
        meeting = None
        body = get_object_or_404(Body.objects.select_related("local_group"), pk=body_pk)
        if not allowed(request.user, "governance.manage_meetings", body):
            raise PermissionDenied
    form = MeetingForm(request.POST or None, instance=meeting, body=body)
    if request.method == "POST" and form.is_valid():
        form.instance.body = body
        form.instance.created_by_id = form.instance.created_by_id or request.user.pk
        if form.cleaned_data["minutes"] and not form.instance.minutes_recorded_at:
            form.instance.minutes_recorded_at = timezone.now()
        meeting = form.save()
        record(request, meeting, reason=gettext_lazy("Sparade möte"), action="change")
        # One message: saved, and which term or year it counts for (a warning for a date
        # between the terms, which counts for none).
        saved = f"{_('Mötet är sparat.')} {cadence.counts_for(body, meeting.held_on)}".strip()
        if cadence.between_terms(body, meeting.held_on):
            messages.warning(request, saved)
        else:
            messages.success(request, saved)
        return redirect(meeting)
    held_on = meeting.held_on if meeting else None
    if form.is_bound and not form.has_error("held_on"):
        held_on = form.cleaned_data.get("held_on", held_on)
    return render(
        request,
        "governance/meeting_form.html",
        {
            "form": form,
            "body": body,
            "meeting": meeting,
            "counts_for": cadence.counts_for(body, held_on) if held_on else "",
            "between_terms": bool(held_on) and cadence.between_terms(body, held_on),
        },
    )


@permission_required("organisations.view_directory")
def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body__local_group"), pk=pk)
    may_manage = allowed(request.user, "governance.manage_meetings", meeting.body)
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "decisions": meeting.decisions.all(),
            "action_items": meeting.action_items.all(),
            "may_manage": may_manage,
            "counts_for": cadence.counts_for(meeting.body, meeting.held_on),
            "between_terms": cadence.between_terms(meeting.body, meeting.held_on),
            "decision_form": DecisionForm() if may_manage else None,
            "action_form": ActionItemForm() if may_manage else None,
            "today": timezone.localdate(),
        },
    )


@login_required
def add_decision(request, pk):
    meeting = _meeting_for_manager(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.meeting = meeting
        form.save()
        messages.success(request, _("Beslutet är sparat."))
        return redirect(meeting)
    return render(
        request,
        "governance/item_form.html",
        {"form": form, "meeting": meeting, "heading": _("Nytt beslut")},
    )


@login_required
def add_action_item(request, pk):
    meeting = _meeting_for_manager(request, pk)
    form = ActionItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.meeting = meeting
        form.save()
        messages.success(request, _("Åtgärdspunkten är sparad."))
        return redirect(meeting)
    return render(
        request,
        "governance/item_form.html",
        {"form": form, "meeting": meeting, "heading": _("Ny åtgärdspunkt")},
    )


@permission_required("organisations.view_directory")
def meeting_ics(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body__local_group"), pk=pk)
    ics = calendar.invitation(
        uid=f"meeting-{meeting.pk}@{request.get_host()}",
        start=meeting.start(),
        length=datetime.timedelta(hours=2),
        summary=str(meeting.body),
        location=meeting.place,
        description=request.build_absolute_uri(meeting.get_absolute_url()),
    )
    response = HttpResponse(ics, content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="mote-{meeting.pk}.ics"'
    return response
