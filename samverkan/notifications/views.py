from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.notifications.forms import PreferenceForm
from samverkan.notifications.models import Notification, Preference
from samverkan.pagination import paginate


@login_required
def notification_list(request):
    """One's own notifications, newest first; unread ones marked."""
    page = paginate(request, Notification.objects.filter(user=request.user))
    return render(request, "notifications/list.html", {"page": page})


@login_required
def open_notification(request, pk):
    """Follow a notification: it is read, and the browser goes where it points."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("notifications:list")
    return redirect(notification.url)


@login_required
def read_all(request):
    if request.method != "POST":
        return redirect("notifications:list")
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(
        request,
        ngettext(
            "%(count)d meddelande markerat som läst.",
            "%(count)d meddelanden markerade som lästa.",
            count,
        )
        % {"count": count},
    )
    return redirect("notifications:list")


@login_required
def preferences(request):
    preference = Preference.objects.filter(user=request.user).first() or Preference(
        user=request.user
    )
    form = PreferenceForm(request.POST or None, instance=preference, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Dina inställningar för meddelanden är sparade."))
        return redirect("notifications:list")
    return render(request, "notifications/preferences.html", {"form": form})
