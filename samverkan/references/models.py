from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """The last number given for a kind of record ("AV", "IF", "SIP") in a year. Taken by
    one statement that locks the row until the giving transaction ends (``numbers``)."""

    prefix = models.CharField(_("prefix"), max_length=10)
    year = models.PositiveSmallIntegerField(_("år"))
    last = models.PositiveIntegerField(_("senaste nummer"), default=0)

    class Meta:
        verbose_name = _("nummerserie")
        verbose_name_plural = _("nummerserier")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"
