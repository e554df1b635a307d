import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.organisations.models import Membership, UnitMembership


def employ(user, unit, role=UnitMembership.Role.STAFF, **fields):
    fields.setdefault("valid_from", datetime.date(2020, 1, 1))
    return UnitMembership.objects.create(user=user, unit=unit, role=role, **fields)


def seat(body, user=None, role=Membership.Role.MEMBER, function="Enhetschef", unit=None):
    return Membership.objects.create(body=body, user=user, role=role, function=function, unit=unit)


def count_queries(client, url):
    """GET url; return (response, number of queries it ran)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response, len(queries)
