from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.assignments import services
from samverkan.assignments.models import Assignment
from samverkan.forms import ModelChoiceField, ModelForm, could_be_key
from samverkan.identity import find_identity

DATE = forms.DateInput(attrs={"type": "date"})

NO_IDENTITY = _("Uppdrag får inte innehålla uppgifter som pekar ut en person.")
FORMER_MEMBER = _(
    "Personen har inte längre någon plats här. Ge uppdraget till någon som har en plats i "
    "dag, eller till ett organ."
)
NO_ASSIGNEE = _("Välj vem som får uppdraget: en person eller ett organ.")
BOTH_ASSIGNEES = _("Ge uppdraget till antingen en person eller ett organ, inte båda.")
DUE_PASSED = _("Datumet har redan passerat. Ange i dag eller ett senare datum.")


class NoIdentityInAssignmentMixin:
    """An assignment's texts carry no child's identity: the check deviation reports get
    (``samverkan.identity``), with a message that speaks of assignments."""

    identity_fields: list[str] = []

    def clean(self):
        data = super().clean()
        for name in self.identity_fields:
            for finding in find_identity(data.get(name) or ""):
                self.add_error(
                    name,
                    _("Ta bort %(what)s: ”%(text)s”. %(rule)s")
                    % {"what": finding.label, "text": finding.text, "rule": NO_IDENTITY},
                )
        return data


class AssigneeField(ModelChoiceField):
    """A person with a current seat where the giver gives. Someone whose seat has ended is
    told so (``former``: the people who held a seat there), not only that the choice is
    not among the choices."""

    former = None

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if (
                error.code == "invalid_choice"
                and self.former is not None
                and could_be_key(get_user_model(), None, value)
                and self.former.filter(pk=value).exists()
            ):
                raise ValidationError(FORMER_MEMBER, code="former_member") from None
            raise


class AssignmentForm(NoIdentityInAssignmentMixin, ModelForm):
    """Give an assignment. The instance carries its giver (a body, a meeting or a deviation
    report), which decides whom it may be given to (``services.scope``)."""

    identity_fields = ["title", "description"]

    class Meta(ModelForm.Meta):
        model = Assignment
        fields = ["title", "description", "assignee_user", "assignee_body", "due_on"]
        field_classes = {"assignee_user": AssigneeField}
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "due_on": DATE}
        help_texts = {
            "assignee_user": _("Någon som har en plats i gruppens organ i dag."),
            "assignee_body": _("Eller ett organ, till exempel arbetsgruppen."),
        }
        error_messages = {"title": {"required": _("Skriv vad uppdraget går ut på.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        group_id = services.scope(self.instance)
        person = self.fields["assignee_user"]
        person.queryset = services.assignable_people(group_id)
        person.former = services.former_members(group_id)
        self.fields["assignee_body"].queryset = services.assignable_bodies(group_id)
        self.fields["due_on"].error_messages["required"] = _("Ange när uppdraget ska vara klart.")

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise ValidationError(DUE_PASSED, code="passed")
        return due_on

    def clean(self):
        data = super().clean()
        if "assignee_user" in self.errors or "assignee_body" in self.errors:
            return data
        person, body = data.get("assignee_user"), data.get("assignee_body")
        if person and body:
            self.add_error("assignee_user", BOTH_ASSIGNEES)
        elif not person and not body:
            self.add_error("assignee_user", NO_ASSIGNEE)
        return data


class CloseForm(NoIdentityInAssignmentMixin, forms.Form):
    """Close an assignment with a note on how it went. Whoever may give it may also close it
    as cancelled (``may_cancel``); the assignee marks it done."""

    identity_fields = ["closing_note"]

    outcome = forms.ChoiceField(
        label=_("Hur avslutas uppdraget?"),
        choices=[
            (Assignment.Status.DONE, _("Klart")),
            (Assignment.Status.CANCELLED, _("Avbrutet")),
        ],
        initial=Assignment.Status.DONE,
        widget=forms.RadioSelect,
    )
    closing_note = forms.CharField(
        label=_("Redovisning"),
        help_text=_("Vad som gjordes och vad det ledde till. Inga namn eller personnummer."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv en kort redovisning av uppdraget.")},
    )

    def __init__(self, *args, may_cancel=False, **kwargs):
        super().__init__(*args, **kwargs)
        if may_cancel:
            self.fields["closing_note"].help_text = _(
                "Vad som gjordes, eller varför uppdraget avbryts. Inga namn eller personnummer."
            )
        else:
            del self.fields["outcome"]

    @property
    def status(self) -> str:
        return self.cleaned_data.get("outcome") or Assignment.Status.DONE
