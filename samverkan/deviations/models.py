"""Deviation reports (avvikelser): failures of collaboration between units, not clinical
incidents. A report carries no child's identity. It climbs a ladder: the nearest
supervisors of the units involved handle it locally; if not solved, the individforum; if it
is of a principled nature, the local steering group and then BUSSAM. The secretariat sees
every submitted report, looks for patterns and compiles the year for BUSSAM.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.references.numbers import next_reference


class Category(models.Model):
    """A kind of collaboration failure; the secretariat keeps the list."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)
    is_active = models.BooleanField(_("används"), default=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """The secretariat's own marks for patterns it sees across reports."""

    name = models.CharField(_("namn"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tagg")
        verbose_name_plural = _("taggar")

    def __str__(self) -> str:
        return self.name


class Deviation(models.Model):
    class Step(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUPERVISORS = "supervisors", _("Hos närmaste chefer")
        FORUM = "forum", _("Lyft till individforum")
        STEERING = "steering", _("Hos lokala styrgruppen")
        BUSSAM = "bussam", _("Hos BUSSAM")
        RESOLVED = "resolved", _("Avslutad")

    class AgreementPart(models.TextChoices):
        STARTING_POINTS = "starting_points", _("Gemensamma utgångspunkter")
        RESPONSIBILITY = "responsibility", _("Ansvarsfördelning mellan huvudmännen")
        LOCAL_STRUCTURE = "local_structure", _("Lokal samverkansstruktur och rutiner")
        SIP = "sip", _("Samordnad individuell plan (SIP)")
        INDIVIDFORUM = "individforum", _("BUS individforum")
        CONSENT = "consent", _("Samtycke och sekretess")
        REPORT_OF_CONCERN = "report_of_concern", _("Orosanmälan till socialtjänsten")
        OTHER = "other", _("Annat")

    class Judgement(models.TextChoices):
        NONE = "", _("Ingen bedömning ännu")
        GUIDELINE = "guideline", _("Behov av regional riktlinje")
        CLARIFICATION = "clarification", _("Behov av förtydligande")
        ROUTINE = "routine", _("Behov av samverkansrutin")
        NO_ACTION = "no_action", _("Ingen regional åtgärd")

    OPEN_STEPS = [Step.SUPERVISORS, Step.FORUM, Step.STEERING, Step.BUSSAM]

    reference = models.CharField(_("nummer"), max_length=20, unique=True, null=True, blank=True)
    title = models.CharField(
        _("kort rubrik"),
        max_length=120,
        help_text=_("Följer rapporten genom alla steg. Inga namn eller personnummer."),
    )
    reporting_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("rapporterande verksamhet"),
        on_delete=models.PROTECT,
        related_name="reported_deviations",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rapporterad av"),
        on_delete=models.PROTECT,
        related_name="reported_deviations",
    )
    other_units = models.ManyToManyField(
        "organisations.Unit",
        verbose_name=_("andra parter (verksamheter)"),
        related_name="deviations_as_party",
        blank=True,
    )
    other_principals = models.ManyToManyField(
        "organisations.Principal",
        verbose_name=_("andra parter (huvudmän)"),
        related_name="deviations_as_party",
        blank=True,
        help_text=_("När ingen särskild verksamhet kan pekas ut."),
    )
    local_group = models.ForeignKey(
        "organisations.LocalGroup",
        verbose_name=_("lokal BUS-grupp"),
        on_delete=models.PROTECT,
        related_name="deviations",
    )
    occurred_on = models.DateField(_("datum för händelsen"))
    what_happened = models.TextField(_("vad hände"))
    consequence = models.TextField(_("konsekvens för barnet"))
    done_locally = models.TextField(_("vad har gjorts lokalt"), blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="deviations"
    )
    agreement_part = models.CharField(
        _("del av BUS-överenskommelsen"), max_length=24, choices=AgreementPart.choices
    )
    step = models.CharField(_("steg"), max_length=12, choices=Step.choices, default=Step.DRAFT)
    is_principled = models.BooleanField(_("av principiell karaktär"), default=False)
    principled_question = models.TextField(_("principiell fråga"), blank=True)
    forum_case = models.ForeignKey(
        "forum.ForumCase",
        verbose_name=_("ärende i individforum"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deviations",
    )
    outcome = models.TextField(_("hur det hanterades"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    # The secretariat's reading: never an investigation of the single case.
    read_by_secretariat_at = models.DateTimeField(_("läst av sekretariatet"), null=True, blank=True)
    tags = models.ManyToManyField(
        Tag, verbose_name=_("taggar"), blank=True, related_name="deviations"
    )
    judgement = models.CharField(
        _("sekretariatets bedömning"), max_length=16, choices=Judgement.choices, blank=True
    )
    judgement_note = models.TextField(_("kommentar till bedömningen"), blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("avvikelse")
        verbose_name_plural = _("avvikelser")
        indexes = [
            models.Index(fields=["step", "submitted_at"], name="deviation_step"),
            models.Index(fields=["local_group", "occurred_on"], name="deviation_group"),
            models.Index(fields=["occurred_on"], name="deviation_occurred"),
            # The secretariat's inbox, newest first.
            models.Index(fields=["submitted_at", "id"], name="deviation_submitted"),
            # What the secretariat has not read yet (its start page counts them, its inbox
            # lists them): a few rows of a county's, or a country's, reports.
            models.Index(
                fields=["submitted_at", "id"],
                name="deviation_unread",
                condition=models.Q(read_by_secretariat_at__isnull=True)
                & ~models.Q(step="draft"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or _('Utkast')}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("deviations:detail", args=[self.pk])

    @property
    def audit_label(self) -> str:
        return self.reference or f"Utkast {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.step in self.OPEN_STEPS

    @property
    def quarter(self) -> str:
        return f"{self.occurred_on.year} Q{(self.occurred_on.month - 1) // 3 + 1}"

    @classmethod
    def next_reference(cls, year: int) -> str:
        return next_reference(cls, "AV", year)


class Event(models.Model):
    """A step on the ladder: who did what and when."""

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="events")
    from_step = models.CharField(_("från"), max_length=12, choices=Deviation.Step.choices)
    to_step = models.CharField(_("till"), max_length=12, choices=Deviation.Step.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("av"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now)
    note = models.TextField(_("anteckning"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")

    def __str__(self) -> str:
        return f"{self.deviation}: {self.get_to_step_display()}"


class Action(models.Model):
    """An action (åtgärd) decided at some step, with an owner and a due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Pågår")
        DONE = "done", _("Klar")

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="actions")
    step = models.CharField(_("steg"), max_length=12, choices=Deviation.Step.choices)
    text = models.CharField(_("åtgärd"), max_length=300)
    owner = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("ansvarig verksamhet"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("klar senast"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")

    def __str__(self) -> str:
        return self.text

    def is_late(self, on: datetime.date | None = None) -> bool:
        return self.status == self.Status.OPEN and self.due_on < (on or timezone.localdate())
