"""What writing the access log costs a page: the same pages with the log written and with
the write stubbed out.

Not a test: a measurement. It loads the demo county into a database of its own, then
requests detail pages that record access (the demo child's forum case, a unit page with
its staff, the log-review page) through Django's test client, in-process: no network, no
server, so the figure is the application and the database. The two modes alternate
request by request (in random order) so that drift in the machine's load hits both alike.
It prints the median and 95th percentile of each mode, the overhead of the log, and the
queries the write adds per request.

    # SQLite (a file of its own, removed first)
    rm -f /tmp/samverkan-alc.sqlite3*
    SQLITE_PATH=/tmp/samverkan-alc.sqlite3 .venv/bin/python bench/access_log_cost.py
    # PostgreSQL (a database of its own)
    createdb -h 127.0.0.1 -U postgres samverkan_alc_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_alc_bench \\
        .venv/bin/python bench/access_log_cost.py

Options: --repeat N (requests per page and mode, default 300); --async-commit (PostgreSQL:
run the benchmark's sessions with ``synchronous_commit = off``, to separate the
application's cost of the write from the disk's flush at commit; the application itself
never does this); --clients N (instead: N client processes at once, each with its own
connection, as N gunicorn workers would be; the modes alternate round by round, and it
prints throughput too: with several commits in flight PostgreSQL flushes the WAL for
them together, and one process's wait for the disk is another's time on the CPU);
--rounds R (with --clients: rounds per mode, default 10, each of --repeat requests shared
out among the clients). With --clients, "head statements" is the statements per logged
request that touched a chain's head (1.00: every write was one statement, no writer found
its chain moved by another), and on PostgreSQL "WAL flushes" the flushes of the WAL per
logged request, counted cluster-wide from ``pg_stat_wal`` (so anything else writing to the
cluster meanwhile counts too): under 1 when commits shared a flush.
"""

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
os.environ.setdefault("SAMVERKAN_TESTING", "1")  # locmem cache, fast hasher, no HTTPS redirect
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from samverkan.accounts.models import User  # noqa: E402
from samverkan.audit import middleware  # noqa: E402
from samverkan.audit.models import AccessLog  # noqa: E402
from samverkan.forum.models import ForumCase  # noqa: E402
from samverkan.organisations.models import Unit  # noqa: E402

REAL_WRITE = middleware.write_request
WRITE_TIMES: list[float] = []


def timed_write(request, touches, *, status_code=None):
    start = time.perf_counter()
    try:
        return REAL_WRITE(request, touches, status_code=status_code)
    finally:
        WRITE_TIMES.append((time.perf_counter() - start) * 1000)


def stubbed_write(request, touches, *, status_code=None):
    return []


def fill() -> None:
    call_command("migrate", verbosity=0)
    if not User.objects.filter(email="handlaggare.rinkeby@demo.example").exists():
        call_command("seed_demo", quiet=True)


def request(client: Client, url: str, log: bool) -> float:
    middleware.write_request = timed_write if log else stubbed_write
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def queries(client: Client, url: str, log: bool) -> list[str]:
    seen = []
    with connection.execute_wrapper(lambda execute, sql, *a: seen.append(sql) or execute(sql, *a)):
        request(client, url, log)
    return seen


def percentile(times: list[float], share: float) -> float:
    times = sorted(times)
    return times[max(0, int(len(times) * share) - 1)]


def session(async_commit: bool) -> str:
    """Set up this process's connection; what its commits wait for."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if async_commit:
                cursor.execute("SET synchronous_commit = off")
            cursor.execute("SHOW synchronous_commit")
            return f"synchronous_commit = {cursor.fetchone()[0]}"
    return "WAL, synchronous=NORMAL: no flush at commit"


def sequential(pages, repeat: int) -> list[float]:
    header = (
        f"{'page':<30} {'entries':>7} {'off median':>10} {'on median':>9} {'overhead':>8} "
        f"{'off p95':>8} {'on p95':>7} {'write itself':>12} {'queries off/on':>14} "
        f"{'log writes':>10}"
    )
    print(header)
    overall = []
    for name, client, url in pages:
        for _ in range(20):  # warm up: templates, connections, caches
            request(client, url, True)
            request(client, url, False)
        before = AccessLog.objects.count()
        on_queries = queries(client, url, True)
        entries = AccessLog.objects.count() - before
        off_queries = queries(client, url, False)
        log_writes = [sql for sql in on_queries if "audit_accesslog" in sql]
        times = {True: [], False: []}
        WRITE_TIMES.clear()
        for _ in range(repeat):
            modes = [True, False]
            random.shuffle(modes)
            for log in modes:
                times[log].append(request(client, url, log))
        on, off = statistics.median(times[True]), statistics.median(times[False])
        overhead = (on - off) / off * 100
        overall.append(overhead)
        print(
            f"{name:<30} {entries:>7} {off:>8.2f}ms {on:>7.2f}ms {overhead:>7.1f}% "
            f"{percentile(times[False], 0.95):>6.2f}ms {percentile(times[True], 0.95):>5.2f}ms "
            f"{statistics.median(WRITE_TIMES):>10.2f}ms "
            f"{len(off_queries):>6} / {len(on_queries):<5} {len(log_writes):>10}"
        )
    return overall


def client_process(pipe, pages, async_commit: bool) -> None:
    """One of --clients: runs the requests it is sent, answers with their times and the
    statements that touched a chain's head (1 per logged request unless writers collided)."""
    session(async_commit)
    heads = []

    def watch(execute, sql, *args):
        if "audit_accesslogchain" in sql:
            heads.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(watch):
        while (job := pipe.recv()) is not None:
            page, log, count = job
            heads.clear()
            times = [request(pages[page][1], pages[page][2], log) for _ in range(count)]
            pipe.send((times, len(heads)))
    connections.close_all()


def wal_syncs() -> int | None:
    """PostgreSQL: how many times the WAL has been flushed to disk, by anyone in the cluster
    (the statistics lag by up to a second)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT wal_sync FROM pg_stat_wal")
        return cursor.fetchone()[0]


def concurrent(pages, clients: int, rounds: int, repeat: int, async_commit: bool) -> list[float]:
    print(
        f"{'page':<30} {'off median':>10} {'on median':>9} {'overhead':>8} {'off p95':>8} "
        f"{'on p95':>7} {'off req/s':>9} {'on req/s':>8} {'throughput':>10} "
        f"{'head statements':>15} {'WAL flushes':>11}"
    )
    connections.close_all()  # each client process opens its own
    context = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for _ in range(clients):
        ours, theirs = context.Pipe()
        process = context.Process(target=client_process, args=(theirs, pages, async_commit))
        process.start()
        pipes.append(ours)
        processes.append(process)

    def run(page, log, count):
        start = time.perf_counter()
        for pipe in pipes:
            pipe.send((page, log, count))
        answers = [pipe.recv() for pipe in pipes]
        elapsed = time.perf_counter() - start
        return [t for times, _ in answers for t in times], sum(n for _, n in answers), elapsed

    overall = []
    per_client = max(1, repeat // clients)
    for page, (name, _client, _url) in enumerate(pages):
        run(page, True, 10)  # warm up: templates, connections, the chains' heads
        run(page, False, 10)
        times, walls, heads = {True: [], False: []}, {True: 0.0, False: 0.0}, 0
        flushed = wal_syncs()
        for _ in range(rounds):
            modes = [True, False]
            random.shuffle(modes)
            for log in modes:
                got, statements, elapsed = run(page, log, per_client)
                times[log] += got
                walls[log] += elapsed
                heads += statements if log else 0
        on, off = statistics.median(times[True]), statistics.median(times[False])
        overhead = (on - off) / off * 100
        overall.append(overhead)
        rate = {log: len(times[log]) / walls[log] for log in (True, False)}
        time.sleep(1.5)  # the statistics of the last round
        flushes = "" if flushed is None else f"{(wal_syncs() - flushed) / len(times[True]):.2f}"
        print(
            f"{name:<30} {off:>8.2f}ms {on:>7.2f}ms {overhead:>7.1f}% "
            f"{percentile(times[False], 0.95):>6.2f}ms {percentile(times[True], 0.95):>5.2f}ms "
            f"{rate[False]:>9.0f} {rate[True]:>8.0f} {(rate[True] / rate[False] - 1) * 100:>9.1f}% "
            f"{heads / len(times[True]):>15.2f} {flushes:>11}"
        )
    for pipe in pipes:
        pipe.send(None)
    for process in processes:
        process.join()
    return overall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--async-commit", action="store_true")
    parser.add_argument("--clients", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    fill()
    commit = session(args.async_commit)
    staff = Client()
    staff.force_login(User.objects.get(email="handlaggare.rinkeby@demo.example"))
    reviewer = Client()
    reviewer.force_login(User.objects.get(email="logg@demo.example"))
    case = ForumCase.objects.order_by("pk").first()
    unit = Unit.objects.get(name="Socialtjänsten barn och ungdom, Rinkeby-Kista")
    pages = [
        ("the demo child's forum case", staff, case.get_absolute_url()),
        ("a unit with its staff", staff, unit.get_absolute_url()),
        ("the log-review page", reviewer, reverse("audit:review")),
    ]
    if args.clients:
        print(
            f"# {connection.vendor} ({commit}), {args.clients} clients at once, "
            f"{args.rounds} rounds of {args.repeat} requests per page and mode"
        )
        overall = concurrent(pages, args.clients, args.rounds, args.repeat, args.async_commit)
    else:
        print(f"# {connection.vendor} ({commit}), {args.repeat} requests per page and mode")
        overall = sequential(pages, args.repeat)
    middleware.write_request = REAL_WRITE
    print(f"# largest overhead: {max(overall):.1f}% of the median")
    call_command("verify_access_log")


if __name__ == "__main__":
    main()
