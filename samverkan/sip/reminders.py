"""Reminders to a plan's chair: a week before the next follow-up, and the day after it
has passed. Each once per due date: a new follow-up date gets its own reminders."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation

from samverkan.notifications.service import already_emailed
from samverkan.sip.models import Plan, Reminder

SOON = datetime.timedelta(days=7)


def _not_sent(kind):
    return ~Exists(
        Reminder.objects.filter(
            plan=OuterRef("pk"), kind=kind, due_on=OuterRef("next_follow_up_on")
        )
    )


def due_reminders(today: datetime.date):
    """(plan, kind) pairs whose reminder is due today or earlier and not yet sent."""
    established = Plan.objects.filter(
        status=Plan.Status.ESTABLISHED, next_follow_up_on__isnull=False
    ).select_related("chair")
    soon = established.filter(
        next_follow_up_on__gte=today, next_follow_up_on__lte=today + SOON
    ).filter(_not_sent(Reminder.Kind.SOON))
    passed = established.filter(next_follow_up_on__lt=today).filter(_not_sent(Reminder.Kind.PASSED))
    yield from ((plan, Reminder.Kind.SOON) for plan in soon)
    yield from ((plan, Reminder.Kind.PASSED) for plan in passed)


def send_reminders(today: datetime.date | None = None, base_url: str | None = None) -> int:
    """Send what is due; each reminder once, even if two runs overlap. Returns how many."""
    today = today or timezone.localdate()
    if base_url is None:
        base_url = getattr(settings, "SITE_URL", "")
    base_url = base_url.rstrip("/")
    sent = 0
    for plan, kind in list(due_reminders(today)):
        if not plan.chair.email:
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(plan=plan, kind=kind, due_on=plan.next_follow_up_on)
                with translation.override(settings.LANGUAGE_CODE):
                    context = {"plan": plan, "kind": kind, "today": today, "base_url": base_url}
                    subject = render_to_string("sip/email/reminder_subject.txt", context)
                    body = render_to_string("sip/email/reminder.txt", context)
                send_mail(" ".join(subject.split()), body, None, [plan.chair.email])
                already_emailed(plan.chair, subject, plan.get_absolute_url(), about=plan)
        except IntegrityError:
            continue  # another run sent it
        sent += 1
    return sent
