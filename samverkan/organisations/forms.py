from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.forms import FilterForm, ModelForm
from samverkan.organisations.models import Principal, Unit


class PrincipalForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Principal
        fields = ["name", "kind", "organisation_number"]


class UnitFilterForm(FilterForm):
    q = forms.CharField(label=_("Namn innehåller"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Typ av verksamhet"),
        required=False,
        choices=[("", _("Alla typer"))] + list(Unit.Kind.choices),
    )
    principal_kind = forms.ChoiceField(
        label=_("Typ av huvudman"),
        required=False,
        choices=[("", _("Alla huvudmän"))] + list(Principal.Kind.choices),
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(name__icontains=data["q"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["principal_kind"]:
            queryset = queryset.filter(principal__kind=data["principal_kind"])
        return queryset
