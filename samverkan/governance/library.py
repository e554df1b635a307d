"""The documents library: which documents are due for a new review, and by whom."""

import datetime

from django.utils import timezone

from samverkan.governance.models import Document


def due_for_review(user, on: datetime.date | None = None):
    """The documents ``user`` edits whose review date has passed, the oldest due first."""
    on = on or timezone.localdate()
    if not user.is_authenticated:
        return Document.objects.none()
    return Document.objects.filter(editor=user, review_due_on__lt=on).order_by(
        "review_due_on", "title"
    )
