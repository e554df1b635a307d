from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.consent.models import Consent
from samverkan.organisations.models import Unit
from samverkan.people.visibility import ChildAccess

MAX_DOCUMENT_SIZE = 10 * 1024 * 1024


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = [
            "given_by_guardians",
            "given_by_child",
            "form",
            "document",
            "units",
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

    def __init__(self, *args, child, units, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.child = child
        self.instance.recorded_by = user
        self.fields["form"].choices = Consent.Form.choices  # radio buttons: no blank choice
        self.fields["given_by_guardians"].queryset = child.guardians.all()
        if not child.guardians.exists():
            self.fields["given_by_guardians"].help_text = _(
                "Inga vårdnadshavare är registrerade för barnet."
            )
        if not ChildAccess(user, [child]).shows_identity(child):
            # Protected identity, or a unit that may not see the child yet: no names.
            number = {pk: n for n, pk in enumerate(child.guardians.values_list("pk", flat=True), 1)}
            self.fields["given_by_guardians"].label_from_instance = lambda guardian: (
                _("Vårdnadshavare %(number)s") % {"number": number[guardian.pk]}
            )
        self.fields["units"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        self.fields["units"].label_from_instance = lambda unit: f"{unit} ({unit.principal})"
        self.fields["given_on"].initial = timezone.localdate()
        self.user = user

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and getattr(document, "size", 0) > MAX_DOCUMENT_SIZE:
            raise forms.ValidationError(_("Filen är för stor. Högst 10 MB."))
        return document

    def clean_units(self):
        units = self.cleaned_data["units"]
        if len(units) < 2:
            raise forms.ValidationError(_("Välj minst två verksamheter som får dela med varandra."))
        return units

    def clean(self):
        data = super().clean()
        if not data.get("given_by_guardians") and not data.get("given_by_child"):
            self.add_error(
                "given_by_guardians",
                _("Ange vem som lämnade samtycket: vårdnadshavare, barnet eller båda."),
            )
        if data.get("form") == Consent.Form.VERBAL:
            self.instance.noted_by = self.user
        elif data.get("form") == Consent.Form.WRITTEN:
            self.instance.noted_by = None
        return data


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(
        label=_("Återkallat den"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Skäl"), max_length=300)

    def __init__(self, *args, consent, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent = consent
        self.fields["revoked_on"].initial = timezone.localdate()

    def clean_revoked_on(self):
        day = self.cleaned_data["revoked_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("Återkallelsen gäller från i dag; ange inte ett senare datum.")
            )
        if day < self.consent.given_on:
            raise forms.ValidationError(_("Återkallelsen kan inte ligga före samtycket."))
        return day
