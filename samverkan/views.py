from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from samverkan.organisations.models import Body, LocalGroup
from samverkan.organisations.standing import standing
from samverkan.permissions import allowed
from samverkan.start import todo


@login_required
def home(request):
    """The start page: first what waits for this person (the to-do list), then a section
    for each role the user holds."""
    roles = standing(request.user)
    context = {"roles": roles, "todo": todo.items(request.user)}
    if allowed(request.user, "deviations.secretariat"):
        context["group_count"] = LocalGroup.objects.count()
        context["bussam_bodies"] = Body.objects.filter(kind=Body.Kind.BUSSAM)
    return render(request, "home.html", context)


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No request context: the database or a context processor may be what failed.
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))
