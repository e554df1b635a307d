"""Children and their guardians: the personal data every BUS process is about.

A child record belongs to the unit that registered it (``owning_unit``): each unit keeps
the identity it typed itself. Typing a personnummer that another unit has registered never
reaches that unit's record: ``find_or_register`` looks only among the unit's own records,
so nothing a user types widens what they see. Records of the same child held by different
units are linked only by the number, which the log reviewer uses for a child's log extract.

A child without personnummer or samordningsnummer (newly arrived, unaccompanied) is
registered with a *reservnummer* instead (``reserve_number``; the formats are in
``samverkan.identity.normalise_reserve_number``). The two are kept apart everywhere: a
record has exactly one of them, each in its own field, and a reservnummer is only ever
compared with reservnummer. When the child gets its personnummer, the owning unit replaces
the reservnummer (``replace_reserve_number``); the old number stays in the record's
``number_changes``.

Who may see a record is decided by the rules in ``accounts/rules.py`` (backed by
``samverkan.consent.access``); views reach a record only through ``permissions.load``.
"""

import contextlib
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from personnummer import personnummer

from samverkan.identity import normalise_reserve_number


def normalise_personal_number(value: str) -> str:
    """ "YYYYMMDD-NNNN" for a valid personnummer or samordningsnummer; ValueError otherwise.

    Twelve digits beginning with 99 are refused: no one is born in the year 99xx, and such
    a number is Region Stockholm's reservnummer (``normalise_reserve_number``)."""
    try:
        number = personnummer.parse(value.strip())
    except (personnummer.PersonnummerException, TypeError, ValueError) as error:
        raise ValueError(value) from error
    digits = number.format(long_format=True)
    if digits.startswith("99"):
        raise ValueError(value)
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


RESERVE_NUMBER_FORMAT = _(
    "Ett reservnummer skrivs ÅÅÅÅMMDD-XNNN (barnets födelsedatum och fyra tecken, det första "
    "en bokstav, till exempel 20170101-T001) eller som Region Stockholms tolv siffror som "
    "börjar med 99 (till exempel 991981000010)."
)


def validate_reserve_number(value: str) -> None:
    try:
        normalise_reserve_number(value)
    except ValueError:
        raise ValidationError(
            _("Ange ett giltigt reservnummer. %(format)s"),
            code="invalid_reserve_number",
            params={"format": RESERVE_NUMBER_FORMAT},
        ) from None


NUMBER_NEEDED = _(
    "Ange barnets personnummer eller samordningsnummer, eller ett reservnummer om barnet "
    "saknar båda."
)
BOTH_NUMBERS = _(
    "Ange antingen personnummer eller reservnummer, inte båda. Har barnet fått ett "
    "personnummer gäller det."
)
NUMBER_TAKEN = _(
    "Din verksamhet har redan ett annat barn registrerat med personnumret %(number)s. "
    "Inget har ändrats. Kontrollera numret; gäller det samma barn, fortsätt arbetet i den "
    "andra registreringen."
)


class Child(models.Model):
    personal_number = models.CharField(
        _("personnummer eller samordningsnummer"),
        max_length=13,
        blank=True,
        db_index=True,
        validators=[validate_personal_number],
        help_text=_("Tolv siffror: ÅÅÅÅMMDD-NNNN. Samordningsnummer har dagen plus 60."),
    )
    reserve_number = models.CharField(
        _("reservnummer"),
        max_length=13,
        blank=True,
        db_index=True,
        validators=[validate_reserve_number],
        help_text=_(
            "Bara för barn som saknar personnummer och samordningsnummer. Ersätts med "
            "personnumret när barnet får ett."
        ),
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
                fields=["personal_number", "owning_unit"],
                condition=~Q(personal_number=""),
                name="child_number_per_unit",
            ),
            models.UniqueConstraint(
                fields=["reserve_number", "owning_unit"],
                condition=~Q(reserve_number=""),
                name="child_reserve_number_per_unit",
            ),
            # Exactly one number: a personnummer (or samordningsnummer), or a reservnummer.
            models.CheckConstraint(
                condition=Q(personal_number="", reserve_number__gt="")
                | Q(reserve_number="", personal_number__gt=""),
                name="child_one_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs):
        # Stored one way (YYYYMMDD-NNNN, and a reservnummer as normalise_reserve_number
        # gives it) so that lookups match; an invalid number is left as given for
        # full_clean() to report.
        if self.personal_number:
            with contextlib.suppress(ValueError):
                self.personal_number = normalise_personal_number(self.personal_number)
        if self.reserve_number:
            with contextlib.suppress(ValueError):
                self.reserve_number = normalise_reserve_number(self.reserve_number)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("people:child", args=[self.pk])

    def clean(self):
        super().clean()
        if bool(self.personal_number) == bool(self.reserve_number):
            raise ValidationError(NUMBER_NEEDED if not self.personal_number else BOTH_NUMBERS)

    @property
    def audit_label(self) -> str:
        # What the access log keeps: never the name or the number.
        return f"Barn {self.pk}"

    @property
    def audit_child_id(self) -> int:
        return self.pk

    @property
    def is_coordination_number(self) -> bool:
        return bool(self.personal_number) and int(self.personal_number[6:8]) > 60

    @property
    def number(self) -> str:
        """The number the child is known by: the personnummer, or else the reservnummer.
        Show it with ``number_label`` (the template ``people/_number.html`` does)."""
        return self.personal_number or self.reserve_number

    @property
    def number_label(self) -> str:
        if self.reserve_number:
            return _("Reservnummer")
        if self.is_coordination_number:
            return _("Samordningsnummer")
        return _("Personnummer")

    def birth_date(self) -> datetime.date | None:
        """From the number; a samordningsnummer has 60 added to the day. A reservnummer in
        Region Stockholm's format carries no birth date: None."""
        if self.reserve_number.startswith("99"):
            return None
        number = self.personal_number or self.reserve_number
        day = int(number[6:8])
        day = day - 60 if day > 60 else day
        return datetime.date(int(number[:4]), int(number[4:6]), day)

    def age_on(self, day: datetime.date) -> int | None:
        born = self.birth_date()
        if born is None:
            return None
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


class NumberChange(models.Model):
    """The owning unit replaced the child's reservnummer with its personnummer. Kept for
    as long as the record: the old number is how other papers may still name the child."""

    child = models.ForeignKey(
        Child, verbose_name=_("barn"), on_delete=models.CASCADE, related_name="number_changes"
    )
    old_number = models.CharField(_("tidigare reservnummer"), max_length=13, db_index=True)
    new_number = models.CharField(_("nytt personnummer"), max_length=13)
    changed_at = models.DateTimeField(_("ändrat"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ändrat av"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("nummerbyte")
        verbose_name_plural = _("nummerbyten")

    def __str__(self) -> str:
        return f"{self.old_number} → {self.new_number}"

    @property
    def audit_label(self) -> str:
        return f"Nummerbyte {self.pk}"  # never the numbers

    @property
    def audit_child_id(self) -> int:
        return self.child_id


def full_clean_number(value: str) -> str:
    """Normalise or raise ValidationError (for forms)."""
    validate_personal_number(value)
    return normalise_personal_number(value)


NAME_NEEDED = _(
    "Ange barnets för- och efternamn. Din verksamhet har inte registrerat barnet tidigare; "
    "varje verksamhet registrerar barnet med de uppgifter den själv har."
)


def find_or_register(
    personal_number="", *, reserve_number="", first_name, last_name, unit, user, protected=False
):
    """``unit``'s own record of the child with this number, or a new one owned by ``unit``;
    None when the unit has no record yet and a name is missing (the caller tells the user).

    Give either ``personal_number`` or ``reserve_number``, normalised (the forms do). A
    reservnummer is looked for only among reservnummer: the unit's records that have it,
    or had it before the unit replaced it with the personnummer.

    Only the unit's own records are looked at: a number another unit registered reveals
    nothing, not even that it is registered."""
    if bool(personal_number) == bool(reserve_number):
        raise ValueError("give exactly one of personal_number and reserve_number")
    own = Child.objects.filter(owning_unit=unit)
    if personal_number:
        child = own.filter(personal_number=personal_number).first()
    else:
        child = (
            own.filter(reserve_number=reserve_number).first()
            or own.filter(number_changes__old_number=reserve_number).first()
        )
    if child is not None:
        return child
    if not first_name or not last_name:
        return None
    return Child.objects.create(
        personal_number=personal_number,
        reserve_number=reserve_number,
        first_name=first_name,
        last_name=last_name,
        protected_identity=protected,
        owning_unit=unit,
        created_by=user,
    )


class NumberTaken(Exception):
    """The owning unit already has another record with the personnummer."""


def replace_reserve_number(child: Child, personal_number: str, user) -> NumberChange:
    """Give ``child`` (a record with a reservnummer) its personnummer, keeping the old
    number in its history. Raises ``NumberTaken`` (and changes nothing) when the owning unit
    already has another record with that number: records are never merged. Only the owning
    unit's records are compared; another unit's record of the same child is its own."""
    personal_number = normalise_personal_number(personal_number)
    taken = Child.objects.filter(
        owning_unit_id=child.owning_unit_id, personal_number=personal_number
    )
    try:
        with transaction.atomic():
            locked = Child.objects.select_for_update().get(pk=child.pk)
            if not locked.reserve_number:
                raise ValueError("the record has no reservnummer to replace")
            if taken.exclude(pk=child.pk).exists():
                raise NumberTaken(personal_number)
            change = NumberChange.objects.create(
                child=locked,
                old_number=locked.reserve_number,
                new_number=personal_number,
                changed_by=user,
            )
            locked.personal_number, locked.reserve_number = personal_number, ""
            locked.save(update_fields=["personal_number", "reserve_number"])
    except IntegrityError:
        # Another record got the number at the same moment (the unique constraint).
        raise NumberTaken(personal_number) from None
    child.personal_number, child.reserve_number = personal_number, ""
    return change
