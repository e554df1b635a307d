from datetime import date, datetime, time, timedelta

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.audit.models import AccessLog
from samverkan.forms import DateField, FilterForm


def record_types() -> list[tuple[str, str]]:
    """The project's own models, as the log names them: "organisations.unit"."""
    models = [m for m in apps.get_models() if m.__module__.startswith("samverkan.")]
    return sorted(
        ((m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in models),
        key=lambda choice: choice[1],
    )


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class LogFilterForm(FilterForm):
    user = forms.CharField(
        label=_("Användare"),
        required=False,
        max_length=254,
        help_text=_("E-postadress eller namn, hela eller en del."),
    )
    object_type = forms.ChoiceField(label=_("Posttyp"), required=False)
    object_id = forms.CharField(label=_("Post-id"), required=False, max_length=64)
    action = forms.ChoiceField(
        label=_("Händelse"),
        required=False,
        choices=[("", _("Alla händelser"))] + list(AccessLog.Action.choices),
    )
    date_from = DateField(
        label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = DateField(
        label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("Alla posttyper"))] + record_types()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Slutdatum kan inte ligga före startdatum."))
        return data

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("user"):
            # Find the people first (a small table), then their entries through the
            # (user, at) index; a text search across the whole log would not scale.
            term = data["user"].strip()
            users = get_user_model().objects.filter(
                Q(email__icontains=term)
                | Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
            )
            queryset = queryset.filter(user__in=users.values("pk"))
        if data.get("object_type"):
            queryset = queryset.filter(object_type=data["object_type"])
        if data.get("object_id"):
            queryset = queryset.filter(object_id=data["object_id"].strip())
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        # Whole days in Stockholm time, as ranges on the indexed column.
        if data.get("date_from"):
            queryset = queryset.filter(at__gte=start_of_day(data["date_from"]))
        if data.get("date_to"):
            queryset = queryset.filter(at__lt=start_of_day(data["date_to"] + timedelta(days=1)))
        return queryset


class RoleChangeFilterForm(FilterForm):
    """Filters for the role-change log (``accounts.RoleChange``)."""

    subject = forms.CharField(
        label=_("Vems roller"),
        required=False,
        max_length=254,
        help_text=_("E-postadress eller namn, hela eller en del."),
    )
    actor = forms.CharField(
        label=_("Ändrad av"),
        required=False,
        max_length=254,
        help_text=_("E-postadress eller namn, hela eller en del."),
    )
    kind = forms.ChoiceField(label=_("Slag"), required=False)
    date_from = DateField(
        label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = DateField(
        label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        from samverkan.accounts.models import RoleChange

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Alla slag"))] + list(RoleChange.Kind.choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Slutdatum kan inte ligga före startdatum."))
        return data

    @staticmethod
    def people(term: str):
        term = term.strip()
        return get_user_model().objects.filter(
            Q(email__icontains=term) | Q(first_name__icontains=term) | Q(last_name__icontains=term)
        )

    def filter(self, queryset):
        data = self.cleaned_data
        # The person as they are now, or as they were named when the change was made.
        if data.get("subject"):
            term = data["subject"].strip()
            queryset = queryset.filter(
                Q(subject__in=self.people(term).values("pk")) | Q(subject_label__icontains=term)
            )
        if data.get("actor"):
            term = data["actor"].strip()
            queryset = queryset.filter(
                Q(actor__in=self.people(term).values("pk")) | Q(actor_label__icontains=term)
            )
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("date_from"):
            queryset = queryset.filter(at__gte=start_of_day(data["date_from"]))
        if data.get("date_to"):
            queryset = queryset.filter(at__lt=start_of_day(data["date_to"] + timedelta(days=1)))
        return queryset
