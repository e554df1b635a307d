from datetime import date, datetime, time, timedelta

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.audit.models import AccessLog
from samverkan.forms import DateField, FilterForm
from samverkan.people.forms import ChildNumberForm
from samverkan.sorting import swedish_key


def record_types() -> list[tuple[str, str]]:
    """The project's own models, as the log names them: "organisations.unit"."""
    models = [m for m in apps.get_models() if m.__module__.startswith("samverkan.")]
    return sorted(
        ((m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in models),
        key=lambda choice: swedish_key(choice[1]),
    )


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def people(term: str):
    """Accounts whose e-mail address or name holds ``term`` (a small table: searched first,
    then the log through its indexes)."""
    term = term.strip()
    return get_user_model().objects.filter(
        Q(email__icontains=term) | Q(first_name__icontains=term) | Q(last_name__icontains=term)
    )


DATE = forms.DateInput(attrs={"type": "date"})


class PeriodForm(forms.Form):
    """From and to, whole days in Stockholm time; the end may not come before the start."""

    date_from = DateField(label=_("Från och med"), required=False, widget=DATE)
    date_to = DateField(label=_("Till och med"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Slutdatum kan inte ligga före startdatum."))
        return data

    def in_period(self, queryset, field: str = "at"):
        """As ranges on the indexed column."""
        data = self.cleaned_data
        if data.get("date_from"):
            queryset = queryset.filter(**{f"{field}__gte": start_of_day(data["date_from"])})
        if data.get("date_to"):
            end = start_of_day(data["date_to"] + timedelta(days=1))
            queryset = queryset.filter(**{f"{field}__lt": end})
        return queryset


class LogFilterForm(PeriodForm, FilterForm):
    field_order = ["user", "object_type", "object_id", "action", "date_from", "date_to"]
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("Alla posttyper"))] + record_types()

    # More people than this matching the search: their entries are read together rather
    # than person by person (see ``parts``).
    MAX_PEOPLE_APART = 20

    def filter(self, queryset):
        data = self.cleaned_data
        self.people_found = None
        if data.get("user"):
            # Find the people first (a small table), then their entries through the
            # (user, at, id) index; a text search across the whole log would not scale.
            found = people(data["user"]).order_by("pk").values_list("pk", flat=True)
            self.people_found = list(found[: self.MAX_PEOPLE_APART + 1])
            if len(self.people_found) > self.MAX_PEOPLE_APART:
                queryset = queryset.filter(user__in=found)
            else:
                queryset = queryset.filter(user__in=self.people_found)
        if data.get("object_type"):
            queryset = queryset.filter(object_type=data["object_type"])
        if data.get("object_id"):
            queryset = queryset.filter(object_id=data["object_id"].strip())
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        return self.in_period(queryset)

    def parts(self, queryset) -> list | None:
        """The filtered log as one part per person found, when the search found several
        (but not many): each part is read newest first from the (user, at, id) index, and
        ``keyset_page`` merges them. None when there is nothing to split."""
        found = getattr(self, "people_found", None) or []
        if 1 < len(found) <= self.MAX_PEOPLE_APART:
            return [queryset.filter(user=pk) for pk in found]
        return None


class RoleChangeFilterForm(PeriodForm, FilterForm):
    """Filters for the role-change log (``accounts.RoleChange``)."""

    field_order = ["subject", "actor", "kind", "date_from", "date_to"]

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

    def __init__(self, *args, **kwargs):
        from samverkan.accounts.models import RoleChange

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Alla slag"))] + list(RoleChange.Kind.choices)

    def filter(self, queryset):
        data = self.cleaned_data
        # The person as they are now, or as they were named when the change was made.
        if data.get("subject"):
            term = data["subject"].strip()
            queryset = queryset.filter(
                Q(subject__in=people(term).values("pk")) | Q(subject_label__icontains=term)
            )
        if data.get("actor"):
            term = data["actor"].strip()
            queryset = queryset.filter(
                Q(actor__in=people(term).values("pk")) | Q(actor_label__icontains=term)
            )
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        return self.in_period(queryset)


class ExtractForm(ChildNumberForm, PeriodForm):
    """The per-child log extract: the child's number (personnummer, or reservnummer for a
    child without one), and a period if wanted."""

    field_order = ["personal_number", "reserve_number", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["personal_number"].help_text = _(
            "Barnets personnummer eller samordningsnummer."
        )
        self.fields["reserve_number"].help_text = _(
            "Eller barnets reservnummer. Ett reservnummer som har ersatts av ett personnummer "
            "hittar också registreringen."
        )

    def query(self) -> dict:
        data = self.cleaned_data
        return {
            "personal_number": data.get("personal_number") or None,
            "reserve_number": data.get("reserve_number") or None,
            "date_from": data["date_from"].isoformat() if data.get("date_from") else None,
            "date_to": data["date_to"].isoformat() if data.get("date_to") else None,
        }
