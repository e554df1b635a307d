"""The door: the one way a view reaches a person's record.

Every view that shows, acknowledges, changes or refuses a record about a person goes through
``load()``: it fetches the record, asks the rule in ``samverkan.accounts.rules``, writes one
access-log entry (with the reason and the child the record is about) and answers 404 for a
record the user may not know exists, 403 for one they know of but may not act on.

This module is the lowest floor: it imports no app of the project. Rules are asked through
the ``rules`` registry (filled by ``accounts/rules.py``); log entries are queued on the
request and written together by ``samverkan.audit.middleware.AccessLogMiddleware`` at the
end of the request, in one transaction, fail-closed (no log, no page).

What a user is (their units, seats and flags) and each app's access object are worked out
once per request: ``cached()`` keeps them for the request's lifetime and never across
requests. Outside a request (tests, management commands) nothing is cached.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

import rules
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# --- per-request memory ---------------------------------------------------------------------
_scope: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "samverkan_request_scope", default=None
)
_request: contextvars.ContextVar = contextvars.ContextVar("samverkan_request", default=None)


@contextlib.contextmanager
def request_scope(request=None):
    """Keep ``cached()`` values for the duration of one request, and remember the request
    (for ``current_request()``); set by the access-log middleware."""
    token, request_token = _scope.set({}), _request.set(request)
    try:
        yield
    finally:
        _scope.reset(token)
        _request.reset(request_token)


def current_request():
    """The request being served, or None (a management command, a test without a client)."""
    return _request.get()


def cached(user, key, build: Callable):
    """``build()``, once per request for this user and key; fresh outside a request."""
    scope = _scope.get()
    if scope is None or not getattr(user, "is_authenticated", False):
        return build()
    slot = (user.pk, key)
    if slot not in scope:
        scope[slot] = build()
    return scope[slot]


def access(user, access_class):
    """The app's access object (``CaseAccess``, ``PlanAccess`` …) for this user, built once
    per request; it caches what it learns about each record it is asked about."""
    return cached(user, access_class, lambda: access_class(user))


# --- asking the rules -----------------------------------------------------------------------
def allowed(user, perm: str, obj=None) -> bool:
    """Ask the rules in ``accounts/rules.py``, and only them.

    ``user.has_perm`` would let a superuser through everything; here a system admin has
    exactly the rights the rules give the role (the access log, for one, is not among them).
    """
    return rules.has_perm(perm, user, obj)


def permission_required(perm: str):
    """Log-in first, then the object-free rule: 403 (logged by the middleware) if it fails.

    For a record, use ``load()``: it checks the object rule and logs.
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


# Which rule says that a user may know that a record exists, by model label
# ("forum.forumcase" -> "forum.view_case"). Filled by ``accounts/rules.py`` with ``knows()``.
EXISTENCE_RULES: dict[str, str] = {}


def knows(model, perm: str) -> None:
    """Register the rule that decides whether a user may know a record of ``model`` exists;
    ``load()`` answers 404 when it fails."""
    EXISTENCE_RULES[model._meta.label_lower] = perm


# --- the access log queue -------------------------------------------------------------------
class Action:
    VIEW = "view"
    CHANGE = "change"
    EXPORT = "export"
    SEARCH = "search"
    DENIED = "denied"


@dataclass
class Touch:
    """One access-log entry waiting to be written at the end of the request."""

    object_type: str = ""
    object_id: str = ""
    object_label: str = ""
    child_id: int | None = None
    reason: str = ""
    action: str = Action.VIEW
    status_code: int | None = None


def describe(obj) -> dict:
    """How the log names a record: type, id, a label without name or number, and the child
    the record is about (``audit_child_id`` on the model), if any."""
    if obj is None:
        return {}
    child_id = getattr(obj, "audit_child_id", None)
    label = getattr(obj, "audit_label", None)
    if not label:
        # A record about a child is never named by its text (it may hold a name).
        label = f"{obj._meta.verbose_name} {obj.pk}" if child_id is not None else obj
    return {
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "object_label": str(label)[:200],
        "child_id": child_id,
    }


def touches(request) -> list[Touch]:
    """The entries queued for this request (the middleware writes them)."""
    if not hasattr(request, "_access_touches"):
        request._access_touches = []
    return request._access_touches


def record(request, obj=None, *, reason, action: str = Action.VIEW, status_code=None) -> Touch:
    """Queue one access-log entry for ``obj``. Texts are kept in the service's default
    language, whatever language the user reads (callers pass lazy translations)."""
    with translation.override(settings.LANGUAGE_CODE):
        touch = Touch(reason=str(reason)[:300], action=action, status_code=status_code)
    for name, value in describe(obj).items():
        setattr(touch, name, value)
    touches(request).append(touch)
    return touch


def record_many(request, objs, *, reason, action: str = Action.VIEW) -> list[Touch]:
    """One entry per record a list page shows."""
    return [record(request, obj, reason=reason, action=action) for obj in objs]


def refused(request) -> bool:
    """Whether a refusal has already been logged for this request (with its record)."""
    return any(t.action == Action.DENIED for t in touches(request))


# --- the loader -----------------------------------------------------------------------------
def _denied_reason(reason) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return f"{_('Nekades')}: {reason}"


def load(request, queryset, perm: str, *, reason, action: str = Action.VIEW, **lookup):
    """The one way a view reaches a record about a person.

    Fetches ``queryset.get(**lookup)``; if the user may not know the record exists (the
    model's rule registered with ``knows()``) logs the refusal with the record and answers
    404; if they may know of it but ``perm`` fails, logs and answers 403; otherwise logs
    ``reason`` (a text, or a function of the record for views whose reason depends on
    what the user is shown) and returns the record.
    """
    model = queryset.model
    try:
        obj = queryset.get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError, ValidationError, OverflowError):
        raise Http404 from None
    text = reason(obj) if callable(reason) else reason
    known = EXISTENCE_RULES.get(model._meta.label_lower)
    if known and not allowed(request.user, known, obj):
        record(request, obj, reason=_denied_reason(text), action=Action.DENIED, status_code=404)
        raise Http404
    if perm != known and not allowed(request.user, perm, obj):
        record(request, obj, reason=_denied_reason(text), action=Action.DENIED, status_code=403)
        raise PermissionDenied
    record(request, obj, reason=text, action=action)
    return obj


def refuse(request, obj, status_code: int = 404):
    """After ``load()``: the record was found and allowed, but what was asked for is not
    there (a family copy before the plan is established) or not the user's (another
    person's receipt). Turns the entry ``load()`` queued into a refusal and answers 404/403."""
    described = describe(obj)
    for touch in reversed(touches(request)):
        if (touch.object_type, touch.object_id) == (
            described["object_type"],
            described["object_id"],
        ):
            touch.reason = _denied_reason(touch.reason)
            touch.action, touch.status_code = Action.DENIED, status_code
            break
    else:
        record(
            request, obj, reason=_denied_reason(""), action=Action.DENIED, status_code=status_code
        )
    raise Http404 if status_code == 404 else PermissionDenied

