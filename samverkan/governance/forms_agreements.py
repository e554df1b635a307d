"""Forms for agreements (with their signatories and revisions) and the documents library."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.forms import FilterForm, ModelForm
from samverkan.governance.forms import DATE
from samverkan.governance.models import Agreement, AgreementRevision, Document, Signatory
from samverkan.identity import NoIdentityMixin
from samverkan.organisations.models import Body, LocalGroup, Membership
from samverkan.permissions import allowed

MANAGE_AGREEMENTS = "governance.manage_agreements"


def manageable_groups(user):
    """The local groups whose agreements ``user`` may write: every group for the
    secretariat, otherwise the groups whose steering group the user leads."""
    if allowed(user, "governance.manage_every_agreement"):
        return LocalGroup.objects.all()
    seats = Membership.objects.current().filter(
        user=user, role__in=Membership.LEADING_ROLES, body__kind=Body.Kind.STEERING
    )
    return LocalGroup.objects.filter(bodies__memberships__in=seats).distinct()


class AgreementForm(NoIdentityMixin, ModelForm):
    identity_fields = ["summary"]

    class Meta(ModelForm.Meta):
        model = Agreement
        fields = [
            "kind",
            "local_group",
            "title",
            "parties",
            "signed_on",
            "next_follow_up_on",
            "summary",
        ]
        widgets = {
            "signed_on": DATE,
            "next_follow_up_on": DATE,
            "parties": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "local_group": _("Tomt för den regionala överenskommelsen."),
            "parties": _("Huvudmännen som står bakom överenskommelsen."),
            "next_follow_up_on": _("Den lokala styrgruppen följer upp överenskommelsen varje år."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["local_group"].queryset = manageable_groups(user)
        if not allowed(user, MANAGE_AGREEMENTS, Agreement(kind=Agreement.Kind.REGIONAL)):
            self.fields["kind"].choices = [
                (value, label) for value, label in Agreement.Kind.choices if value == "local"
            ]
            self.initial["kind"] = Agreement.Kind.LOCAL

    def clean(self):
        data = super().clean()
        kind, group = data.get("kind"), data.get("local_group")
        if kind == Agreement.Kind.REGIONAL and group:
            self.add_error(
                "local_group", _("Den regionala överenskommelsen hör inte till någon grupp.")
            )
        elif group and not allowed(self.user, MANAGE_AGREEMENTS, group):
            # The choices already hold only the user's groups; the rule has the last word.
            self.add_error(
                "local_group", _("Du får bara skriva överenskommelser för din egen grupp.")
            )
        signed_on = data.get("signed_on")
        if signed_on and signed_on > timezone.localdate():
            self.add_error("signed_on", _("En överenskommelse kan inte undertecknas i framtiden."))
        elif signed_on and self.instance.pk:
            first = self.instance.revisions.order_by("revised_on").first()
            if first and first.revised_on < signed_on:
                self.add_error(
                    "signed_on",
                    _("Överenskommelsen reviderades %(date)s och måste ha undertecknats före det.")
                    % {"date": first.revised_on.isoformat()},
                )
        return data


class SignatoryForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Signatory
        fields = ["function", "name", "principal"]
        help_texts = {"function": _("Till exempel Stadsdelsdirektör, Rinkeby-Kista.")}


class BaseSignatoryFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if not kept:
            raise ValidationError(_("Ange minst en undertecknare, med funktion och namn."))


def signatory_formset(data, agreement):
    formset_class = forms.inlineformset_factory(
        Agreement,
        Signatory,
        form=SignatoryForm,
        formset=BaseSignatoryFormSet,
        extra=1 if agreement.pk else 3,
        can_delete=True,
        can_delete_extra=False,
    )
    return formset_class(data, instance=agreement, prefix="undertecknare")


class RevisionForm(NoIdentityMixin, ModelForm):
    """The model refuses a revision dated before the agreement was signed."""

    identity_fields = ["note"]

    class Meta(ModelForm.Meta):
        model = AgreementRevision
        fields = ["revised_on", "note"]
        widgets = {"revised_on": DATE}

    def clean_revised_on(self):
        revised_on = self.cleaned_data["revised_on"]
        if revised_on > timezone.localdate():
            raise ValidationError(_("En revidering kan inte ligga i framtiden."))
        return revised_on


class UserByEmailField(forms.EmailField):
    """A person picked by e-mail address: the library's editors and fact-checkers."""

    def clean(self, value):
        email = super().clean(value)
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(_("Det finns ingen användare med den e-postadressen."))
        return user


class DocumentForm(NoIdentityMixin, ModelForm):
    identity_fields = ["summary"]

    editor = UserByEmailField(
        label=_("Redaktör"), help_text=_("E-postadress. Redaktören ansvarar för att granska.")
    )
    fact_checker = UserByEmailField(
        label=_("Faktagranskare"), required=False, help_text=_("E-postadress.")
    )

    class Meta(ModelForm.Meta):
        model = Document
        fields = [
            "title",
            "kind",
            "local_group",
            "agreement",
            "version",
            "summary",
            "url",
            "updated_on",
            "fact_checked_on",
            "fact_checker",
            "editor",
            "review_due_on",
        ]
        widgets = {
            "updated_on": DATE,
            "fact_checked_on": DATE,
            "review_due_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.select_related("local_group")
        document = self.instance
        if document.pk:
            self.initial["editor"] = document.editor.email
            if document.fact_checker_id:
                self.initial["fact_checker"] = document.fact_checker.email
        else:
            today = timezone.localdate()
            defaults = {
                "editor": user.email,
                "updated_on": today,
                "review_due_on": today + datetime.timedelta(days=365),
            }
            for name, value in defaults.items():
                self.initial[name] = self.initial.get(name) or value

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in ("updated_on", "fact_checked_on"):
            if data.get(name) and data[name] > today:
                self.add_error(name, _("Datumet kan inte ligga i framtiden."))
        missing_checker = not data.get("fact_checker") and not self.has_error("fact_checker")
        if data.get("fact_checked_on") and missing_checker:
            self.add_error("fact_checker", _("Ange vem som faktagranskade dokumentet."))
        if data.get("fact_checker") and not data.get("fact_checked_on"):
            self.add_error("fact_checked_on", _("Ange när dokumentet faktagranskades."))
        updated_on, review_due_on = data.get("updated_on"), data.get("review_due_on")
        if updated_on and review_due_on and review_due_on <= updated_on:
            self.add_error(
                "review_due_on", _("Nästa granskning ska ligga efter att dokumentet uppdaterades.")
            )
        agreement = data.get("agreement")
        if (
            agreement
            and agreement.local_group_id
            and agreement.local_group != data.get("local_group")
        ):
            self.add_error(
                "agreement", _("Överenskommelsen hör till en annan grupp än dokumentet.")
            )
        return data


REGIONAL = "regional"


class DocumentFilterForm(FilterForm):
    typ = forms.ChoiceField(
        label=_("Typ"), required=False, choices=[("", _("Alla typer")), *Document.Kind.choices]
    )
    grupp = forms.ChoiceField(label=_("Omfattar"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grupp"].choices = [
            ("", _("Regionala och lokala")),
            (REGIONAL, _("Regionala dokument")),
            *LocalGroup.objects.values_list("slug", "name"),
        ]

    def filter(self, documents):
        kind, group = self.cleaned_data.get("typ"), self.cleaned_data.get("grupp")
        if kind:
            documents = documents.filter(kind=kind)
        if group == REGIONAL:
            documents = documents.filter(local_group__isnull=True)
        elif group:
            documents = documents.filter(local_group__slug=group)
        return documents
