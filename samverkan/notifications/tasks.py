"""E-mail for notifications, sent by the background worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from samverkan.notifications.models import Notification, Preference


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


@task()
def send_notifications(ids: list[int], attachment: list) -> int:
    """One e-mail per notification not yet e-mailed; each at most once."""
    sent = 0
    for notification in Notification.objects.filter(
        pk__in=ids, emailed_at__isnull=True
    ).select_related("user"):
        with transaction.atomic():
            if not Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            ):
                continue  # another worker sent it
            with translation.override(settings.LANGUAGE_CODE):
                context = {"notification": notification, "link": _absolute(notification.url)}
                message = EmailMessage(
                    " ".join(render_to_string("notifications/email/subject.txt", context).split()),
                    render_to_string("notifications/email/one.txt", context),
                    to=[notification.user.email],
                )
            if attachment:
                message.attach(*attachment)
            message.send()
        sent += 1
    return sent


def send_digests(now=None) -> int:
    """For everyone who chose a daily summary: one e-mail with what is new since the last.
    Returns how many e-mails were sent."""
    now = now or timezone.now()
    daily = Preference.objects.filter(email=Preference.Email.DAILY).exclude(user__email="")
    sent = 0
    for preference in daily.select_related("user"):
        user = preference.user
        with transaction.atomic():
            waiting = list(
                Notification.objects.select_for_update()
                .filter(user=user, emailed_at__isnull=True, created_at__lte=now)
                .order_by("created_at", "id")
            )
            if not waiting:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(emailed_at=now)
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "notifications": waiting,
                    "links": [_absolute(n.url) for n in waiting],
                    "site": settings.SITE_URL.rstrip("/"),
                }
                EmailMessage(
                    " ".join(
                        render_to_string("notifications/email/digest_subject.txt", context).split()
                    ),
                    render_to_string("notifications/email/digest.txt", context),
                    to=[user.email],
                ).send()
        sent += 1
    return sent
