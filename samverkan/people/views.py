from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from samverkan.people.forms import ChildSearchForm, GuardianForm
from samverkan.people.models import Child
from samverkan.permissions import (
    Action,
    allowed,
    load,
    permission_required,
    record,
)

CHILD = Child.objects.select_related("owning_unit__principal")


@permission_required("people.search_child")
def search(request):
    """Find a child by number among the records the user may see. A record the user may
    not see looks exactly like no record at all; the search is logged against every record
    with that number, so that it shows in the child's log extract."""
    form = ChildSearchForm(request.GET or None)
    children = []
    searched = form.is_bound and form.is_valid()
    if searched:
        found = list(CHILD.filter(personal_number=form.cleaned_data["personal_number"]))
        children = [child for child in found if allowed(request.user, "people.view_child", child)]
        for child in found:
            reason = (
                _("Sökte barn på personnummer")
                if child in children
                else _("Sökte barn på personnummer (ingen behörighet, inget visades)")
            )
            record(request, child, reason=reason, action=Action.SEARCH)
        if not found:
            record(
                request, reason=_("Sökte barn på personnummer (ingen träff)"), action=Action.SEARCH
            )
    return render(
        request,
        "people/search.html",
        {"form": form, "children": children, "searched": searched},
    )


@login_required
def child_detail(request, pk):
    child = load(request, CHILD, "people.view_child", reason=_("Visade barnets uppgifter"), pk=pk)
    consents = child.consents.select_related(
        "recorded_by_unit__principal", "recorded_by", "noted_by"
    ).prefetch_related("units__principal", "given_by_guardians")
    return render(
        request,
        "people/child_detail.html",
        {
            "child": child,
            "shows_identity": allowed(request.user, "people.view_identity", child),
            "guardians": child.guardians.all(),
            "involvements": child.involvements.select_related("unit__principal"),
            "consents": consents,
            "may_add_consent": allowed(request.user, "consent.add_consent", child),
            "may_change": allowed(request.user, "people.change_child", child),
        },
    )


@login_required
def guardian_add(request, pk):
    """The unit that registered the child adds a guardian to its record."""
    child = load(request, CHILD, "people.change_child", reason=_("Lägg till vårdnadshavare"), pk=pk)
    form = GuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.child = child
        guardian = form.save()
        record(request, guardian, reason=_("Lade till vårdnadshavare"), action=Action.CHANGE)
        messages.success(request, _gettext("Vårdnadshavaren är tillagd."))
        return redirect(child)
    return render(request, "people/guardian_form.html", {"form": form, "child": child})
