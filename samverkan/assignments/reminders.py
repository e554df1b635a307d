"""The overdue reminder: the day after an open assignment's due date has passed, its
assignee (the person, or the current seat holders of the body) is told, once. Run daily by
``manage.py send_reminders``; a second run, or two runs at once, send nothing twice."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.assignments.models import Assignment
from samverkan.assignments.services import assignees
from samverkan.notifications.service import in_service_language, notify


@in_service_language
def send_assignment_reminders(today: datetime.date | None = None) -> int:
    """Remind the assignee of every open assignment past its due date that has not been
    reminded of it. Returns how many assignments were reminded of."""
    today = today or timezone.localdate()
    due = (
        Assignment.objects.overdue(today)
        .filter(reminded_on__isnull=True)
        .select_related("assignee_user", "assignee_body")
        .order_by("due_on", "id")
    )
    sent = 0
    for assignment in list(due):
        with transaction.atomic():
            # Whoever marks it first sends it: another run finds it marked and moves on.
            claimed = Assignment.objects.filter(
                pk=assignment.pk, reminded_on__isnull=True, status=Assignment.Status.OPEN
            ).update(reminded_on=today)
            if not claimed:
                continue
            notify(
                assignees(assignment),
                _("Uppdraget ”%(title)s” skulle ha varit klart %(due)s.")
                % {"title": assignment.title, "due": assignment.due_on.isoformat()},
                assignment.get_absolute_url(),
                about=assignment,
            )
        sent += 1
    return sent
