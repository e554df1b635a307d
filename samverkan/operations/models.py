from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.Model):
    """How the last runs of a periodic command went (``jobs.recorded``).

    Cron jobs are processes that end, so they cannot keep a counter for /metrics; they
    leave it here, one row per command, and /metrics reads it when scraped."""

    job = models.CharField(_("jobb"), max_length=100, unique=True)
    last_started = models.DateTimeField(_("senast startad"), null=True, blank=True)
    last_succeeded = models.DateTimeField(_("senast lyckad"), null=True, blank=True)
    last_failed = models.DateTimeField(_("senast misslyckad"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("misslyckade körningar"), default=0)
    last_error = models.TextField(_("senaste fel"), blank=True)

    class Meta:
        verbose_name = _("jobbstatus")
        verbose_name_plural = _("jobbstatus")

    def __str__(self):
        return self.job
