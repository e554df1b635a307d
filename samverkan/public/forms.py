"""The secretariat's page forms and the visitor's barrier report."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.forms import DateField
from samverkan.governance.forms_agreements import UserByEmailField
from samverkan.identity import find_identity
from samverkan.public.models import RESERVED_SLUGS, Page, slug_validator

TEXTAREA = {"rows": 16, "class": "ds-input markdown-input"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PageForm(forms.Form):
    """One new version of a page. The editor is whoever saves; the day it was updated is
    the day it is saved."""

    title_sv = forms.CharField(label=_("Rubrik på svenska"), max_length=200)
    lead_sv = forms.CharField(
        label=_("Ingress på svenska"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("En eller två meningar om vad sidan handlar om. Visas överst och i menyn."),
    )
    body_sv = forms.CharField(
        label=_("Text på svenska"),
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=50_000,
        help_text=_(
            "Markdown: ## Underrubrik, **fetstil**, - punktlista, [länktext](https://…). "
            "HTML visas som text."
        ),
    )
    title_en = forms.CharField(label=_("Rubrik på engelska"), max_length=200, required=False)
    lead_en = forms.CharField(
        label=_("Ingress på engelska"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body_en = forms.CharField(
        label=_("Text på engelska"),
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=50_000,
        required=False,
        help_text=_("Utan engelsk text visas den svenska, med en upplysning om det."),
    )
    fact_checked_on = DateField(label=_("Faktagranskad"), required=False, widget=DATE)
    fact_checker = UserByEmailField(
        label=_("Faktagranskare"), required=False, help_text=_("E-postadress.")
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean_fact_checked_on(self):
        day = self.cleaned_data.get("fact_checked_on")
        if day and day > timezone.localdate():
            raise ValidationError(_("Faktagranskningen kan inte vara gjord i framtiden."))
        return day

    def clean(self):
        data = super().clean()
        if bool((data.get("title_en") or "").strip()) != bool((data.get("body_en") or "").strip()):
            self.add_error(
                "title_en" if not (data.get("title_en") or "").strip() else "body_en",
                _("Fyll i både rubrik och text på engelska, eller lämna båda tomma."),
            )
        if data.get("fact_checked_on") and not data.get("fact_checker"):
            self.add_error("fact_checker", _("Ange vem som faktagranskade."))
        if data.get("fact_checker") and not data.get("fact_checked_on"):
            self.add_error("fact_checked_on", _("Ange när sidan faktagranskades."))
        return data


class NewPageForm(PageForm):
    slug = forms.CharField(
        label=_("Adress"),
        max_length=60,
        validators=[slug_validator],
        help_text=_("Sidans adress efter /om-bus/: små bokstäver a–z, siffror och bindestreck."),
    )
    position = forms.IntegerField(
        label=_("Ordning"), min_value=0, max_value=32000, initial=100,
        help_text=_("Lägre tal visas först i menyn."),
    )  # fmt: skip

    field_order = ["slug", "position"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("Adressen används redan av tjänsten. Välj en annan."))
        if Page.objects.filter(slug=slug).exists():
            raise ValidationError(_("Det finns redan en sida med den adressen."))
        return slug


CHILD_IDENTITY = {"personal_number", "reserve_number"}


class BarrierReportForm(forms.Form):
    """What a visitor tells us about a barrier. Open to anyone, so it asks for as little as
    possible and refuses what could identify a child."""

    page = forms.CharField(
        label=_("Vilken sida gäller det?"),
        max_length=300,
        help_text=_("Sidans adress eller namn, t.ex. ”Kontakt” eller /om-bus/kontakt/."),
    )
    problem = forms.CharField(
        label=_("Vad fungerar inte?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Beskriv vad du försökte göra och vad som hindrade dig, t.ex. vilket hjälpmedel "
            "du använder. Skriv inget om ett barn: inga namn eller personnummer."
        ),
    )
    contact_email = forms.EmailField(
        label=_("Din e-postadress"),
        required=False,
        help_text=_("Om du vill ha svar. Vi använder den bara för att svara dig."),
    )

    def clean(self):
        data = super().clean()
        for name in ("page", "problem"):
            for finding in find_identity(data.get(name) or ""):
                if finding.kind in CHILD_IDENTITY:
                    self.add_error(
                        name,
                        _(
                            "Ta bort %(what)s ”%(text)s”. Rapporten får inte innehålla "
                            "uppgifter som pekar ut ett barn eller någon annan person."
                        )
                        % {"what": finding.label, "text": finding.text},
                    )
        return data
