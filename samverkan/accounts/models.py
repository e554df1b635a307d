"""Users. A user's roles come from where they work (units), the seats they hold in bodies,
and the system roles below; see ``organisations/standing.py`` and ``rules.py``. Every change
to them is logged in ``RoleChange`` (see ``signals.py``)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EmailUserManager(UserManager):
    """Users log in with their e-mail address; the username is the address too."""

    def _create_user(self, username, email, password, **extra_fields):
        email = self.normalize_email(email or username)
        return super()._create_user(email, email, password, **extra_fields)

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, email, password, **extra_fields)


class User(AbstractUser):
    email = models.EmailField(_("e-postadress"), unique=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    is_secretariat = models.BooleanField(
        _("BUS-sekretariatet"),
        default=False,
        help_text=_("Ser länets avvikelser (utan identitet) och sammanställningar."),
    )
    is_log_reviewer = models.BooleanField(
        _("logggranskare"),
        default=False,
        help_text=_("Får granska åtkomstloggen."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("användare")
        verbose_name_plural = pgettext_lazy("plural", "användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.username = self.email
        super().save(*args, **kwargs)


class RoleChange(models.Model):
    """One change to someone's roles: a system flag, a unit membership, a seat in a body, a
    group or permission, or a new account. Written by ``signals.py`` whenever the change is
    saved, by whatever path (the admin, a view, a command), and never changed afterwards:
    the log reviewers read it beside the access log."""

    class Kind(models.TextChoices):
        FLAG = "flag", _("Systemroll")
        UNIT = "unit", _("Anställning")
        SEAT = "seat", _("Plats i organ")
        GROUP = "group", _("Grupp eller behörighet")
        ACCOUNT = "account", _("Nytt konto")

    class Source(models.TextChoices):
        ADMIN = "admin", _("Administrationen")
        APP = "app", _("Tjänsten")
        COMMAND = "command", _("Kommando")

    at = models.DateTimeField(_("tidpunkt"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ändrad av"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Tomt när ändringen gjordes av ett kommando, utan inloggad användare."),
    )
    # Kept as text too, so the log still reads right if the account is renamed.
    actor_label = models.CharField(_("ändrad av (vid tillfället)"), max_length=300, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vems roller"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_label = models.CharField(_("vems roller (vid tillfället)"), max_length=300)
    kind = models.CharField(_("slag"), max_length=8, choices=Kind.choices)
    change = models.CharField(_("ändring"), max_length=500)
    source = models.CharField(_("källa"), max_length=8, choices=Source.choices)
    path = models.CharField(_("adress"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("rolländring")
        verbose_name_plural = _("rolländringar")
        indexes = [
            models.Index(fields=["subject", "at"], name="rolechange_subject"),
            models.Index(fields=["actor", "at"], name="rolechange_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.subject_label}: {self.change}"

    def save(self, *args, **kwargs):
        # Append-only: a row is written once. (On PostgreSQL the database refuses UPDATE and
        # DELETE too; see migration 0002.)
        if not self._state.adding:
            raise PermissionDenied(_("Rolländringsloggen kan inte ändras."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("Rolländringsloggen kan inte ändras."))
