from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.forms import FilterForm, ModelForm
from samverkan.governance import cadence
from samverkan.governance.models import ActionItem, Decision, Meeting
from samverkan.identity import find_identity

DATE = forms.DateInput(attrs={"type": "date"})


class NoIdentityInMeetingMixin:
    """A meeting's texts carry no child's identity: the same check as deviation reports
    (``samverkan.identity``), but the message speaks of what is written, not of a
    deviation. ``identity_fields`` maps each checked field to the sentence saying so."""

    identity_fields: dict = {}

    def clean(self):
        data = super().clean()
        for name, rule in self.identity_fields.items():
            for finding in find_identity(data.get(name) or ""):
                self.add_error(
                    name,
                    _("Ta bort %(what)s: ”%(text)s”. %(rule)s")
                    % {"what": finding.label, "text": finding.text, "rule": rule},
                )
        return data


class MeetingForm(NoIdentityInMeetingMixin, ModelForm):
    """Minutes of a body's meeting carry no child's identity."""

    identity_fields = {
        "agenda": _("Dagordningen får inte innehålla uppgifter som pekar ut en person."),
        "attendees": _(
            "Närvarolistan tar bara namn och funktion, inga personnummer, e-postadresser "
            "eller telefonnummer."
        ),
        "minutes": _(
            "Protokollet får inte innehålla personnummer eller andra uppgifter som pekar ut "
            "en person."
        ),
    }

    class Meta(ModelForm.Meta):
        model = Meeting
        fields = ["held_on", "time", "place", "agenda", "attendees", "minutes"]
        widgets = {
            "held_on": DATE,
            "time": forms.TimeInput(attrs={"type": "time"}),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "attendees": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        if body is not None:
            # Which term or year a date counts for, and that July counts for no term.
            self.fields["held_on"].help_text = cadence.rule(body)

    def clean(self):
        data = super().clean()
        held_on = data.get("held_on")
        if held_on and held_on > timezone.localdate():
            if (data.get("minutes") or "").strip():
                self.add_error(
                    "minutes", _("Protokoll kan inte föras för ett möte som inte har hållits än.")
                )
            if (data.get("attendees") or "").strip():
                self.add_error("attendees", _("Närvaron förs när mötet har hållits."))
        return data


class DecisionForm(NoIdentityInMeetingMixin, ModelForm):
    identity_fields = {
        "text": _("Beslut i protokollet får inte innehålla uppgifter som pekar ut en person.")
    }

    class Meta(ModelForm.Meta):
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class ActionItemForm(NoIdentityInMeetingMixin, ModelForm):
    identity_fields = {
        "text": _(
            "Åtgärdspunkter i protokollet får inte innehålla uppgifter som pekar ut en person."
        ),
        "owner": _(
            "Ange ansvarig med namn eller funktion, inga personnummer eller kontaktuppgifter."
        ),
    }

    class Meta(ModelForm.Meta):
        model = ActionItem
        fields = ["text", "owner", "due_on"]
        widgets = {"due_on": DATE}
        error_messages = {"owner": {"required": _("Ange vem som ansvarar för åtgärden.")}}


# --- the rotating convener --------------------------------------------------------------------
YEARS_AHEAD = 25


class RotationYearForm(FilterForm):
    """The year the rotation page answers for (``?ar=2031``): from the rotation's first year
    to ``YEARS_AHEAD`` years from now; empty means this year."""

    ar = forms.IntegerField(
        label=_("År"),
        required=False,
        error_messages={"invalid": _("Ange ett år med fyra siffror, till exempel 2031.")},
    )

    def __init__(self, rotation, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.rotation = rotation
        self.first = rotation.start_year
        self.last = timezone.localdate().year + YEARS_AHEAD
        field = self.fields["ar"]
        field.widget.attrs.update({"min": self.first, "max": self.last, "inputmode": "numeric"})
        field.help_text = _("Från %(first)s, då turordningen började, till %(last)s.") % {
            "first": self.first,
            "last": self.last,
        }

    def clean_ar(self):
        year = self.cleaned_data["ar"]
        if year is None:
            return None
        if year < self.first:
            raise forms.ValidationError(
                _(
                    "Turordningen började %(first)s, så den säger inget om %(year)s. Ange "
                    "ett år från %(first)s till %(last)s."
                ),
                code="before_start",
                params={"first": self.first, "last": self.last, "year": year},
            )
        if year > self.last:
            raise forms.ValidationError(
                _("%(year)s ligger för långt fram. Ange ett år från %(first)s till %(last)s."),
                code="too_far",
                params={"first": self.first, "last": self.last, "year": year},
            )
        return year

    def year(self) -> int | None:
        """The chosen year, this year when none is chosen, None when the choice is wrong."""
        if not self.is_bound:
            return timezone.localdate().year
        if not self.is_valid():
            return None
        return self.cleaned_data["ar"] or timezone.localdate().year
