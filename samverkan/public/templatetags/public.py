from django import template

from samverkan.public.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(source):
    """A page body in Markdown as sanitised HTML."""
    return render_markdown(source)
