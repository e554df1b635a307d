"""The period the patterns page and the compilation count over."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.deviations.forms import DATE
from samverkan.forms import DateField, FilterForm, ModelChoiceField
from samverkan.organisations.models import LocalGroup


def this_year(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


class PeriodForm(FilterForm):
    """From and to (both included) on the date of the event; by default this calendar year.

    With only one end given, the other is the start or the end of that end's year.

    ``groups`` are the local groups the reader may choose among; with ``whole_county`` the
    county is a choice too (and the default), otherwise the first of ``groups`` is.
    """

    fran = DateField(label=_("Händelsedatum från och med"), required=False, widget=DATE)
    till = DateField(label=_("Händelsedatum till och med"), required=False, widget=DATE)
    grupp = ModelChoiceField(
        label=_("Lokal BUS-grupp"),
        queryset=LocalGroup.objects.none(),
        to_field_name="slug",
        required=False,
    )

    def __init__(self, data=None, *args, groups=None, whole_county=True, **kwargs):
        if data is not None and not ({"fran", "till", "grupp"} & set(data)):
            data = None  # other parameters only: the default period
        if groups is None:
            groups = LocalGroup.objects.all()
        first = None if whole_county else groups.first()
        if first is not None and data is not None and not data.get("grupp"):
            data = data.copy()
            data["grupp"] = first.slug
        start, end = this_year()
        kwargs.setdefault("initial", {"fran": start, "till": end, "grupp": first})
        super().__init__(data, *args, **kwargs)
        field = self.fields["grupp"]
        field.queryset = groups
        if whole_county:
            field.empty_label = _("Hela länet")
        else:
            field.required = True
            field.empty_label = None

    def clean(self):
        data = super().clean()
        start, end = data.get("fran"), data.get("till")
        if start and end and end < start:
            self.add_error("till", _("Slutdatum kan inte ligga före startdatum."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date] | None:
        """The period asked for; None when the form has errors."""
        if not self.is_bound:
            return self.initial["fran"], self.initial["till"]
        if not self.is_valid():
            return None
        start, end = self.cleaned_data.get("fran"), self.cleaned_data.get("till")
        if start is None and end is None:
            return self.initial["fran"], self.initial["till"]
        if start is None:
            start = datetime.date(end.year, 1, 1)
        if end is None:
            end = datetime.date(start.year, 12, 31)
        return start, end

    def group(self) -> LocalGroup | None:
        """The group asked for (None: the whole county); call after ``period``."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("grupp")
        return self.initial.get("grupp")
