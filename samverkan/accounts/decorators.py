from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def permission_required(perm: str):
    """Log-in first, then the rule: 403 (logged by the audit middleware) if it fails.

    For object rules, call ``request.user.has_perm(perm, obj)`` in the view once the object
    is fetched; this decorator checks the object-free form.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
