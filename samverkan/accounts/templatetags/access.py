"""``{% allowed "forum.manage_case" case as may_manage %}``: templates ask the same rules as
views (``accounts/rules.py``), never role flags."""

from django import template

from samverkan.permissions import allowed as ask

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, perm, obj=None):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return user is not None and ask(user, perm, obj)
