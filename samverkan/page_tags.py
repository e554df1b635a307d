"""Template tags about the page as a whole (``{% load pages %}``)."""

from django import forms, template

register = template.Library()


@register.simple_tag(takes_context=True)
def has_form_errors(context) -> bool:
    """Whether a form (or formset) on the page was sent and refused: the page's title then
    starts with "Fel: ", so that a screen reader user hears at once that it failed."""
    for value in context.flatten().values():
        is_form = isinstance(value, forms.BaseForm | forms.BaseFormSet)
        if is_form and value.is_bound and not value.is_valid():
            return True
    return False
