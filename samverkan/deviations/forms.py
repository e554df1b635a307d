from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.deviations.models import Action, Category, Deviation
from samverkan.forms import ModelForm
from samverkan.forum.forms import groups_for_units
from samverkan.identity import NoIdentityMixin
from samverkan.organisations.models import Principal, Unit

DATE = forms.DateInput(attrs={"type": "date"})
FREE_TEXT = ["title", "what_happened", "consequence", "done_locally"]


class DeviationForm(NoIdentityMixin, ModelForm):
    identity_fields = FREE_TEXT

    class Meta(ModelForm.Meta):
        model = Deviation
        fields = [
            "reporting_unit",
            "local_group",
            "title",
            "occurred_on",
            "other_units",
            "other_principals",
            "what_happened",
            "consequence",
            "done_locally",
            "category",
            "agreement_part",
        ]
        widgets = {
            "occurred_on": DATE,
            "other_units": forms.CheckboxSelectMultiple,
            "other_principals": forms.CheckboxSelectMultiple,
            "what_happened": forms.Textarea(attrs={"rows": 6}),
            "consequence": forms.Textarea(attrs={"rows": 4}),
            "done_locally": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "what_happened": _("Beskriv vad som hände i samverkan, utan namn eller personnummer."),
            "consequence": _("Vad blev följden för barnet? Beskriv utan att peka ut barnet."),
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporting_unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            self.fields["reporting_unit"].initial = units[0].pk
        groups = groups_for_units(units)
        self.fields["local_group"].queryset = groups
        if groups.count() == 1:
            self.fields["local_group"].initial = groups.first().pk
        self.fields["other_units"].queryset = Unit.objects.filter(is_active=True).select_related(
            "principal"
        )
        self.fields["other_units"].label_from_instance = lambda u: f"{u.name} ({u.principal.name})"
        self.fields["other_principals"].queryset = Principal.objects.all()
        self.fields["category"].queryset = Category.objects.filter(is_active=True)

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Händelsen kan inte ligga i framtiden."))
        return day

    def clean(self):
        data = super().clean()
        others = list(data.get("other_units") or []) + list(data.get("other_principals") or [])
        if not others:
            self.add_error(
                "other_units",
                _("Ange minst en annan part: en verksamhet eller en huvudman."),
            )
        unit = data.get("reporting_unit")
        if unit and unit in (data.get("other_units") or []):
            self.add_error(
                "other_units", _("Den rapporterande verksamheten kan inte vara motpart.")
            )
        return data


class StepForm(NoIdentityMixin, forms.Form):
    """Move the report: how it was handled, or why it goes up."""

    identity_fields = ["note", "principled_question"]

    to_step = forms.ChoiceField(label=_("Nästa steg"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Hur det hanterades / varför det går vidare"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    principled_question = forms.CharField(
        label=_("Den principiella frågan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs när rapporten lyfts till styrgruppen."),
    )

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            Deviation.Step.RESOLVED: _("Avsluta: löst"),
            Deviation.Step.FORUM: _("Lyft till individforum"),
            Deviation.Step.STEERING: _("Principiell: lyft till lokala styrgruppen"),
            Deviation.Step.BUSSAM: _("Principiell på länsnivå: lyft till BUSSAM"),
        }
        self.fields["to_step"].choices = [(s, labels[s]) for s in steps]

    def clean(self):
        data = super().clean()
        if (
            data.get("to_step") == Deviation.Step.STEERING
            and not (data.get("principled_question") or "").strip()
        ):
            self.add_error(
                "principled_question", _("Ange frågan styrgruppen ska ta ställning till.")
            )
        return data


class ActionForm(NoIdentityMixin, ModelForm):
    identity_fields = ["text"]

    class Meta(ModelForm.Meta):
        model = Action
        fields = ["text", "owner", "due_on"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, deviation, **kwargs):
        super().__init__(*args, **kwargs)
        unit_ids = {
            deviation.reporting_unit_id,
            *deviation.other_units.values_list("pk", flat=True),
        }
        self.fields["owner"].queryset = Unit.objects.filter(pk__in=unit_ids)

    def clean_due_on(self):
        day = self.cleaned_data["due_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Datumet har redan passerat."))
        return day
