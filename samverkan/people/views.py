from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from samverkan.people.forms import ChildSearchForm, GuardianForm, ReplaceNumberForm
from samverkan.people.models import NUMBER_TAKEN, Child, NumberTaken, replace_reserve_number
from samverkan.permissions import (
    Action,
    allowed,
    load,
    permission_required,
    record,
    refuse,
)

CHILD = Child.objects.select_related("owning_unit__principal")


SEARCH_REASONS = {
    "personal_number": (
        _("Sökte barn på personnummer"),
        _("Sökte barn på personnummer (ingen behörighet, inget visades)"),
        _("Sökte barn på personnummer (ingen träff)"),
    ),
    "reserve_number": (
        _("Sökte barn på reservnummer"),
        _("Sökte barn på reservnummer (ingen behörighet, inget visades)"),
        _("Sökte barn på reservnummer (ingen träff)"),
    ),
}


def matching(data):
    """The records with the typed number: a personnummer among personnummer; a reservnummer
    among reservnummer, including those replaced since by the personnummer."""
    if data["personal_number"]:
        return CHILD.filter(personal_number=data["personal_number"])
    number = data["reserve_number"]
    replaced = Child.objects.filter(number_changes__old_number=number).values("pk")
    return CHILD.filter(Q(reserve_number=number) | Q(pk__in=replaced))


@permission_required("people.search_child")
def search(request):
    """Find a child by number among the records the user may see. A record the user may
    not see looks exactly like no record at all; the search is logged against every record
    with that number, so that it shows in the child's log extract."""
    form = ChildSearchForm(request.GET or None)
    children = []
    searched = form.is_bound and form.is_valid()
    if searched:
        kind = "personal_number" if form.cleaned_data["personal_number"] else "reserve_number"
        shown, hidden, none = SEARCH_REASONS[kind]
        found = list(matching(form.cleaned_data))
        children = [child for child in found if allowed(request.user, "people.view_child", child)]
        for child in found:
            reason = shown if child in children else hidden
            record(request, child, reason=reason, action=Action.SEARCH)
        if not found:
            record(request, reason=none, action=Action.SEARCH)
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
            "number_changes": child.number_changes.select_related("changed_by"),
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


@login_required
def replace_number(request, pk):
    """The unit that registered the child with a reservnummer gives it its personnummer;
    the reservnummer is kept in the record's number history."""
    child = load(request, CHILD, "people.change_child", reason=_("Ersätt reservnummer"), pk=pk)
    if not child.reserve_number:
        refuse(request, child, 404)  # nothing to replace: the record has its personnummer
    form = ReplaceNumberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["personal_number"]
        try:
            replace_reserve_number(child, number, request.user)
        except NumberTaken:
            form.add_error("personal_number", NUMBER_TAKEN % {"number": number})
        else:
            record(
                request,
                child,
                reason=_("Ersatte reservnummer med personnummer"),
                action=Action.CHANGE,
            )
            messages.success(
                request,
                _gettext(
                    "Reservnumret är ersatt med personnumret. Det gamla numret finns kvar i "
                    "barnets nummerhistorik."
                ),
            )
            return redirect(child)
    return render(request, "people/replace_number.html", {"form": form, "child": child})
