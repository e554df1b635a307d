"""E-mail for the public pages, sent by the background worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from samverkan.public.models import BarrierReport


@task()
def email_barrier_report(pk: int, mailboxes: list[str]) -> int:
    """The report, in full, to the secretariat's function mailbox; ``Reply-To`` is the
    visitor's address when they gave one."""
    report = BarrierReport.objects.filter(pk=pk).first()
    if report is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "report": report,
            "link": settings.SITE_URL.rstrip("/") + reverse("public:barrier_reports"),
        }
        message = EmailMessage(
            " ".join(render_to_string("public/email/barrier_subject.txt", context).split()),
            render_to_string("public/email/barrier.txt", context),
            to=mailboxes,
            reply_to=[report.contact_email] if report.contact_email else None,
        )
    message.send()
    return 1
