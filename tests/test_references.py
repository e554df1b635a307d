"""Reference numbers: one counter per kind and year gives each number once, also to people
sending at the same moment, and orders numbers as numbers past 9,999."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from samverkan.deviations.models import Deviation
from samverkan.forum.models import ForumCase
from samverkan.references.models import Counter
from samverkan.references.numbers import next_reference, peek_reference
from tests.test_closed_years import report


@pytest.mark.django_db
def test_numbers_run_from_one_per_kind_and_year():
    assert next_reference(Deviation, "AV", 2026) == "AV-2026-0001"
    assert next_reference(Deviation, "AV", 2026) == "AV-2026-0002"
    assert next_reference(Deviation, "AV", 2027) == "AV-2027-0001"
    assert next_reference(ForumCase, "IF", 2026) == "IF-2026-0001"


@pytest.mark.django_db
def test_past_9999_the_number_grows_a_digit():
    Counter.objects.create(prefix="AV", year=2026, last=9998)
    numbers = [next_reference(Deviation, "AV", 2026) for _ in range(3)]
    assert numbers == ["AV-2026-9999", "AV-2026-10000", "AV-2026-10001"]


@pytest.mark.django_db
def test_a_new_counter_starts_after_the_highest_number_used_as_a_number(staff, school, group):
    for reference in ("AV-2026-0998", "AV-2026-10000", "AV-2026-9999"):
        made = report(staff, school, group, datetime.date(2026, 1, 5))
        Deviation.objects.filter(pk=made.pk).update(reference=reference)
    assert next_reference(Deviation, "AV", 2026) == "AV-2026-10001"


@pytest.mark.django_db
def test_a_rolled_back_send_gives_its_number_back():
    assert next_reference(Deviation, "AV", 2026) == "AV-2026-0001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_reference(Deviation, "AV", 2026) == "AV-2026-0002"
        raise RuntimeError("the send failed")
    assert next_reference(Deviation, "AV", 2026) == "AV-2026-0002"


# SQLite's in-memory test database, shared between threads, refuses concurrent writers
# ("table is locked") where a file database would wait; CI runs this on PostgreSQL.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a real server")
@pytest.mark.django_db(transaction=True)
def test_people_sending_at_the_same_moment_get_a_number_each():
    threads, per_thread = 6, 10
    given, errors = [], []
    start = threading.Barrier(threads)

    def send():
        try:
            start.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    given.append(next_reference(Deviation, "AV", 2026))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=send) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert sorted(given) == [f"AV-2026-{n:04d}" for n in range(1, threads * per_thread + 1)]


@pytest.mark.django_db
def test_peeking_takes_no_number():
    assert peek_reference(Deviation, "AV", 2026) == "AV-2026-0001"
    assert peek_reference(Deviation, "AV", 2026) == "AV-2026-0001"
    assert next_reference(Deviation, "AV", 2026) == "AV-2026-0001"
    assert peek_reference(Deviation, "AV", 2026) == "AV-2026-0002"
