import datetime
import html
import re

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from samverkan.audit.middleware import AccessLogMiddleware
from samverkan.audit.models import AccessLog
from samverkan.permissions import record
from tests.helpers import count_queries

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


def test_the_log_names_a_record_by_its_kind_and_label(client_for, log_reviewer, staff):
    """The page reads "Avvikelse AV-2026-0012", not "deviations.deviation:72": the kind is
    the model's name, the label the one written at the time."""

    def entry(object_type, object_id, label=""):
        return AccessLog.objects.create(
            user=staff, user_label=staff.email, action="view", object_type=object_type,
            object_id=object_id, object_label=label,
        )  # fmt: skip

    deviation = entry("deviations.deviation", "72", "AV-2026-0012")
    child = entry("people.child", "5", "barn 5")  # already starts with its kind
    unlabelled = entry("forum.forumcase", "9")
    gone = entry("nosuch.model", "3", "X")
    assert deviation.record_name == "Avvikelse AV-2026-0012"
    assert child.record_name == "Barn 5"
    assert unlabelled.record_name == "Individforumärende 9"
    assert gone.record_name == "nosuch.model X"
    page = client_for(log_reviewer).get(reverse("audit:review")).text
    assert ">Avvikelse AV-2026-0012</a>" in page
    assert "deviations.deviation:72" not in page


def test_log_review_rejects_a_reversed_period(client_for, log_reviewer):
    response = client_for(log_reviewer).get(
        reverse("audit:review"), {"date_from": "2026-03-10", "date_to": "2026-03-01"}
    )
    assert "Slutdatum kan inte ligga före startdatum." in response.text
    assert list(response.context["page"]) == []


# --- keyset pages ------------------------------------------------------------------------
NOON = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)


def log_rows(user, count, *, at=NOON, action="view"):
    """``count`` entries by ``user``, all at the same moment: only the id orders them."""
    return AccessLog.objects.bulk_create(
        AccessLog(user=user, user_label=user.email, action=action, reason=str(i), at=at)
        for i in range(count)
    )


def link(response, name):
    """The address of the page link called ``name`` in the (first) page navigation, or
    None if it is not there."""
    nav = re.search(r'<nav class="ds-pagination".*?</nav>', response.text, re.S)
    found = nav and re.search(rf'href="([^"]*)">{re.escape(name)}</a>', nav.group(0))
    return html.unescape(found.group(1)) if found else None


def shown(response):
    return [entry.pk for entry in response.context["page"]]


def test_cursors_page_through_every_entry_once_in_order(
    client_for, log_reviewer, staff, outsider, settings
):
    settings.PAGE_SIZE = 5
    # 23 entries at one moment, 4 a day later and 3 a day earlier; and others' entries.
    log_rows(staff, 23)
    log_rows(staff, 4, at=NOON + datetime.timedelta(days=1))
    log_rows(staff, 3, at=NOON - datetime.timedelta(days=1))
    log_rows(outsider, 7)
    expected = list(
        AccessLog.objects.filter(user=staff).order_by("-at", "-id").values_list("pk", flat=True)
    )
    client = client_for(log_reviewer)
    url = reverse("audit:review")

    # Older and older, from the newest: every entry once, newest first, the filter kept.
    response = client.get(url, {"user": "kurator"})
    assert link(response, "Nyare") is None and link(response, "Första sidan (nyast)") is None
    assert "30 träffar" in response.text
    seen = shown(response)
    while older := link(response, "Äldre"):
        assert "user=kurator" in older and "sida" not in older
        response = client.get(url + older)
        assert response.status_code == 200
        assert link(response, "Första sidan (nyast)") is not None
        seen += shown(response)
    assert seen == expected
    assert len(response.context["page"]) == 5  # 30 entries: six full pages
    # The reviewer's look at the page is logged with the filter and where the page starts.
    look = AccessLog.objects.filter(user=log_reviewer).latest("id")
    assert re.search(r"user=kurator&fore=20260301T120000\.000000Z_\d+$", look.reason), look.reason
    assert link(response, "Sista sidan (äldst)") is None

    # And newer and newer back again, from the oldest page.
    response = client.get(url, {"user": "kurator", "sista": "1"})
    assert shown(response) == expected[-5:]
    assert response.context["page"].is_oldest and link(response, "Äldre") is None
    back = shown(response)
    while newer := link(response, "Nyare"):
        assert "user=kurator" in newer
        response = client.get(url + newer)
        back = shown(response) + back
    assert back == expected


def test_the_oldest_page_holds_the_oldest_entries_newest_first(
    client_for, log_reviewer, staff, settings
):
    settings.PAGE_SIZE = 4
    log_rows(staff, 6)
    log_rows(staff, 3, at=NOON - datetime.timedelta(hours=1))
    oldest = list(AccessLog.objects.order_by("at", "id").values_list("pk", flat=True)[:4])
    response = client_for(log_reviewer).get(reverse("audit:review"), {"sista": "1"})
    assert shown(response) == oldest[::-1]
    page = response.context["page"]
    assert page.is_oldest and not page.is_newest
    assert link(response, "Nyare") and link(response, "Första sidan (nyast)")


def test_several_people_found_are_paged_together(
    client_for, log_reviewer, staff, manager, outsider, settings
):
    """A search that finds two people: their entries merged, newest first (on PostgreSQL
    one query per person, merged; elsewhere one query for both)."""
    settings.PAGE_SIZE = 4
    log_rows(staff, 5)
    log_rows(manager, 5)
    log_rows(staff, 2, at=NOON + datetime.timedelta(minutes=1))
    log_rows(outsider, 3)
    expected = list(
        AccessLog.objects.filter(user__in=[staff, manager])
        .order_by("-at", "-id")
        .values_list("pk", flat=True)
    )
    client = client_for(log_reviewer)
    url = reverse("audit:review")
    response = client.get(url, {"user": "testskolan.example"})
    seen = shown(response)
    while older := link(response, "Äldre"):
        response = client.get(url + older)
        seen += shown(response)
    assert seen == expected


@pytest.mark.parametrize(
    "query",
    [
        {"fore": "garbage"},
        {"efter": "20260301T120000.000000Z_1"},  # readable, but not signed
        {"fore": "20260301T120000.000000Z_1:forged-signature"},
        {"fore": "tampered", "user": "kurator"},
    ],
)
def test_a_tampered_cursor_gives_the_first_page_with_a_message(
    client_for, log_reviewer, staff, settings, query
):
    settings.PAGE_SIZE = 5
    log_rows(staff, 12)
    newest = list(AccessLog.objects.order_by("-at", "-id").values_list("pk", flat=True)[:5])
    response = client_for(log_reviewer).get(reverse("audit:review"), query)
    assert response.status_code == 200
    assert "Länken till sidan var inte giltig" in response.text
    assert shown(response) == newest


def test_an_edited_cursor_is_refused(client_for, log_reviewer, staff, settings):
    from samverkan.pagination import make_cursor

    settings.PAGE_SIZE = 5
    rows = log_rows(staff, 12)
    cursor = make_cursor(NOON, rows[6].pk)
    edited = cursor.replace("20260301", "20250301")
    client = client_for(log_reviewer)
    ok = client.get(reverse("audit:review"), {"fore": cursor})
    assert "inte giltig" not in ok.text
    assert shown(ok) == [row.pk for row in rows[6 - 5 : 6][::-1]]
    assert "inte giltig" in client.get(reverse("audit:review"), {"fore": edited}).text


def test_an_old_page_number_gives_the_first_page(client_for, log_reviewer, staff, settings):
    settings.PAGE_SIZE = 5
    log_rows(staff, 12)
    client = client_for(log_reviewer)
    first = shown(client.get(reverse("audit:review")))
    assert len(first) == 5
    for number in ("3", "999999", "abc", "-1"):
        newest = list(AccessLog.objects.order_by("-at", "-id").values_list("pk", flat=True))
        response = client.get(reverse("audit:review"), {"sida": number})
        assert response.status_code == 200
        assert shown(response) == newest[:5]  # the first page
        assert "sida=" not in link(response, "Äldre")


def test_the_count_stops_at_its_limit(client_for, log_reviewer, staff, settings, monkeypatch):
    from samverkan.audit import views

    settings.PAGE_SIZE = 5
    monkeypatch.setattr(views, "COUNT_UP_TO", 20)
    log_rows(staff, 20)
    client = client_for(log_reviewer)
    assert "20 träffar" in client.get(reverse("audit:review"), {"user": "kurator"}).text
    log_rows(staff, 1)
    response = client.get(reverse("audit:review"), {"user": "kurator"})
    assert "Fler än 20 träffar" in response.text
    assert response.context["page"].count is None


def test_log_review_pages_with_constant_queries(client_for, log_reviewer, staff, settings):
    """The same queries for the first, a middle and the oldest page, filtered or not,
    whatever the size of the log. (Session, user, the page, its count, the header's roles
    and unread notifications, and the write of the reviewer's own look at the log.)"""
    settings.PAGE_SIZE = 10
    log_rows(staff, 25)
    client = client_for(log_reviewer)
    url = reverse("audit:review")

    def counts():
        first_page, first = count_queries(client, url)
        _, older = count_queries(client, url + link(first_page, "Äldre"))
        _, oldest = count_queries(client, url + "?sista=1")
        _, record = count_queries(client, url + "?object_type=people.child&object_id=1")
        _, person = count_queries(client, url + "?user=kurator&date_from=2026-01-01")
        return [first, older, oldest, record, person]

    before = counts()
    log_rows(staff, 250)
    assert counts() == before
    # The session, the user, the page, its count (of at most 10,000 rows; none when the
    # page is the whole list, as for the record here, which has no entries), the header's
    # unit memberships, seats and unread notifications; the people searched for; then the
    # write of the reviewer's own look at the log (PostgreSQL: two statements; SQLite: in a
    # savepoint, the chain's head read, the entry, the head moved).
    write = 2 if connection.vendor == "postgresql" else 5
    assert before == [7 + write, 7 + write, 7 + write, 6 + write, 8 + write]


def test_the_log_cannot_be_edited_in_admin(client_for, admin_user, staff):
    entry = AccessLog.objects.create(user=staff, user_label=staff.email, action="view")
    client = client_for(admin_user)
    assert client.get(reverse("admin:audit_accesslog_change", args=[entry.pk])).status_code == 403
    assert client.post(reverse("admin:audit_accesslog_delete", args=[entry.pk])).status_code == 403
