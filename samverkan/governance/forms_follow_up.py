from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.forms import ModelForm
from samverkan.governance.models import YearlyFollowUp
from samverkan.identity import NoIdentityMixin

FIRST_YEAR = 2000
YEARS_TO_CHOOSE = 10


def default_year() -> int:
    """The year a follow-up is usually about: the last one that has ended."""
    return timezone.localdate().year - 1


def valid_year(year: int) -> bool:
    """A year that has begun; later ones have nothing to follow up."""
    return FIRST_YEAR <= year <= timezone.localdate().year


class NarrativeForm(NoIdentityMixin, ModelForm):
    """The steering group's analysis: about the group's work, never a child's identity."""

    identity_fields = ["narrative"]

    class Meta(ModelForm.Meta):
        model = YearlyFollowUp
        fields = ["narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "narrative": _(
                "Vad säger siffrorna om samverkan i gruppen, vad har fungerat och vad ska "
                "förbättras? Inga namn eller personnummer."
            )
        }
        error_messages = {"narrative": {"required": _("Skriv styrgruppens analys.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["narrative"].required = True


class YearForm(forms.Form):
    """The year the list of follow-ups shows (``?ar=2025``)."""

    ar = forms.TypedChoiceField(label=_("År"), coerce=int, required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        this_year = timezone.localdate().year
        self.fields["ar"].choices = [
            (year, str(year)) for year in range(this_year, this_year - YEARS_TO_CHOOSE, -1)
        ]
        self.fields["ar"].initial = default_year()

    def year(self) -> int:
        if self.is_valid() and self.cleaned_data["ar"]:
            return self.cleaned_data["ar"]
        return default_year()
