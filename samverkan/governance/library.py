"""The documents library: which documents are due for a new review, and by whom."""

import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samverkan.governance.models import Document
from samverkan.notifications.models import Notification
from samverkan.notifications.service import about_key, in_service_language, notify

SOON = datetime.timedelta(days=14)


def due_for_review(user, on: datetime.date | None = None):
    """The documents ``user`` edits whose review date has passed, the oldest due first."""
    on = on or timezone.localdate()
    if not user.is_authenticated:
        return Document.objects.none()
    return Document.objects.filter(editor=user, review_due_on__lt=on).order_by(
        "review_due_on", "title"
    )


@in_service_language
def send_review_reminders(today: datetime.date | None = None) -> int:
    """Tell each editor of a document due for review within two weeks (or past it), once per
    review date: the text names the date, and the same text is not sent twice. Returns how
    many were sent."""
    today = today or timezone.localdate()
    sent = 0
    due = Document.objects.filter(review_due_on__lte=today + SOON).select_related("editor")
    for document in due:
        text = _("Dokumentet ”%(title)s” ska granskas senast %(date)s.") % {
            "title": document.title,
            "date": formats.date_format(document.review_due_on, "Y-m-d"),
        }
        already = Notification.objects.filter(
            user=document.editor, about=about_key(document), text=text[:300]
        )
        if already.exists():
            continue
        if notify([document.editor], text, reverse("governance:my_reviews"), about=document):
            sent += 1
    return sent
