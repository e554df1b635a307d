"""Files made in the background (``samverkan.exports``): one job for the same file asked for
twice, a failed build tried again and then reported, a build whose worker died queued
again, and a status page that follows the file without JavaScript."""

import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from samverkan.exports import tasks, views
from samverkan.exports.models import Export
from samverkan.exports.tasks import Built, build_export
from samverkan.notifications.models import Notification

pytestmark = pytest.mark.django_db

KIND = "tests.flaky"


@pytest.fixture
def builder(monkeypatch):
    """A builder that fails its first ``fails`` builds, then makes a small text file."""
    calls = []
    state = {"fails": 0}

    def build(export):
        calls.append(export.pk)
        if len(calls) <= state["fails"]:
            raise RuntimeError("the disk is full")
        return Built(b"det gick", "fil.txt", "text/plain")

    monkeypatch.setitem(tasks.BUILDERS, KIND, build)
    build.calls = calls
    build.state = state
    return build


def make(user, **fields):
    fields.setdefault("dedupe_key", views.dedupe_key(KIND, {"n": 1}))
    return Export.objects.create(requested_by=user, kind=KIND, title="Testfil", **fields)


def ask(user, capture=None, params=None):
    request = RequestFactory().post("/")
    request.user = user
    request._messages = type("Messages", (), {"add": lambda *a, **k: None})()
    if capture is None:
        return views.request_export(request, KIND, "Testfil", params or {"n": 1})
    with capture(execute=True):
        return views.request_export(request, KIND, "Testfil", params or {"n": 1})


# --- one job for the same file ------------------------------------------------------------------
def test_the_same_file_asked_for_twice_is_one_job(staff, builder):
    first, second = ask(staff), ask(staff)  # the worker has not begun: both pending
    export = Export.objects.get()
    assert first.url == second.url == export.get_absolute_url()
    assert export.status == "queued" and export.dedupe_key
    ask(staff, params={"n": 2})
    assert Export.objects.count() == 2  # other parameters, another file


def test_two_requests_at_once_still_make_one_job(staff, builder, monkeypatch):
    """Both look, find nothing pending and insert: the unique constraint turns the second
    insert away and it is sent to the first one's export."""
    make(staff)  # the other request's row, committed a moment earlier
    real = views._pending
    looks = []

    def blind_first(user, key):
        looks.append(key)
        return real(user, key).none() if len(looks) == 1 else real(user, key)

    monkeypatch.setattr(views, "_pending", blind_first)
    response = ask(staff)
    export = Export.objects.get()
    assert response.url == export.get_absolute_url() and len(looks) == 2


def test_the_database_allows_one_pending_export_per_person_and_key(staff, secretariat):
    make(staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        make(staff)
    make(secretariat)  # someone else's
    make(staff, dedupe_key="")  # no key: never merged
    make(staff, status=Export.Status.READY)  # a finished one does not count
    make(staff, status=Export.Status.FAILED)
    assert Export.objects.count() == 5


def test_a_finished_file_asked_for_again_is_made_again(
    staff, builder, django_capture_on_commit_callbacks
):
    ask(staff, django_capture_on_commit_callbacks)
    ask(staff, django_capture_on_commit_callbacks)
    assert list(Export.objects.values_list("status", flat=True)) == ["ready", "ready"]


# --- tried again, then reported --------------------------------------------------------------
def test_a_failed_build_is_tried_again(staff, builder, django_capture_on_commit_callbacks):
    builder.state["fails"] = 1
    ask(staff, django_capture_on_commit_callbacks)
    export = Export.objects.get()
    assert export.status == "ready" and export.attempts == 2 and export.error == ""
    assert bytes(export.content) == b"det gick"
    assert not Notification.objects.exists()


def test_three_failed_builds_are_reported(
    client_for, staff, builder, django_capture_on_commit_callbacks
):
    builder.state["fails"] = 99
    ask(staff, django_capture_on_commit_callbacks)
    export = Export.objects.get()
    assert len(builder.calls) == tasks.MAX_ATTEMPTS == 3
    assert export.status == "failed" and export.attempts == 3
    assert export.error == "RuntimeError"  # the type only: a message may hold anything
    assert export.finished_at is not None
    note = Notification.objects.get()
    assert note.user == staff and note.url == export.get_absolute_url()
    assert note.about == f"exports.export:{export.pk}"
    assert note.text == (
        "En fil som du beställde kunde inte skapas. Öppna länken för att försöka igen."
    )
    assert "Testfil" not in note.text

    client = client_for(staff)
    page = client.get(export.get_absolute_url())
    assert 'http-equiv="refresh"' not in page.text
    assert "Filen kunde inte skapas, inte heller efter 3 försök." in page.text
    assert f'action="{reverse("exports:retry", args=[export.pk])}"' in page.text
    assert ">Försök igen</button>" in page.text
    note.refresh_from_db()
    assert note.read_at is not None  # seen on the page

    builder.state["fails"] = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:retry", args=[export.pk]))
    assert response.url == export.get_absolute_url()
    export.refresh_from_db()
    assert export.status == "ready" and export.attempts == 1


def test_only_the_one_who_asked_tries_again(
    client_for, staff, secretariat, builder, django_capture_on_commit_callbacks
):
    export = make(staff, status=Export.Status.FAILED, attempts=3)
    url = reverse("exports:retry", args=[export.pk])
    assert client_for(secretariat).post(url).status_code == 404
    client = client_for(staff)
    assert client.get(url).url == export.get_absolute_url()  # a GET only shows the status
    export.refresh_from_db()
    assert export.status == "failed" and not builder.calls


def test_trying_again_when_the_same_file_is_already_being_made(client_for, staff, builder):
    failed = make(staff, status=Export.Status.FAILED, attempts=3)
    newer = make(staff)
    response = client_for(staff).post(reverse("exports:retry", args=[failed.pk]))
    assert response.url == newer.get_absolute_url()
    failed.refresh_from_db()
    assert failed.status == "failed"


# --- a worker that died -----------------------------------------------------------------------
def test_a_stale_running_export_is_queued_again(staff, builder, django_capture_on_commit_callbacks):
    long_ago = timezone.now() - datetime.timedelta(minutes=20)
    stale = make(staff, status=Export.Status.RUNNING, attempts=1, started_at=long_ago)
    recent = make(
        staff, dedupe_key="recent", status=Export.Status.RUNNING, attempts=1,
        started_at=timezone.now() - datetime.timedelta(minutes=5),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        call_command("requeue_stale_exports", stdout=open("/dev/null", "w"))  # noqa: SIM115
    stale.refresh_from_db()
    recent.refresh_from_db()
    assert stale.status == "ready" and stale.attempts == 2  # the dead build counted
    assert recent.status == "running" and recent.attempts == 1
    assert builder.calls == [stale.pk]


def test_a_stale_export_on_its_last_attempt_fails_and_is_reported(staff, builder):
    long_ago = timezone.now() - datetime.timedelta(minutes=20)
    export = make(staff, status=Export.Status.RUNNING, attempts=3, started_at=long_ago)
    assert tasks.requeue_stale() == (0, 1)
    export.refresh_from_db()
    assert export.status == "failed" and export.error == "WorkerLost"
    assert Notification.objects.get().url == export.get_absolute_url()
    assert tasks.requeue_stale() == (0, 0)  # told once
    assert not builder.calls


def test_a_task_for_an_export_already_taken_does_nothing(staff, builder):
    export = make(staff, status=Export.Status.RUNNING, attempts=1, started_at=timezone.now())
    build_export.enqueue(str(export.pk))
    export.refresh_from_db()
    assert export.status == "running" and export.attempts == 1 and not builder.calls


# --- the status page ------------------------------------------------------------------------
def test_the_status_page_refreshes_itself_until_the_file_is_ready(client_for, staff, builder):
    export = make(staff)
    client = client_for(staff)
    page = client.get(export.get_absolute_url()).text
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Filen skapas." in page and "ladda-ner" not in page
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.QUEUED, attempts=1, error="RuntimeError"
    )
    page = client.get(export.get_absolute_url()).text
    assert "Det förra försöket misslyckades. Ett nytt görs (försök 2 av 3)." in page
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.READY, content=b"x", file_name="fil.txt", finished_at=timezone.now()
    )
    page = client.get(export.get_absolute_url()).text
    assert "http-equiv" not in page
    assert f'href="{reverse("exports:download", args=[export.pk])}"' in page
    assert "Ladda ner fil.txt" in page
