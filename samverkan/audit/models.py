"""The access log: who saw which record, when, in which role and why; and who was refused."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Visade")
        CHANGE = "change", _("Ändrade")
        EXPORT = "export", _("Exporterade")
        SEARCH = "search", _("Sökte")
        DENIED = "denied", _("Nekades")

    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # Kept as text too, so the log still reads right if the account is renamed.
    user_label = models.CharField(_("användare (vid tillfället)"), max_length=254, blank=True)
    role = models.CharField(_("roll"), max_length=300, blank=True)
    action = models.CharField(_("händelse"), max_length=8, choices=Action.choices)
    object_type = models.CharField(_("posttyp"), max_length=100, blank=True)
    object_id = models.CharField(_("post-id"), max_length=64, blank=True)
    object_label = models.CharField(_("post"), max_length=200, blank=True)
    reason = models.CharField(_("skäl"), max_length=300, blank=True)
    path = models.CharField(_("adress"), max_length=500, blank=True)
    method = models.CharField(_("metod"), max_length=8, blank=True)
    status_code = models.PositiveSmallIntegerField(_("svarskod"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("loggpost")
        verbose_name_plural = _("åtkomstlogg")
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="accesslog_object"),
            models.Index(fields=["user", "at"], name="accesslog_user"),
        ]

    def __str__(self) -> str:
        what = f"{self.object_type}:{self.object_id}" if self.object_type else self.path
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.get_action_display()} {what}"
