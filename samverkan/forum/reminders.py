"""Reminders to conveners: three days before the two-week deadline, and the day it passes."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from samverkan.forum.models import ForumCase, Reminder
from samverkan.notifications.service import already_emailed

SOON = datetime.timedelta(days=3)


def due_reminders(today: datetime.date):
    """(case, kind) pairs whose reminder is due today or earlier and not yet sent."""
    waiting = ForumCase.objects.open().filter(convener__isnull=False).select_related("convener")
    not_met = waiting.filter(meeting_on__isnull=True)
    soon = not_met.filter(deadline__lte=today + SOON, deadline__gte=today).exclude(
        reminders__kind=Reminder.Kind.DEADLINE_SOON
    )
    passed = waiting.overdue(today).exclude(reminders__kind=Reminder.Kind.DEADLINE_PASSED)
    yield from ((case, Reminder.Kind.DEADLINE_SOON) for case in soon)
    yield from ((case, Reminder.Kind.DEADLINE_PASSED) for case in passed)


def send_reminders(today: datetime.date | None = None, base_url: str = "") -> int:
    """Send what is due; each reminder once, even if two runs overlap. Returns how many."""
    today = today or timezone.localdate()
    sent = 0
    for case, kind in list(due_reminders(today)):
        try:
            with transaction.atomic():
                Reminder.objects.create(case=case, kind=kind, sent_to=case.convener.email)
                with translation.override(settings.LANGUAGE_CODE):
                    context = {"case": case, "kind": kind, "today": today, "base_url": base_url}
                    subject = render_to_string("forum/email/reminder_subject.txt", context)
                    body = render_to_string("forum/email/reminder.txt", context)
                send_mail(" ".join(subject.split()), body, None, [case.convener.email])
                already_emailed(case.convener, subject, case.get_absolute_url(), about=case)
        except IntegrityError:
            continue  # another run sent it
        sent += 1
    return sent
