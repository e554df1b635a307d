import datetime

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from samverkan.audit.middleware import AccessLogMiddleware
from samverkan.audit.models import AccessLog
from samverkan.permissions import record

pytestmark = pytest.mark.django_db


def test_record_writes_who_what_role_and_why(staff, school):
    request = RequestFactory().get("/katalog/verksamheter/1/", REMOTE_ADDR="10.1.2.3")
    request.user = staff

    def view(request):
        record(request, school, reason="Förberedde möte")
        return HttpResponse()

    # Entries are queued by the view and written by the middleware at the end.
    AccessLogMiddleware(view)(request)
    entry = AccessLog.objects.get()
    assert entry.user == staff and entry.user_label == staff.email
    assert (entry.object_type, entry.object_id, entry.object_label) == (
        "organisations.unit",
        str(school.pk),
        "Testskolan",
    )
    assert entry.reason == "Förberedde möte"
    assert entry.role == "Personal, Testskolan"
    assert entry.ip_address == "10.1.2.3" and entry.method == "GET"
    assert entry.at is not None


def test_denied_requests_are_logged_for_signed_in_users(client, outsider, client_for):
    client.get("/finns-inte/")
    assert not AccessLog.objects.exists()  # anonymous requests are not logged
    client_for(outsider).get("/finns-inte/")
    entry = AccessLog.objects.get()
    assert (entry.action, entry.status_code, entry.user) == ("denied", 404, outsider)
    client_for(outsider).get(reverse("audit:review"))
    entry = AccessLog.objects.latest("id")
    assert (entry.action, entry.status_code, entry.user) == ("denied", 403, outsider)


def test_only_log_reviewers_read_the_log(
    client_for, staff, manager, secretariat, admin_user, log_reviewer
):
    url = reverse("audit:review")
    for user in (staff, manager, secretariat, admin_user):
        assert client_for(user).get(url).status_code == 403, user
    assert client_for(log_reviewer).get(url).status_code == 200


def test_log_review_filters_and_logs_itself(client_for, log_reviewer, staff, outsider, school):
    def entry(user, action, day, object_id=""):
        return AccessLog.objects.create(
            user=user, user_label=user.email, action=action, object_type="organisations.unit",
            object_id=object_id, reason="test",
            at=datetime.datetime(2026, 3, day, 12, tzinfo=datetime.UTC),
        )  # fmt: skip

    a = entry(staff, "view", 1, str(school.pk))
    b = entry(outsider, "denied", 5)
    c = entry(staff, "view", 10, "999")
    client = client_for(log_reviewer)
    url = reverse("audit:review")

    def shown(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {e.pk for e in response.context["page"]} & {a.pk, b.pk, c.pk}

    assert shown() == {a.pk, b.pk, c.pk}
    assert shown(user="kurator") == {a.pk, c.pk}
    assert shown(user="Kurator") == {a.pk, c.pk}  # by last name too
    assert shown(action="denied") == {b.pk}
    assert shown(object_type="organisations.unit", object_id=str(school.pk)) == {a.pk}
    assert shown(date_from="2026-03-02", date_to="2026-03-09") == {b.pk}
    # The reviewer's own searches are in the log.
    searches = AccessLog.objects.filter(user=log_reviewer, action="search")
    assert searches.count() == 6
    assert "action=denied" in searches.order_by("id")[3].reason


def test_log_review_rejects_a_reversed_period(client_for, log_reviewer):
    response = client_for(log_reviewer).get(
        reverse("audit:review"), {"date_from": "2026-03-10", "date_to": "2026-03-01"}
    )
    assert "Slutdatum kan inte ligga före startdatum." in response.text
    assert list(response.context["page"]) == []


def test_log_review_paginates_with_constant_queries(client_for, log_reviewer, staff, settings):
    from tests.helpers import count_queries

    settings.PAGE_SIZE = 10
    AccessLog.objects.bulk_create(
        AccessLog(user=staff, user_label=staff.email, action="view", reason=str(i))
        for i in range(25)
    )
    client = client_for(log_reviewer)
    response, first = count_queries(client, reverse("audit:review"))
    assert len(response.context["page"]) == 10
    AccessLog.objects.bulk_create(
        AccessLog(user=staff, user_label=staff.email, action="view", reason=str(i))
        for i in range(200)
    )
    response, later = count_queries(client, reverse("audit:review") + "?sida=3")
    assert later == first
    assert response.context["page"].number == 3


def test_the_log_cannot_be_edited_in_admin(client_for, admin_user, staff):
    entry = AccessLog.objects.create(user=staff, user_label=staff.email, action="view")
    client = client_for(admin_user)
    assert client.get(reverse("admin:audit_accesslog_change", args=[entry.pk])).status_code == 403
    assert client.post(reverse("admin:audit_accesslog_delete", args=[entry.pk])).status_code == 403
