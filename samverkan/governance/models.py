"""Governance of BUS: agreements and their revisions, the bodies' meetings with minutes,
decisions and action items, the documents library, and the yearly follow-up per group.

The local groups must meet at least once a term, keep minutes, sign and revise local
agreements and follow them up every year with indicators computed from the data.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Agreement(models.Model):
    class Kind(models.TextChoices):
        REGIONAL = "regional", _("Regional överenskommelse")
        LOCAL = "local", _("Lokal överenskommelse")

    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    local_group = models.ForeignKey(
        "organisations.LocalGroup",
        verbose_name=_("lokal BUS-grupp"),
        on_delete=models.PROTECT,
        related_name="agreements",
        null=True,
        blank=True,
    )
    title = models.CharField(_("titel"), max_length=200)
    parties = models.ManyToManyField(
        "organisations.Principal", verbose_name=_("parter"), related_name="agreements"
    )
    signed_on = models.DateField(_("undertecknad"))
    next_follow_up_on = models.DateField(_("nästa årliga uppföljning"), null=True, blank=True)
    summary = models.TextField(_("sammanfattning"), blank=True)

    class Meta:
        ordering = ["kind", "local_group__name", "-signed_on"]
        verbose_name = _("överenskommelse")
        verbose_name_plural = pgettext_lazy("plural", "överenskommelser")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:agreement", args=[self.pk])

    def clean(self):
        if self.kind == self.Kind.LOCAL and not self.local_group_id:
            raise ValidationError({"local_group": _("En lokal överenskommelse hör till en grupp.")})


class Signatory(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    function = models.CharField(_("funktion"), max_length=200)
    name = models.CharField(_("namn"), max_length=200)
    principal = models.ForeignKey(
        "organisations.Principal",
        verbose_name=_("huvudman"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("undertecknare")
        verbose_name_plural = pgettext_lazy("plural", "undertecknare")

    def __str__(self) -> str:
        return f"{self.name}, {self.function}"


class AgreementRevision(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="revisions")
    revised_on = models.DateField(_("reviderad"))
    note = models.CharField(_("vad som ändrades"), max_length=300, blank=True)

    class Meta:
        ordering = ["revised_on"]
        verbose_name = _("revidering")
        verbose_name_plural = _("revideringar")

    def __str__(self) -> str:
        return f"{self.agreement} {self.revised_on:%Y-%m}"

    def clean(self):
        if self.revised_on and self.agreement_id and self.revised_on < self.agreement.signed_on:
            raise ValidationError(
                {
                    "revised_on": _(
                        "En revidering kan inte ligga före att överenskommelsen undertecknades "
                        "(%(date)s)."
                    )
                    % {"date": self.agreement.signed_on.isoformat()}
                }
            )


class Meeting(models.Model):
    """A meeting of a body (steering group, working group, BUSSAM ...)."""

    body = models.ForeignKey(
        "organisations.Body",
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    held_on = models.DateField(_("datum"))
    time = models.TimeField(_("klockslag"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    agenda = models.TextField(_("dagordning"), blank=True)
    attendees = models.TextField(
        _("närvarande"), blank=True, help_text=_("En person per rad: namn och funktion.")
    )
    minutes = models.TextField(_("protokoll"), blank=True)
    minutes_recorded_at = models.DateTimeField(_("protokoll fört"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        indexes = [models.Index(fields=["body", "held_on"], name="meeting_body_date")]

    def __str__(self) -> str:
        return f"{self.body} {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", args=[self.pk])

    def start(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.held_on, self.time or datetime.time(9, 0))
        )


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("beslut"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("beslut")
        verbose_name_plural = pgettext_lazy("plural", "beslut")

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Pågår")
        DONE = "done", _("Klar")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(_("åtgärd"), max_length=300)
    owner = models.CharField(
        _("ansvarig"), max_length=200, help_text=_("Person eller funktion som ansvarar.")
    )
    due_on = models.DateField(_("klar senast"))
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("åtgärdspunkt")
        verbose_name_plural = _("åtgärdspunkter")

    def __str__(self) -> str:
        return self.text


class ConvenerRotation(models.Model):
    """A rotating convenership, e.g. Norrtälje's consultation group: KSON 2020, the school
    boards 2021, the social board 2022, then round again.

    The turns (``RotationTurn``) come round in their order, one a year, from ``start_year``:
    the year the agreement on the rotation set for the first turn. Before it the rotation
    says nothing (who convened then is not the rotation's to tell)."""

    body = models.OneToOneField(
        "organisations.Body", on_delete=models.CASCADE, related_name="rotation"
    )
    start_year = models.PositiveSmallIntegerField(
        _("första år"), help_text=_("Året då den första parten i turordningen var sammankallande.")
    )

    class Meta:
        verbose_name = _("roterande sammankallande")
        verbose_name_plural = pgettext_lazy("plural", "roterande sammankallande")

    def __str__(self) -> str:
        return str(self.body)

    def get_absolute_url(self) -> str:
        return reverse("governance:rotation", args=[self.body_id])

    def convener_for(self, year: int) -> "RotationTurn | None":
        """The turn that convenes in ``year``, or None before the rotation's first year (or
        for a rotation without turns). Reads ``turns.all()``, so a prefetch serves it."""
        turns = list(self.turns.all())
        if not turns or year < self.start_year:
            return None
        return turns[(year - self.start_year) % len(turns)]

    def years(self, first: int, count: int) -> list[tuple[int, "RotationTurn | None"]]:
        """(year, turn) for ``count`` years from ``first``."""
        return [(year, self.convener_for(year)) for year in range(first, first + count)]


class RotationTurn(models.Model):
    """One party's turn in a rotation: a principal, and where the principal acts through
    one of its boards or committees (Norrtälje kommun's Socialnämnden), that party."""

    rotation = models.ForeignKey(ConvenerRotation, on_delete=models.CASCADE, related_name="turns")
    position = models.PositiveSmallIntegerField(_("plats i turordningen"))
    principal = models.ForeignKey(
        "organisations.Principal",
        verbose_name=_("huvudman"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    party = models.CharField(
        _("part"),
        max_length=200,
        blank=True,
        help_text=_("Den nämnd eller det utskott hos huvudmannen som kallar, om det är ett."),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("tur")
        verbose_name_plural = _("turer")
        constraints = [
            models.UniqueConstraint(fields=["rotation", "position"], name="rotation_turn_once"),
        ]

    def __str__(self) -> str:
        """The principal's full name, after the party that convenes for it when there is one:
        "Socialnämnden, Norrtälje kommun"."""
        if self.party:
            return f"{self.party}, {self.principal.name}"
        return self.principal.name


class Document(models.Model):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Överenskommelse")
        ROUTINE = "routine", _("Rutin")
        CLARIFICATION = "clarification", _("Förtydligande")
        TEMPLATE = "template", _("Mall")
        OTHER = "other", _("Övrigt")

    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("typ"), max_length=14, choices=Kind.choices)
    local_group = models.ForeignKey(
        "organisations.LocalGroup",
        verbose_name=_("lokal BUS-grupp"),
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
        help_text=_("Tomt för regionala dokument."),
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("hör till överenskommelse"),
        on_delete=models.SET_NULL,
        related_name="documents",
        null=True,
        blank=True,
    )
    version = models.CharField(_("version"), max_length=20, default="1")
    summary = models.TextField(_("innehåll i korthet"), blank=True)
    url = models.URLField(_("länk"), blank=True)
    updated_on = models.DateField(_("uppdaterad"))
    fact_checked_on = models.DateField(_("faktagranskad"), null=True, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("redaktör"),
        on_delete=models.PROTECT,
        related_name="edited_documents",
    )
    fact_checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("faktagranskare"),
        on_delete=models.PROTECT,
        related_name="checked_documents",
        null=True,
        blank=True,
    )
    review_due_on = models.DateField(_("granskas senast"))

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("dokument")
        verbose_name_plural = pgettext_lazy("plural", "dokument")

    def __str__(self) -> str:
        return self.title

    @property
    def review_overdue(self) -> bool:
        return self.review_due_on < timezone.localdate()


class YearlyFollowUp(models.Model):
    """A local group's yearly follow-up: indicators computed from the data, the narrative
    the steering group writes, and its approval."""

    local_group = models.ForeignKey(
        "organisations.LocalGroup",
        verbose_name=_("lokal BUS-grupp"),
        on_delete=models.PROTECT,
        related_name="yearly_follow_ups",
    )
    year = models.PositiveSmallIntegerField(_("år"))
    narrative = models.TextField(_("styrgruppens analys"), blank=True)
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkänd av"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    indicators = models.JSONField(_("indikatorer vid godkännandet"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "local_group__name"]
        verbose_name = _("årlig uppföljning")
        verbose_name_plural = _("årliga uppföljningar")
        constraints = [
            models.UniqueConstraint(fields=["local_group", "year"], name="yearly_follow_up_once"),
        ]

    def __str__(self) -> str:
        return f"{self.local_group} {self.year}"
