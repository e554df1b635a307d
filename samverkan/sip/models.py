"""SIP, samordnad individuell plan (HSL 16 kap 4 §, SoL 2 kap 7 §).

When a child needs interventions from both social services and health care, municipality
and region draw up one plan together, with the consent of the guardians (and the child by
maturity). The initiating unit holds the SIP meeting with a chair and a secretary. The plan
must say which interventions are needed, which principal is responsible for each, what
others than municipality and region do, which principal has the overall responsibility,
and when and how it is followed up. A plan is *established* only when all of that is there;
every establishing or revision keeps the earlier version readable.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from samverkan.consent.models import Consent
from samverkan.consent.sharing import Sharing
from samverkan.organisations.models import Unit
from samverkan.references.numbers import next_reference

# The parts the law requires, in the order the task list shows them.
REQUIRED_PARTS = ["needs", "goals", "interventions", "others_do", "overall", "follow_up"]
# The plan's own text, as a version keeps it.
CONTENT_FIELDS = [
    "needs",
    "child_voice",
    "guardians_voice",
    "goals",
    "others_do",
    "follow_up_how",
]


class PlanQuerySet(models.QuerySet):
    def follow_up_due(self, on: datetime.date | None = None, within_days: int = 14):
        on = on or timezone.localdate()
        return self.filter(
            status=Plan.Status.ESTABLISHED,
            next_follow_up_on__lte=on + datetime.timedelta(days=within_days),
        )

    def follow_up_overdue(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(status=Plan.Status.ESTABLISHED, next_follow_up_on__lt=on)


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        ESTABLISHED = "established", _("Fastställd")
        CLOSED = "closed", _("Avslutad")

    reference = models.CharField(_("nummer"), max_length=20, unique=True, editable=False)
    child = models.ForeignKey(
        "people.Child", verbose_name=_("barn"), on_delete=models.PROTECT, related_name="+"
    )
    initiating_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("initierande verksamhet"),
        on_delete=models.PROTECT,
        related_name="initiated_plans",
        db_index=False,  # (initiating_unit, id) below serves it
    )
    initiated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("anledning till SIP"))
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordförande"),
        on_delete=models.PROTECT,
        related_name="chaired_plans",
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sekreterare"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    meeting_on = models.DateField(_("mötesdag"), null=True, blank=True)
    meeting_time = models.TimeField(_("klockslag"), null=True, blank=True)
    meeting_place = models.CharField(_("plats"), max_length=200, blank=True)
    needs = models.TextField(_("behov"), blank=True)
    child_voice = models.TextField(_("barnets egna ord"), blank=True)
    guardians_voice = models.TextField(_("vårdnadshavarnas egna ord"), blank=True)
    goals = models.TextField(_("mål"), blank=True)
    others_do = models.TextField(
        _("vad andra än kommun och region gör"),
        blank=True,
        help_text=_("Till exempel Försäkringskassan, en förening eller familjen själv."),
    )
    overall_responsible = models.ForeignKey(
        "organisations.Principal",
        verbose_name=_("huvudman med övergripande ansvar"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    follow_up_how = models.TextField(_("hur planen följs upp"), blank=True)
    next_follow_up_on = models.DateField(_("nästa uppföljning"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    established_at = models.DateTimeField(_("fastställd"), null=True, blank=True)
    closed_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    closing_note = models.CharField(_("varför planen avslutades"), max_length=300, blank=True)
    # Optimistic locking: every save of the plan's content bumps it; a save based on an
    # older number is refused, so two people editing never lose a change.
    edit_version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("samordnad individuell plan")
        verbose_name_plural = _("samordnade individuella planer")
        indexes = [
            models.Index(fields=["status", "next_follow_up_on"], name="plan_follow_up"),
            models.Index(fields=["established_at"], name="plan_established"),
            # A unit's plans, newest first, from the index alone (the unit's SIP list).
            models.Index(fields=["initiating_unit", "id"], name="plan_unit_id"),
        ]

    def __str__(self) -> str:
        return self.reference  # "SIP-2026-0001" says what it is

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = next_reference(Plan, "SIP", timezone.localdate().year)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("sip:plan", args=[self.reference])

    @property
    def audit_label(self) -> str:
        return self.reference

    @property
    def audit_child_id(self) -> int:
        return self.child_id

    # For a consent for this plan: whose information it opens, and whom it may name.
    @property
    def sharing_owner(self):
        return self.initiating_unit

    def party_unit_ids(self) -> set[int]:
        return self.unit_ids()

    def consents(self):
        """Consents registered for this plan (the SIP meeting and the plan's sharing)."""
        return Consent.objects.for_purpose(self)

    def unit_ids(self) -> set[int]:
        """Every unit that takes part: the initiator, participants, responsible units."""
        return {
            self.initiating_unit_id,
            *self.participants.exclude(unit=None).values_list("unit_id", flat=True),
            *self.interventions.values_list("unit_id", flat=True),
        }

    def uncovered_unit_ids(self) -> set[int]:
        """Units that take part but may not receive the plan yet: of another principal than
        the initiating unit's, and named in no written consent for the plan in force."""
        sharing = Sharing()
        units = Unit.objects.filter(pk__in=self.unit_ids())
        return {
            unit.pk
            for unit in units
            if not sharing.opens(self.initiating_unit, unit, self.child_id, self)
        }

    def meeting_start(self) -> datetime.datetime | None:
        if self.meeting_on is None:
            return None
        time = self.meeting_time or datetime.time(9, 0)
        return timezone.make_aware(datetime.datetime.combine(self.meeting_on, time))

    def parts(self) -> dict[str, str]:
        """Each required part: "not_started", "in_progress" or "done" (the task list)."""
        interventions = list(self.interventions.all())
        return {
            "needs": _state(self.needs, self.child_voice, self.guardians_voice),
            "goals": "done" if self.goals.strip() else "not_started",
            "interventions": (
                "done"
                if interventions and all(i.unit_id for i in interventions)
                else "in_progress"
                if interventions
                else "not_started"
            ),
            "others_do": "done" if self.others_do.strip() else "not_started",
            "overall": "done" if self.overall_responsible_id else "not_started",
            "follow_up": _state(self.follow_up_how, self.next_follow_up_on),
        }

    def missing_parts(self) -> list[str]:
        return [name for name, state in self.parts().items() if state != "done"]

    def snapshot(self) -> dict:
        """The plan's content as a version keeps it: readable without the live rows."""
        data = {name: getattr(self, name) for name in CONTENT_FIELDS}
        data["overall_responsible"] = str(self.overall_responsible or "")
        data["next_follow_up_on"] = (
            self.next_follow_up_on.isoformat() if self.next_follow_up_on else ""
        )
        data["interventions"] = [
            {
                "what": i.what,
                "unit": str(i.unit),
                "principal": str(i.unit.principal),
                "starts_on": i.starts_on.isoformat() if i.starts_on else "",
                "ends_on": i.ends_on.isoformat() if i.ends_on else "",
                "status": i.get_status_display(),
            }
            for i in self.interventions.select_related("unit__principal")
        ]
        data["participants"] = [str(p) for p in self.participants.select_related("unit", "person")]
        return data


def _state(*values) -> str:
    filled = [bool(str(v).strip()) if v is not None else False for v in values]
    if all(filled):
        return "done"
    return "in_progress" if any(filled) else "not_started"


class Participant(models.Model):
    class Kind(models.TextChoices):
        UNIT = "unit", _("Verksamhet")
        GUARDIAN = "guardian", _("Vårdnadshavare")
        CHILD = "child", _("Barnet")
        OTHER = "other", _("Annan aktör")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(_("deltagare"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("verksamhet"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,  # (unit, plan) below serves it
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personal"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    name = models.CharField(
        _("namn"),
        max_length=200,
        blank=True,
        help_text=_("För vårdnadshavare och andra aktörer, till exempel Försäkringskassan."),
    )
    role = models.CharField(_("roll i planen"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)

    class Meta:
        ordering = ["kind", "id"]
        # A unit's plans from the index alone (the unit's SIP list).
        indexes = [models.Index(fields=["unit", "plan"], name="participant_unit_plan")]
        verbose_name = _("deltagare")
        verbose_name_plural = pgettext_lazy("plural", "deltagare")

    def __str__(self) -> str:
        if self.kind == self.Kind.UNIT:
            who = self.person.get_full_name() if self.person_id else ""
            return f"{self.unit}{', ' + who if who else ''}"
        return f"{self.get_kind_display()}: {self.name}" if self.name else self.get_kind_display()


class Intervention(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ONGOING = "ongoing", _("Pågår")
        DONE = "done", _("Genomförd")
        STOPPED = "stopped", _("Avbruten")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="interventions")
    what = models.CharField(_("insats"), max_length=300)
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("ansvarig verksamhet"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Huvudmannen är verksamhetens huvudman."),
        db_index=False,  # (unit, plan) below serves it
    )
    contact = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    starts_on = models.DateField(_("från"), null=True, blank=True)
    ends_on = models.DateField(_("till"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["unit", "plan"], name="intervention_unit_plan")]
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")

    def __str__(self) -> str:
        return self.what


class FollowUp(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="follow_ups")
    held_on = models.DateField(_("uppföljningen hölls"))
    notes = models.TextField(_("sammanfattning"), blank=True)
    next_on = models.DateField(_("nästa uppföljning"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["next_on"], name="followup_next_on")]
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")

    def __str__(self) -> str:
        return f"{self.plan} {self.held_on:%Y-%m-%d}"


class InterventionOutcome(models.Model):
    """What happened to one intervention, as a follow-up recorded it."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="outcomes")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="outcomes"
    )
    status = models.CharField(_("status"), max_length=10, choices=Intervention.Status.choices)
    note = models.CharField(_("vad hände"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("utfall för insats")
        verbose_name_plural = _("utfall för insatser")

    def __str__(self) -> str:
        return f"{self.intervention}: {self.get_status_display()}"


class PlanVersion(models.Model):
    """The plan as it was established or revised; never changed afterwards."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("innehåll"))
    note = models.CharField(_("vad som ändrades"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The follow-up date the version set, as ISO text ("" when none), kept by the database
    # from ``content`` so that the yearly follow-up can find a year's due dates by index
    # instead of reading every version's JSON. Text, because a cast to date is not an
    # immutable expression in PostgreSQL; ISO dates sort as text.
    next_follow_up_on = models.GeneratedField(
        expression=Coalesce(
            KT("content__next_follow_up_on"), Value(""), output_field=models.CharField()
        ),
        output_field=models.CharField(max_length=10),
        db_persist=True,
    )

    class Meta:
        ordering = ["plan", "number"]
        indexes = [
            models.Index(fields=["created_at"], name="planversion_created"),
            models.Index(fields=["number", "next_follow_up_on"], name="planversion_due"),
        ]
        verbose_name = _("version av plan")
        verbose_name_plural = _("versioner av plan")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class Reminder(models.Model):
    """A follow-up reminder sent, so each is sent once."""

    class Kind(models.TextChoices):
        SOON = "soon", _("Uppföljning snart")
        PASSED = "passed", _("Uppföljningen har passerat")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "due_on"], name="sip_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.kind} {self.due_on}"
