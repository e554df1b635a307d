from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from samverkan.forms import FilterForm, ModelForm
from samverkan.identity import normalise_reserve_number
from samverkan.people.models import (
    BOTH_NUMBERS,
    NUMBER_NEEDED,
    RESERVE_NUMBER_FORMAT,
    Child,
    Guardian,
    normalise_personal_number,
    validate_personal_number,
    validate_reserve_number,
)

RESERVE_NUMBER_IN_PERSONAL_FIELD = _(
    "Det här är ett reservnummer, inte ett personnummer. Skriv det i fältet Reservnummer."
)
PERSONAL_NUMBER_IN_RESERVE_FIELD = _(
    "Det här är ett personnummer eller samordningsnummer, inte ett reservnummer. Skriv det i "
    "fältet Personnummer eller samordningsnummer."
)


def _is_number(normalise, value: str) -> bool:
    try:
        normalise(value)
    except ValueError:
        return False
    return True


class PersonalNumberField(forms.CharField):
    """Accepts 10 or 12 digits, with or without separator; returns YYYYMMDD-NNNN.

    ``beside_reserve_number``: the form also has a reservnummer field, and a reservnummer
    typed here is pointed there."""

    default_validators = [validate_personal_number]

    def __init__(self, *, beside_reserve_number=False, **kwargs):
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("label", _("Personnummer eller samordningsnummer"))
        kwargs.setdefault("help_text", _("ÅÅÅÅMMDD-NNNN, till exempel 20170101-2393."))
        super().__init__(**kwargs)
        self.beside_reserve_number = beside_reserve_number
        self.widget.attrs.update(
            {"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        )

    def clean(self, value):
        try:
            value = super().clean(value)
        except ValidationError:
            if self.beside_reserve_number and _is_number(normalise_reserve_number, value or ""):
                raise ValidationError(
                    RESERVE_NUMBER_IN_PERSONAL_FIELD, code="reserve_number"
                ) from None
            raise
        return normalise_personal_number(value) if value else value


class ReserveNumberField(forms.CharField):
    """A reservnummer (``samverkan.identity.normalise_reserve_number``), never a
    personnummer: returns it as stored."""

    default_validators = [validate_reserve_number]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 15)
        kwargs.setdefault("label", _("Reservnummer"))
        kwargs.setdefault("help_text", RESERVE_NUMBER_FORMAT)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean(self, value):
        try:
            value = super().clean(value)
        except ValidationError:
            if _is_number(normalise_personal_number, value or ""):
                raise ValidationError(
                    PERSONAL_NUMBER_IN_RESERVE_FIELD, code="personal_number"
                ) from None
            raise
        return normalise_reserve_number(value) if value else value


class ChildNumberForm(forms.Form):
    """The child's number: a personnummer (or samordningsnummer), or for a child without
    one a reservnummer; exactly one of them. Forms that name a child extend it."""

    personal_number = PersonalNumberField(required=False, beside_reserve_number=True)
    reserve_number = ReserveNumberField(
        required=False,
        help_text=format_lazy(
            "{} {}",
            _("Bara om barnet saknar personnummer och samordningsnummer."),
            RESERVE_NUMBER_FORMAT,
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("personal_number", "reserve_number"):
            self.fields[name].one_of_several = True  # one or the other: not "optional"

    def clean(self):
        data = super().clean()
        personal, reserve = data.get("personal_number"), data.get("reserve_number")
        typed_wrong = "personal_number" in self.errors or "reserve_number" in self.errors
        if personal and reserve:
            self.add_error("reserve_number", BOTH_NUMBERS)
        elif not personal and not reserve and not typed_wrong:
            self.add_error("personal_number", NUMBER_NEEDED)
        return data


class ChildSearchForm(ChildNumberForm, FilterForm):
    reserve_number = ReserveNumberField(required=False)


class ChildForm(ModelForm):
    personal_number = PersonalNumberField()

    class Meta(ModelForm.Meta):
        model = Child
        fields = ["personal_number", "first_name", "last_name", "address", "protected_identity"]


class ReplaceNumberForm(forms.Form):
    """The owning unit gives a child registered with a reservnummer its personnummer."""

    personal_number = PersonalNumberField(
        label=_("Barnets personnummer eller samordningsnummer"),
        help_text=_("ÅÅÅÅMMDD-NNNN. Reservnumret ersätts och sparas i barnets nummerhistorik."),
    )


class GuardianForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Guardian
        fields = ["name", "phone", "email", "address"]
