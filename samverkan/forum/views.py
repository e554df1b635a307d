from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.consent.models import Consent
from samverkan.forum import documents, services
from samverkan.forum import notify as forum_notify
from samverkan.forum.access import CaseAccess
from samverkan.forum.forms import (
    CaseFilterForm,
    CaseWorkerForm,
    ConveneForm,
    CorrectionForm,
    OutcomeForm,
    ProtocolForm,
    RaiseCaseForm,
    SignForm,
    SteeringDecisionForm,
    booking_as_seen,
    protocol_formsets,
)
from samverkan.forum.models import CONVENE_WITHIN, ForumCase, Invitee, Protocol
from samverkan.organisations.models import LocalGroup, Membership, Unit, UnitMembership
from samverkan.organisations.standing import current_units
from samverkan.pagination import paginate
from samverkan.people.models import involve
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
from samverkan.sorting import Swedish

CASE_RELATED = ("child__owning_unit", "raised_by_unit__principal", "local_group", "convener")
CASES = ForumCase.objects.select_related(*CASE_RELATED)


def load_case(request, reference, perm, reason, action=Action.VIEW):
    """The case, through the door: 404 unless the user may know it exists, 403 if ``perm``
    fails; logged either way."""
    return load(request, CASES, perm, reason=reason, action=action, reference=reference)


def change_status(case, status, user, note=""):
    case.change_status(status, user, note)


def party_units(case):
    unit_ids = {case.raised_by_unit_id, *case.invitees.values_list("unit_id", flat=True)}
    return Unit.objects.filter(pk__in=unit_ids).order_by(Swedish("name"))


def meeting_units(case):
    """The parties and the convener's units: who can be present at the meeting, and be
    made responsible for its decisions. The convener leads the meeting and is listed among
    those present even when their unit is not a party to the case."""
    convener_units = current_units(case.convener) if case.convener_id else []
    unit_ids = {
        case.raised_by_unit_id,
        *case.invitees.values_list("unit_id", flat=True),
        *(unit.pk for unit in convener_units),
    }
    return Unit.objects.filter(pk__in=unit_ids).order_by(Swedish("name"))


# --- lists ------------------------------------------------------------------------------------
def my_groups(user):
    seats = Membership.objects.current().filter(user=user)
    return LocalGroup.objects.filter(bodies__memberships__in=seats).distinct()


@permission_required("forum.list_cases")
def case_list(request):
    groups = my_groups(request.user)
    form = CaseFilterForm(request.GET or None, groups=groups)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    view = data.get("vy") or "enhet"
    units = current_units(request.user)
    cases = ForumCase.objects.select_related(*CASE_RELATED)
    if view == "sammankallar":
        cases = cases.filter(convener=request.user)
    elif view == "grupp":
        group = data.get("grupp") or groups.first()
        cases = cases.filter(local_group=group) if group else cases.none()
    else:
        involved = (
            ForumCase.objects.filter(raised_by_unit__in=units)
            .order_by()
            .values("pk")
            .union(Invitee.objects.filter(unit__in=units).order_by().values("case_id"))
        )
        cases = cases.filter(pk__in=involved)
    if form.is_bound and not form.is_valid():
        cases = cases.none()
    if data.get("status"):
        cases = cases.filter(status=data["status"])
    if data.get("forsenade"):
        cases = cases.overdue()
    if data.get("fran"):
        cases = cases.filter(raised_on__gte=data["fran"])
    if data.get("till"):
        cases = cases.filter(raised_on__lte=data["till"])
    page = paginate(request, cases)
    access(request.user, CaseAccess).prefetch(page.object_list)
    user = request.user
    rows = [
        {
            "case": case,
            "identity": allowed(user, "forum.view_case_identity", case),
            "content": allowed(user, "forum.view_case_content", case),
        }
        for case in page.object_list
        if allowed(user, "forum.view_case", case)
    ]
    # A list is a view of every case it shows (each entry names the child).
    record_many(
        request,
        [row["case"] for row in rows if row["content"]],
        reason=gettext_lazy("Listade individforumärenden"),
    )
    record_many(
        request,
        [row["case"] for row in rows if not row["content"]],
        reason=gettext_lazy("Listade individforumärenden (utan innehåll)"),
    )
    return render(
        request,
        "forum/case_list.html",
        {"form": form, "page": page, "rows": rows, "view": view, "today": timezone.localdate()},
    )


# --- raising a case ---------------------------------------------------------------------------
@permission_required("forum.raise_case")
def raise_case(request):
    units = current_units(request.user)
    form = RaiseCaseForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        case = services.raise_case(form, request.user)
        if case is None:
            return render(request, "forum/raise_case.html", {"form": form})
        record(request, case, reason=gettext_lazy("Anmälde ärende"), action=Action.CHANGE)
        if case.deadline < timezone.localdate():
            # Noticed more than two weeks ago: say so now, not only in the reminder.
            messages.warning(
                request,
                _(
                    "Ärendet %(ref)s är anmält, men tidsgränsen på %(days)s dagar har redan "
                    "passerats: behovet uppmärksammades %(noticed)s, och forumet skulle ha "
                    "sammanträtt senast %(date)s. Sammankalla forumet så snart som möjligt."
                )
                % {
                    "ref": case.reference,
                    "days": CONVENE_WITHIN.days,
                    "noticed": case.noticed_on.isoformat(),
                    "date": case.deadline.isoformat(),
                },
            )
        else:
            messages.success(
                request,
                _("Ärendet %(ref)s är anmält. Forumet ska sammanträda senast %(date)s.")
                % {"ref": case.reference, "date": case.deadline.isoformat()},
            )
        return redirect(case)
    return render(request, "forum/raise_case.html", {"form": form})


# --- the case ---------------------------------------------------------------------------------
def _detail_reason(request):
    def reason(case):
        if allowed(request.user, "forum.view_case_content", case):
            return gettext_lazy("Visade ärendet")
        return gettext_lazy("Visade ärendets tid och plats (utan innehåll)")

    return reason


@login_required
def case_detail(request, reference):
    case = load_case(request, reference, "forum.view_case", _detail_reason(request))
    user = request.user
    content = allowed(user, "forum.view_case_content", case)
    context = {
        "case": case,
        "content": content,
        "identity": allowed(user, "forum.view_case_identity", case),
        "question": allowed(user, "forum.view_question", case),
        "may_manage": allowed(user, "forum.manage_case", case),
        "may_write_protocol": allowed(user, "forum.write_protocol", case),
        "may_sign": allowed(user, "forum.sign_protocol", case),
        "may_decide": allowed(user, "forum.decide_case", case)
        and case.status == ForumCase.Status.LIFTED,
        "may_add_consent": allowed(user, "consent.add_consent", case),
        "today": timezone.localdate(),
    }
    if content:
        invitees = list(case.invitees.select_related("unit__principal", "person"))
        parties = {invitee.unit for invitee in invitees}
        if case.convener_id:
            parties.update(current_units(case.convener))
        context.update(
            invitees=invitees,
            lacking_consent=sorted(
                access(user, CaseAccess).lacks_consent(case, parties), key=lambda u: u.name
            ),
            protocols=case.protocols.select_related("signed_by"),
            history=case.history.select_related("by"),
            consents=Consent.objects.for_purpose(case)
            .select_related("recorded_by_unit__principal")
            .prefetch_related("units__principal"),
        )
    return render(request, "forum/case_detail.html", context)


@login_required
def convene(request, reference):
    case = load_case(request, reference, "forum.manage_case", gettext_lazy("Sammankalla forum"))
    if not case.is_open:
        messages.info(request, _("Ärendet är avslutat och kan inte längre sammankallas."))
        return redirect(case)
    form = ConveneForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            current = ForumCase.objects.select_for_update().get(pk=case.pk)
            if booking_as_seen(current) != form.cleaned_data["seen"]:
                messages.error(
                    request,
                    _(
                        "Någon annan ändrade bokningen medan du fyllde i formuläret. Här är "
                        "bokningen som den är nu; ändra och spara igen om den ska vara en annan."
                    ),
                )
                return redirect("forum:convene", current.reference)
            case = form.save()
            chosen = set(form.cleaned_data["invited_units"])
            case.invitees.filter(role=Invitee.Role.MANAGER).exclude(unit__in=chosen).delete()
            for unit in chosen | {case.raised_by_unit}:
                invite_managers(case, unit)
                involve(case.child, unit, f"Individforum {case.reference}")
            for unit in current_units(case.convener):
                involve(case.child, unit, f"Sammankallande, individforum {case.reference}")
            if case.status == ForumCase.Status.RAISED:
                change_status(case, ForumCase.Status.CONVENED, request.user, _("Möte bokat"))
            else:  # moved: the invitation again (forum/notify.py sends the first)
                forum_notify.send_invitation(case)
        record(request, case, reason=gettext_lazy("Sammankallade forum"), action=Action.CHANGE)
        messages.success(
            request,
            _(
                "Mötet är bokat. De kallade cheferna får kallelsen i Samverkan och med e-post, "
                "med kalenderfilen bifogad. Du kan också ladda ner den."
            ),
        )
        return redirect(case)
    return render(request, "forum/convene.html", {"form": form, "case": case})


def invite_managers(case, unit):
    managers = (
        UnitMembership.objects.current()
        .filter(unit=unit, role=UnitMembership.Role.MANAGER)
        .select_related("user")
    )
    people = [m.user for m in managers] or [None]
    for person in people:
        Invitee.objects.get_or_create(
            case=case, unit=unit, person=person, defaults={"role": Invitee.Role.MANAGER}
        )


@login_required
def case_workers(request, reference):
    case = load_case(request, reference, "forum.manage_case", gettext_lazy("Kalla handläggare"))
    form = CaseWorkerForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["case_workers"]
        with transaction.atomic():
            case.invitees.filter(role=Invitee.Role.CASE_WORKER).exclude(person__in=chosen).delete()
            parties = set(party_units(case))
            for person in chosen:
                unit = next(u for u in current_units(person) if u in parties)
                Invitee.objects.get_or_create(
                    case=case, unit=unit, person=person, defaults={"role": Invitee.Role.CASE_WORKER}
                )
        record(request, case, reason=gettext_lazy("Kallade handläggare"), action=Action.CHANGE)
        messages.success(request, _("De kallade handläggarna är sparade."))
        return redirect(case)
    return render(request, "forum/case_workers.html", {"form": form, "case": case})


@login_required
def invitation(request, reference):
    case = load_case(
        request,
        reference,
        "forum.view_case",
        gettext_lazy("Hämtade kallelse (.ics, utan barnets identitet)"),
        Action.EXPORT,
    )
    if case.meeting_on is None:
        refuse(request, case, 404)
    response = HttpResponse(
        documents.invitation_ics(case, request.build_absolute_uri("/")),
        content_type="text/calendar",
    )
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.ics"'
    return response


# --- the protocol -----------------------------------------------------------------------------
@login_required
def protocol_edit(request, reference):
    case = load_case(request, reference, "forum.write_protocol", gettext_lazy("Skriv protokoll"))
    protocol = case.protocols.order_by("-version").first()
    if protocol is None:
        if case.meeting_on is None:
            messages.error(request, _("Boka mötet innan protokollet skrivs."))
            return redirect(case)
        protocol = Protocol(case=case, version=1, created_by=request.user)
    elif protocol.is_locked:
        return redirect("forum:protocol", case.reference, protocol.version)
    units = party_units(case)
    form = ProtocolForm(request.POST or None, instance=protocol)
    formsets = protocol_formsets(request.POST or None, protocol, units, meeting_units(case))
    if not protocol.pk and not request.POST:
        for sub, unit in zip(formsets["views"].forms, units, strict=False):
            sub.initial = {"unit": unit.pk}
    if (
        request.method == "POST"
        and form.is_valid()
        and all(f.is_valid() for f in formsets.values())
    ):
        with transaction.atomic():
            protocol = form.save()
            for formset in formsets.values():
                formset.instance = protocol
                formset.save()
        record(request, protocol, reason=gettext_lazy("Skrev protokoll"), action=Action.CHANGE)
        messages.success(request, _("Protokollet är sparat som utkast."))
        return redirect("forum:protocol", case.reference, protocol.version)
    return render(
        request,
        "forum/protocol_form.html",
        {"form": form, "formsets": formsets, "case": case, "protocol": protocol},
    )


PROTOCOLS = Protocol.objects.select_related(
    *(f"case__{name}" for name in CASE_RELATED), "signed_by"
)


def load_protocol(request, reference, version, reason, perm="forum.view_protocol", **kwargs):
    return load(
        request, PROTOCOLS, perm, reason=reason, case__reference=reference, version=version,
        **kwargs,
    )  # fmt: skip


@login_required
def protocol_detail(request, reference, version):
    protocol = load_protocol(request, reference, version, gettext_lazy("Läste protokoll"))
    case = protocol.case
    may_manage = allowed(request.user, "forum.manage_case", case)
    sign_form = None
    if not protocol.is_locked and may_manage:
        sign_form = SignForm(case=case, user=request.user)
    return render(
        request,
        "forum/protocol_detail.html",
        {
            "case": case,
            "protocol": protocol,
            "identity": allowed(request.user, "forum.view_case_identity", case),
            "sign_form": sign_form,
            "may_manage": may_manage,
            "correction_form": CorrectionForm() if protocol.is_locked else None,
            "is_latest": not case.protocols.filter(version__gt=protocol.version).exists(),
            **documents.protocol_parts(protocol),
        },
    )


@login_required
def protocol_sign(request, reference, version):
    case = load_case(request, reference, "forum.write_protocol", gettext_lazy("Justera protokoll"))
    protocol = get_object_or_404(case.protocols, version=version)
    if request.method != "POST" or protocol.is_locked:
        return redirect("forum:protocol", case.reference, protocol.version)
    form = SignForm(request.POST, case=case, user=request.user)
    if form.is_valid():
        with transaction.atomic():
            locked = Protocol.objects.select_for_update().get(pk=protocol.pk)
            signed_before = locked.is_locked  # by another, a moment ago
            if not signed_before:
                locked.signed_by = request.user
                locked.signed_at = timezone.now()
                locked.save(update_fields=["signed_by", "signed_at"])
        if signed_before:
            messages.info(
                request,
                _("Protokollet hade redan justerats av %(name)s. Inget har ändrats.")
                % {"name": locked.signed_by.get_full_name() if locked.signed_by else "–"},
            )
            return redirect("forum:protocol", case.reference, protocol.version)
        record(request, protocol, reason=gettext_lazy("Justerade protokoll"), action=Action.CHANGE)
        messages.success(request, _("Protokollet är justerat och låst."))
        return redirect("forum:protocol", case.reference, protocol.version)
    return render(
        request,
        "forum/protocol_detail.html",
        {
            "case": case,
            "protocol": protocol,
            "identity": allowed(request.user, "forum.view_case_identity", case),
            "sign_form": form,
            "may_manage": True,
            "is_latest": True,
            **documents.protocol_parts(protocol),
        },
        status=200,
    )


@login_required
def protocol_correct(request, reference, version):
    """Start a new draft version from a signed one; the signed one is kept as it was."""
    case = load_case(request, reference, "forum.write_protocol", gettext_lazy("Rätta protokoll"))
    protocol = get_object_or_404(case.protocols, version=version, signed_at__isnull=False)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if case.protocols.filter(version__gt=protocol.version).exists():
            messages.info(request, _("Det finns redan en senare version."))
            return redirect("forum:protocol_edit", case.reference)
        with transaction.atomic():
            draft = documents.copy_protocol(
                protocol, request.user, form.cleaned_data["correction_note"]
            )
        record(request, draft, reason=gettext_lazy("Rättade protokoll"), action=Action.CHANGE)
        messages.success(request, _("Version %(n)s är skapad som utkast.") % {"n": draft.version})
        return redirect("forum:protocol_edit", case.reference)
    return redirect("forum:protocol", case.reference, protocol.version)


@login_required
def protocol_pdf(request, reference, version):
    protocol = load_protocol(
        request, reference, version, gettext_lazy("Hämtade protokoll som PDF"),
        action=Action.EXPORT,
    )  # fmt: skip
    case = protocol.case
    identity = allowed(request.user, "forum.view_case_identity", case)
    pdf = documents.protocol_pdf(request, protocol, identity=identity)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{case.reference}-protokoll-v{protocol.version}.pdf"'
    )
    return response


# --- outcome ----------------------------------------------------------------------------------
@login_required
def outcome(request, reference):
    case = load_case(request, reference, "forum.sign_protocol", gettext_lazy("Registrera utfall"))
    if not case.is_open:
        messages.info(request, _("Utfallet är redan registrerat."))
        return redirect(case)
    form = OutcomeForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # Two at once: the second finds the case closed under the lock and is told.
            case = ForumCase.objects.select_for_update().get(pk=case.pk)
            if not case.is_open:
                messages.info(request, _("Utfallet är redan registrerat."))
                return redirect(case)
            if form.cleaned_data["outcome"] == "lifted":
                case.principled_question = form.cleaned_data["principled_question"].strip()
                case.save(update_fields=["principled_question"])
                change_status(
                    case, ForumCase.Status.LIFTED, request.user, _("Lyft till styrgruppen")
                )
            else:
                change_status(case, ForumCase.Status.RESOLVED, request.user, _("Löst i forum"))
        record(request, case, reason=gettext_lazy("Registrerade utfall"), action=Action.CHANGE)
        messages.success(request, _("Utfallet är registrerat."))
        return redirect(case)
    return render(request, "forum/outcome.html", {"form": form, "case": case})


@login_required
def steering_decision(request, reference):
    case = load_case(
        request, reference, "forum.decide_case", gettext_lazy("Registrera styrgruppens beslut")
    )
    if case.status != ForumCase.Status.LIFTED:
        messages.error(request, _("Bara ärenden som lyfts till styrgruppen kan avgöras där."))
        return redirect(case)
    form = SteeringDecisionForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            case = ForumCase.objects.select_for_update().get(pk=case.pk)
            if case.status != ForumCase.Status.LIFTED:  # decided a moment ago by another
                messages.error(request, _("Styrgruppens beslut är redan registrerat."))
                return redirect(case)
            case.steering_decision = form.cleaned_data["decision"]
            case.steering_decided_on = form.cleaned_data["decided_on"]
            case.steering_decided_by = request.user
            case.save(
                update_fields=["steering_decision", "steering_decided_on", "steering_decided_by"]
            )
            change_status(case, ForumCase.Status.DECIDED, request.user, _("Styrgruppen beslutade"))
        record(
            request,
            case,
            reason=gettext_lazy("Registrerade styrgruppsbeslut"),
            action=Action.CHANGE,
        )
        messages.success(request, _("Styrgruppens beslut är registrerat."))
        return redirect(case)
    return render(request, "forum/steering_decision.html", {"form": form, "case": case})
