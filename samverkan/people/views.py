from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.decorators import allowed, permission_required
from samverkan.audit import record_access
from samverkan.consent.models import Consent
from samverkan.people.forms import ChildSearchForm
from samverkan.people.models import Child
from samverkan.people.visibility import ChildAccess


@permission_required("people.search_child")
def search(request):
    """Find a child by number. Only children the user may see are found; a child the user
    may not see looks exactly like no child at all."""
    form = ChildSearchForm(request.GET or None)
    child = None
    searched = form.is_bound and form.is_valid()
    if searched:
        found = (
            Child.objects.select_related("owning_unit")
            .filter(personal_number=form.cleaned_data["personal_number"])
            .first()
        )
        if found and ChildAccess(request.user, [found]).may_see(found):
            child = found
        record_access(request, child, reason=_("Sökte barn på personnummer"), action="search")
    return render(
        request, "people/search.html", {"form": form, "child": child, "searched": searched}
    )


@login_required
def child_detail(request, pk):
    child = get_object_or_404(Child.objects.select_related("owning_unit__principal"), pk=pk)
    access = ChildAccess(request.user, [child])
    if not access.may_see(child):
        raise Http404  # not "forbidden": that would tell the child is registered
    record_access(request, child, reason=_("Visade barnets uppgifter"))
    consents = (
        Consent.objects.filter(child=child)
        .prefetch_related("units", "given_by_guardians")
        .select_related("recorded_by", "noted_by")
    )
    return render(
        request,
        "people/child_detail.html",
        {
            "child": child,
            "shows_identity": access.shows_identity(child),
            "guardians": child.guardians.all(),
            "involvements": child.involvements.select_related("unit__principal"),
            "consents": consents,
            "may_add_consent": allowed(request.user, "consent.add_consent", child),
        },
    )
