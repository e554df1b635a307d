"""AccessLogMiddleware: a request's entries written together, in the request's transaction,
fail-closed; refusals logged; anonymous requests not logged."""

import logging
import threading

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import DatabaseError, connection, connections, transaction
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import redirect
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverkan import permissions
from samverkan.audit import logging as log_writer
from samverkan.audit.logging import append
from samverkan.audit.middleware import AccessLogMiddleware
from samverkan.audit.models import AccessLog, AccessLogChain
from samverkan.organisations.models import LocalGroup
from tests.test_audit_chain import verify

pytestmark = pytest.mark.django_db

# PostgreSQL's write: move the head if it is still where the writer thinks, insert if it moved.
MOVE_AND_INSERT = 'WITH moved AS (UPDATE "audit_accesslogchain" SET seq = '
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL writes with compare-and-set"
)


def serve(view, user, method="get", path="/barn/1/", **extra):
    """Run ``view`` behind the middleware, as the handler does after authentication."""
    request = getattr(RequestFactory(), method)(path, REMOTE_ADDR="10.1.2.3", **extra)
    request.user = user
    return AccessLogMiddleware(view)(request)


def viewing(objs, reason="Visade"):
    def view(request):
        for obj in objs:
            permissions.record(request, obj, reason=reason)
        return HttpResponse("SIDANS INNEHÅLL")

    return view


def refuse(statement: str, message: str):
    """Make the database fail every statement that contains ``statement``."""

    def wrapper(execute, sql, params, many, context):
        if statement in sql:
            raise DatabaseError(message)
        return execute(sql, params, many, context)

    return connection.execute_wrapper(wrapper)


@pytest.fixture
def failing_write():
    """The INSERT of the log's rows fails, as it would with the disk full."""
    with refuse('INSERT INTO "audit_accesslog"', "could not extend file: No space left"):
        yield


@pytest.fixture(autouse=True)
def fresh_writer(monkeypatch):
    """This process knows no chain's head yet, and its writer starts on its first chain."""
    monkeypatch.setattr(log_writer, "_known", {})
    monkeypatch.setattr(log_writer, "_writer", log_writer._Writer())


def log_statements(captured):
    return [q["sql"] for q in captured if "audit_" in q["sql"]]


def test_a_requests_entries_are_written_in_one_go(staff, school, settings):
    settings.ACCESS_LOG_CHAINS = 3

    def queries(count):
        with CaptureQueriesContext(connection) as captured:
            response = serve(viewing([school] * count), staff)
        assert response.status_code == 200
        return [q["sql"] for q in captured]

    one, many = queries(1), queries(40)
    assert len(one) == len(many)
    # The user's roles (two queries; views that asked already have them), then the write.
    # Here (in a test's transaction, which never commits) this process never learns the
    # head, so it reads it first: see the next test for what a running process does.
    writes = [sql for sql in many if "audit_" in sql]
    assert writes[0].startswith("SELECT seq, hash")
    if connection.vendor == "postgresql":
        # The head read, then one statement: move the head if it is still there, insert the
        # 40 rows if it moved. No transaction of its own: the statement is atomic.
        assert len(writes) == 2 and writes[1].startswith(MOVE_AND_INSERT)
        assert not writes[0].endswith("FOR UPDATE")
        assert len(many) == 4, many
    else:
        # In a transaction (a savepoint here): the head, one INSERT, the head moved.
        assert len(writes) == 3, writes
        assert writes[1].startswith("INSERT INTO") and writes[2].startswith("UPDATE")
        assert len(many) == 7, many
    assert AccessLog.objects.count() == 41
    assert verify()[0]


@pytest.mark.django_db(transaction=True)
def test_a_get_writes_its_entries_in_one_statement(staff, school, settings):
    """A running process knows its chain's head: a GET's write is one statement, run in
    autocommit (no BEGIN, no COMMIT: one round trip and the commit's flush). SQLite keeps
    its transaction (BEGIN IMMEDIATE, the head, the INSERT, the head moved)."""
    settings.ACCESS_LOG_CHAINS = 3
    serve(viewing([school]), staff)  # the process's first write: it learns the head
    seen = []

    def watch(execute, sql, params, many, context):
        seen.append((sql, connection.in_atomic_block))
        return execute(sql, params, many, context)

    for count in (1, 40):
        seen.clear()
        with connection.execute_wrapper(watch), CaptureQueriesContext(connection) as captured:
            assert serve(viewing([school] * count), staff).status_code == 200
        writes = log_statements(captured)
        if connection.vendor == "postgresql":
            assert len(writes) == 1 and writes[0].startswith(MOVE_AND_INSERT), writes
            assert [atomic for sql, atomic in seen if "audit_" in sql] == [False]
            assert "FOR UPDATE" not in writes[0]
        else:
            assert [q["sql"] for q in captured][-5:] == ["BEGIN IMMEDIATE", *writes, "COMMIT"]
            assert writes[0].startswith("SELECT seq, hash") and len(writes) == 3
    assert AccessLog.objects.count() == 42
    assert verify()[0]


@pytest.mark.django_db(transaction=True)
def test_a_posts_entries_are_one_statement_in_its_transaction(staff, school):
    serve(viewing([school]), staff)  # the process learns the head
    seen = []

    def view(request):
        group = LocalGroup.objects.create(name="BUS Ny", slug="ny")
        permissions.record(request, group, reason="Skapade grupp", action="change")
        return HttpResponse("SPARAT OK")

    def watch(execute, sql, params, many, context):
        seen.append((sql, connection.in_atomic_block))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        assert serve(view, staff, method="post").status_code == 200
    writes = [(sql, atomic) for sql, atomic in seen if "audit_" in sql]
    if connection.vendor == "postgresql":
        assert len(writes) == 1 and writes[0][0].startswith(MOVE_AND_INSERT)
    assert all(atomic for sql, atomic in writes)  # in the POST's transaction
    assert LocalGroup.objects.filter(slug="ny").exists()
    assert AccessLog.objects.filter(method="POST", action="change").count() == 1
    assert verify()[0]


def entry(user, reason="x"):
    return AccessLog(user=user, user_label=user.email, action="view", reason=reason)


@pytest.mark.django_db(transaction=True)
def test_a_stale_head_is_read_and_the_entries_sealed_again(staff, settings, monkeypatch):
    """Two processes write to one chain, each remembering the head it left: each in turn
    finds the head moved by the other, writes nothing, reads it and writes again."""
    settings.ACCESS_LOG_CHAINS = 1
    first, second = {}, {}

    def process(known, entries, *, atomic=False):
        monkeypatch.setattr(log_writer, "_known", known)
        with CaptureQueriesContext(connection) as captured:
            if atomic:  # as in a POST: the failed try must not spoil the transaction
                with transaction.atomic():
                    append(entries)
                    LocalGroup.objects.create(name=f"BUS {len(entries)}", slug=f"g{len(entries)}")
            else:
                append(entries)
        return log_statements(captured)

    process(first, [entry(staff, "a1"), entry(staff, "a2")])
    process(second, [entry(staff, "b1")])  # knows nothing yet: reads the head first
    stale = process(first, [entry(staff, "a3")])
    if connection.vendor == "postgresql":
        assert (
            [sql[:20] for sql in stale]
            == [
                MOVE_AND_INSERT[:20],  # moved nothing, wrote nothing
                "SELECT seq, hash, an",
                MOVE_AND_INSERT[:20],
            ]
        )
    stale = process(
        second, [entry(staff, "b2"), entry(staff, "b3"), entry(staff, "b4")], atomic=True
    )
    if connection.vendor == "postgresql":
        assert len(stale) == 3
    process(second, [entry(staff, "b5")])
    current = process(first, [entry(staff, "a4")])
    process(first, [entry(staff, "a5")])
    if connection.vendor == "postgresql":
        assert len(current) == 3  # stale again (second wrote)
        assert first[("default", connection.settings_dict["NAME"], 0)].seq == 10
    assert LocalGroup.objects.filter(slug="g3").exists()
    rows = list(AccessLog.objects.order_by("seq").values_list("seq", "reason"))
    assert rows == list(enumerate(
        ["a1", "a2", "b1", "a3", "b2", "b3", "b4", "b5", "a4", "a5"], start=1
    ))  # fmt: skip
    assert AccessLogChain.objects.get(chain=0).seq == 10
    assert verify() == (True, "OK: 10 rows in 8 chains\n")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_is_forgotten(staff, settings):
    settings.ACCESS_LOG_CHAINS = 1
    append([entry(staff, "kept")])
    key = ("default", connection.settings_dict["NAME"], 0)
    assert log_writer._known[key].seq == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        append([entry(staff, "rolled back")])
        raise RuntimeError("the view failed after logging")
    assert log_writer._known[key].seq == 1  # what it knows is what was committed
    with CaptureQueriesContext(connection) as captured:
        append([entry(staff, "next")])
    assert len(log_statements(captured)) == 1
    assert list(AccessLog.objects.order_by("seq").values_list("reason", flat=True)) == [
        "kept",
        "next",
    ]
    assert verify()[0]


@pytest.mark.django_db(transaction=True)
def test_a_chain_others_keep_moving_is_locked_instead(staff, settings, monkeypatch):
    settings.ACCESS_LOG_CHAINS = 1
    append([entry(staff)])
    real, tries, other = log_writer._move_and_insert, [], []

    def lost(*args):  # another process wins each compare-and-set, just before it
        if not other:
            tries.append(args)
            if len(tries) <= log_writer._ATTEMPTS:
                other.append(True)
                append([entry(staff, f"other {len(tries)}")])
                other.pop()
        return real(*args)

    monkeypatch.setattr(log_writer, "_move_and_insert", lost)
    with CaptureQueriesContext(connection) as captured:
        append([entry(staff, "mine")])
    if connection.vendor == "postgresql":
        assert any(sql.endswith("FOR UPDATE") for sql in log_statements(captured))
        assert len(tries) == log_writer._ATTEMPTS + 1
    assert AccessLog.objects.count() == 2 + (
        log_writer._ATTEMPTS if connection.vendor == "postgresql" else 0
    )
    assert AccessLog.objects.filter(reason="mine").exists()
    assert verify()[0]


def test_entries_record_who_what_role_why_and_the_answer(staff, school):
    school.audit_child_id = 4711  # the child the record is about (models say so themselves)
    serve(viewing([school], reason="Förberedde möte"), staff, path="/katalog/x/?a=1")
    entry = AccessLog.objects.get()
    assert (entry.user, entry.user_label, entry.role) == (
        staff,
        staff.email,
        "Personal, Testskolan",
    )
    assert (entry.object_type, entry.object_id, entry.object_label) == (
        "organisations.unit",
        str(school.pk),
        permissions.describe(school)["object_label"],
    )
    assert entry.child_id == 4711
    assert (entry.action, entry.reason, entry.status_code) == ("view", "Förberedde möte", 200)
    assert (entry.path, entry.method, entry.ip_address) == ("/katalog/x/?a=1", "GET", "10.1.2.3")
    assert entry.chain is not None and entry.seq >= 1 and len(entry.hash) == 64


def test_the_request_scope_is_open_during_the_view(staff):
    seen = {}

    def view(request):
        seen["request"] = permissions.current_request()
        seen["cached"] = permissions.cached(staff, "k", lambda: object())
        seen["again"] = permissions.cached(staff, "k", lambda: object())
        return HttpResponse()

    serve(view, staff)
    assert seen["request"] is not None and seen["cached"] is seen["again"]
    assert permissions.current_request() is None


def test_a_forwarded_address_that_is_no_address_is_not_kept(staff, school, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    serve(viewing([school]), staff, HTTP_X_FORWARDED_FOR="<script>")
    assert AccessLog.objects.get().ip_address is None


def test_a_post_and_its_entries_commit_together(staff, school):
    def view(request):
        group = LocalGroup.objects.create(name="BUS Ny", slug="ny")
        permissions.record(request, group, reason="Skapade grupp", action="change")
        return HttpResponse("SPARAT OK")

    assert serve(view, staff, method="post").status_code == 200
    assert LocalGroup.objects.filter(slug="ny").exists()
    entry = AccessLog.objects.get()
    assert (entry.action, entry.object_type, entry.method) == (
        "change",
        "organisations.localgroup",
        "POST",
    )


def test_a_post_that_fails_is_rolled_back_and_its_entries_kept(staff):
    def view(request):
        group = LocalGroup.objects.create(name="BUS Ny", slug="ny")
        permissions.record(request, group, reason="Skapade grupp", action="change")
        return HttpResponseServerError("fel")

    assert serve(view, staff, method="post").status_code == 500
    assert not LocalGroup.objects.filter(slug="ny").exists()
    entry = AccessLog.objects.get()
    assert (entry.action, entry.status_code) == ("change", 500)


def test_fail_closed_a_get_is_not_served(client_for, staff, school, failing_write, caplog):
    url = reverse("organisations:unit", args=[school.pk])
    with caplog.at_level(logging.ERROR, logger="samverkan.audit"):
        response = client_for(staff).get(url)
    assert response.status_code == 503
    text = response.content.decode()
    assert "åtkomsten inte kunde loggas" in text
    assert "Testskolan" not in text and staff.email not in text  # nothing of the page
    assert response["Retry-After"]
    (failure,) = [r for r in caplog.records if "Access log not written" in r.getMessage()]
    assert failure.exc_info
    assert not AccessLog.objects.exists()


def test_fail_closed_a_post_is_rolled_back(staff, failing_write, caplog):
    def view(request):
        group = LocalGroup.objects.create(name="BUS Ny", slug="ny")
        permissions.record(request, group, reason="Skapade grupp", action="change")
        return HttpResponse("SPARAT OK")

    with caplog.at_level(logging.ERROR, logger="samverkan.audit"):
        response = serve(view, staff, method="post")
    assert response.status_code == 503
    assert "åtkomsten inte kunde loggas" in response.content.decode()
    assert "SPARAT OK" not in response.content.decode()
    assert not LocalGroup.objects.filter(slug="ny").exists()
    assert caplog.records and caplog.records[0].exc_info


def test_fail_closed_says_nothing_was_saved(staff, failing_write):
    def view(request):
        group = LocalGroup.objects.create(name="BUS Ny", slug="ny")
        permissions.record(request, group, reason="Skapade grupp", action="change")
        messages.success(request, "ÄNDRINGEN ÄR SPARAD")
        return redirect("/")

    request = RequestFactory().post("/katalog/ny/")
    request.user, request._messages = staff, CookieStorage(request)
    response = AccessLogMiddleware(view)(request)
    assert response.status_code == 503
    assert "ÄNDRINGEN ÄR SPARAD" not in response.content.decode()
    assert "ingenting av det sparats" in response.content.decode()


def test_fail_closed_when_the_head_cannot_be_moved(staff, school):
    with refuse('"audit_accesslogchain"', "canceling statement due to lock timeout"):
        response = serve(viewing([school]), staff)
    assert response.status_code == 503 and "SIDANS INNEHÅLL" not in response.content.decode()


def test_the_503_page_needs_no_database(staff, school, failing_write, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr("samverkan.audit.middleware.render", broken)
    response = serve(viewing([school]), staff)
    assert response.status_code == 503
    assert "åtkomsten inte kunde loggas" in response.content.decode()


def test_anonymous_requests_write_nothing(client):
    assert client.get("/finns-inte/").status_code == 404
    assert client.get(reverse("account_login")).status_code == 200
    assert not AccessLog.objects.exists()


def test_a_signed_in_404_writes_one_denied_entry(client_for, outsider):
    assert client_for(outsider).get("/finns-inte/").status_code == 404
    entry = AccessLog.objects.get()
    assert (entry.action, entry.status_code, entry.user) == ("denied", 404, outsider)
    assert (entry.object_type, entry.object_id) == ("", "")
    assert entry.reason == "Finns inte eller inte behörig"
    assert entry.path == "/finns-inte/"


def test_a_signed_in_403_writes_one_denied_entry(client_for, outsider):
    assert client_for(outsider).get(reverse("audit:review")).status_code == 403
    entry = AccessLog.objects.get()
    assert (entry.action, entry.status_code, entry.reason) == ("denied", 403, "Åtkomst nekad")


def test_a_refusal_logged_with_its_record_is_not_logged_twice(staff, school):
    def view(request):
        permissions.record(
            request, school, reason="Nekades: Visade", action="denied", status_code=404
        )
        return HttpResponseNotFound()

    serve(view, staff)
    entry = AccessLog.objects.get()
    assert (entry.object_id, entry.status_code) == (str(school.pk), 404)


def test_entries_are_kept_in_the_services_language(client, staff, school):
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    client.get(reverse("organisations:unit", args=[school.pk]))
    client.get("/finns-inte/")
    reasons = set(AccessLog.objects.values_list("reason", flat=True))
    assert "Finns inte eller inte behörig" in reasons
    assert AccessLog.objects.filter(role="Personal, Testskolan").count() == 2


def test_a_detail_page_logs_through_the_middleware(client_for, staff, school):
    response = client_for(staff).get(reverse("organisations:unit", args=[school.pk]))
    assert response.status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.object_type, entry.object_id, entry.status_code) == (
        "organisations.unit",
        str(school.pk),
        200,
    )
    assert verify()[0]


def test_each_process_writes_to_a_chain_of_its_own(staff, settings, monkeypatch):
    settings.ACCESS_LOG_CHAINS = 8
    chains = set()
    for pid in range(4100, 4108):  # eight workers started one after the other
        monkeypatch.setattr(log_writer, "get_native_id", lambda pid=pid: pid)
        for _ in range(3):
            (written,) = append([entry(staff)])
            chains.add((pid, written.chain))
    assert chains == {(pid, pid % 8) for pid in range(4100, 4108)}
    assert verify()[0]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_writer_that_meets_another_moves_to_another_chain(staff, settings, monkeypatch):
    settings.ACCESS_LOG_CHAINS = 8
    monkeypatch.setattr(log_writer, "_MOVE_ONE_IN", 1)  # it moves every time it meets one
    writer = log_writer._writer
    first = writer.chain()

    def another_process_writes():
        with monkeypatch.context() as other:
            other.setattr(log_writer, "_known", {})
            other.setattr(log_writer, "_writer", log_writer._Writer())
            other.setattr(log_writer, "get_native_id", lambda: first)  # the same chain
            append([entry(staff)])

    append([entry(staff)])
    # Arriving on a chain (its last write went elsewhere), what it knows of the chain is
    # old news: it reads the head and stays.
    another_process_writes()
    writer.last = None
    (written,) = append([entry(staff)])
    assert written.chain == first and writer.chain() == first
    # Settled there, it finds that another wrote since its own last write: it writes, then
    # moves to another chain.
    another_process_writes()
    (written,) = append([entry(staff)])
    assert written.chain == first
    assert writer.chain() != first
    (moved,) = append([entry(staff)])
    assert moved.chain == writer.chain() != first
    assert verify()[0]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_one_chain_lose_nothing(staff, settings):
    """Threads, each with its own connection, write many requests' entries to one chain at
    once (some inside a transaction, as a POST does): the chain verifies, every row is there."""
    settings.ACCESS_LOG_CHAINS = 1
    threads, requests = 6, 25
    start, failures, statements = threading.Barrier(threads), [], []

    def work(number):
        try:
            count = []
            with connections["default"].execute_wrapper(
                lambda execute, sql, *a: count.append(sql) or execute(sql, *a)
            ):
                start.wait()
                for i in range(requests):
                    entries = [entry(staff, f"{number}-{i}-{k}") for k in range(1 + i % 3)]
                    if i % 4 == 0:
                        with transaction.atomic():
                            append(entries)
                    else:
                        append(entries)
            statements.extend(count)
        except Exception as error:  # noqa: BLE001 (reported below)
            failures.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not failures, failures
    expected = {
        f"{n}-{i}-{k}" for n in range(threads) for i in range(requests) for k in range(1 + i % 3)
    }
    reasons = list(AccessLog.objects.values_list("reason", flat=True))
    assert len(reasons) == len(expected) and set(reasons) == expected
    assert AccessLogChain.objects.get(chain=0).seq == len(expected)
    ok, output = verify()
    assert ok, output
    # The threads did get in each other's way: some tries moved nothing and were repeated.
    tries = sum(sql.startswith(MOVE_AND_INSERT) for sql in statements)
    assert tries > threads * requests


def test_a_missing_head_is_created_by_the_writer(staff, settings):
    settings.ACCESS_LOG_CHAINS = 1
    AccessLogChain.objects.filter(chain=0).update(chain=99)  # as if chain 0 never existed
    append([entry(staff)])
    head = AccessLogChain.objects.get(chain=0)
    assert head.seq == 1 and AccessLog.objects.get().chain == 0


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_locked_log_costs_a_quick_503_not_a_worker(client_for, staff, school, caplog):
    """Another session holds the log table locked (a slow migration, a manual LOCK): the
    page waits at most the lock timeout, then answers 503; /healthz is not held up."""
    import psycopg
    from django.conf import settings as django_settings

    url = reverse("organisations:unit", args=[school.pk])
    client = client_for(staff)
    with connection.cursor() as cursor:  # this test's timeout, so the test is quick
        cursor.execute("SET lock_timeout = '300ms'")
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as other, other.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {AccessLog._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        with caplog.at_level(logging.ERROR, logger="samverkan.audit"):
            response = client.get(url)
        assert response.status_code == 503
        assert client.get(reverse("healthz")).status_code == 200
        other.rollback()
    assert "lock_timeout" in django_settings.DATABASES["default"]["OPTIONS"]["options"]
    assert client.get(url).status_code == 200
