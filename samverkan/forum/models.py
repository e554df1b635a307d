"""BUS individforum: single cases convened within two weeks, with a protocol.

When coordinated planning for a child cannot be reached through ordinary collaboration, a
unit raises a case in its local group. A unit manager from the group's working group
convenes the affected units' managers (and case workers when needed) within two weeks of the
need being noticed. A protocol following the template is kept and signed by the convener;
after that it is locked, and corrections are new versions. The case is resolved, or lifted
to the local steering group with the principled question, whose decision is recorded.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from samverkan.organisations.models import UnitMembership
from samverkan.references.numbers import next_reference

CONVENE_WITHIN = datetime.timedelta(days=14)


def deadline_for(noticed_on: datetime.date) -> datetime.date:
    """The forum must meet within two weeks of the need being noticed."""
    return noticed_on + CONVENE_WITHIN


class ForumCaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=ForumCase.OPEN_STATUSES)

    def overdue(self, on: datetime.date | None = None):
        """Open, past the deadline, and no meeting held or booked on or before it."""
        on = on or timezone.localdate()
        return self.open().filter(
            Q(meeting_on__isnull=True) | Q(meeting_on__gt=F("deadline")), deadline__lt=on
        )


class ForumCase(models.Model):
    class Status(models.TextChoices):
        RAISED = "raised", _("Anmält")
        CONVENED = "convened", _("Sammankallat")
        RESOLVED = "resolved", _("Löst")
        LIFTED = "lifted", _("Lyft till styrgruppen")
        DECIDED = "decided", _("Avgjort av styrgruppen")

    OPEN_STATUSES = [Status.RAISED, Status.CONVENED]

    reference = models.CharField(_("ärendenummer"), max_length=20, unique=True, editable=False)
    local_group = models.ForeignKey(
        "organisations.LocalGroup",
        verbose_name=_("lokal BUS-grupp"),
        on_delete=models.PROTECT,
        related_name="forum_cases",
    )
    child = models.ForeignKey(
        "people.Child", verbose_name=_("barn"), on_delete=models.PROTECT, related_name="+"
    )
    raised_by_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("anmälande verksamhet"),
        on_delete=models.PROTECT,
        related_name="raised_forum_cases",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("anmält av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_on = models.DateField(_("anmält den"), default=timezone.localdate)
    noticed_on = models.DateField(
        _("behovet uppmärksammades"),
        help_text=_("Forumet ska sammanträda inom två veckor från detta datum."),
    )
    deadline = models.DateField(_("senast möte"), editable=False)
    reason = models.TextField(
        _("skäl"),
        help_text=_("Varför samordnad planering inte har kunnat nås i den ordinarie samverkan."),
    )
    convener = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sammankallande"),
        on_delete=models.PROTECT,
        related_name="convened_forum_cases",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RAISED
    )
    meeting_on = models.DateField(_("mötesdag"), null=True, blank=True)
    meeting_time = models.TimeField(_("klockslag"), null=True, blank=True)
    meeting_place = models.CharField(_("plats"), max_length=200, blank=True)
    principled_question = models.TextField(
        _("principiell fråga"),
        blank=True,
        help_text=_("Frågan styrgruppen ska avgöra, skriven utan barnets identitet."),
    )
    steering_decision = models.TextField(_("styrgruppens beslut"), blank=True)
    steering_decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    steering_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslut registrerat av"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = ForumCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = _("individforumärende")
        verbose_name_plural = _("individforumärenden")
        indexes = [
            models.Index(fields=["local_group", "status", "raised_on"], name="forumcase_group"),
            models.Index(fields=["status", "deadline"], name="forumcase_deadline"),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        self.deadline = deadline_for(self.noticed_on)
        if not self.reference:
            self.reference = self.next_reference(self.raised_on.year)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("forum:case", args=[self.reference])

    @property
    def audit_label(self) -> str:
        return self.reference

    @property
    def audit_child_id(self) -> int:
        return self.child_id

    # For a consent for this case: whose information it opens, and whom it may name.
    @property
    def sharing_owner(self):
        return self.raised_by_unit

    def party_unit_ids(self) -> set[int]:
        """The raising unit, the invited units and the convener's units."""
        convener = UnitMembership.objects.current().filter(user_id=self.convener_id)
        return {
            self.raised_by_unit_id,
            *self.invitees.values_list("unit_id", flat=True),
            *convener.values_list("unit_id", flat=True),
        }

    @classmethod
    def next_reference(cls, year: int) -> str:
        return next_reference(cls, "IF", year)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def days_left(self, on: datetime.date | None = None) -> int:
        """Days until the deadline; negative when it has passed."""
        return (self.deadline - (on or timezone.localdate())).days

    def days_overdue(self, on: datetime.date | None = None) -> int:
        return max(0, -self.days_left(on))

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        met_in_time = self.meeting_on is not None and self.meeting_on <= self.deadline
        return self.is_open and not met_in_time and on > self.deadline

    @property
    def meeting_within_deadline(self) -> bool | None:
        if self.meeting_on is None:
            return None
        return self.meeting_on <= self.deadline

    def change_status(self, status, user, note="") -> None:
        """Move the case on; every change is kept (``StatusChange``), and whoever must act
        next is told (``forum/notify.py``)."""
        self.status = status
        self.save(update_fields=["status"])
        StatusChange.objects.create(case=self, status=status, by=user, note=str(note)[:300])

    def meeting_start(self) -> datetime.datetime | None:
        if self.meeting_on is None:
            return None
        time = self.meeting_time or datetime.time(9, 0)
        return timezone.make_aware(datetime.datetime.combine(self.meeting_on, time))

    def signed_protocol(self):
        return self.protocols.filter(signed_at__isnull=False).order_by("-version").first()


class Invitee(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", _("Chef med beslutsmandat")
        CASE_WORKER = "case_worker", _("Handläggare")

    case = models.ForeignKey(ForumCase, on_delete=models.CASCADE, related_name="invitees")
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("verksamhet"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="forum_invitations",
        null=True,
        blank=True,
    )
    role = models.CharField(_("roll"), max_length=12, choices=Role.choices, default=Role.MANAGER)

    class Meta:
        ordering = ["unit__name", "role"]
        verbose_name = _("kallad")
        verbose_name_plural = _("kallade")
        constraints = [
            models.UniqueConstraint(fields=["case", "unit", "person"], name="invitee_unique"),
        ]

    def __str__(self) -> str:
        who = self.person.get_full_name() if self.person_id else _("chef att utse")
        return f"{self.unit}: {who} ({self.get_role_display()})"


class StatusChange(models.Model):
    case = models.ForeignKey(ForumCase, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=12, choices=ForumCase.Status.choices)
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("av"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("statusändring")
        verbose_name_plural = _("statusändringar")

    def __str__(self) -> str:
        return f"{self.case} {self.get_status_display()}"


class Protocol(models.Model):
    """One version of the meeting's protocol. Signed versions never change."""

    case = models.ForeignKey(ForumCase, on_delete=models.CASCADE, related_name="protocols")
    version = models.PositiveSmallIntegerField(_("version"))
    background = models.TextField(_("bakgrund"), blank=True)
    follow_up = models.TextField(_("uppföljning"), blank=True)
    correction_note = models.CharField(_("vad rättelsen gäller"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("justerat av"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    signed_at = models.DateTimeField(_("justerat"), null=True, blank=True)

    class Meta:
        ordering = ["case", "version"]
        verbose_name = _("protokoll")
        verbose_name_plural = pgettext_lazy("plural", "protokoll")
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="protocol_version_unique"),
        ]

    def __str__(self) -> str:
        return gettext("%(case)s protokoll v%(version)s") % {
            "case": self.case,
            "version": self.version,
        }

    @property
    def audit_label(self) -> str:
        return f"{self.case.reference} protokoll v{self.version}"

    @property
    def audit_child_id(self) -> int:
        return self.case.child_id

    @property
    def is_locked(self) -> bool:
        return self.signed_at is not None


class Attendee(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("namn"), max_length=200)
    function = models.CharField(_("befattning"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("verksamhet"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["unit__name", "name"]
        verbose_name = _("närvarande")
        verbose_name_plural = pgettext_lazy("plural", "närvarande")

    def __str__(self) -> str:
        return f"{self.name}, {self.unit}"


class PartyView(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="views")
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("part"), on_delete=models.PROTECT, related_name="+"
    )
    view = models.TextField(_("partens syn"))

    class Meta:
        ordering = ["unit__name"]
        verbose_name = _("partens syn")
        verbose_name_plural = _("parternas syn")

    def __str__(self) -> str:
        return str(self.unit)


class Decision(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("beslut"))
    responsible_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("ansvarig verksamhet"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("klart senast"))

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("beslut")
        verbose_name_plural = pgettext_lazy("plural", "beslut")

    def __str__(self) -> str:
        return self.text[:60]


class Reminder(models.Model):
    """A reminder e-mail sent, so that ``send_reminders`` sends each one once."""

    class Kind(models.TextChoices):
        DEADLINE_SOON = "deadline_soon", _("Tre dagar kvar")
        DEADLINE_PASSED = "deadline_passed", _("Tidsgränsen passerad")

    case = models.ForeignKey(ForumCase, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_to = models.EmailField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"
