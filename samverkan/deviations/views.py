from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan import permissions
from samverkan.deviations import ladder
from samverkan.deviations.access import for_user
from samverkan.deviations.forms import ActionForm, DeviationForm, StepForm
from samverkan.deviations.models import Action, Deviation
from samverkan.forum.forms import RaiseCaseForm
from samverkan.forum.services import raise_case
from samverkan.identity import identity_errors
from samverkan.notifications.models import Notification
from samverkan.notifications.service import mark_read
from samverkan.organisations.standing import current_units
from samverkan.pagination import paginate_then_load
from samverkan.permissions import allowed, permission_required, record, refuse

RELATED = ("reporting_unit__principal", "local_group", "category", "reporter", "forum_case")
DEVIATIONS = Deviation.objects.select_related(*RELATED)
CHANGE = permissions.Action.CHANGE


def load(request, pk, reason, perm="deviations.view_deviation"):
    """The report, through the door: 404 unless the user may know of it; logged."""
    return permissions.load(request, DEVIATIONS, perm, reason=reason, pk=pk)


# --- lists ------------------------------------------------------------------------------------
OtherUnits = Deviation.other_units.through


@permission_required("deviations.report")
def deviation_list(request):
    units = current_units(request.user)
    access = for_user(request.user)
    view = request.GET.get("vy", "mina")
    # The ids from indexed lookups, united (not joins OR-ed and de-duplicated); then the page.
    reports = Deviation.objects.order_by()
    involved = OtherUnits.objects.order_by()
    if view == "hantera":
        managing = [Deviation.Step.SUPERVISORS, Deviation.Step.FORUM]
        ids = (
            reports.filter(reporting_unit__in=access.managed_ids, step__in=managing)
            .values("pk")
            .union(
                involved.filter(unit__in=access.managed_ids, deviation__step__in=managing).values(
                    "deviation_id"
                )
            )
        )
    else:
        view = "mina"
        sent = ~Q(step=Deviation.Step.DRAFT)
        ids = (
            reports.filter(reporter=request.user)
            .values("pk")
            .union(
                reports.filter(sent, reporting_unit__in=units).values("pk"),
                involved.filter(unit__in=units)
                .exclude(deviation__step=Deviation.Step.DRAFT)
                .values("deviation_id"),
            )
        )
    ordered = Deviation.objects.filter(pk__in=ids).order_by("-created_at", "-id")
    page = paginate_then_load(
        request, ordered.values_list("pk", flat=True), Deviation.objects.select_related(*RELATED)
    )
    notices = Notification.objects.filter(
        user=request.user, read_at__isnull=True, about__startswith="deviations.deviation:"
    )
    return render(
        request,
        "deviations/list.html",
        {"page": page, "view": view, "notices": notices},
    )


# --- writing a report -------------------------------------------------------------------------
@permission_required("deviations.report")
def report(request, pk=None):
    units = current_units(request.user)
    deviation = None
    if pk is not None:
        deviation = load(request, pk, gettext_lazy("Ändra utkast"), "deviations.edit_draft")
    form = DeviationForm(request.POST or None, instance=deviation, units=units)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.reporter = request.user
            deviation = form.save()
        if "granska" in request.POST:
            return redirect("deviations:check", deviation.pk)
        messages.success(request, _("Utkastet är sparat. Du kan fortsätta senare."))
        return redirect("deviations:list")
    return render(request, "deviations/form.html", {"form": form, "deviation": deviation})


@permission_required("deviations.report")
def check(request, pk):
    """Check your answers, then send."""
    deviation = load(request, pk, gettext_lazy("Granska och skicka"), "deviations.edit_draft")
    if request.method == "POST":
        # The text was checked when saved; check again in case the rules changed since.
        problems = [
            message
            for name in DeviationForm.identity_fields
            for message in identity_errors(getattr(deviation, name))
        ]
        if problems:
            messages.error(request, problems[0])
            return redirect("deviations:edit", deviation.pk)
        ladder.submit(deviation, request.user)
        record(request, deviation, reason=gettext_lazy("Skickade avvikelse"), action=CHANGE)
        return redirect("deviations:sent", deviation.pk)
    return render(request, "deviations/check.html", {"deviation": deviation})


@permission_required("deviations.report")
def sent(request, pk):
    deviation = load(request, pk, gettext_lazy("Visade kvittens"))
    if deviation.reporter_id != request.user.pk or deviation.step == Deviation.Step.DRAFT:
        refuse(request, deviation, 403)
    return render(request, "deviations/sent.html", {"deviation": deviation})


# --- the report and its ladder ----------------------------------------------------------------
@login_required
def detail(request, pk):
    deviation = load(request, pk, gettext_lazy("Visade avvikelse"))
    if deviation.step == Deviation.Step.DRAFT:
        return redirect("deviations:edit", deviation.pk)
    is_supervisor = allowed(request.user, "deviations.supervise", deviation)
    mark_read(request.user, deviation)
    steps = ladder.next_steps(deviation, request.user)
    return render(
        request,
        "deviations/detail.html",
        {
            "deviation": deviation,
            "shows_reporter": allowed(request.user, "deviations.view_reporter", deviation),
            "events": deviation.events.select_related("by"),
            "actions": deviation.actions.select_related("owner"),
            "step_form": StepForm(steps=steps) if steps else None,
            "action_form": ActionForm(deviation=deviation)
            if deviation.is_open and (is_supervisor or steps)
            else None,
            "other_units": deviation.other_units.select_related("principal"),
            "other_principals": deviation.other_principals.all(),
            "today": timezone.localdate(),
        },
    )


@login_required
def step(request, pk):
    deviation = load(request, pk, gettext_lazy("Flytta avvikelse"))
    steps = ladder.next_steps(deviation, request.user)
    if request.method != "POST":
        return redirect(deviation)
    form = StepForm(request.POST, steps=steps)
    if not steps:
        # An attempt out of order or by the wrong role: say why, change nothing.
        to_step = request.POST.get("to_step", "")
        try:
            ladder.check_move(deviation, to_step, request.user)
        except (ladder.LadderError, ValueError) as error:
            messages.error(request, str(error))
            return redirect(deviation)
        refuse(request, deviation, 403)
    if form.is_valid():
        to_step = form.cleaned_data["to_step"]
        if to_step == Deviation.Step.FORUM:
            request.session[f"deviation-{deviation.pk}-note"] = form.cleaned_data["note"]
            return redirect("deviations:to_forum", deviation.pk)
        fields = {}
        if to_step == Deviation.Step.STEERING:
            fields["principled_question"] = form.cleaned_data["principled_question"]
        try:
            ladder.move(deviation, to_step, request.user, form.cleaned_data["note"], **fields)
        except ladder.LadderError as error:
            form.add_error(None, str(error))
        else:
            record(request, deviation, reason=gettext_lazy("Flyttade avvikelse"), action=CHANGE)
            messages.success(request, _("Rapporten har gått vidare."))
            return redirect(deviation)
    return render(
        request,
        "deviations/step_form.html",
        {"deviation": deviation, "form": form},
    )


@login_required
def to_forum(request, pk):
    """Lift to the individforum: raise a linked case. The case, not the report, carries
    the child's identity."""
    deviation = load(request, pk, gettext_lazy("Lyft avvikelse till individforum"))
    try:
        ladder.check_move(deviation, Deviation.Step.FORUM, request.user)
    except ladder.LadderError as error:
        messages.error(request, str(error))
        return redirect(deviation)
    units = current_units(request.user)
    form = RaiseCaseForm(
        request.POST or None,
        units=units,
        initial={"reason": deviation.what_happened, "local_group": deviation.local_group_id},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            case = raise_case(form, request.user)
            if case is not None:
                note = request.session.pop(f"deviation-{deviation.pk}-note", "") or _(
                    "Lyft till individforum %(ref)s"
                ) % {"ref": case.reference}
                ladder.move(deviation, Deviation.Step.FORUM, request.user, note, forum_case=case)
        if case is not None:
            record(
                request, deviation, reason=gettext_lazy("Lyfte till individforum"), action=CHANGE
            )
            record(request, case, reason=gettext_lazy("Anmälde ärende"), action=CHANGE)
            messages.success(
                request,
                _("Ärendet %(ref)s är anmält till individforum och kopplat till rapporten.")
                % {"ref": case.reference},
            )
            return redirect(case)
    return render(request, "deviations/to_forum.html", {"form": form, "deviation": deviation})


# --- actions ----------------------------------------------------------------------------------
@login_required
def add_action(request, pk):
    deviation = load(request, pk, gettext_lazy("Lägg till åtgärd"))
    if not deviation.is_open or not (
        allowed(request.user, "deviations.supervise", deviation)
        or ladder.next_steps(deviation, request.user)
    ):
        refuse(request, deviation, 403)
    form = ActionForm(request.POST or None, deviation=deviation)
    if request.method == "POST" and form.is_valid():
        form.instance.deviation = deviation
        form.instance.step = deviation.step
        form.instance.created_by = request.user
        form.save()
        record(request, deviation, reason=gettext_lazy("Lade till åtgärd"), action=CHANGE)
        messages.success(request, _("Åtgärden är sparad."))
        return redirect(deviation)
    return render(request, "deviations/action_form.html", {"form": form, "deviation": deviation})


@login_required
def finish_action(request, pk):
    action = get_object_or_404(Action.objects.select_related("deviation"), pk=pk)
    deviation = load(request, action.deviation_id, gettext_lazy("Markera åtgärd som klar"))
    if request.method != "POST":
        return redirect(deviation)
    if action.owner_id not in for_user(request.user).unit_ids and not allowed(
        request.user, "deviations.supervise", deviation
    ):
        refuse(request, deviation, 403)
    action.status = Action.Status.DONE
    action.done_at = timezone.now()
    action.save(update_fields=["status", "done_at"])
    record(request, deviation, reason=gettext_lazy("Markerade åtgärd som klar"), action=CHANGE)
    messages.success(request, _("Åtgärden är markerad som klar."))
    return redirect(deviation)
