"""How every form in Samverkan renders: Designsystemet fields, errors tied to their inputs."""

from django import forms
from django.forms.renderers import TemplatesSetting


class BoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if "class" not in widget.attrs and not isinstance(
            widget, forms.RadioSelect | forms.CheckboxSelectMultiple
        ):
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
