"""Notifications: what reaches a person when something needs them (a case to convene, a
report at their step, a question for their body), in the app and by e-mail.

A notification never carries a child's identity: a reference number, what happened and a
link; whoever follows the link meets the door like anyone else.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(_("meddelande"), max_length=300)
    url = models.CharField(_("länk"), max_length=300)
    # What it is about ("deviations.deviation:12"): seeing that page marks it as read.
    about = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(_("skapat"), default=timezone.now)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("skickat med e-post"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("meddelande")
        verbose_name_plural = _("meddelanden")
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["user", "about"], name="notification_about"),
        ]

    def __str__(self) -> str:
        return self.text


class Preference(models.Model):
    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("Direkt: ett e-postmeddelande för varje händelse")
        DAILY = "daily", _("En gång om dagen: en sammanfattning")
        OFF = "off", _("Ingen e-post: bara här i Samverkan")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        _("e-post om meddelanden"), max_length=10, choices=Email.choices, default=Email.IMMEDIATE
    )

    class Meta:
        verbose_name = _("inställning för meddelanden")
        verbose_name_plural = _("inställningar för meddelanden")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_display()}"
