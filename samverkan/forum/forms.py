from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.forms import (
    DateField,
    FilterForm,
    ModelChoiceField,
    ModelForm,
    ModelMultipleChoiceField,
)
from samverkan.forum.models import Attendee, Decision, ForumCase, PartyView, Protocol
from samverkan.identity import NoIdentityMixin
from samverkan.organisations.models import (
    Body,
    LocalGroup,
    Membership,
    Unit,
    UnitMembership,
)
from samverkan.people.forms import ChildNumberForm
from samverkan.sorting import Swedish

DATE = forms.DateInput(attrs={"type": "date"})


def eligible_conveners(groups):
    """Unit managers who hold a seat in the working group of the group (or groups)."""
    if isinstance(groups, LocalGroup):
        groups = [groups]
    seats = Membership.objects.current().filter(
        body__local_group__in=groups, body__kind=Body.Kind.WORKING
    )
    managers = UnitMembership.objects.current().filter(role=UnitMembership.Role.MANAGER)
    return (
        get_user_model()
        .objects.filter(body_memberships__in=seats, unit_memberships__in=managers, is_active=True)
        .distinct()
        .order_by("last_name", "first_name")
    )


def groups_for_units(units):
    """Groups a unit can raise a case in: those covering its area; all for county-wide units."""
    if any(unit.area_id is None for unit in units):
        return LocalGroup.objects.all()
    return LocalGroup.objects.filter(areas__in=[unit.area_id for unit in units]).distinct()


def group_units(group):
    """Units that can be invited: those in the group's areas and the county-wide ones."""
    return (
        Unit.objects.filter(Q(area__in=group.areas.all()) | Q(area__isnull=True), is_active=True)
        .select_related("principal")
        .order_by(Swedish("principal__name"), Swedish("name"))
    )


class RaiseCaseForm(ChildNumberForm):
    """The child is named by personnummer, or reservnummer (``ChildNumberForm``)."""

    field_order = ["raised_by_unit", "local_group", "personal_number", "reserve_number"]

    raised_by_unit = ModelChoiceField(label=_("Anmälande verksamhet"), queryset=Unit.objects.none())
    local_group = ModelChoiceField(label=_("Lokal BUS-grupp"), queryset=LocalGroup.objects.none())
    first_name = forms.CharField(
        label=_("Barnets förnamn"),
        max_length=100,
        required=False,
        help_text=_("Behövs om din verksamhet inte har registrerat barnet tidigare."),
    )
    last_name = forms.CharField(label=_("Barnets efternamn"), max_length=100, required=False)
    protected_identity = forms.BooleanField(
        label=_("Barnet har skyddade personuppgifter"), required=False
    )
    noticed_on = DateField(
        label=_("Datum då behovet uppmärksammades"),
        widget=DATE,
        help_text=_("Forumet ska sammanträda inom två veckor från detta datum."),
    )
    reason = forms.CharField(
        label=_("Skäl till att individforum behövs"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Beskriv varför samordnad planering inte har nåtts i den ordinarie samverkan. "
            "Skriv inte mer om barnet än vad forumet behöver."
        ),
    )
    convener = ModelChoiceField(
        label=_("Sammankallande"),
        queryset=get_user_model().objects.none(),
        help_text=_("En enhetschef i gruppens arbetsgrupp."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_by_unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            self.fields["raised_by_unit"].initial = units[0].pk
        groups = groups_for_units(units)
        self.fields["local_group"].queryset = groups
        if groups.count() == 1:
            self.fields["local_group"].initial = groups.first().pk
        self.fields["convener"].queryset = eligible_conveners(groups)
        self.fields["convener"].label_from_instance = lambda user: user.get_full_name()
        self.fields["noticed_on"].initial = timezone.localdate()

    def clean_noticed_on(self):
        day = self.cleaned_data["noticed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
        return day

    def clean(self):
        data = super().clean()
        group, convener = data.get("local_group"), data.get("convener")
        if group and convener and not eligible_conveners(group).filter(pk=convener.pk).exists():
            self.add_error(
                "convener",
                _("%(name)s är inte enhetschef i arbetsgruppen i %(group)s.")
                % {"name": convener.get_full_name(), "group": group},
            )
        unit = data.get("raised_by_unit")
        if group and unit and unit.area_id and not group.areas.filter(pk=unit.area_id).exists():
            self.add_error("local_group", _("Verksamheten hör inte till gruppens område."))
        return data


def booking_as_seen(case) -> str:
    """The booking a convene form was filled in against: whether and when the meeting is
    booked, where and by whom. A save against another is refused (``ConveneForm``)."""
    return "|".join(
        str(value or "")
        for value in (
            case.status,
            case.meeting_on,
            case.meeting_time,
            case.meeting_place,
            case.convener_id,
        )
    )


class ConveneForm(ModelForm):
    # Two conveners booking one case at once: the second is told, not silently overwritten.
    seen = forms.CharField(widget=forms.HiddenInput, max_length=600)
    invited_units = ModelMultipleChoiceField(
        label=_("Berörda verksamheter"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Deras chefer med beslutsmandat kallas. Den anmälande verksamheten är alltid med."
        ),
    )

    class Meta(ModelForm.Meta):
        model = ForumCase
        fields = ["convener", "meeting_on", "meeting_time", "meeting_place"]
        widgets = {
            "meeting_on": DATE,
            "meeting_time": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.instance
        self.fields["seen"].initial = booking_as_seen(case)
        self.fields["convener"].queryset = eligible_conveners(case.local_group)
        self.fields["convener"].required = True
        self.fields["convener"].label_from_instance = lambda user: user.get_full_name()
        for name in ("meeting_on", "meeting_time", "meeting_place"):
            self.fields[name].required = True
        self.fields["invited_units"].queryset = group_units(case.local_group).exclude(
            pk=case.raised_by_unit_id
        )
        self.fields["invited_units"].label_from_instance = lambda unit: f"{unit} ({unit.principal})"
        self.fields["invited_units"].initial = list(
            case.invitees.values_list("unit_id", flat=True).distinct()
        )

    def clean_meeting_on(self):
        day = self.cleaned_data["meeting_on"]
        if day and day < self.instance.raised_on:
            raise forms.ValidationError(
                _("Mötet kan inte ligga före %(date)s, då ärendet anmäldes.")
                % {"date": self.instance.raised_on.isoformat()}
            )
        return day


class CaseWorkerForm(forms.Form):
    case_workers = ModelMultipleChoiceField(
        label=_("Handläggare som kallas"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        unit_ids = {case.raised_by_unit_id, *case.invitees.values_list("unit_id", flat=True)}
        staff = UnitMembership.objects.current().filter(unit_id__in=unit_ids)
        self.fields["case_workers"].queryset = (
            get_user_model().objects.filter(unit_memberships__in=staff).distinct()
        )
        self.fields["case_workers"].label_from_instance = lambda user: user.get_full_name()
        self.fields["case_workers"].initial = list(
            case.invitees.filter(role="case_worker").values_list("person_id", flat=True)
        )


class ProtocolForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Protocol
        fields = ["background", "follow_up"]
        widgets = {
            "background": forms.Textarea(attrs={"rows": 5}),
            "follow_up": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "background": _("Varför ärendet togs upp och vad som hänt innan mötet."),
            "follow_up": _("När och hur besluten följs upp, och av vem."),
        }


def party_unit_field(form, units):
    form.fields["unit"].queryset = units
    form.fields["unit"].label_from_instance = lambda unit: str(unit)


class AttendeeForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Attendee
        fields = ["name", "function", "unit"]


class PartyViewForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = PartyView
        fields = ["unit", "view"]
        widgets = {"view": forms.Textarea(attrs={"rows": 3})}


class DecisionForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Decision
        fields = ["text", "responsible_unit", "due_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_on": DATE}


def protocol_formsets(data, protocol, units, present=None):
    """The protocol's repeated parts. The parties' views are limited to the case's parties
    (``units``); those present and the units responsible for decisions to ``present``: the
    parties and the convener's units (the convener leads the meeting, and may come from a
    unit that is not a party). ``present`` defaults to ``units``."""
    present = units if present is None else present

    def make(model, form, prefix, extra):
        formset_class = forms.inlineformset_factory(
            Protocol, model, form=form, extra=extra, can_delete=True, can_delete_extra=False
        )
        formset = formset_class(data, instance=protocol, prefix=prefix)
        for sub in formset.forms:
            field = "responsible_unit" if model is Decision else "unit"
            sub.fields[field].queryset = units if model is PartyView else present
        return formset

    return {
        "attendees": make(Attendee, AttendeeForm, "narvarande", 3),
        "views": make(PartyView, PartyViewForm, "syn", len(units) if not protocol.pk else 1),
        "decisions": make(Decision, DecisionForm, "beslut", 2),
    }


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Jag har läst protokollet och justerar det. Det kan inte ändras efteråt."),
    )

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user

    def clean(self):
        data = super().clean()
        if self.case.convener_id != self.user.pk:
            who = self.case.convener.get_full_name() if self.case.convener_id else _("ingen")
            self.add_error(
                "confirm",
                _("Bara den sammankallande (%(name)s) kan justera protokollet.") % {"name": who},
            )
        return data


class CorrectionForm(forms.Form):
    correction_note = forms.CharField(
        label=_("Vad behöver rättas?"),
        max_length=300,
        help_text=_("Den justerade versionen finns kvar och går att läsa."),
    )


class OutcomeForm(NoIdentityMixin, forms.Form):
    # The question goes to the steering group, and with a deviation report that follows the
    # case, to the report: it may not identify anyone.
    identity_fields = ["principled_question"]
    OUTCOMES = [
        ("resolved", _("Löst i individforum")),
        ("lifted", _("Inte löst: lyfts till den lokala styrgruppen")),
    ]
    outcome = forms.ChoiceField(label=_("Utfall"), choices=OUTCOMES, widget=forms.RadioSelect)
    principled_question = forms.CharField(
        label=_("Den principiella frågan till styrgruppen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skriv frågan utan barnets namn eller personnummer."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean(self):
        data = super().clean()
        if not self.case.protocols.filter(signed_at__isnull=False).exists():
            raise forms.ValidationError(
                _("Protokollet måste vara justerat innan utfallet registreras.")
            )
        if data.get("outcome") == "lifted" and not data.get("principled_question", "").strip():
            self.add_error(
                "principled_question", _("Ange frågan styrgruppen ska ta ställning till.")
            )
        return data


class SteeringDecisionForm(forms.Form):
    decision = forms.CharField(
        label=_("Styrgruppens beslut"), widget=forms.Textarea(attrs={"rows": 4})
    )
    decided_on = DateField(label=_("Beslutsdatum"), widget=DATE)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["decided_on"].initial = timezone.localdate()

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Beslutsdatum kan inte ligga i framtiden."))
        if day < self.case.raised_on:
            raise forms.ValidationError(_("Beslutet kan inte ligga före ärendet."))
        return day


class CaseFilterForm(FilterForm):
    VIEWS = [
        ("enhet", _("Mina ärenden")),
        ("sammankallar", _("Ärenden jag sammankallar")),
        ("grupp", _("Gruppens ärenden")),
    ]
    vy = forms.ChoiceField(label=_("Visa"), choices=VIEWS, required=False)
    grupp = ModelChoiceField(
        label=_("Grupp"), queryset=LocalGroup.objects.none(), required=False, to_field_name="slug"
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Alla"))] + list(ForumCase.Status.choices),
        required=False,
    )
    forsenade = forms.BooleanField(label=_("Bara försenade"), required=False)
    fran = DateField(label=_("Anmälda från och med"), required=False, widget=DATE)
    till = DateField(label=_("Anmälda till och med"), required=False, widget=DATE)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grupp"].queryset = groups

    def clean(self):
        data = super().clean()
        if data.get("fran") and data.get("till") and data["till"] < data["fran"]:
            self.add_error("till", _("Slutdatum kan inte ligga före startdatum."))
        return data
