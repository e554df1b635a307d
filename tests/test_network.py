"""X-Forwarded-For is believed only for the proxies the operator configured."""

import pytest
from django.test import RequestFactory

from samverkan.network import client_ip


@pytest.mark.parametrize(
    ("count", "forwarded", "remote", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1", "10.0.0.1"),  # no proxy trusted: the header is ignored
        (1, "6.6.6.6, 192.0.2.7", "10.0.0.1", "192.0.2.7"),  # the load balancer's entry
        (1, "", "10.0.0.1", "10.0.0.1"),
        (2, "192.0.2.7, 10.0.0.9", "10.0.0.1", "192.0.2.7"),  # two proxies
        (2, "192.0.2.7", "10.0.0.1", "10.0.0.1"),  # fewer hops than proxies: not believed
        (1, "not-an-address", "10.0.0.1", None),
        (1, "[2001:db8::1]", "10.0.0.1", "2001:db8::1"),
        (0, "", "", None),
    ],
)
def test_the_client_is_as_many_hops_from_the_end_as_there_are_trusted_proxies(
    settings, count, forwarded, remote, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


def test_allauth_rate_limit_trusts_the_same_proxies():
    from django.conf import settings

    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT
