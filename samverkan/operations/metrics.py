"""What /metrics tells Prometheus (prometheus_client, text format).

Two kinds of numbers:

- counted in each process as requests are served: requests by status class, request
  latency, failed access-log writes. Under gunicorn each worker counts its own; with
  ``PROMETHEUS_MULTIPROC_DIR`` set (a directory emptied at each start) prometheus_client
  keeps them in files there and /metrics adds up every worker's;
- read from the database and the disk when /metrics is asked, so they are the same
  whichever server answers: the task queue, the periodic jobs' last runs, the space left
  for MEDIA_ROOT.
"""

import logging
import os
import shutil

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger("samverkan.operations")

PROCESS = CollectorRegistry()

REQUESTS = Counter(
    "samverkan_http_requests",
    "HTTP requests answered, by status class (2xx, 3xx, 4xx, 5xx).",
    ["status_class"],
    registry=PROCESS,
)
for status_class in ("2xx", "3xx", "4xx", "5xx"):
    REQUESTS.labels(status_class)  # present from the start, so that rate() sees a 0

LATENCY = Histogram(
    "samverkan_http_request_duration_seconds",
    "Time from the request reaching the application to its answer.",
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=PROCESS,
)

ACCESS_LOG_FAILURES = Counter(
    "samverkan_access_log_write_failures",
    "Requests answered 503 because their access-log entries could not be written.",
    registry=PROCESS,
)


def count_request(status: int, seconds: float) -> None:
    REQUESTS.labels(f"{status // 100}xx").inc()
    LATENCY.observe(seconds)


class ScrapeTimeCollector:
    """The gauges read from the database and the disk at each scrape."""

    def collect(self):
        up = GaugeMetricFamily(
            "samverkan_metrics_database_up", "1 if the database answered this scrape."
        )
        try:
            families = list(self._from_database())
        except DatabaseError:
            logger.warning("/metrics could not read the database", exc_info=True)
            up.add_metric([], 0)
        else:
            up.add_metric([], 1)
            yield from families
        yield up
        yield from self._disk()

    def _from_database(self):
        from django_tasks_db.models import DBTaskResult

        from samverkan.operations.models import JobStatus

        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # a scrape never waits long
                    cursor.execute("SET LOCAL statement_timeout = '2s'")
            tasks = GaugeMetricFamily(
                "samverkan_tasks",
                "Background tasks (django-tasks-db) by state: ready to run, running, failed.",
                labels=["status"],
            )
            by_status = dict(
                DBTaskResult.objects.filter(status__in=["RUNNING", "FAILED"])
                .values_list("status")
                .annotate(n=Count("id"))
            )
            ready = DBTaskResult.objects.ready().aggregate(n=Count("id"), oldest=Min("enqueued_at"))
            tasks.add_metric(["ready"], ready["n"])
            tasks.add_metric(["running"], by_status.get("RUNNING", 0))
            tasks.add_metric(["failed"], by_status.get("FAILED", 0))
            yield tasks
            oldest = GaugeMetricFamily(
                "samverkan_tasks_oldest_ready_age_seconds",
                "How long the oldest task ready to run has waited (0 when none waits).",
            )
            waited = (timezone.now() - ready["oldest"]).total_seconds() if ready["oldest"] else 0
            oldest.add_metric([], max(waited, 0))
            yield oldest

            failures = CounterMetricFamily(
                "samverkan_job_failures",
                "Failed runs of a periodic command (send_reminders and the like).",
                labels=["job"],
            )
            succeeded = GaugeMetricFamily(
                "samverkan_job_last_success_timestamp_seconds",
                "When a periodic command last ran to the end (Unix time).",
                labels=["job"],
            )
            failed = GaugeMetricFamily(
                "samverkan_job_last_failure_timestamp_seconds",
                "When a periodic command last failed (Unix time; 0: never).",
                labels=["job"],
            )
            for job in JobStatus.objects.order_by("job"):
                failures.add_metric([job.job], job.failures)
                if job.last_succeeded:
                    succeeded.add_metric([job.job], job.last_succeeded.timestamp())
                failed.add_metric([job.job], job.last_failed.timestamp() if job.last_failed else 0)
            yield failures
            yield succeeded
            yield failed

    def _disk(self):
        free = GaugeMetricFamily(
            "samverkan_media_disk_free_bytes", "Free space on the disk that holds MEDIA_ROOT."
        )
        total = GaugeMetricFamily(
            "samverkan_media_disk_size_bytes", "Size of the disk that holds MEDIA_ROOT."
        )
        try:
            usage = shutil.disk_usage(settings.MEDIA_ROOT)
        except OSError:
            logger.warning("/metrics could not read MEDIA_ROOT's disk", exc_info=True)
        else:
            free.add_metric([], usage.free)
            total.add_metric([], usage.total)
        yield free
        yield total


CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def exposition() -> bytes:
    """The text /metrics answers: this process's (or every worker's) counters, then the
    gauges read now."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
    else:
        counted = PROCESS
    now = CollectorRegistry()
    now.register(ScrapeTimeCollector())
    return generate_latest(counted) + generate_latest(now)
