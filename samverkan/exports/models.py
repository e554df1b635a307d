import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Export(models.Model):
    """One file asked for by one person, built in the background. The file is kept in the
    database, so that any app server can hand it out and none keeps state."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Väntar")
        RUNNING = "running", _("Skapas")
        READY = "ready", _("Klar")
        FAILED = "failed", _("Misslyckades")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beställd av"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("typ"), max_length=100)
    title = models.CharField(_("rubrik"), max_length=200)
    params = models.JSONField(_("parametrar"), default=dict)
    # The child the file is about, if any: its download shows in the child's log extract.
    child_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    file_name = models.CharField(_("filnamn"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    # The kind, the parameters and the child, hashed: the same file asked for again while
    # it is being made is the same export (one pending per person and key, see Meta).
    dedupe_key = models.CharField(max_length=64, blank=True)
    # Builds begun (a failed one is tried again up to ``tasks.MAX_ATTEMPTS`` times), and when
    # the latest began: one still running long after died with its worker.
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exporter")
        indexes = [
            models.Index(fields=["requested_by", "created_at"], name="export_owner"),
            models.Index(fields=["status", "started_at"], name="export_running"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "dedupe_key"],
                condition=Q(status__in=["queued", "running"]) & ~Q(dedupe_key=""),
                name="export_one_pending",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exports:status", args=[self.pk])

    @property
    def audit_label(self) -> str:
        return f"Export {self.kind}"

    @property
    def audit_child_id(self) -> int | None:
        return self.child_id

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    @property
    def is_retrying(self) -> bool:
        """Pending again after a try that failed (or whose worker died)."""
        return self.is_pending and bool(self.error)


PENDING = (Export.Status.QUEUED, Export.Status.RUNNING)
