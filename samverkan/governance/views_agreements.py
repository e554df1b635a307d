"""Agreements (the regional one and each local group's), their signatories and revisions,
and the documents library with its review dates.

Everyone signed in reads them; the secretariat and the leading roles of a local steering
group write their group's agreements; the secretariat and each document's editor keep the
library (rules ``governance.manage_agreements`` and ``governance.manage_documents``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.governance.forms_agreements import (
    AgreementForm,
    DocumentFilterForm,
    DocumentForm,
    RevisionForm,
    manageable_groups,
    signatory_formset,
)
from samverkan.governance.library import due_for_review
from samverkan.governance.models import Agreement, AgreementRevision, Document
from samverkan.pagination import paginate
from samverkan.permissions import allowed, permission_required, record

READ = "organisations.view_directory"
MANAGE_AGREEMENTS = "governance.manage_agreements"
MANAGE_DOCUMENTS = "governance.manage_documents"


def library_order(documents):
    """Kind, then regional before local, then title."""
    return documents.order_by("kind", F("local_group__name").asc(nulls_first=True), "title", "pk")


def with_edit_rights(user, documents):
    """Mark each document the user may edit (the rule reads no more rows)."""
    for document in documents:
        document.may_edit = allowed(user, MANAGE_DOCUMENTS, document)
    return documents


# --- Agreements -----------------------------------------------------------------------------
@permission_required(READ)
def agreements(request):
    rows = (
        Agreement.objects.select_related("local_group")
        .annotate(latest_revision=Max("revisions__revised_on"), revision_count=Count("revisions"))
        .order_by(F("local_group__name").asc(nulls_first=True), "-signed_on", "pk")
    )
    return render(
        request,
        "governance/agreements.html",
        {
            "page": paginate(request, rows),
            "may_add": allowed(request.user, MANAGE_AGREEMENTS),
            "today": timezone.localdate(),
        },
    )


@permission_required(READ)
def agreement_detail(request, pk):
    agreement = get_object_or_404(Agreement.objects.select_related("local_group"), pk=pk)
    documents = library_order(
        agreement.documents.select_related("local_group", "editor", "fact_checker")
    )
    return render(
        request,
        "governance/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": agreement.parties.all(),
            "signatories": agreement.signatories.select_related("principal"),
            "revisions": agreement.revisions.all(),
            "documents": with_edit_rights(request.user, list(documents)),
            "may_manage": allowed(request.user, MANAGE_AGREEMENTS, agreement),
            "today": timezone.localdate(),
        },
    )


@login_required
def agreement_form(request, pk=None):
    if pk is not None:
        agreement = get_object_or_404(Agreement.objects.select_related("local_group"), pk=pk)
        if not allowed(request.user, MANAGE_AGREEMENTS, agreement):
            raise PermissionDenied
    else:
        if not allowed(request.user, MANAGE_AGREEMENTS):
            raise PermissionDenied
        agreement = Agreement()
    form = AgreementForm(request.POST or None, instance=agreement, user=request.user)
    if not agreement.pk and not allowed(request.user, "governance.manage_every_agreement"):
        groups = list(manageable_groups(request.user)[:2])
        if len(groups) == 1:
            form.initial["local_group"] = groups[0].pk
    formset = signatory_formset(request.POST or None, agreement)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            agreement = form.save()
            formset.instance = agreement
            formset.save()
        record(
            request, agreement, reason=gettext_lazy("Sparade överenskommelse"), action="change"
        )
        messages.success(request, _("Överenskommelsen är sparad."))
        return redirect(agreement)
    return render(
        request,
        "governance/agreement_form.html",
        {"form": form, "formset": formset, "agreement": agreement if agreement.pk else None},
    )


@login_required
def revision_add(request, pk):
    agreement = get_object_or_404(Agreement.objects.select_related("local_group"), pk=pk)
    if not allowed(request.user, MANAGE_AGREEMENTS, agreement):
        raise PermissionDenied
    # The instance knows its agreement before validation, so the model's clean() can refuse
    # a revision dated before the signing.
    form = RevisionForm(request.POST or None, instance=AgreementRevision(agreement=agreement))
    if request.method == "POST" and form.is_valid():
        revision = form.save()
        record(
            request, revision, reason=gettext_lazy("Registrerade revidering"), action="change"
        )
        messages.success(request, _("Revideringen är sparad."))
        return redirect(agreement)
    return render(request, "governance/revision_form.html", {"form": form, "agreement": agreement})


# --- The documents library ------------------------------------------------------------------
@permission_required(READ)
def documents(request):
    form = DocumentFilterForm(request.GET or None)
    rows = Document.objects.select_related("local_group", "editor", "fact_checker")
    if form.is_bound:
        rows = form.filter(rows) if form.is_valid() else rows.none()
    page = paginate(request, library_order(rows))
    page.object_list = with_edit_rights(request.user, list(page.object_list))
    return render(
        request,
        "governance/documents.html",
        {
            "form": form,
            "page": page,
            "may_add": allowed(request.user, MANAGE_DOCUMENTS),
            "reviews_due": due_for_review(request.user).count(),
        },
    )


@login_required
def document_form(request, pk=None):
    if pk is not None:
        document = get_object_or_404(
            Document.objects.select_related("editor", "fact_checker"), pk=pk
        )
        if not allowed(request.user, MANAGE_DOCUMENTS, document):
            raise PermissionDenied
    else:
        if not allowed(request.user, MANAGE_DOCUMENTS):
            raise PermissionDenied
        document = Document()
    form = DocumentForm(request.POST or None, instance=document, user=request.user)
    if request.method == "POST" and form.is_valid():
        document = form.save()
        record(request, document, reason=gettext_lazy("Sparade dokument"), action="change")
        messages.success(request, _("Dokumentet är sparat."))
        return redirect("governance:documents")
    return render(
        request,
        "governance/document_form.html",
        {"form": form, "document": document if document.pk else None},
    )


@login_required
def my_reviews(request):
    """The documents past their review date that the user edits."""
    rows = due_for_review(request.user).select_related("local_group", "editor", "fact_checker")
    page = paginate(request, rows)
    page.object_list = with_edit_rights(request.user, list(page.object_list))
    return render(request, "governance/my_reviews.html", {"page": page})
