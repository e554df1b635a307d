"""Children and their guardians: the personal data every BUS process is about.

A child record belongs to the unit that registered it (``owning_unit``): each unit keeps
the identity it typed itself. Typing a personnummer that another unit has registered never
reaches that unit's record: ``find_or_register`` looks only among the unit's own records,
so nothing a user types widens what they see. Records of the same child held by different
units are linked only by the number, which the log reviewer uses for a child's log extract.

Who may see a record is decided by the rules in ``accounts/rules.py`` (backed by
``samverkan.consent.access``); views reach a record only through ``permissions.load``.
"""

import contextlib
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from personnummer import personnummer


def normalise_personal_number(value: str) -> str:
    """ "YYYYMMDD-NNNN" for a valid personnummer or samordningsnummer; ValueError otherwise."""
    try:
        number = personnummer.parse(value.strip())
    except (personnummer.PersonnummerException, TypeError, ValueError) as error:
        raise ValueError(value) from error
    digits = number.format(long_format=True)
    return f"{digits[:8]}-{digits[8:]}"


def validate_personal_number(value: str) -> None:
    try:
        normalise_personal_number(value)
    except ValueError:
        raise ValidationError(
            _(
                "Ange ett giltigt personnummer eller samordningsnummer, till exempel "
                "20170101-2393. Kontrollera siffrorna: den sista är en kontrollsiffra."
            ),
            code="invalid_personal_number",
        ) from None


class Child(models.Model):
    personal_number = models.CharField(
        _("personnummer eller samordningsnummer"),
        max_length=13,
        db_index=True,
        validators=[validate_personal_number],
        help_text=_("Tolv siffror: ÅÅÅÅMMDD-NNNN. Samordningsnummer har dagen plus 60."),
    )
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    address = models.CharField(_("adress"), max_length=200, blank=True)
    protected_identity = models.BooleanField(
        _("skyddade personuppgifter"),
        default=False,
        help_text=_("Namn och kontaktuppgifter visas då bara för den ansvariga verksamheten."),
    )
    owning_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("ansvarig verksamhet"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Verksamheten som registrerade barnet och äger uppgifterna."),
    )
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("barn")
        verbose_name_plural = pgettext_lazy("plural", "barn")
        constraints = [
            models.UniqueConstraint(
                fields=["personal_number", "owning_unit"], name="child_number_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs):
        # Stored one way (YYYYMMDD-NNNN) so that lookups match; an invalid number is left
        # as given for full_clean() to report.
        with contextlib.suppress(ValueError):
            self.personal_number = normalise_personal_number(self.personal_number)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("people:child", args=[self.pk])

    @property
    def audit_label(self) -> str:
        # What the access log keeps: never the name or the number.
        return f"Barn {self.pk}"

    @property
    def audit_child_id(self) -> int:
        return self.pk

    @property
    def is_coordination_number(self) -> bool:
        return int(self.personal_number[6:8]) > 60

    def birth_date(self) -> datetime.date:
        """From the number; a samordningsnummer has 60 added to the day."""
        day = int(self.personal_number[6:8])
        day = day - 60 if day > 60 else day
        return datetime.date(int(self.personal_number[:4]), int(self.personal_number[4:6]), day)

    def age_on(self, day: datetime.date) -> int:
        born = self.birth_date()
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    # What a consent for the whole record opens, and who may be named in one.
    @property
    def sharing_owner(self):
        return self.owning_unit

    def party_unit_ids(self) -> set[int]:
        return {self.owning_unit_id, *self.involvements.values_list("unit_id", flat=True)}


class Guardian(models.Model):
    child = models.ForeignKey(
        Child, verbose_name=_("barn"), on_delete=models.CASCADE, related_name="guardians"
    )
    name = models.CharField(_("namn"), max_length=200)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    address = models.CharField(_("adress"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vårdnadshavare")
        verbose_name_plural = pgettext_lazy("plural", "vårdnadshavare")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return f"Vårdnadshavare {self.pk}"  # never the name

    @property
    def audit_child_id(self) -> int:
        return self.child_id


class Involvement(models.Model):
    """A unit takes part in matters on this record (a forum case, a plan). Not a ground for
    seeing anything: it lists the units a consent for the whole record may name. Other apps
    add these through ``involve()``."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.CASCADE, related_name="child_involvements"
    )
    reason = models.CharField(_("grund"), max_length=200)
    since = models.DateTimeField(_("sedan"), auto_now_add=True)

    class Meta:
        verbose_name = _("deltagande verksamhet")
        verbose_name_plural = _("deltagande verksamheter")
        constraints = [
            models.UniqueConstraint(fields=["child", "unit"], name="involvement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.reason})"


def involve(child: Child, unit, reason: str) -> Involvement:
    involvement, _ = Involvement.objects.get_or_create(
        child=child, unit=unit, defaults={"reason": str(reason)[:200]}
    )
    return involvement


def full_clean_number(value: str) -> str:
    """Normalise or raise ValidationError (for forms)."""
    validate_personal_number(value)
    return normalise_personal_number(value)


NAME_NEEDED = _(
    "Ange barnets för- och efternamn. Din verksamhet har inte registrerat barnet tidigare; "
    "varje verksamhet registrerar barnet med de uppgifter den själv har."
)


def find_or_register(personal_number, *, first_name, last_name, unit, user, protected=False):
    """``unit``'s own record of the child with this number, or a new one owned by ``unit``;
    None when the unit has no record yet and a name is missing (the caller tells the user).

    Only the unit's own records are looked at: a number another unit registered reveals
    nothing, not even that it is registered."""
    child = Child.objects.filter(personal_number=personal_number, owning_unit=unit).first()
    if child is not None:
        return child
    if not first_name or not last_name:
        return None
    return Child.objects.create(
        personal_number=personal_number,
        first_name=first_name,
        last_name=last_name,
        protected_identity=protected,
        owning_unit=unit,
        created_by=user,
    )
