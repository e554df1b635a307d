"""The probes and /metrics. ``OperationsMiddleware`` answers these paths itself, before the
session, the host check and the access log; urls.py names them for ``reverse()`` and the
route table."""

import hmac
import logging

from django.conf import settings
from django.db import connection, transaction
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache

from samverkan.operations import metrics as prometheus

logger = logging.getLogger("samverkan.operations")


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request):
    """Liveness: the process answers. It asks nothing of the database, so a locked table or
    a database that is gone never makes the load balancer or systemd restart a healthy
    worker; /readyz is the check that asks the database."""
    return _text("ok")


@never_cache
def readyz(request):
    """Readiness: the database answers ``SELECT 1`` within a second (PostgreSQL's
    statement_timeout; a connection that cannot be made gives up after connect_timeout)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL statement_timeout = '1s'")
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # whatever the driver raises, the answer is "not ready"
        logger.warning("/readyz: the database does not answer", exc_info=True)
        return _text(f"inte redo: databasen svarar inte ({type(error).__name__})", status=503)
    return _text("ok")


@never_cache
def metrics(request):
    """Prometheus metrics, only for ``Authorization: Bearer <METRICS_TOKEN>``. Without the
    setting the page does not exist (404); a missing or wrong token gets 401."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        response = _text("kräver en giltig token", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(prometheus.exposition(), content_type=prometheus.CONTENT_TYPE)


# The paths the middleware answers, and what answers them (the same as in urls.py).
PATHS = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics}
