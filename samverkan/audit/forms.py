from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.audit.models import AccessLog


class LogFilterForm(forms.Form):
    user = forms.CharField(
        label=_("Användare"),
        required=False,
        max_length=254,
        help_text=_("E-postadress eller namn, hela eller en del."),
    )
    object_type = forms.CharField(
        label=_("Posttyp"),
        required=False,
        max_length=100,
        help_text=_("Till exempel organisations.unit."),
    )
    object_id = forms.CharField(label=_("Post-id"), required=False, max_length=64)
    action = forms.ChoiceField(
        label=_("Händelse"),
        required=False,
        choices=[("", _("Alla händelser"))] + list(AccessLog.Action.choices),
    )
    date_from = forms.DateField(
        label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Slutdatum kan inte ligga före startdatum."))
        return data

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("user"):
            term = data["user"].strip()
            queryset = queryset.filter(
                Q(user_label__icontains=term)
                | Q(user__first_name__icontains=term)
                | Q(user__last_name__icontains=term)
            )
        if data.get("object_type"):
            queryset = queryset.filter(object_type=data["object_type"].strip().lower())
        if data.get("object_id"):
            queryset = queryset.filter(object_id=data["object_id"].strip())
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("date_from"):
            queryset = queryset.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            queryset = queryset.filter(at__date__lte=data["date_to"])
        return queryset
