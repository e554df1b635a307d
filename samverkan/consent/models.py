"""Consent (samtycke) to break confidentiality between principals for one child.

Each principal's information is confidential towards the others. As the BUS agreement
says, a *written* consent is obtained from those entitled (the guardians; from 15 also the
young person) for the *specific occasion*. So a consent here:

- is recorded by one unit, and opens only that unit's principal's information to the units
  it names: never another principal's information to the unit that recorded it;
- opens only the occasion it names (that forum case, that plan), or the whole child record
  when that is its stated purpose;
- opens anything across principals only when written; a verbal consent is noted and shown
  as such, and opens nothing;
- holds from a date until a date, until revoked by a unit it covers or the one that
  recorded it.

``samverkan.consent.sharing.Sharing`` is the only place that reads these rows to decide.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samverkan.people.models import Child


class ConsentQuerySet(models.QuerySet):
    def valid(self, on: datetime.date | None = None):
        """In force on the day: started, not ended, not revoked."""
        on = on or timezone.localdate()
        return self.filter(given_on__lte=on, valid_until__gte=on, revoked_on__isnull=True)

    def opening(self, on: datetime.date | None = None):
        """In force and written: the only consents that open anything across principals."""
        return self.valid(on).filter(form=Consent.Form.WRITTEN)

    def for_purpose(self, purpose):
        if purpose is None:
            return self
        return self.filter(
            purpose_type=ContentType.objects.get_for_model(purpose), purpose_id=purpose.pk
        )


class Consent(models.Model):
    class Form(models.TextChoices):
        WRITTEN = "written", _("Skriftligt")
        VERBAL = "verbal", _("Muntligt, antecknat")

    child = models.ForeignKey(
        "people.Child", verbose_name=_("barn"), on_delete=models.CASCADE, related_name="consents"
    )
    given_by_guardians = models.ManyToManyField(
        "people.Guardian", verbose_name=_("lämnat av vårdnadshavare"), blank=True
    )
    given_by_child = models.BooleanField(
        _("lämnat av barnet"),
        default=False,
        help_text=_("När barnet har nått den ålder och mognad som krävs."),
    )
    form = models.CharField(_("form"), max_length=8, choices=Form.choices)
    document = models.FileField(
        _("inskannat samtycke"),
        upload_to="consents/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png"])],
        help_text=_("PDF, JPEG eller PNG, högst 10 MB."),
    )
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("antecknat av"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    recorded_by_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("registrerat av verksamhet"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Samtycket öppnar bara den här verksamhetens huvudmans uppgifter."),
    )
    units = models.ManyToManyField(
        "organisations.Unit",
        verbose_name=_("verksamheter som får ta del"),
        related_name="consents",
        help_text=_("Verksamheterna som får ta del av uppgifterna om barnet."),
    )
    purpose_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose_id = models.PositiveBigIntegerField(null=True, blank=True)
    purpose = GenericForeignKey("purpose_type", "purpose_id")
    purpose_text = models.CharField(
        _("för tillfället"),
        max_length=200,
        help_text=_("Ärendet eller mötet samtycket gäller, som det står på blanketten."),
    )
    given_on = models.DateField(_("lämnat den"))
    valid_until = models.DateField(_("gäller till och med"))
    revoked_on = models.DateField(_("återkallat den"), null=True, blank=True)
    revocation_reason = models.CharField(_("skäl till återkallelse"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("återkallelsen registrerad av"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        indexes = [models.Index(fields=["purpose_type", "purpose_id"], name="consent_purpose")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("given_on")), name="consent_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Samtycke %(start)s–%(end)s") % {
            "start": f"{self.given_on:%Y-%m-%d}",
            "end": f"{self.valid_until:%Y-%m-%d}",
        }

    def get_absolute_url(self) -> str:
        """Where the consent is read: on the page of what it is for."""
        return (self.purpose or self.child).get_absolute_url()

    @property
    def audit_label(self) -> str:
        return f"Samtycke {self.pk}"

    @property
    def audit_child_id(self) -> int:
        return self.child_id

    @property
    def is_written(self) -> bool:
        return self.form == self.Form.WRITTEN

    @property
    def covers_whole_record(self) -> bool:
        return self.purpose_type_id == ContentType.objects.get_for_model(Child).pk

    def clean(self):
        errors = {}
        if self.given_on and self.valid_until and self.valid_until < self.given_on:
            errors["valid_until"] = _("Slutdatum kan inte ligga före datumet samtycket lämnades.")
        if self.given_on and self.given_on > timezone.localdate():
            errors["given_on"] = _("Ett samtycke kan inte vara lämnat i framtiden.")
        if self.form == self.Form.VERBAL and not self.noted_by_id:
            errors["noted_by"] = _("Ange vem som antecknade det muntliga samtycket.")
        if errors:
            raise ValidationError(errors)

    def status(self, on: datetime.date | None = None) -> str:
        on = on or timezone.localdate()
        if self.revoked_on:
            return "revoked"
        if on < self.given_on:
            return "pending"
        if on > self.valid_until:
            return "expired"
        return "valid"

    def get_status_display(self) -> str:
        return {
            "revoked": _("Återkallat"),
            "pending": _("Börjar gälla senare"),
            "expired": _("Har gått ut"),
            "valid": _("Gäller"),
        }[self.status()]
