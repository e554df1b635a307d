"""The structure of BUS: principals, their units, the local groups and the bodies they run.

A *principal* (huvudman) is a municipality, the Region, an independent-school owner or a
municipal federation. It runs *units* (a school, a BUP clinic, a social-services unit).
The county is divided among 33 *local groups*, each covering a municipality or some of
Stockholm city's districts (*areas*). Each local group, and the county itself, has *bodies*
(steering group, working group, individforum, BUSSAM ...), whose *memberships* are held by a
person or stand vacant as a function ("Enhetschef, BUP").
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from stdnum.se import orgnr

from samverkan.sorting import Swedish


def validate_organisation_number(value: str) -> None:
    if not orgnr.is_valid(value):
        raise ValidationError(
            _("Ange ett giltigt organisationsnummer, tio siffror som 212000-0142."),
            code="invalid_orgnr",
        )


class Principal(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommun")
        REGION = "region", _("Region")
        INDEPENDENT_SCHOOL_OWNER = "independent_school_owner", _("Huvudman för fristående skola")
        FEDERATION = "federation", _("Kommunalförbund")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=32, choices=Kind.choices)
    organisation_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        unique=True,
        validators=[validate_organisation_number],
        help_text=_("Tio siffror, med eller utan bindestreck: 212000-0142."),
    )

    class Meta:
        ordering = [Swedish("name")]
        verbose_name = _("huvudman")
        verbose_name_plural = _("huvudmän")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if orgnr.is_valid(self.organisation_number):
            self.organisation_number = orgnr.format(self.organisation_number)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organisations:principal", args=[self.pk])


class Area(models.Model):
    """A municipality, or one of Stockholm city's district areas (stadsdelsområden)."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommun")
        DISTRICT = "district", _("Stadsdelsområde")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices)
    municipality = models.ForeignKey(
        Principal,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="areas",
        limit_choices_to={"kind": Principal.Kind.MUNICIPALITY},
    )

    class Meta:
        ordering = [Swedish("name")]
        verbose_name = _("område")
        verbose_name_plural = _("områden")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    class Kind(models.TextChoices):
        PRESCHOOL = "preschool", _("Förskola")
        COMPULSORY_SCHOOL = "compulsory_school", _("Grundskola")
        UPPER_SECONDARY_SCHOOL = "upper_secondary_school", _("Gymnasieskola")
        STUDENT_HEALTH = "student_health", _("Elevhälsa")
        SOCIAL_SERVICES = "social_services", _("Socialtjänst, barn och unga")
        BUP = "bup", _("Barn- och ungdomspsykiatri (BUP)")
        BUMM = "bumm", _("Barn- och ungdomsmedicin (BUMM)")
        HABILITATION = "habilitation", _("Habilitering")
        YOUTH_CLINIC = "youth_clinic", _("Ungdomsmottagning")
        CHILD_HEALTH_CARE = "child_health_care", _("Barnhälsovård (BVC)")
        PRIMARY_CARE = "primary_care", _("Primärvård")
        OTHER = "other", _("Annan verksamhet")

    principal = models.ForeignKey(
        Principal, verbose_name=_("huvudman"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ av verksamhet"), max_length=32, choices=Kind.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("område"),
        on_delete=models.PROTECT,
        related_name="units",
        null=True,
        blank=True,
        help_text=_("Lämna tomt för verksamheter som tjänar hela länet."),
    )
    email = models.EmailField(_("funktionsbrevlåda"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    address = models.CharField(_("besöksadress"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = [Swedish("name")]
        verbose_name = _("verksamhet")
        verbose_name_plural = _("verksamheter")
        constraints = [
            models.UniqueConstraint(fields=["principal", "name"], name="unit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:unit", args=[self.pk])


# Said wherever someone tries to change their own roles, seats or memberships: in the admin
# and, as a backstop for every path, by the role-change signals in ``accounts/signals.py``.
SELF_CHANGE_REFUSED = _(
    "Du kan inte ändra dina egna roller, platser eller anställningar. Be en annan administratör."
)


class UnitMembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class UnitMembership(models.Model):
    """A user works at a unit, as staff or as its manager (with decision mandate)."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Personal")
        MANAGER = "manager", _("Chef")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="unit_memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("verksamhet"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("roll"), max_length=16, choices=Role.choices, default=Role.STAFF)
    title = models.CharField(
        _("befattning"), max_length=120, blank=True, help_text=_("Till exempel enhetschef.")
    )
    valid_from = models.DateField(_("gäller från"), default=timezone.localdate)
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)

    objects = UnitMembershipQuerySet.as_manager()

    class Meta:
        ordering = [Swedish("unit__name")]
        verbose_name = _("anställning")
        verbose_name_plural = _("anställningar")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "valid_from"], name="unitmembership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.unit} ({self.get_role_display()})"

    def clean(self):
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Slutdatum kan inte ligga före startdatum.")})


class LocalGroupQuerySet(models.QuerySet):
    def seated(self, user):
        """The groups in one of whose bodies ``user`` holds a current seat."""
        seats = Membership.objects.current().filter(user=user, body__local_group__isnull=False)
        return self.filter(pk__in=seats.values("body__local_group_id"))


class LocalGroup(models.Model):
    """One of the county's local BUS groups."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=80, unique=True)
    areas = models.ManyToManyField(Area, verbose_name=_("områden"), related_name="local_groups")
    description = models.TextField(_("beskrivning"), blank=True)
    mailbox = models.EmailField(
        _("funktionsbrevlåda"),
        blank=True,
        help_text=_("Gruppens gemensamma e-postadress, visas i den öppna kontaktlistan."),
    )

    objects = LocalGroupQuerySet.as_manager()

    class Meta:
        ordering = [Swedish("name")]
        verbose_name = _("lokal BUS-grupp")
        verbose_name_plural = _("lokala BUS-grupper")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:group", args=[self.slug])


class Body(models.Model):
    class Kind(models.TextChoices):
        STEERING = "steering", _("Styrgrupp")
        WORKING = "working", _("Arbetsgrupp")
        INDIVIDFORUM = "individforum", _("Individforum")
        CONSULTATION = "consultation", _("Samrådsgrupp")
        BUSSAM = "bussam", _("BUSSAM")
        SECRETARIAT = "secretariat", _("BUS-sekretariat")
        PRESIDIUM = "presidium", _("Presidiegrupp")

    class Level(models.TextChoices):
        COUNTY = "county", _("Länsnivå")
        LOCAL = "local", _("Lokal nivå")

    class Cadence(models.TextChoices):
        PER_TERM = "per_term", _("Minst en gång per termin")
        YEARLY = "yearly", _("En gång per år")
        SEVERAL_PER_YEAR = "several_per_year", _("Flera gånger per år")
        ON_DEMAND = "on_demand", _("Vid behov")
        CONTINUOUS = "continuous", _("Löpande")

    COUNTY_KINDS = {Kind.BUSSAM, Kind.SECRETARIAT, Kind.PRESIDIUM}

    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("nivå"), max_length=8, choices=Level.choices)
    local_group = models.ForeignKey(
        LocalGroup,
        verbose_name=_("lokal BUS-grupp"),
        on_delete=models.CASCADE,
        related_name="bodies",
        null=True,
        blank=True,
    )
    cadence = models.CharField(_("mötesfrekvens"), max_length=20, choices=Cadence.choices)
    cadence_note = models.CharField(
        _("om mötena"),
        max_length=300,
        blank=True,
        help_text=_("Till exempel vem som är sammankallande eller hur sammankallandet roterar."),
    )
    remit = models.TextField(pgettext_lazy("a body's remit", "uppdrag"), blank=True)
    mailbox = models.EmailField(
        _("funktionsbrevlåda"),
        blank=True,
        help_text=_("Organets gemensamma e-postadress, t.ex. BUS-sekretariatets."),
    )

    class Meta:
        ordering = [Swedish("local_group__name"), "kind", Swedish("name")]
        verbose_name = _("organ")
        verbose_name_plural = pgettext_lazy("plural", "organ")
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="local", local_group__isnull=False))
                | (Q(level="county", local_group__isnull=True)),
                name="body_level_matches_group",
            ),
        ]

    def __str__(self) -> str:
        if self.local_group_id:
            return f"{self.name} ({self.local_group})"
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:body", args=[self.pk])

    def clean(self):
        if self.level == self.Level.LOCAL and not self.local_group_id:
            raise ValidationError({"local_group": _("Ett lokalt organ måste höra till en grupp.")})
        if self.level == self.Level.COUNTY and self.local_group_id:
            raise ValidationError(
                {"local_group": _("Ett organ på länsnivå hör inte till en grupp.")}
            )
        if self.kind in self.COUNTY_KINDS and self.level != self.Level.COUNTY:
            raise ValidationError({"level": _("Den här typen av organ finns bara på länsnivå.")})


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )


class Membership(models.Model):
    """A seat in a body: held by a person, or a function that stands vacant."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Ordförande")
        CONVENER = "convener", _("Sammankallande")
        SECRETARY = "secretary", _("Sekreterare")
        MEMBER = "member", _("Ledamot")
        CO_OPTED = "co_opted", _("Adjungerad")

    LEADING_ROLES = {Role.CHAIR, Role.CONVENER, Role.SECRETARY}

    body = models.ForeignKey(
        Body, verbose_name=_("organ"), on_delete=models.CASCADE, related_name="memberships"
    )
    function = models.CharField(
        _("funktion"),
        max_length=200,
        help_text=_("Befattningen platsen är knuten till, till exempel Enhetschef, BUP."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("verksamhet"),
        on_delete=models.PROTECT,
        related_name="body_memberships",
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        related_name="body_memberships",
        null=True,
        blank=True,
        help_text=_("Lämna tomt om funktionen är vakant."),
    )
    role = models.CharField(_("roll"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["body", "role", "function"]
        verbose_name = _("medlemskap")
        verbose_name_plural = pgettext_lazy("plural", "medlemskap")

    def __str__(self) -> str:
        holder = self.user.get_full_name() if self.user_id else _("vakant")
        return f"{self.function}, {self.body}: {holder}"

    @property
    def is_vacant(self) -> bool:
        return self.user_id is None

    def clean(self):
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Slutdatum kan inte ligga före startdatum.")})
