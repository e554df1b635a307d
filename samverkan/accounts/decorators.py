from functools import wraps

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def allowed(user, perm: str, obj=None) -> bool:
    """Ask the rules in ``accounts/rules.py``, and only them.

    ``user.has_perm`` would let a superuser through everything; here a system admin has
    exactly the rights the rules give the role (the access log, for one, is not among them).
    """
    return rules.has_perm(perm, user, obj)


def permission_required(perm: str):
    """Log-in first, then the rule: 403 (logged by the audit middleware) if it fails.

    For object rules, call ``allowed(request.user, perm, obj)`` in the view once the object
    is fetched; this decorator checks the object-free form.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
