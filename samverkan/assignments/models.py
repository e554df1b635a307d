"""Assignments (uppdrag): a task a steering group, BUSSAM, one of their meetings or a step of
a deviation report gives to a person or to a body (often the group's working group), with
a date it is due, and a note when it is closed.

An assignment carries no child's identity: its texts are checked like a deviation
report's (``forms.py``), and notifications about it name its title and date, never a
person.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AssignmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Assignment.Status.OPEN)

    def given_to(self, user, body_ids):
        """Given to ``user``, or to one of the bodies ``body_ids`` (where they hold a seat)."""
        return self.filter(Q(assignee_user=user) | Q(assignee_body_id__in=list(body_ids)))

    def of_body(self, body):
        """Given by ``body`` (or at one of its meetings), or to it."""
        return self.filter(Q(given_by_body=body) | Q(assignee_body=body))

    def overdue(self, today: datetime.date):
        return self.open().filter(due_on__lt=today)

    def open_first(self):
        """Open ones first, the earliest due first; then the closed ones."""
        return self.annotate(
            closed_last=Case(When(status=Assignment.Status.OPEN, then=Value(0)), default=Value(1))
        ).order_by("closed_last", "due_on", "id")


class Assignment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Pågår")
        DONE = "done", _("Klart")
        CANCELLED = "cancelled", _("Avbrutet")

    title = models.CharField(
        _("uppdrag"),
        max_length=120,
        help_text=_("En kort rubrik. Inga namn eller personnummer."),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    given_by_body = models.ForeignKey(
        "organisations.Body",
        verbose_name=_("givet av"),
        on_delete=models.PROTECT,
        related_name="assignments_given",
        null=True,
        blank=True,
    )
    meeting = models.ForeignKey(
        "governance.Meeting",
        verbose_name=_("givet vid mötet"),
        on_delete=models.PROTECT,
        related_name="assignments",
        null=True,
        blank=True,
    )
    deviation = models.ForeignKey(
        "deviations.Deviation",
        verbose_name=_("givet i avvikelse"),
        on_delete=models.PROTECT,
        related_name="assignments",
        null=True,
        blank=True,
    )
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("till person"),
        on_delete=models.PROTECT,
        related_name="assignments",
        null=True,
        blank=True,
    )
    assignee_body = models.ForeignKey(
        "organisations.Body",
        verbose_name=_("till organ"),
        on_delete=models.PROTECT,
        related_name="assignments_received",
        null=True,
        blank=True,
    )
    due_on = models.DateField(_("klart senast"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closing_note = models.TextField(_("redovisning"), blank=True)
    closed_at = models.DateTimeField(_("avslutat"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("avslutat av"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # The day the overdue reminder went out: it goes once (``reminders.py``).
    reminded_on = models.DateField(_("påminnelse skickad"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("givet av person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("givet"), default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("uppdrag")
        verbose_name_plural = pgettext_lazy("plural", "uppdrag")
        indexes = [
            models.Index(fields=["status", "due_on"], name="assignment_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee_user__isnull=False, assignee_body__isnull=True)
                | Q(assignee_user__isnull=True, assignee_body__isnull=False),
                name="assignment_one_assignee",
                violation_error_message=_(
                    "Ge uppdraget till antingen en person eller ett organ, inte båda."
                ),
            ),
            models.CheckConstraint(
                condition=Q(given_by_body__isnull=False) | Q(deviation__isnull=False),
                name="assignment_has_giver",
            ),
            models.CheckConstraint(
                condition=Q(meeting__isnull=True) | Q(given_by_body__isnull=False),
                name="assignment_meeting_has_body",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="assignment_closed_when_not_open",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assignments:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def days_left(self) -> int:
        """Days until the due date (negative once it has passed)."""
        return (self.due_on - timezone.localdate()).days

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.days_left < 0

    @property
    def giver(self):
        """Who gave it, as the pages name it: the meeting, the body or the report."""
        return self.meeting or self.given_by_body or self.deviation

    @property
    def assignee(self):
        return self.assignee_user or self.assignee_body
