from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.consent.access import ConsentAccess
from samverkan.consent.forms import ConsentForm, DocumentForm, RevokeForm
from samverkan.consent.models import Consent
from samverkan.organisations.models import Unit
from samverkan.permissions import Action, access, allowed, load, record
from samverkan.sorting import Swedish

# What a consent may be for, as the address names it.
PURPOSES = {
    "barn": ("people", "child"),
    "individforum": ("forum", "forumcase"),
    "sip": ("sip", "plan"),
}
RELATED = {
    "barn": ["owning_unit__principal"],
    "individforum": ["raised_by_unit__principal", "child__owning_unit", "local_group"],
    "sip": ["initiating_unit__principal", "child__owning_unit"],
}


def _next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@login_required
def add(request, kind, pk):
    """Record a consent for a forum case, a plan or the whole child record: fill in, see
    exactly who may share what with whom, then save (with the scanned form, if any)."""
    if kind not in PURPOSES:
        raise Http404
    model = apps.get_model(*PURPOSES[kind])
    purpose = load(
        request,
        model.objects.select_related(*RELATED[kind]),
        "consent.add_consent",
        reason=gettext_lazy("Registrera samtycke"),
        pk=pk,
    )
    child = purpose if kind == "barn" else purpose.child
    holder = purpose.sharing_owner
    candidates = (
        Unit.objects.filter(pk__in=purpose.party_unit_ids(), is_active=True)
        .exclude(principal_id=holder.principal_id)
        .select_related("principal")
        .order_by(Swedish("principal__name"), Swedish("name"))
    )
    form = ConsentForm(
        request.POST or None,
        purpose=purpose,
        child=child,
        recorder_units=access(request.user, ConsentAccess).recorder_units(holder),
        units=candidates,
        show_names=allowed(request.user, "people.view_identity", child)
        or not child.protected_identity,
        user=request.user,
    )
    if kind == "barn":
        occasion = _("Alla barnets uppgifter hos %(unit)s") % {"unit": holder}
    else:
        occasion = f"{model._meta.verbose_name.capitalize()} {purpose}"
    context = {
        "form": form,
        "purpose": purpose,
        "occasion": occasion,
        "child": child,
        "next": _next(request, ""),
    }
    context["cancel"] = context["next"] or purpose.get_absolute_url()
    if request.method != "POST" or not form.is_valid() or "andra" in request.POST:
        return render(request, "consent/consent_form.html", context)
    # Valid: show the summary; save only when it is confirmed.
    document_form = DocumentForm(request.POST, request.FILES) if "spara" in request.POST else None
    if document_form is None or not document_form.is_valid():
        context.update(summary=form.summary(), document_form=document_form or DocumentForm())
        return render(request, "consent/consent_confirm.html", context)
    with transaction.atomic():
        form.instance.purpose = purpose
        form.instance.document = document_form.cleaned_data["document"] or ""
        consent = form.save()
    record(request, consent, reason=gettext_lazy("Registrerade samtycke"), action=Action.CHANGE)
    messages.success(request, _("Samtycket är registrerat."))
    return redirect(_next(request, purpose.get_absolute_url()))


CONSENT = Consent.objects.select_related("child__owning_unit", "recorded_by_unit__principal")


@login_required
def revoke(request, pk):
    """Only a unit the consent names, or the one that recorded it, records a revocation."""
    consent = load(
        request, CONSENT, "consent.revoke_consent", reason=gettext_lazy("Återkalla samtycke"), pk=pk
    )
    back = _next(request, consent.get_absolute_url())
    if consent.revoked_on:
        messages.info(request, _("Samtycket är redan återkallat."))
        return redirect(back)
    form = RevokeForm(request.POST or None, consent=consent)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            locked = Consent.objects.select_for_update().get(pk=consent.pk)
            if locked.revoked_on is None:
                locked.revoked_on = form.cleaned_data["revoked_on"]
                locked.revocation_reason = form.cleaned_data["reason"]
                locked.revoked_by = request.user
                locked.save(update_fields=["revoked_on", "revocation_reason", "revoked_by"])
        record(request, consent, reason=gettext_lazy("Återkallade samtycke"), action=Action.CHANGE)
        messages.success(request, _("Samtycket är återkallat. Uppgifterna delas inte längre."))
        return redirect(back)
    return render(
        request,
        "consent/revoke_form.html",
        {"form": form, "consent": consent, "next": _next(request, ""), "back": back},
    )


@login_required
def document(request, pk):
    """The scanned consent form: confidential, so served only here, to those it names who
    may also see the child's identity, and logged."""
    consent = load(
        request,
        CONSENT,
        "consent.open_document",
        reason=gettext_lazy("Öppnade inskannat samtycke"),
        action=Action.EXPORT,
        pk=pk,
    )
    return FileResponse(consent.document.open("rb"), as_attachment=True)
