from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.agenda.decide import planned_meetings
from samverkan.agenda.models import AgendaItem
from samverkan.forms import ModelChoiceField
from samverkan.governance.models import Meeting
from samverkan.identity import NoIdentityMixin
from samverkan.organisations.models import Body


class PutOnForm(forms.Form):
    meeting = ModelChoiceField(
        label=_("Möte"),
        queryset=Meeting.objects.none(),
        error_messages={
            "invalid_choice": _("Välj ett giltigt alternativ: ett av organets planerade möten.")
        },
    )

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = planned_meetings(body)
        self.fields["meeting"].label_from_instance = lambda m: m.held_on.isoformat()


class DecisionForm(NoIdentityMixin, forms.Form):
    # The decision goes back to the case or the report, and is read by the local group and
    # the secretariat: it may not identify anyone.
    identity_fields = ["decision"]
    decision = forms.CharField(label=_("Beslut"), widget=forms.Textarea(attrs={"rows": 5}))
    outcome = forms.ChoiceField(label=_("Vad händer med frågan"), widget=forms.RadioSelect)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(AgendaItem.Outcome.DECIDED, _("Beslutad här: frågan avslutas"))]
        if item.deviation_id and item.meeting.body.kind == Body.Kind.STEERING:
            choices.append((AgendaItem.Outcome.SENT_ON, _("Skickas vidare till BUSSAM")))
        self.fields["outcome"].choices = choices
        self.fields["outcome"].initial = AgendaItem.Outcome.DECIDED
