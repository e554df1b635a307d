from django.conf import settings
from django.utils import translation

from samverkan.audit.models import AccessLog


def client_ip(request) -> str | None:
    # Behind a load balancer, REMOTE_ADDR is the balancer; it must then set X-Forwarded-For
    # and the README says to trust only that hop. The last address is the one it added.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def role_label(user) -> str:
    from samverkan.accounts.roles import roles_of

    return "; ".join(roles_of(user).labels())[:300]


def write_entry(request, obj=None, *, reason, action="view", role="", status_code=None):
    # The log reads the same whatever language the user has chosen: texts are written in
    # the service's default language (callers pass lazy translations).
    with translation.override(settings.LANGUAGE_CODE):
        entry = _entry(request, obj, reason=str(reason), action=action, role=str(role))
    entry.status_code = status_code
    entry.save()
    return entry


def write_entries(request, objs, *, reason, action="view", role=""):
    objs = list(objs)
    if not objs:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        role = str(role) or (role_label(request.user) if request.user.is_authenticated else "")
        entries = [
            _entry(request, obj, reason=str(reason), action=action, role=role) for obj in objs
        ]
    return AccessLog.objects.bulk_create(entries)


def _entry(request, obj, *, reason, action, role):
    user = request.user if request.user.is_authenticated else None
    entry = AccessLog(
        user=user,
        user_label=(user.email if user else "")[:254],
        role=role or (role_label(user) if user else ""),
        action=action,
        reason=str(reason)[:300],
        path=request.get_full_path()[:500],
        method=request.method[:8],
        ip_address=client_ip(request),
    )
    if obj is not None:
        entry.object_type = obj._meta.label_lower
        entry.object_id = str(obj.pk)
        entry.object_label = str(getattr(obj, "audit_label", None) or obj)[:200]
    return entry
