"""Who is on the other end of a request: the client's IP address, for the access log, the
role-change log and the log-in rate limit.

``X-Forwarded-For`` can be sent by anyone. It is believed only for the proxies the operator
says are in front of the app (``TRUSTED_PROXY_COUNT``, the same number allauth's rate limit
uses): each appends the address it saw, so the client is the entry that many places from
the end. With no trusted proxy the header is ignored.
"""

import ipaddress

from django.conf import settings


def _address(value) -> str | None:
    try:
        return str(ipaddress.ip_address(str(value).strip().strip("[]")))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = forwarded.split(",")
        if len(hops) >= count:
            return _address(hops[-count])
    return _address(request.META.get("REMOTE_ADDR", ""))
