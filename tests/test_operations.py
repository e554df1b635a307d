"""Operating the service: /healthz and /readyz, /metrics, and migrate under a lock."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, OperationalError, connection, connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from samverkan import permissions
from samverkan.audit.middleware import AccessLogMiddleware
from samverkan.audit.models import AccessLog
from samverkan.operations import metrics
from samverkan.operations.management.commands import migrate as migrate_command
from samverkan.operations.models import JobStatus

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="advisory locks and lock waits are PostgreSQL's"
)
TOKEN = "en-lång-hemlig-token-för-test"


def broken(*args, **kwargs):
    raise OperationalError("could not connect to server: Connection refused")


def every_statement_fails(execute, sql, params, many, context):
    raise OperationalError("canceling statement due to statement timeout")


# --- /healthz and /readyz -------------------------------------------------------------------
def test_healthz_asks_nothing_of_the_database(client_for, staff, django_assert_num_queries):
    client = client_for(staff)  # a session cookie, which would load the session and user
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.text == "ok"
    assert "no-cache" in response["Cache-Control"] and "Set-Cookie" not in response.headers


def test_healthz_answers_while_the_database_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(connections["default"], "ensure_connection", broken)
    with connection.execute_wrapper(every_statement_fails):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.text == "ok"


def test_readyz_answers_ok_when_the_database_does(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200 and response.text == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_503_with_a_reason_when_the_query_fails(client):
    with connection.execute_wrapper(every_statement_fails):
        response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert response.text == "inte redo: databasen svarar inte (OperationalError)"


def test_readyz_is_503_when_no_connection_can_be_made(client, monkeypatch):
    monkeypatch.setattr(connections["default"], "ensure_connection", broken)
    response = client.get(reverse("readyz"))
    assert response.status_code == 503 and "databasen svarar inte" in response.text


def test_probes_write_no_log_and_touch_no_session(client_for, staff):
    client = client_for(staff)
    session_key = client.session.session_key
    for name in ("healthz", "readyz"):
        response = client.get(reverse(name))
        assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert not AccessLog.objects.exists()
    assert client.session.session_key == session_key


def test_a_load_balancer_may_probe_by_ip_address(client):
    """Answered before ALLOWED_HOSTS is asked: the probe's Host is the server's address."""
    assert client.get(reverse("readyz"), HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get(reverse("account_login"), HTTP_HOST="10.1.2.3:8000").status_code == 400


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_probes_answer_while_the_session_table_is_locked(client_for, staff):
    import psycopg

    client = client_for(staff)
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as other, other.cursor() as cursor:
        cursor.execute("LOCK TABLE django_session, accounts_user IN ACCESS EXCLUSIVE MODE")
        assert client.get(reverse("healthz")).status_code == 200
        assert client.get(reverse("readyz")).status_code == 200
        other.rollback()


# --- /metrics -------------------------------------------------------------------------------
def scrape(client, token=TOKEN):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_metrics_do_not_exist_without_a_token_setting(client, settings):
    settings.METRICS_TOKEN = ""
    assert scrape(client).status_code == 404


def test_metrics_refuse_a_missing_or_wrong_token(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get(reverse("metrics")).status_code == 401
    response = scrape(client, token="gissad")
    assert response.status_code == 401 and "samverkan_" not in response.text


def test_metrics_with_the_token(client, settings, tmp_path):
    settings.METRICS_TOKEN, settings.MEDIA_ROOT = TOKEN, tmp_path
    common = {"args_kwargs": {}, "task_path": "x.y", "backend_name": "default"}
    common.update(exception_class_path="", traceback="", run_after=timezone.now())
    DBTaskResult.objects.create(status="READY", **common)
    DBTaskResult.objects.create(status="READY", **common)
    DBTaskResult.objects.create(status="FAILED", **common)
    response = scrape(client)
    assert response.status_code == 200
    text = response.text
    for name in [
        'samverkan_http_requests_total{status_class="5xx"}',
        "samverkan_http_request_duration_seconds_bucket",
        "samverkan_access_log_write_failures_total",
        'samverkan_tasks{status="ready"} 2.0',
        'samverkan_tasks{status="failed"} 1.0',
        "samverkan_tasks_oldest_ready_age_seconds",
        "samverkan_media_disk_free_bytes",
        "samverkan_metrics_database_up 1.0",
    ]:
        assert name in text, name
    assert not AccessLog.objects.exists()


def test_metrics_still_answer_when_the_database_does_not(client, settings):
    settings.METRICS_TOKEN = TOKEN
    with connection.execute_wrapper(every_statement_fails):
        response = scrape(client)
    assert response.status_code == 200
    assert "samverkan_metrics_database_up 0.0" in response.text
    assert "samverkan_http_requests_total" in response.text


def crash(request):
    raise RuntimeError("a bug")


urlpatterns = [path("krasch", crash)]


def five_xx():
    return metrics.PROCESS.get_sample_value(
        "samverkan_http_requests_total", {"status_class": "5xx"}
    )


def test_a_500_is_counted(client, settings):
    settings.ROOT_URLCONF, settings.METRICS_TOKEN = __name__, TOKEN
    client.raise_request_exception = False
    before = five_xx()
    assert client.get("/krasch").status_code == 500
    assert five_xx() == before + 1
    assert (
        f'samverkan_http_requests_total{{status_class="5xx"}} {before + 1}' in scrape(client).text
    )


def test_a_failed_access_log_write_is_counted(staff, school):
    def refuse_log(execute, sql, params, many, context):
        if 'INSERT INTO "audit_accesslog"' in sql:
            raise DatabaseError("could not extend file: No space left on device")
        return execute(sql, params, many, context)

    def view(request):
        permissions.record(request, school, reason="Visade")
        return HttpResponse("sidan")

    request = RequestFactory().get("/katalog/")
    request.user = staff
    before = metrics.PROCESS.get_sample_value("samverkan_access_log_write_failures_total")
    with connection.execute_wrapper(refuse_log):
        assert AccessLogMiddleware(view)(request).status_code == 503
    after = metrics.PROCESS.get_sample_value("samverkan_access_log_write_failures_total")
    assert after == before + 1


def test_a_failed_reminder_run_is_recorded_and_shown(client, settings, monkeypatch):
    settings.METRICS_TOKEN = TOKEN

    def mail_server_down(**kwargs):
        raise ConnectionRefusedError("SMTP server does not answer")

    call_command("send_reminders")
    job = JobStatus.objects.get(job="send_reminders")
    assert job.last_succeeded and job.failures == 0
    monkeypatch.setattr(
        "samverkan.sip.management.commands.send_reminders.send_reminders", mail_server_down
    )
    with pytest.raises(ConnectionRefusedError):
        call_command("send_reminders")
    job.refresh_from_db()
    assert job.failures == 1 and "SMTP server does not answer" in job.last_error
    text = scrape(client).text
    assert 'samverkan_job_failures_total{job="send_reminders"} 1.0' in text
    assert 'samverkan_job_last_success_timestamp_seconds{job="send_reminders"}' in text


# --- migrate, one release at a time ---------------------------------------------------------
class Holder(threading.Thread):
    """Another release: holds the migration lock on a connection of its own until told."""

    def __init__(self):
        super().__init__(daemon=True)
        self.holding, self.release = threading.Event(), threading.Event()

    def run(self):
        import psycopg

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params, autocommit=True) as other:
            other.execute("SELECT pg_advisory_lock(%s)", [migrate_command.LOCK_KEY])
            self.holding.set()
            self.release.wait()
            other.execute("SELECT pg_advisory_unlock(%s)", [migrate_command.LOCK_KEY])


@on_postgresql
def test_a_second_migrate_is_told_another_release_is_migrating():
    holder = Holder()
    holder.start()
    holder.holding.wait()
    try:
        with pytest.raises(CommandError, match="En annan release migrerar"):
            call_command("migrate", lock_wait=0, verbosity=0)
    finally:
        holder.release.set()
        holder.join()
    call_command("migrate", lock_wait=0, verbosity=0)  # the lock is free again


@on_postgresql
def test_a_second_migrate_waits_for_the_first(monkeypatch, capsys):
    holder = Holder()
    holder.start()
    holder.holding.wait()

    def first_release_finishes(seconds):
        holder.release.set()
        holder.join()

    monkeypatch.setattr(migrate_command.time, "sleep", first_release_finishes)
    call_command("migrate", lock_wait=600)
    captured = capsys.readouterr()
    assert "väntar på att den blir klar" in captured.err
    assert "No migrations to apply" in captured.out
    with connection.cursor() as cursor:  # and it let go of the lock when done
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [migrate_command.LOCK_KEY])
        assert cursor.fetchone()[0]
        cursor.execute("SELECT pg_advisory_unlock(%s)", [migrate_command.LOCK_KEY])


@on_postgresql
def test_web_requests_run_with_a_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
