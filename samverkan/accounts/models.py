"""Users. A user's roles come from where they work (units), the seats they hold in bodies,
and the system roles below; see ``roles.py`` and ``rules.py``."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
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
