from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.organisations.models import Principal
from samverkan.organisations.standing import current_units
from samverkan.pagination import paginate_then_load
from samverkan.people.models import NAME_NEEDED, find_or_register, involve
from samverkan.permissions import (
    Action,
    access,
    allowed,
    load,
    permission_required,
    record,
    record_many,
    refuse,
)
from samverkan.sip import documents
from samverkan.sip.access import PlanAccess
from samverkan.sip.forms import (
    CloseForm,
    EstablishForm,
    FollowUpForm,
    InterventionForm,
    ParticipantForm,
    PlanCreateForm,
    PlanForm,
)
from samverkan.sip.models import (
    CONTENT_FIELDS,
    FollowUp,
    Intervention,
    InterventionOutcome,
    Participant,
    Plan,
    PlanVersion,
)
from samverkan.sip.versions import changes

RELATED = ("child__owning_unit", "initiating_unit__principal", "chair", "secretary",
           "overall_responsible")  # fmt: skip
PART_LABELS = {
    "needs": gettext_lazy("Behov, barnets och vårdnadshavarnas egna ord"),
    "goals": gettext_lazy("Mål"),
    "interventions": gettext_lazy("Insatser med ansvarig huvudman och verksamhet"),
    "others_do": gettext_lazy("Vad andra än kommun och region gör"),
    "overall": gettext_lazy("Huvudman med övergripande ansvar"),
    "follow_up": gettext_lazy("När och hur planen följs upp"),
}


PLANS = Plan.objects.select_related(*RELATED)


def load_plan(request, reference, perm, reason, action=Action.VIEW):
    """The plan, through the door: 404 unless the user may know it exists, 403 if ``perm``
    fails; logged either way."""
    return load(request, PLANS, perm, reason=reason, action=action, reference=reference)


# --- lists ------------------------------------------------------------------------------------
@permission_required("sip.list_plans")
def plan_list(request):
    units = current_units(request.user)
    view = request.GET.get("vy", "mina")
    status = request.GET.get("status", "")
    follow_up = request.GET.get("uppfoljning", "")
    principal = request.GET.get("huvudman", "")
    status = status if status in Plan.Status.values else ""
    follow_up = follow_up if follow_up in ("snart", "passerad") else ""
    principal = principal if principal.isdigit() else ""
    plans = Plan.objects.all()
    involved = None
    if view == "enhet":
        # One set of ids from three index-only lookups, not three joins OR-ed and
        # de-duplicated (which scans every plan).
        unit_ids = [u.pk for u in units]
        involved = (
            Plan.objects.filter(initiating_unit__in=unit_ids)
            .order_by()
            .values("pk")
            .union(
                Participant.objects.filter(unit__in=unit_ids).order_by().values("plan_id"),
                Intervention.objects.filter(unit__in=unit_ids).order_by().values("plan_id"),
            )
        )
        plans = plans.filter(pk__in=involved)
    else:
        view = "mina"
        plans = plans.filter(
            Q(chair=request.user) | Q(secretary=request.user) | Q(initiated_by=request.user)
        )
    if status:
        plans = plans.filter(status=status)
    if follow_up == "snart":
        plans = plans.follow_up_due()
    elif follow_up == "passerad":
        plans = plans.follow_up_overdue()
    if principal:
        plans = plans.filter(overall_responsible_id=int(principal))
    if involved is not None and not (status or follow_up or principal):
        # Unfiltered, the union itself is counted and paged, newest (highest id) first,
        # without reading a plan: a unit with thousands of plans costs a few index pages.
        ids = involved.order_by("-pk").values_list("pk", flat=True)
    else:
        ids = plans.order_by("-created_at", "-id").values_list("pk", flat=True)
    page = paginate_then_load(request, ids, PLANS)
    access(request.user, PlanAccess).prefetch(page.object_list)
    user = request.user
    rows = [
        {
            "plan": plan,
            "identity": allowed(user, "sip.view_plan_identity", plan),
            "content": allowed(user, "sip.view_plan_content", plan),
        }
        for plan in page.object_list
        if allowed(user, "sip.view_plan", plan)
    ]
    record_many(
        request,
        [row["plan"] for row in rows if row["content"]],
        reason=gettext_lazy("Listade SIP"),
    )
    record_many(
        request,
        [row["plan"] for row in rows if not row["content"]],
        reason=gettext_lazy("Listade SIP (utan innehåll)"),
    )
    return render(
        request,
        "sip/plan_list.html",
        {
            "page": page,
            "rows": rows,
            "view": view,
            "status": status,
            "follow_up": follow_up,
            "principal": principal,
            "statuses": Plan.Status.choices,
            # Names for the filter's ~300 options: no model instances.
            "principals": Principal.objects.exclude(kind="independent_school_owner").values_list(
                "pk", "name"
            ),
            "today": timezone.localdate(),
        },
    )


# --- a new plan -------------------------------------------------------------------------------
@permission_required("sip.create_plan")
def plan_create(request):
    units = current_units(request.user)
    form = PlanCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            child = find_or_register(
                data["personal_number"],
                reserve_number=data["reserve_number"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                unit=data["initiating_unit"],
                user=request.user,
            )
            if child is None:
                form.add_error("first_name", NAME_NEEDED)
                return render(request, "sip/plan_create.html", {"form": form})
            existing = (
                Plan.objects.filter(child=child, initiating_unit=data["initiating_unit"])
                .exclude(status=Plan.Status.CLOSED)
                .first()
            )
            if existing is not None:
                # One open plan per child and unit: lead to it instead of a silent copy.
                record(request, existing, reason=gettext_lazy("Hänvisades till befintlig SIP"))
                form.add_error(
                    None,
                    _("Din verksamhet har redan en öppen SIP för barnet: %(ref)s.")
                    % {"ref": existing.reference},
                )
                return render(request, "sip/plan_create.html", {"form": form, "existing": existing})
            plan = Plan.objects.create(
                child=child,
                initiating_unit=data["initiating_unit"],
                initiated_by=request.user,
                reason=data["reason"],
                chair=request.user,
                secretary=request.user,
            )
            involve(child, plan.initiating_unit, f"SIP {plan.reference}")
        record(request, plan, reason=gettext_lazy("Påbörjade SIP"), action=Action.CHANGE)
        messages.success(
            request,
            _(
                "Planen %(ref)s är påbörjad. Verksamheter hos andra huvudmän ser planens "
                "innehåll först när ett skriftligt samtycke för planen omfattar dem."
            )
            % {"ref": plan.reference},
        )
        return redirect(plan)
    return render(request, "sip/plan_create.html", {"form": form})


# --- the plan ---------------------------------------------------------------------------------
@login_required
def plan_detail(request, reference):
    user = request.user

    def reason(plan):
        if allowed(user, "sip.view_plan_content", plan):
            return gettext_lazy("Visade SIP")
        return gettext_lazy("Visade SIP:ens tid och plats (utan innehåll)")

    plan = load_plan(request, reference, "sip.view_plan", reason)
    content = allowed(user, "sip.view_plan_content", plan)
    parts = plan.parts()
    return render(
        request,
        "sip/plan_detail.html",
        {
            "plan": plan,
            "content": content,
            "identity": allowed(user, "sip.view_plan_identity", plan),
            "may_edit": allowed(user, "sip.edit_plan", plan),
            "may_add_consent": allowed(user, "consent.add_consent", plan),
            "tasks": [(name, PART_LABELS[name], state) for name, state in parts.items()],
            "missing": [PART_LABELS[name] for name in plan.missing_parts()],
            "uncovered": plan.uncovered_unit_ids(),
            "participants": plan.participants.select_related("unit__principal", "person"),
            "interventions": plan.interventions.select_related("unit__principal"),
            "follow_ups": plan.follow_ups.prefetch_related("outcomes__intervention"),
            "versions": plan.versions.select_related("created_by"),
            "consents": plan.consents()
            .select_related("recorded_by_unit__principal")
            .prefetch_related("units__principal")
            if content
            else [],
            "establish_form": EstablishForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
def plan_edit(request, reference):
    """Edit the content. A save based on an older version than the one stored is refused,
    with the other person's saved text shown next to yours: nothing is overwritten."""
    plan = load_plan(request, reference, "sip.edit_plan", gettext_lazy("Öppnade SIP för ändring"))
    form = PlanForm(request.POST or None, instance=plan, require_all="faststall" in request.POST)
    conflict = None
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            current = Plan.objects.select_for_update().get(pk=plan.pk)
            if current.edit_version != form.cleaned_data["edit_version"]:
                conflict = [
                    (form.fields[name].label, getattr(current, name), form.cleaned_data.get(name))
                    for name in form.Meta.fields
                    if getattr(current, name) != form.cleaned_data.get(name)
                ]
                form.data = form.data.copy()
                form.data["edit_version"] = current.edit_version
            else:
                plan = form.save(commit=False)
                plan.edit_version = current.edit_version + 1
                plan.save()
        if conflict is None:
            record(request, plan, reason=gettext_lazy("Ändrade SIP"), action=Action.CHANGE)
            if "faststall" in request.POST:
                version, problems = establish_plan(plan, request.user)
                if version is None:
                    messages.error(
                        request,
                        _("Planen är sparad men kan inte fastställas. Saknas: %(parts)s.")
                        % {"parts": ", ".join(problems)},
                    )
                else:
                    messages.success(
                        request, _("Version %(n)s är fastställd.") % {"n": version.number}
                    )
                return redirect(plan)
            messages.success(request, _("Planen är sparad."))
            return redirect(plan)
    return render(request, "sip/plan_form.html", {"form": form, "plan": plan, "conflict": conflict})


@login_required
def participant_add(request, reference):
    plan = load_plan(request, reference, "sip.edit_plan", gettext_lazy("Lägg till deltagare"))
    form = ParticipantForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.plan = plan
            participant = form.save()
            if participant.unit_id:
                involve(plan.child, participant.unit, f"SIP {plan.reference}")
        record(request, plan, reason=gettext_lazy("Lade till deltagare"), action=Action.CHANGE)
        messages.success(request, _("Deltagaren är tillagd."))
        if participant.unit_id and participant.unit_id in plan.uncovered_unit_ids():
            messages.warning(
                request,
                _(
                    "Samtycke saknas för %(unit)s: verksamheten ser bara planens nummer, tid "
                    "och plats tills ett skriftligt samtycke för planen omfattar den."
                )
                % {"unit": participant.unit},
            )
        return redirect(plan)
    return render(request, "sip/participant_form.html", {"form": form, "plan": plan})


@login_required
def intervention_edit(request, reference, pk=None):
    plan = load_plan(request, reference, "sip.edit_plan", gettext_lazy("Ändra insats"))
    intervention = get_object_or_404(plan.interventions, pk=pk) if pk else None
    form = InterventionForm(request.POST or None, instance=intervention, plan=plan)
    if request.method == "POST" and form.is_valid():
        form.instance.plan = plan
        form.save()
        record(request, plan, reason=gettext_lazy("Sparade insats"), action=Action.CHANGE)
        messages.success(request, _("Insatsen är sparad."))
        return redirect(plan)
    return render(
        request,
        "sip/intervention_form.html",
        {"form": form, "plan": plan, "intervention": intervention},
    )


def establish_plan(plan, user, note=""):
    """Establish the plan, or a revision of it: a new version kept as it is.
    Returns (version, problems); version is None when something required is missing."""
    problems = [str(PART_LABELS[name]) for name in plan.missing_parts()]
    if plan.meeting_on is None:
        problems.append(_("SIP-mötets datum"))
    if plan.uncovered_unit_ids():
        problems.append(_("samtycke som omfattar alla deltagande verksamheter"))
    if problems:
        return None, problems
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        last = plan.versions.order_by("-number").first()
        content = plan.snapshot()
        if last and last.content == content:
            return last, []
        version = PlanVersion.objects.create(
            plan=plan,
            number=(last.number + 1) if last else 1,
            content=content,
            note=note or (_("Fastställd") if not last else _("Reviderad")),
            created_by=user,
        )
        plan.status = Plan.Status.ESTABLISHED
        plan.established_at = plan.established_at or timezone.now()
        plan.save(update_fields=["status", "established_at"])
    return version, []


@login_required
def establish(request, reference):
    plan = load_plan(request, reference, "sip.edit_plan", gettext_lazy("Fastställ SIP"))
    if request.method != "POST":
        return redirect(plan)
    form = EstablishForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    version, problems = establish_plan(plan, request.user, note)
    if version is None:
        messages.error(
            request,
            _("Planen kan inte fastställas. Saknas: %(parts)s.") % {"parts": ", ".join(problems)},
        )
        return redirect(plan)
    record(request, plan, reason=gettext_lazy("Fastställde SIP"), action=Action.CHANGE)
    messages.success(request, _("Version %(n)s är fastställd.") % {"n": version.number})
    return redirect(plan)


@login_required
def version_detail(request, reference, number):
    plan = load_plan(
        request, reference, "sip.view_plan_content", gettext_lazy("Läste version av SIP")
    )
    version = get_object_or_404(plan.versions.select_related("created_by"), number=number)
    previous = plan.versions.filter(number__lt=number).order_by("-number").first()
    return render(
        request,
        "sip/version_detail.html",
        {
            "plan": plan,
            "version": version,
            "previous": previous,
            "changes": changes(previous.content if previous else {}, version.content),
            "fields": CONTENT_FIELDS,
        },
    )


@login_required
def follow_up(request, reference):
    plan = load_plan(request, reference, "sip.edit_plan", gettext_lazy("Följ upp SIP"))
    if plan.status != Plan.Status.ESTABLISHED:
        messages.error(request, _("Bara en fastställd plan följs upp."))
        return redirect(plan)
    form = FollowUpForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            held = FollowUp.objects.create(
                plan=plan, held_on=data["held_on"], notes=data["notes"],
                next_on=data["next_on"], by=request.user,
            )  # fmt: skip
            for intervention in form.interventions:
                status = data[f"status_{intervention.pk}"]
                InterventionOutcome.objects.create(
                    follow_up=held, intervention=intervention, status=status,
                    note=data[f"note_{intervention.pk}"],
                )  # fmt: skip
                Intervention.objects.filter(pk=intervention.pk).update(status=status)
            plan.next_follow_up_on = data["next_on"]
            # A content change: an edit form opened before this must not overwrite the date.
            plan.edit_version = F("edit_version") + 1
            plan.save(update_fields=["next_follow_up_on", "edit_version", "updated_at"])
        record(request, plan, reason=gettext_lazy("Följde upp SIP"), action=Action.CHANGE)
        messages.success(request, _("Uppföljningen är registrerad."))
        return redirect(plan)
    return render(request, "sip/follow_up_form.html", {"form": form, "plan": plan})


@login_required
def close(request, reference):
    """Close a plan that is no longer needed: kept and readable, no longer worked on. Then
    the unit may start a new plan for the child."""
    plan = load_plan(request, reference, "sip.edit_plan", gettext_lazy("Avsluta SIP"))
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            Plan.objects.filter(pk=plan.pk).exclude(status=Plan.Status.CLOSED).update(
                status=Plan.Status.CLOSED,
                closed_at=timezone.now(),
                closing_note=form.cleaned_data["note"],
                edit_version=F("edit_version") + 1,
            )
        record(request, plan, reason=gettext_lazy("Avslutade SIP"), action=Action.CHANGE)
        messages.success(request, _("Planen är avslutad."))
        return redirect(plan)
    return render(request, "sip/close_form.html", {"form": form, "plan": plan})


# --- documents --------------------------------------------------------------------------------
@login_required
def invitation(request, reference):
    plan = load_plan(
        request,
        reference,
        "sip.view_plan",
        gettext_lazy("Hämtade kallelse (.ics, utan barnets identitet)"),
        Action.EXPORT,
    )
    if plan.meeting_on is None:
        refuse(request, plan, 404)
    response = HttpResponse(documents.invitation_ics(request, plan), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{plan.reference}.ics"'
    return response


@login_required
def family_view(request, reference):
    """The established plan in plain language, for the family: print view."""
    plan = load_plan(
        request,
        reference,
        "sip.view_plan_content",
        gettext_lazy("Skrev ut SIP för familjen"),
        Action.EXPORT,
    )
    version = plan.versions.order_by("-number").first()
    if version is None:
        refuse(request, plan, 404)
    identity = allowed(request.user, "sip.view_plan_identity", plan)
    return render(request, "sip/family.html", documents.family_context(plan, version, identity))


@login_required
def family_pdf(request, reference):
    plan = load_plan(
        request,
        reference,
        "sip.view_plan_content",
        gettext_lazy("Hämtade SIP som PDF"),
        Action.EXPORT,
    )
    version = plan.versions.order_by("-number").first()
    if version is None:
        refuse(request, plan, 404)
    identity = allowed(request.user, "sip.view_plan_identity", plan)
    pdf = documents.family_pdf(request, plan, version, identity)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{plan.reference}.pdf"'
    return response
