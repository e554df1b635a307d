from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.accounts.decorators import allowed
from samverkan.audit import record_access
from samverkan.consent.forms import ConsentForm, RevokeForm
from samverkan.consent.models import Consent
from samverkan.organisations.models import Unit
from samverkan.people.models import Child
from samverkan.people.visibility import ChildAccess


def _purpose(value: str, child):
    """ "forum.forumcase:12" -> that case, which must be about this child; else 404."""
    if not value:
        return None
    try:
        label, pk = value.split(":")
        content_type = ContentType.objects.get_by_natural_key(*label.split("."))
        pk = int(pk)
    except (ValueError, TypeError, ContentType.DoesNotExist) as error:
        raise Http404 from error
    purpose = get_object_or_404(content_type.model_class(), pk=pk)
    if getattr(purpose, "child_id", None) != child.pk:
        raise Http404
    return purpose


def _next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@login_required
def add(request, child_pk):
    child = get_object_or_404(Child.objects.select_related("owning_unit"), pk=child_pk)
    if not allowed(request.user, "consent.add_consent", child):
        raise PermissionDenied
    purpose = _purpose(request.GET.get("for", ""), child)
    unit_ids = {child.owning_unit_id, *child.involvements.values_list("unit_id", flat=True)}
    units = Unit.objects.filter(pk__in=unit_ids).select_related("principal")
    form = ConsentForm(
        request.POST or None, request.FILES or None, child=child, units=units, user=request.user
    )
    if purpose is not None and not form.is_bound:
        form.fields["purpose_text"].initial = str(purpose)
        form.fields["units"].initial = list(unit_ids)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if purpose is not None:
                form.instance.purpose = purpose
            consent = form.save()
        record_access(
            request, consent, reason=gettext_lazy("Registrerade samtycke"), action="change"
        )
        messages.success(request, _("Samtycket är registrerat."))
        return redirect(_next(request, child.get_absolute_url()))
    return render(
        request,
        "consent/consent_form.html",
        {"form": form, "child": child, "purpose": purpose, "next": _next(request, "")},
    )


@login_required
def revoke(request, pk):
    consent = get_object_or_404(Consent.objects.select_related("child"), pk=pk)
    if not allowed(request.user, "consent.revoke_consent", consent.child):
        raise PermissionDenied
    if consent.revoked_on:
        messages.info(request, _("Samtycket är redan återkallat."))
        return redirect(_next(request, consent.child.get_absolute_url()))
    form = RevokeForm(request.POST or None, consent=consent)
    if request.method == "POST" and form.is_valid():
        consent.revoked_on = form.cleaned_data["revoked_on"]
        consent.revocation_reason = form.cleaned_data["reason"]
        consent.revoked_by = request.user
        consent.save(update_fields=["revoked_on", "revocation_reason", "revoked_by"])
        record_access(
            request, consent, reason=gettext_lazy("Återkallade samtycke"), action="change"
        )
        messages.success(request, _("Samtycket är återkallat. Uppgifterna delas inte längre."))
        return redirect(_next(request, consent.child.get_absolute_url()))
    return render(
        request,
        "consent/revoke_form.html",
        {"form": form, "consent": consent, "next": _next(request, "")},
    )


@login_required
def document(request, pk):
    """The scanned consent form: confidential, so served only here, to those who hold the
    child's matters, and logged."""
    consent = get_object_or_404(Consent.objects.select_related("child__owning_unit"), pk=pk)
    child = consent.child
    # The scan carries names and signatures: only for those who may see the child's identity.
    may_open = allowed(request.user, "consent.add_consent", child) and (
        ChildAccess(request.user, [child]).shows_identity(child)
    )
    if not consent.document or not may_open:
        raise Http404
    record_access(
        request, consent, reason=gettext_lazy("Öppnade inskannat samtycke"), action="export"
    )
    return FileResponse(consent.document.open("rb"), as_attachment=True)
