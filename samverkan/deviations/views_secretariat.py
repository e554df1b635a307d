"""The BUS secretariat's pages: every submitted report in the county, without the reporter's
name; its own marks on each (read, tags, judgement); and the list of categories.

The secretariat looks for patterns. It does not investigate the single case, so nothing here
moves a report up the ladder or adds an action.
"""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.deviations.forms_secretariat import CategoryForm, InboxFilterForm, ReviewForm
from samverkan.deviations.models import Category, Deviation
from samverkan.pagination import paginate
from samverkan.permissions import permission_required, record

PERM = "deviations.secretariat"
REVIEW_REASON = gettext_lazy("Sekretariatets granskning")
LONG_TEXT = [
    "what_happened",
    "consequence",
    "done_locally",
    "principled_question",
    "outcome",
    "judgement_note",
]


def submitted():
    """Every report that has left its reporter: drafts are the reporter's own."""
    return Deviation.objects.exclude(step=Deviation.Step.DRAFT)


@permission_required(PERM)
def inbox(request):
    form = InboxFilterForm(request.GET or None)
    # The list shows no free text: leave the long fields in the database.
    deviations = submitted().select_related("local_group", "category").defer(*LONG_TEXT)
    if form.is_bound:
        deviations = form.filter(deviations) if form.is_valid() else deviations.none()
    page = paginate(request, deviations.prefetch_related("tags").order_by("-submitted_at", "-id"))
    return render(
        request,
        "deviations/inbox.html",
        {"form": form, "page": page, "secretariat_page": True},
    )


@permission_required(PERM)
def review(request, pk):
    deviation = get_object_or_404(
        submitted().select_related("reporting_unit__principal", "local_group", "category"),
        pk=pk,
    )
    form = ReviewForm(request.POST or None, instance=deviation)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(request, deviation, reason=REVIEW_REASON, action="change")
        messages.success(
            request, _("Granskningen av %(ref)s är sparad.") % {"ref": deviation.reference}
        )
        return redirect("deviations:review", deviation.pk)
    record(request, deviation, reason=REVIEW_REASON)
    return render(
        request,
        "deviations/review.html",
        {
            "deviation": deviation,
            "form": form,
            "shows_reporter": False,
            "other_units": deviation.other_units.select_related("principal"),
            "other_principals": deviation.other_principals.all(),
            "events": deviation.events.all(),
            "actions": deviation.actions.select_related("owner"),
            "secretariat_page": True,
        },
    )


# --- categories -------------------------------------------------------------------------------
@permission_required(PERM)
def categories(request):
    rows = Category.objects.annotate(in_use=Count("deviations"))
    return render(
        request,
        "deviations/categories.html",
        {"categories": rows, "secretariat_page": True},
    )


@permission_required(PERM)
def category_form(request, pk=None):
    category = get_object_or_404(Category, pk=pk) if pk else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        category = form.save()
        record(
            request,
            category,
            reason=gettext_lazy("Sparade kategori för avvikelser"),
            action="change",
        )
        messages.success(request, _("Kategorin %(name)s är sparad.") % {"name": category.name})
        return redirect("deviations:categories")
    return render(
        request,
        "deviations/category_form.html",
        {"form": form, "category": category, "secretariat_page": True},
    )
