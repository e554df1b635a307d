from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.forms import FilterForm, ModelForm
from samverkan.people.models import (
    Child,
    Guardian,
    normalise_personal_number,
    validate_personal_number,
)


class PersonalNumberField(forms.CharField):
    """Accepts 10 or 12 digits, with or without separator; returns YYYYMMDD-NNNN."""

    default_validators = [validate_personal_number]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("label", _("Personnummer eller samordningsnummer"))
        kwargs.setdefault("help_text", _("ÅÅÅÅMMDD-NNNN, till exempel 20170101-2393."))
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        )

    def clean(self, value):
        value = super().clean(value)
        return normalise_personal_number(value) if value else value


class ChildSearchForm(FilterForm):
    personal_number = PersonalNumberField()


class ChildForm(ModelForm):
    personal_number = PersonalNumberField()

    class Meta(ModelForm.Meta):
        model = Child
        fields = ["personal_number", "first_name", "last_name", "address", "protected_identity"]


class GuardianForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Guardian
        fields = ["name", "phone", "email", "address"]
