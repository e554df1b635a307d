"""Public pages and their versions, and the barrier reports visitors send.

A page is a slug and a place in the menu; what it says lives in its versions. Every save by
the secretariat is a new ``PageVersion`` (number, title and Markdown body in Swedish and
optionally English, the day it was updated and fact-checked, editor and fact-checker), so
what a page said on a given day can always be shown. ``Page.current`` points at the latest.
"""

from typing import NamedTuple

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Paths under /om-bus/ that are not pages.
RESERVED_SLUGS = {"kontakt", "redigera", "ny", "hinder"}
# The accessibility statement: its page carries the link to the barrier report form.
ACCESSIBILITY_SLUG = "tillganglighet"

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Använd små bokstäver a–z, siffror och bindestreck, t.ex. for-familjer."),
)


class Page(models.Model):
    slug = models.SlugField(
        _("adress"),
        max_length=60,
        unique=True,
        validators=[slug_validator],
        help_text=_("Sidans adress efter /om-bus/, t.ex. for-familjer."),
    )
    position = models.PositiveSmallIntegerField(
        _("ordning"), default=100, help_text=_("Lägre tal visas först i menyn.")
    )
    current = models.ForeignKey(
        "PageVersion",
        verbose_name=_("gällande version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("öppen sida")
        verbose_name_plural = _("öppna sidor")

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("public:page", args=[self.slug])


class PageVersion(models.Model):
    page = models.ForeignKey(
        Page, verbose_name=_("sida"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    title_sv = models.CharField(_("rubrik (svenska)"), max_length=200)
    lead_sv = models.CharField(_("ingress (svenska)"), max_length=300)
    body_sv = models.TextField(_("text (svenska)"))
    title_en = models.CharField(_("rubrik (engelska)"), max_length=200, blank=True)
    lead_en = models.CharField(_("ingress (engelska)"), max_length=300, blank=True)
    body_en = models.TextField(_("text (engelska)"), blank=True)
    updated_on = models.DateField(_("uppdaterad"))
    fact_checked_on = models.DateField(_("faktagranskad"), null=True, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("redaktör"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    fact_checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("faktagranskare"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    saved_at = models.DateTimeField(_("sparad"), auto_now_add=True)

    class Meta:
        ordering = ["page", "-number"]
        verbose_name = _("version av öppen sida")
        verbose_name_plural = _("versioner av öppna sidor")
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="one_number_per_page_version")
        ]

    def __str__(self) -> str:
        return f"{self.page.slug} v{self.number}"

    @property
    def has_english(self) -> bool:
        return bool(self.title_en.strip() and self.body_en.strip())

    def shown(self, language: str | None = None) -> "Shown":
        """Title, lead, Markdown body and their language in ``language`` (the visitor's),
        or in Swedish when the page has no English text yet."""
        if (language or get_language() or "sv").startswith("en") and self.has_english:
            return Shown(self.title_en, self.lead_en or self.lead_sv, self.body_en, "en")
        return Shown(self.title_sv, self.lead_sv, self.body_sv, "sv")


class Shown(NamedTuple):
    title: str
    lead: str
    body: str
    language: str


class BarrierReport(models.Model):
    """A barrier in the service's accessibility that a visitor reported. It must not name
    a child: the form refuses personnummer, samordningsnummer and reservnummer."""

    reference = models.CharField(_("nummer"), max_length=20, unique=True)
    page = models.CharField(_("sida"), max_length=300)
    problem = models.TextField(_("problem"))
    contact_email = models.EmailField(_("e-post för svar"), blank=True)
    created_at = models.DateTimeField(_("inkommen"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("rapport om tillgänglighetsbrist")
        verbose_name_plural = _("rapporter om tillgänglighetsbrister")

    def __str__(self) -> str:
        return self.reference
