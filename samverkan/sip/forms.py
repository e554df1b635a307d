from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.forms import DateField, ModelChoiceField, ModelForm
from samverkan.organisations.models import Principal, Unit, UnitMembership
from samverkan.people.forms import ChildNumberForm
from samverkan.sip.models import Intervention, Participant, Plan

DATE = forms.DateInput(attrs={"type": "date"})


class PlanCreateForm(ChildNumberForm):
    field_order = ["initiating_unit", "personal_number", "reserve_number"]

    initiating_unit = ModelChoiceField(
        label=_("Initierande verksamhet"), queryset=Unit.objects.none()
    )
    first_name = forms.CharField(
        label=_("Barnets förnamn"),
        max_length=100,
        required=False,
        help_text=_("Behövs om din verksamhet inte har registrerat barnet tidigare."),
    )
    last_name = forms.CharField(label=_("Barnets efternamn"), max_length=100, required=False)
    reason = forms.CharField(
        label=_("Anledning till SIP"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Varför barnet behöver insatser från både socialtjänst och hälso- och sjukvård."
        ),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiating_unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            self.fields["initiating_unit"].initial = units[0].pk


class PlanForm(ModelForm):
    """The plan's content. ``edit_version`` says which version the user started from."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(ModelForm.Meta):
        model = Plan
        fields = [
            "chair",
            "secretary",
            "meeting_on",
            "meeting_time",
            "meeting_place",
            "needs",
            "child_voice",
            "guardians_voice",
            "goals",
            "others_do",
            "overall_responsible",
            "follow_up_how",
            "next_follow_up_on",
        ]
        widgets = {
            "meeting_on": DATE,
            "meeting_time": forms.TimeInput(attrs={"type": "time"}),
            "next_follow_up_on": DATE,
            "needs": forms.Textarea(attrs={"rows": 4}),
            "child_voice": forms.Textarea(attrs={"rows": 3}),
            "guardians_voice": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "others_do": forms.Textarea(attrs={"rows": 3}),
            "follow_up_how": forms.Textarea(attrs={"rows": 3}),
        }

    # What the law requires before a plan is established, as field errors when asked for.
    REQUIRED_TO_ESTABLISH = [
        "meeting_on", "needs", "goals", "others_do", "overall_responsible", "follow_up_how",
        "next_follow_up_on",
    ]  # fmt: skip

    def __init__(self, *args, require_all=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_all = require_all
        plan = self.instance
        staff = UnitMembership.objects.current().filter(unit_id__in=plan.unit_ids())
        people = get_user_model().objects.filter(unit_memberships__in=staff).distinct()
        for name in ("chair", "secretary"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda user: user.get_full_name()
        self.fields["overall_responsible"].queryset = Principal.objects.filter(
            units__in=plan.unit_ids()
        ).distinct()
        self.fields["edit_version"].initial = plan.edit_version

    def clean_next_follow_up_on(self):
        day = self.cleaned_data.get("next_follow_up_on")
        meeting = self.cleaned_data.get("meeting_on")
        if day and meeting and day < meeting:
            raise forms.ValidationError(
                _("Uppföljningen kan inte ligga före SIP-mötet (%(date)s).")
                % {"date": meeting.isoformat()}
            )
        return day

    def clean(self):
        data = super().clean()
        if self.require_all:
            for name in self.REQUIRED_TO_ESTABLISH:
                if not data.get(name) and name not in self.errors:
                    self.add_error(
                        name,
                        _("%(part)s måste finnas innan planen kan fastställas.")
                        % {"part": self.fields[name].label},
                    )
        elif self.instance.status == Plan.Status.ESTABLISHED and not data.get(
            "overall_responsible"
        ):
            self.add_error(
                "overall_responsible",
                _(
                    "En fastställd plan måste ange vilken huvudman som har det "
                    "övergripande ansvaret."
                ),
            )
        return data


class ParticipantForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Participant
        fields = ["kind", "unit", "person", "name", "role", "phone"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["kind"].choices = Participant.Kind.choices
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).select_related(
            "principal"
        )
        self.fields["unit"].label_from_instance = lambda u: f"{u.name} ({u.principal.name})"
        self.fields["person"].queryset = (
            get_user_model()
            .objects.filter(unit_memberships__in=UnitMembership.objects.current())
            .distinct()
        )
        self.fields["person"].label_from_instance = lambda user: user.get_full_name()

    def clean(self):
        data = super().clean()
        kind, unit, person = data.get("kind"), data.get("unit"), data.get("person")
        if kind == Participant.Kind.UNIT:
            if not unit:
                self.add_error("unit", _("Välj verksamheten."))
            if (
                person
                and unit
                and not UnitMembership.objects.current().filter(user=person, unit=unit).exists()
            ):
                self.add_error("person", _("Personen arbetar inte på den valda verksamheten."))
        elif kind in (Participant.Kind.GUARDIAN, Participant.Kind.OTHER) and not data.get("name"):
            self.add_error("name", _("Ange namnet."))
        return data


class InterventionForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Intervention
        fields = ["what", "unit", "contact", "starts_on", "ends_on", "status"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=plan.unit_ids()).select_related(
            "principal"
        )
        self.fields["unit"].label_from_instance = lambda u: f"{u.name} ({u.principal.name})"
        self.fields["unit"].error_messages["required"] = _(
            "Ange vilken verksamhet som ansvarar för insatsen."
        )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Slutdatum kan inte ligga före startdatum."))
        return data


class EstablishForm(forms.Form):
    note = forms.CharField(
        label=_("Vad ändrades (vid revidering)"),
        max_length=300,
        required=False,
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Varför planen avslutas"),
        max_length=300,
        help_text=_("Till exempel: insatserna är avslutade, barnet har flyttat."),
    )
    confirm = forms.BooleanField(
        label=_("Jag avslutar planen. Den kan läsas men inte ändras eller följas upp efteråt.")
    )


class FollowUpForm(forms.Form):
    held_on = DateField(label=_("Uppföljningen hölls"), widget=DATE)
    notes = forms.CharField(
        label=_("Sammanfattning"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    next_on = DateField(label=_("Nästa uppföljning"), widget=DATE, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["held_on"].initial = timezone.localdate()
        self.interventions = list(plan.interventions.all())
        for intervention in self.interventions:
            self.fields[f"status_{intervention.pk}"] = forms.ChoiceField(
                label=_("Status: %(what)s") % {"what": intervention.what},
                choices=Intervention.Status.choices,
                initial=intervention.status,
            )
            self.fields[f"note_{intervention.pk}"] = forms.CharField(
                label=_("Vad hände: %(what)s") % {"what": intervention.what},
                max_length=500,
                required=False,
            )

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("En uppföljning kan inte registreras i förväg."))
        if self.plan.meeting_on and day < self.plan.meeting_on:
            raise forms.ValidationError(_("Uppföljningen kan inte ligga före SIP-mötet."))
        return day

    def clean_next_on(self):
        day = self.cleaned_data.get("next_on")
        held = self.cleaned_data.get("held_on")
        if day and held and day <= held:
            raise forms.ValidationError(_("Nästa uppföljning ska ligga efter den här."))
        return day
