"""Counts requests for /metrics and answers the operations paths early.

It sits right after the security headers' middlewares. /healthz, /readyz and /metrics are
answered here, before the session, ``ALLOWED_HOSTS`` (a load balancer may probe by IP
address), authentication and the access log: a probe never loads a session, never writes
the log and never waits for a table. Every other request is timed and counted by its
status class.
"""

import time

from django.http import Http404, HttpResponseNotFound

from samverkan.operations import metrics
from samverkan.operations.views import PATHS


class OperationsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = PATHS.get(request.path_info)
        if view is not None:
            try:
                return view(request)
            except Http404:
                return HttpResponseNotFound("", content_type="text/plain; charset=utf-8")
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.count_request(response.status_code, time.perf_counter() - started)
        return response
