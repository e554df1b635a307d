"""The secretariat's forms: narrowing the county's inbox, reviewing a report, categories."""

import datetime

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.deviations.forms import DATE
from samverkan.deviations.models import Category, Deviation, Tag
from samverkan.forms import DateField, FilterForm, ModelChoiceField, ModelForm
from samverkan.identity import NoIdentityMixin
from samverkan.organisations.models import LocalGroup, Principal, Unit

YES_NO = [("", _("Alla")), ("ja", _("Ja")), ("nej", _("Nej"))]
READ = [("", _("Alla")), ("olasta", _("Olästa")), ("lasta", _("Lästa"))]
OtherUnits = Deviation.other_units.through
OtherPrincipals = Deviation.other_principals.through
Tags = Deviation.tags.through


def start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def region_unit_kinds() -> list[tuple[str, str]]:
    """The kinds of unit the Region runs (BUP, habilitering ...), in the model's order."""
    kinds = set(
        Unit.objects.filter(principal__kind=Principal.Kind.REGION)
        .order_by()
        .values_list("kind", flat=True)
        .distinct()
    )
    return [(value, label) for value, label in Unit.Kind.choices if value in kinds]


class InboxFilterForm(FilterForm):
    fran = DateField(label=_("Inskickade från och med"), required=False, widget=DATE)
    till = DateField(label=_("Inskickade till och med"), required=False, widget=DATE)
    grupp = ModelChoiceField(
        label=_("Lokal BUS-grupp"),
        queryset=LocalGroup.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Alla grupper"),
    )
    kommun = ModelChoiceField(
        label=_("Kommun"),
        queryset=Principal.objects.filter(kind=Principal.Kind.MUNICIPALITY),
        required=False,
        empty_label=_("Alla kommuner"),
        help_text=_("Rapporterande verksamhet eller annan part."),
    )
    region = forms.ChoiceField(
        label=_("Regionens verksamhet"),
        required=False,
        help_text=_("Rapporterande verksamhet eller annan part."),
    )
    kategori = ModelChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("Alla kategorier"),
    )
    steg = forms.ChoiceField(
        label=_("Steg"),
        required=False,
        choices=[("", _("Alla steg"))]
        + [(v, label) for v, label in Deviation.Step.choices if v != Deviation.Step.DRAFT],
    )
    principiell = forms.ChoiceField(label=_("Principiell karaktär"), choices=YES_NO, required=False)
    last = forms.ChoiceField(label=_("Läst av sekretariatet"), choices=READ, required=False)
    tagg = ModelChoiceField(
        label=_("Tagg"), queryset=Tag.objects.all(), required=False, empty_label=_("Alla taggar")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Alla verksamheter"))] + region_unit_kinds()

    def clean(self):
        data = super().clean()
        if data.get("fran") and data.get("till") and data["till"] < data["fran"]:
            self.add_error("till", _("Slutdatum kan inte ligga före startdatum."))
        return data

    def filter(self, deviations):
        """Narrow ``deviations`` by what was asked. Parties are found with subqueries on the
        through tables, so a report is listed once however many parties match."""
        data = self.cleaned_data
        if data.get("fran"):
            deviations = deviations.filter(submitted_at__gte=start_of_day(data["fran"]))
        if data.get("till"):
            deviations = deviations.filter(
                submitted_at__lt=start_of_day(data["till"] + datetime.timedelta(days=1))
            )
        if data.get("grupp"):
            deviations = deviations.filter(local_group=data["grupp"])
        if municipality := data.get("kommun"):
            deviations = deviations.filter(
                Q(reporting_unit__principal=municipality)
                | Q(
                    pk__in=OtherUnits.objects.filter(unit__principal=municipality).values(
                        "deviation_id"
                    )
                )
                | Q(
                    pk__in=OtherPrincipals.objects.filter(principal=municipality).values(
                        "deviation_id"
                    )
                )
            )
        if kind := data.get("region"):
            region = {"principal__kind": Principal.Kind.REGION, "kind": kind}
            deviations = deviations.filter(
                Q(reporting_unit__in=Unit.objects.filter(**region).values("pk"))
                | Q(
                    pk__in=OtherUnits.objects.filter(
                        unit__in=Unit.objects.filter(**region).values("pk")
                    ).values("deviation_id")
                )
            )
        if data.get("kategori"):
            deviations = deviations.filter(category=data["kategori"])
        if data.get("steg"):
            deviations = deviations.filter(step=data["steg"])
        if data.get("principiell"):
            deviations = deviations.filter(is_principled=data["principiell"] == "ja")
        if data.get("last"):
            deviations = deviations.filter(read_by_secretariat_at__isnull=data["last"] == "olasta")
        if data.get("tagg"):
            deviations = deviations.filter(
                pk__in=Tags.objects.filter(tag=data["tagg"]).values("deviation_id")
            )
        return deviations


class ReviewForm(NoIdentityMixin, ModelForm):
    """The secretariat's reading of one report: read, tags, judgement. Never the case itself."""

    identity_fields = ["judgement_note", "new_tag"]
    field_order = ["mark_read", "tags", "new_tag", "judgement", "judgement_note"]

    mark_read = forms.BooleanField(label=_("Markera som läst"), required=False)
    new_tag = forms.CharField(
        label=_("Ny tagg"),
        max_length=Tag._meta.get_field("name").max_length,
        required=False,
        help_text=_("Skapar taggen och sätter den på rapporten."),
    )

    class Meta(ModelForm.Meta):
        model = Deviation
        fields = ["tags", "judgement", "judgement_note"]
        labels = {
            "tags": _("Taggar"),
            "judgement": _("Sekretariatets bedömning"),
            "judgement_note": _("Kommentar till bedömningen"),
        }
        widgets = {
            "tags": forms.CheckboxSelectMultiple,
            "judgement": forms.RadioSelect,
            "judgement_note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.read_by_secretariat_at:
            del self.fields["mark_read"]

    def clean_new_tag(self):
        return " ".join(self.cleaned_data["new_tag"].split())

    @transaction.atomic
    def save(self, commit=True):
        deviation = super().save(commit=False)
        fields = ["judgement", "judgement_note"]
        if self.cleaned_data.get("mark_read") and not deviation.read_by_secretariat_at:
            deviation.read_by_secretariat_at = timezone.now()
            fields.append("read_by_secretariat_at")
        deviation.save(update_fields=fields)
        tags = list(self.cleaned_data["tags"])
        if name := self.cleaned_data.get("new_tag"):
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            tags.append(tag)
        deviation.tags.set(tags)
        return deviation


class CategoryForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Category
        fields = ["name", "description", "is_active", "position"]
        labels = {
            "name": _("Namn"),
            "description": _("Beskrivning"),
            "is_active": _("Används"),
            "position": _("Ordning"),
        }
        help_texts = {
            "is_active": _(
                "Kategorier kan inte tas bort. En kategori som inte används längre döljs i "
                "rapportformuläret men finns kvar på rapporterna."
            ),
            "position": _("Lägre tal visas först."),
        }

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Category.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Det finns redan en kategori som heter ”%(name)s”."), params={"name": name}
            )
        return name
