from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.forms import ModelForm
from samverkan.governance.models import ActionItem, Decision, Meeting
from samverkan.identity import NoIdentityMixin

DATE = forms.DateInput(attrs={"type": "date"})


class MeetingForm(NoIdentityMixin, ModelForm):
    """Minutes of a body's meeting carry no child's identity: the same check as deviations."""

    identity_fields = ["agenda", "attendees", "minutes"]

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


class DecisionForm(NoIdentityMixin, ModelForm):
    identity_fields = ["text"]

    class Meta(ModelForm.Meta):
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class ActionItemForm(NoIdentityMixin, ModelForm):
    identity_fields = ["text", "owner"]

    class Meta(ModelForm.Meta):
        model = ActionItem
        fields = ["text", "owner", "due_on"]
        widgets = {"due_on": DATE}
        error_messages = {"owner": {"required": _("Ange vem som ansvarar för åtgärden.")}}
