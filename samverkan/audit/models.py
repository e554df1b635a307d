"""The access log: who saw which record, when, in which role and why; and who was refused.

The log is evidence, so it is tamper-evident: rows are written in hash chains (``chain.py``),
each row's ``hash`` an HMAC over the previous row's hash and every stored field of the row.
There are several chains (``ACCESS_LOG_CHAINS``) so that concurrent requests do not wait
for one another; ``AccessLogChain`` holds each chain's head. ``manage.py verify_access_log``
recomputes them; on PostgreSQL a trigger refuses UPDATE and DELETE on the table except inside
retention (``manage.py gallra`` and ``prune_access_log``), and the table is partitioned by
month (migration 0006, ``partitions.py``) so that retention drops whole months.
"""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Visade")
        CHANGE = "change", _("Ändrade")
        EXPORT = "export", _("Exporterade")
        SEARCH = "search", _("Sökte")
        DENIED = "denied", _("Nekades")

    # Set by the writer (not auto_now_add) so that the hash covers the stored moment.
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now)  # indexed with id below
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # (user, at, id) below serves it
        null=True,
        blank=True,
    )
    # Kept as text too, so the log still reads right if the account is renamed.
    user_label = models.CharField(_("användare (vid tillfället)"), max_length=254, blank=True)
    role = models.CharField(_("roll"), max_length=300, blank=True)
    action = models.CharField(_("händelse"), max_length=8, choices=Action.choices)
    object_type = models.CharField(_("posttyp"), max_length=100, blank=True)
    object_id = models.CharField(_("post-id"), max_length=64, blank=True)
    object_label = models.CharField(_("post"), max_length=200, blank=True)
    # The child the record is about (people.Child). Not a foreign key: the log outlives the
    # child's record, and a child's log extract must still find these rows.
    child_id = models.PositiveBigIntegerField(_("barn (id)"), null=True, blank=True)
    reason = models.CharField(_("skäl"), max_length=300, blank=True)
    path = models.CharField(_("adress"), max_length=500, blank=True)
    method = models.CharField(_("metod"), max_length=8, blank=True)
    status_code = models.PositiveSmallIntegerField(_("svarskod"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)
    # The hash chain (see chain.py). Empty only for a row the application did not write,
    # which verify_access_log reports as inserted.
    chain = models.PositiveSmallIntegerField(_("kedja"), null=True, blank=True, editable=False)
    seq = models.PositiveBigIntegerField(_("löpnummer"), null=True, blank=True, editable=False)
    hash = models.CharField(_("kontrollsumma"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("loggpost")
        verbose_name_plural = _("åtkomstlogg")
        # Every way the log is read, newest first by (at, id) and paged by keyset: each
        # filter's index ends in (at, id), so a page is read in order from the index and is
        # as quick on the last page as on the first (see samverkan.pagination.keyset_page).
        indexes = [
            models.Index(fields=["at", "id"], name="accesslog_at_id"),
            models.Index(
                fields=["object_type", "object_id", "at", "id"], name="accesslog_object_at_id"
            ),
            models.Index(fields=["user", "at", "id"], name="accesslog_user_at_id"),
            models.Index(fields=["child_id", "at", "id"], name="accesslog_child_at_id"),
            models.Index(fields=["action", "at", "id"], name="accesslog_action_at_id"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="accesslog_chain_seq"),
        ]

    def __str__(self) -> str:
        what = f"{self.object_type}:{self.object_id}" if self.object_type else self.path
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.get_action_display()} {what}"

    @property
    def record_name(self) -> str:
        """The record as a person reads it: its kind (the model's name) and the label written
        at the time, "Avvikelse AV-2026-0012"; the id when no label was written. Empty when
        the entry names no record."""
        if not self.object_type:
            return ""
        try:
            kind = str(capfirst(apps.get_model(self.object_type)._meta.verbose_name))
        except (LookupError, ValueError):
            kind = self.object_type
        label = self.object_label or self.object_id
        if label.lower().startswith(kind.lower()):
            return str(capfirst(label))
        return f"{kind} {label}"


class AccessLogChain(models.Model):
    """The head of one hash chain: its last row (seq and hash) and, once old rows have been
    pruned, the anchor (seq and hash of the last pruned row) that verification starts from.

    ``mac`` is an HMAC over the whole head, so that rows removed from the end of a chain
    cannot be hidden by moving the head back without the key.
    """

    chain = models.PositiveSmallIntegerField(_("kedja"), primary_key=True)
    seq = models.PositiveBigIntegerField(_("senaste löpnummer"), default=0)
    hash = models.CharField(_("senaste kontrollsumma"), max_length=64, blank=True)
    anchor_seq = models.PositiveBigIntegerField(_("gallrat till och med löpnummer"), default=0)
    anchor_hash = models.CharField(_("gallrad kontrollsumma"), max_length=64, blank=True)
    pruned_before = models.DateTimeField(_("gallrat före"), null=True, blank=True)
    mac = models.CharField(_("kontrollsumma för huvudet"), max_length=64, blank=True)

    class Meta:
        ordering = ["chain"]
        verbose_name = _("loggkedja")
        verbose_name_plural = _("loggkedjor")

    def __str__(self) -> str:
        return f"{self.chain}: {self.seq}"
