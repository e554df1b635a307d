"""One middleware writes the access log, at the end of every request.

It sits right after Django's AuthenticationMiddleware and

- opens the request's scope (``permissions.request_scope``: what the user is and each
  app's access object are worked out once per request);
- runs every unsafe request (POST, PUT, PATCH, DELETE) in one transaction and writes the
  request's log entries inside it: a change and its entries commit together or not at all,
  and a 5xx answer rolls the change back (its entries are then written on their own);
- writes the entries of a safe request (GET, HEAD) after the view;
- adds one "denied" entry for a signed-in user's 403 or 404 if the view did not log the
  refusal with its record already;
- writes nothing for anonymous requests;
- fails closed: if the entries cannot be written, the page is not served: the user gets
  a 503 page and a POST's change is rolled back.
"""

import logging

from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from samverkan import permissions
from samverkan.audit.logging import write_request
from samverkan.operations.metrics import ACCESS_LOG_FAILURES

logger = logging.getLogger("samverkan.audit")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SKIPPED_PREFIXES = ("/static/", "/favicon.ico", "/robots.txt")

# If even the 503 page cannot be rendered (the database is what failed).
FALLBACK = (
    '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
    "<title>Sidan kan inte visas – Samverkan</title></head><body><main>"
    "<h1>Sidan kan inte visas just nu</h1>"
    "<p>Sidan kan inte visas just nu eftersom åtkomsten inte kunde loggas. "
    "Försök igen om en stund.</p>"
    '<p><a href="/">Till startsidan</a></p></main></body></html>'
)


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with permissions.request_scope(request):
            if request.method in SAFE_METHODS:
                response = self.get_response(request)
                return self._logged(request, response)
            try:
                with transaction.atomic():
                    response = self.get_response(request)
                    if response.status_code >= 500:
                        transaction.set_rollback(True)
                    else:
                        self._write(request, response)
            except DatabaseError:
                ACCESS_LOG_FAILURES.inc()
                logger.exception(
                    "Access log not written; %s %s rolled back and answered 503",
                    request.method,
                    request.path,
                )
                return unavailable(request)
            if response.status_code >= 500:
                # The change was rolled back; what the request touched is still logged.
                return self._logged(request, response)
            return response

    def _logged(self, request, response):
        try:
            self._write(request, response)
        except DatabaseError:
            ACCESS_LOG_FAILURES.inc()
            logger.exception(
                "Access log not written; %s %s answered 503 instead",
                request.method,
                request.path,
            )
            # (Not response.close(): that fires request_finished, which closes the
            # database connection in the middle of the request.)
            return unavailable(request)
        return response

    def _write(self, request, response) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        status = response.status_code
        if (
            status in (403, 404)
            and not permissions.refused(request)
            and not request.path.startswith(SKIPPED_PREFIXES)
        ):
            reason = _("Åtkomst nekad") if status == 403 else _("Finns inte eller inte behörig")
            permissions.record(
                request, reason=reason, action=permissions.Action.DENIED, status_code=status
            )
        write_request(request, permissions.touches(request), status_code=status)


def unavailable(request):
    """The 503 page: the access could not be logged, so the page is not shown."""
    try:
        # No messages: a view's "saved" would be untrue, its change was rolled back.
        response = render(request, "errors/503.html", {"messages": []}, status=503)
    except Exception:  # the database may be what failed; the page then needs none of it
        logger.exception("The 503 page could not be rendered; answering with plain HTML")
        response = HttpResponse(FALLBACK, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response
