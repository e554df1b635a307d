import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.consent.models import Consent
from samverkan.files import check_content
from samverkan.forms import DateField, ModelForm
from samverkan.organisations.models import Unit

MAX_DOCUMENT_SIZE = 10 * 1024 * 1024
# From 15 the young person may give consent too (the consent form explains it).
OWN_CONSENT_AGE = 15


class ConsentForm(ModelForm):
    """A consent for one purpose (a forum case, a plan, or the whole child record), recorded
    by a unit of the principal whose information it opens. Nothing is pre-selected: who
    gave it, its form and whom it names are always chosen by the person recording it."""

    class Meta(ModelForm.Meta):
        model = Consent
        fields = [
            "recorded_by_unit",
            "units",
            "given_by_guardians",
            "given_by_child",
            "form",
            "purpose_text",
            "given_on",
            "valid_until",
        ]
        widgets = {
            "given_by_guardians": forms.CheckboxSelectMultiple,
            "units": forms.CheckboxSelectMultiple,
            "form": forms.RadioSelect,
            "given_on": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"units": _("Verksamheter som får ta del")}

    def __init__(self, *args, purpose, child, recorder_units, units, show_names, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.purpose, self.child, self.user = purpose, child, user
        self.instance.child = child
        self.instance.recorded_by = user
        self.fields["form"].choices = Consent.Form.choices  # radio buttons: no blank choice
        self.fields["form"].help_text = _(
            "Bara ett skriftligt samtycke öppnar uppgifter mellan huvudmän. Ett muntligt "
            "samtycke antecknas och visas som muntligt, men öppnar inget."
        )

        recorder = self.fields["recorded_by_unit"]
        recorder.queryset = Unit.objects.filter(pk__in=[u.pk for u in recorder_units])
        recorder.label = _("Registreras av")
        recorder.empty_label = None if len(recorder_units) == 1 else recorder.empty_label
        recorder.label_from_instance = lambda unit: f"{unit} ({unit.principal})"

        self.fields["units"].queryset = units
        self.fields["units"].label_from_instance = lambda unit: f"{unit} ({unit.principal})"
        self.fields["units"].help_text = _(
            "De får ta del av uppgifterna från den registrerande verksamhetens huvudman för "
            "det här tillfället. Verksamheter hos samma huvudman behöver inget samtycke."
        )

        guardians = self.fields["given_by_guardians"]
        guardians.queryset = child.guardians.all()
        guardians.one_of_several = True  # guardians or the young person: not "optional"
        guardians.help_text = _(
            "Barn under 15 år: vårdnadshavarna lämnar samtycket. Från 15 år kan den unge "
            "också själv lämna samtycke."
        )
        if not show_names:
            # Protected identity: no names outside the owning unit.
            number = {pk: n for n, pk in enumerate(child.guardians.values_list("pk", flat=True), 1)}
            guardians.label_from_instance = lambda guardian: (
                _("Vårdnadshavare %(number)s") % {"number": number[guardian.pk]}
            )
        self.fields["given_by_child"].label = _("Lämnat av den unge själv (från 15 år)")
        self.fields["purpose_text"].initial = str(purpose)

    def clean_given_on(self):
        day = self.cleaned_data["given_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ett samtycke kan inte vara lämnat i framtiden."))
        born = self.child.birth_date()  # None: a reservnummer without the birth date
        if born and day < born:
            raise forms.ValidationError(_("Datumet ligger före barnets födelsedatum."))
        return day

    def clean_valid_until(self):
        day = self.cleaned_data["valid_until"]
        if day < timezone.localdate():
            raise forms.ValidationError(
                _(
                    "Samtyckets period har redan gått ut. Ett samtycke som inte längre gäller "
                    "öppnar inget; be om ett nytt samtycke."
                )
            )
        return day

    def clean(self):
        data = super().clean()
        guardians, by_child = data.get("given_by_guardians"), data.get("given_by_child")
        given_on = data.get("given_on")
        # None when the child's reservnummer does not carry the birth date: the form's
        # labels then say the rule ("from 15 years").
        age = self.child.age_on(given_on) if given_on else None
        if not guardians and not by_child:
            self.add_error(
                "given_by_guardians",
                _("Ange vem som lämnade samtycket: vårdnadshavare, den unge eller båda."),
            )
        elif age is not None and not guardians and age < OWN_CONSENT_AGE:
            if self.child.guardians.exists():
                message = _(
                    "Barnet var under 15 år när samtycket lämnades: det ska lämnas av "
                    "vårdnadshavare."
                )
            else:
                message = _(
                    "Barnet var under 15 år när samtycket lämnades: det ska lämnas av "
                    "vårdnadshavare, och inga vårdnadshavare är registrerade. Den verksamhet "
                    "som registrerade barnet lägger till dem."
                )
            self.add_error("given_by_guardians", message)
        start, end = data.get("given_on"), data.get("valid_until")
        if start and end and end < start:
            self.add_error(
                "valid_until", _("Slutdatum kan inte ligga före datumet samtycket lämnades.")
            )
        if data.get("form") == Consent.Form.VERBAL:
            self.instance.noted_by = self.user
        elif data.get("form") == Consent.Form.WRITTEN:
            self.instance.noted_by = None
        return data

    def summary(self) -> dict:
        """Exactly who may share what with whom: for the page shown before saving."""
        data = self.cleaned_data
        recorder = data["recorded_by_unit"]
        return {
            "recorder": recorder,
            "principal": recorder.principal,
            "units": list(data["units"]),
            "guardians": [
                str(self.fields["given_by_guardians"].label_from_instance(guardian))
                for guardian in data["given_by_guardians"]
            ],
            "by_child": data["given_by_child"],
            "written": data["form"] == Consent.Form.WRITTEN,
            "form_label": Consent.Form(data["form"]).label,
            "given_on": data["given_on"],
            "valid_until": data["valid_until"],
            "purpose_text": data["purpose_text"],
        }


class DocumentForm(forms.Form):
    """The scanned, signed consent form: asked for on the confirmation step."""

    document = forms.FileField(
        label=_("Inskannat samtycke"),
        required=False,
        help_text=_(
            "PDF, JPEG eller PNG, högst 10 MB. Annars förvaras den underskrivna blanketten "
            "hos verksamheten."
        ),
    )

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            if document.size > MAX_DOCUMENT_SIZE:
                raise forms.ValidationError(_("Filen är för stor. Högst 10 MB."))
            extension = check_content(document)
            # Stored under the name the content says, never the name it came with.
            document.name = f"samtycke.{extension}"
        return document


class RevokeForm(forms.Form):
    revoked_on = DateField(
        label=_("Återkallat den"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Skäl"), max_length=300)

    def __init__(self, *args, consent, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent = consent
        self.fields["revoked_on"].initial = timezone.localdate()

    def clean_revoked_on(self):
        day: datetime.date = self.cleaned_data["revoked_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("Återkallelsen gäller från i dag; ange inte ett senare datum.")
            )
        if day < self.consent.given_on:
            raise forms.ValidationError(_("Återkallelsen kan inte ligga före samtycket."))
        return day
