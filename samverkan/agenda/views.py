from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.agenda import decide
from samverkan.agenda.forms import DecisionForm, PutOnForm
from samverkan.agenda.inbox import INBOX_KINDS, waiting_for
from samverkan.agenda.models import AgendaItem
from samverkan.forum.access import CaseAccess
from samverkan.organisations.models import Body
from samverkan.permissions import access, allowed


def _body(request, pk, perm):
    body = get_object_or_404(Body, pk=pk, kind__in=INBOX_KINDS)
    if not allowed(request.user, perm, body):
        raise PermissionDenied
    return body


@login_required
def inbox(request, pk):
    """What waits for a steering group's or BUSSAM's decision: forum cases lifted with their
    principled question and principled deviation reports, the longest waiting first, each
    with the meeting it is on. It names references and questions (which carry no
    identity), never a child."""
    body = _body(request, pk, "governance.view_inbox")
    cases, reports = waiting_for(body)
    cases = list(cases.select_related("raised_by_unit"))  # the readers are asked about it
    reports = list(reports.select_related("category"))
    today = timezone.localdate()
    placed = {
        (item.forum_case_id, item.deviation_id): item
        for item in AgendaItem.objects.filter(
            meeting__body=body, decided_at__isnull=True
        ).select_related("meeting")
    }
    for item in cases + reports:
        since = timezone.localdate(item.waiting_since) if item.waiting_since else None
        item.days_waiting = (today - since).days if since else None
        item.overdue = since is not None and item.days_waiting > settings.INBOX_OVERDUE_DAYS
    for case in cases:
        case.agenda_item = placed.get((case.pk, None))
    for report in reports:
        report.agenda_item = placed.get((None, report.pk))
    may_place = allowed(request.user, "governance.manage_meetings", body)
    access(request.user, CaseAccess).prefetch(cases)  # who may read each question, at once
    return render(
        request,
        "agenda/inbox.html",
        {
            "body": body,
            "cases": cases,
            "reports": reports,
            "overdue_days": settings.INBOX_OVERDUE_DAYS,
            "may_place": may_place,
            # The planned meetings, read once for every row's choice.
            "meetings": list(decide.planned_meetings(body)) if may_place else [],
        },
    )


@login_required
def put_on(request, pk):
    """Put a waiting question on one of the body's planned meetings (POST)."""
    body = _body(request, pk, "governance.manage_meetings")
    if request.method != "POST":
        return redirect("agenda:inbox", body.pk)
    form = PutOnForm(request.POST, body=body)
    try:
        question = decide.waiting_question(
            body, request.POST.get("kind", ""), _int(request.POST.get("question"))
        )
        if not form.is_valid():
            raise decide.AgendaError(" ".join(form.errors["meeting"]))
        item = decide.put_on(form.cleaned_data["meeting"], question, request.user)
    except decide.AgendaError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("%(ref)s står på dagordningen för mötet %(date)s.")
            % {"ref": item.question_reference, "date": item.meeting.held_on.isoformat()},
        )
    return redirect("agenda:inbox", body.pk)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
def decision(request, pk):
    """Record the decision the meeting took on a question; it is written back to the case
    or the report and moves it on."""
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__body", "forum_case", "deviation"), pk=pk
    )
    body = _body(request, item.meeting.body_id, "governance.manage_meetings")
    if item.is_decided:
        messages.info(request, _("Frågan är redan avgjord."))
        return redirect("agenda:inbox", body.pk)
    form = DecisionForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            decide.decide(
                item, request.user, form.cleaned_data["decision"], form.cleaned_data["outcome"]
            )
        except decide.AgendaError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Beslutet i %(ref)s är registrerat.") % {"ref": item.question_reference},
            )
            return redirect("agenda:inbox", body.pk)
    return render(request, "agenda/decision.html", {"form": form, "item": item, "body": body})
