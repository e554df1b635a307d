"""How every form in Samverkan renders (Designsystemet fields, errors tied to their inputs),
and the fields every form uses for selects of records and for dates."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Django's words for a required field left empty and for a select's empty choice; a field
# that still has them gets words that say what to do (``BoundField.__init__``).
DJANGO_REQUIRED = forms.Field.default_error_messages["required"]
DJANGO_EMPTY_LABEL = "---------"
CHOICE_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple)


def label_in_sentence(label) -> str:
    """A field's label inside a sentence: "Verksamhet" -> "verksamhet", "SIP-möte" stays."""
    label = str(label)
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def required_message(field, label) -> str:
    """What to do about a required field left empty, from its label and kind."""
    widget = field.widget
    words = {"label": label_in_sentence(label)}
    if isinstance(widget, forms.CheckboxInput):
        return _("Kryssa i rutan ”%(label)s” för att gå vidare.") % {"label": label}
    if isinstance(widget, forms.FileInput):
        return _("Bifoga %(label)s.") % words
    if str(label).rstrip().endswith("?"):  # "Vilken sida gäller det?" is a question
        if isinstance(widget, CHOICE_WIDGETS):
            return _("Välj ett svar på frågan ”%(label)s”") % {"label": label}
        return _("Svara på frågan ”%(label)s”") % {"label": label}
    if isinstance(widget, CHOICE_WIDGETS):
        return _("Välj %(label)s.") % words
    return _("Fyll i %(label)s.") % words


class BoundField(forms.BoundField):
    """Every field of every form (``FormRenderer.bound_field_class``). Made before the form
    is cleaned, so it is the one place that words what every field says:

    - a required field left empty says what to do ("Fyll i datum.", "Välj verksamhet."),
      not Django's "Detta fält måste fyllas i.", unless the form chose its own words;
    - a select's empty choice reads "Välj verksamhet", not "---------"; in a filter form,
      which narrows a list, "Alla" (unless the form says "Alla grupper" itself).
    """

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        if field.error_messages.get("required") is DJANGO_REQUIRED:
            field.error_messages["required"] = required_message(field, self.label)
        if getattr(form, "is_filter", False):
            choose = _("Alla")  # a filter's empty choice narrows nothing
        else:
            choose = _("Välj %(label)s") % {"label": label_in_sentence(self.label)}
        if getattr(field, "empty_label", None) == DJANGO_EMPTY_LABEL:
            field.empty_label = choose
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices = list(field.choices)
            if choices and choices[0] == ("", DJANGO_EMPTY_LABEL):
                field.choices = [("", choose), *choices[1:]]

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.use_fieldset:
            # Radio buttons and checkbox lists: forms/field.html ties help and errors to the
            # fieldset; each option's class is in its template.
            return attrs
        if "class" not in widget.attrs:
            attrs["class"] = "ds-input"
        described_by = []
        if self.errors:
            described_by.append(f"{self.auto_id}_error")
        if self.help_text:
            described_by.append(f"{self.auto_id}_helptext")
        if described_by and "aria-describedby" not in widget.attrs:
            attrs["aria-describedby"] = " ".join(described_by)
        return attrs


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = BoundField


class FilterForm(forms.Form):
    """A form that narrows a list: every field is optional, so none is marked as such."""

    is_filter = True


# --- Fields every form uses -------------------------------------------------------------------
# Selects: a posted value that cannot be a key of the model at all (beyond a 64-bit
# integer, "1.5", "abc") is refused as a choice that does not exist, before the database is
# asked. Django's own multiple select hands such a value to the database, where SQLite
# raises OverflowError (the page answers 500), and words "1.5" differently from every other
# wrong choice. Dates: nothing in Samverkan happens before 1990 or more than five years
# ahead, so such a date is a typing mistake ("0202-11-23") and is refused at the field.
# ModelForms get the same fields for their model fields through ``ModelForm.Meta``.

EARLIEST_DATE = datetime.date(1990, 1, 1)
YEARS_AHEAD = 5


def date_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The dates a form accepts: from 1990-01-01 to the end of the fifth year from now."""
    today = today or timezone.localdate()
    return EARLIEST_DATE, datetime.date(today.year + YEARS_AHEAD, 12, 31)


class DateField(forms.DateField):
    """A date in ``date_range()``; anything else is refused with the range in the message."""

    default_error_messages = {
        "out_of_range": _("Ange ett datum mellan %(earliest)s och %(latest)s."),
    }

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        earliest, latest = date_range()
        if not earliest <= value <= latest:
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"earliest": earliest.isoformat(), "latest": latest.isoformat()},
            )


def could_be_key(model, to_field_name: str | None, value) -> bool:
    """Whether ``value`` can be a value of the model's key (its pk, or ``to_field_name``):
    the model field's own conversion and validators, which for an integer key include the
    database's range. No query."""
    field = model._meta.get_field(to_field_name) if to_field_name else model._meta.pk
    try:
        key = field.to_python(value)
        if key in field.empty_values:
            return False
        field.run_validators(key)
    except (ValidationError, ValueError, TypeError):
        return False
    return True


class ModelChoiceField(forms.ModelChoiceField):
    """A select of model instances that refuses a value that cannot be a key."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and not isinstance(value, self.queryset.model)
            and not could_be_key(self.queryset.model, self.to_field_name, value)
        ):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several model instances, as a list of checkboxes (a long list gets a filter, see
    django/forms/widgets/multiple_input.html), never a multiple select, which needs Ctrl to
    choose more than one and shows a few options of hundreds. Refuses a list holding a
    value that cannot be a key."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value):
        if isinstance(value, list | tuple):
            for item in value:
                if isinstance(item, self.queryset.model):
                    continue
                if not could_be_key(self.queryset.model, self.to_field_name, item):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super().clean(value)


def formfield(db_field, **kwargs):
    """``Meta.formfield_callback`` of ``ModelForm``: the fields above for foreign keys,
    many-to-many fields and dates; Django's own for everything else."""
    if isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", ModelChoiceField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    elif isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateField)
    return db_field.formfield(**kwargs)


class ModelForm(forms.ModelForm):
    """Every ModelForm in Samverkan: its generated selects and dates are the fields above.

    A subclass's Meta inherits this one (``class Meta(ModelForm.Meta)``), which carries the
    ``formfield_callback``; a Meta that does not is refused when the class is defined."""

    class Meta:
        formfield_callback = staticmethod(formfield)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None and getattr(meta, "formfield_callback", None) is not formfield:
            raise TypeError(
                f"{cls.__qualname__}.Meta must inherit samverkan.forms.ModelForm.Meta: "
                f"class Meta(ModelForm.Meta)."
            )
