"""A question on a body's meeting: a forum case lifted to the steering group with its
principled question, or a deviation report of a principled nature at the steering group
or at BUSSAM. The decision recorded at the meeting is written back to the case or report
and moves it on (``decide.py``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AgendaItem(models.Model):
    class Outcome(models.TextChoices):
        DECIDED = "decided", _("Beslutad")
        SENT_ON = "sent_on", _("Skickad vidare till BUSSAM")

    meeting = models.ForeignKey(
        "governance.Meeting",
        verbose_name=_("möte"),
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    forum_case = models.ForeignKey(
        "forum.ForumCase",
        verbose_name=_("ärende i individforum"),
        on_delete=models.PROTECT,
        related_name="agenda_items",
        null=True,
        blank=True,
    )
    deviation = models.ForeignKey(
        "deviations.Deviation",
        verbose_name=_("avvikelse"),
        on_delete=models.PROTECT,
        related_name="agenda_items",
        null=True,
        blank=True,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    decision = models.TextField(_("beslut"), blank=True)
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslut registrerat av"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("beslut registrerat"), null=True, blank=True)

    class Meta:
        ordering = ["meeting__held_on", "id"]
        verbose_name = _("fråga på dagordningen")
        verbose_name_plural = _("frågor på dagordningen")
        constraints = [
            models.CheckConstraint(
                condition=Q(forum_case__isnull=True, deviation__isnull=False)
                | Q(forum_case__isnull=False, deviation__isnull=True),
                name="agenda_item_one_question",
            ),
            models.UniqueConstraint(
                fields=["meeting", "forum_case"], name="agenda_case_once_per_meeting"
            ),
            models.UniqueConstraint(
                fields=["meeting", "deviation"], name="agenda_deviation_once_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.question_reference}"

    @property
    def question(self):
        return self.forum_case or self.deviation

    @property
    def question_reference(self) -> str:
        return self.question.reference

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None
