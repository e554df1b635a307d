"""Directory and log-review pages at county scale: time per request and queries per page.

Not a test: a measurement. It fills a *separate* database with the demo county plus
synthetic bulk (units, members, access-log rows), then requests each page many times
through Django's test client (no network, no server: it measures the application and the
database) and prints median and 95th-percentile times with the query count.

    # SQLite (a file of its own, removed first)
    SQLITE_PATH=/tmp/samverkan-bench.sqlite3 .venv/bin/python bench/directory.py
    # PostgreSQL (a database of its own)
    createdb -h 127.0.0.1 -U postgres samverkan_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_bench \
        .venv/bin/python bench/directory.py

Options: --units N (extra units, default 5000), --log N (access-log rows, default 200000),
--repeat N (requests per page, default 50).
"""

import argparse
import os
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from samverkan.accounts.models import User  # noqa: E402
from samverkan.audit.models import AccessLog  # noqa: E402
from samverkan.organisations.models import Area, Body, LocalGroup, Membership, Unit  # noqa: E402


def fill(units: int, log_rows: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", quiet=True)
    if Unit.objects.count() < units:
        areas = list(Area.objects.select_related("municipality"))
        kinds = Unit.Kind.values
        Unit.objects.bulk_create(
            Unit(
                principal=areas[i % len(areas)].municipality,
                area=areas[i % len(areas)],
                name=f"Bench-enhet {i:05d}",
                kind=kinds[i % len(kinds)],
            )
            for i in range(units)
        )
        bodies = list(Body.objects.all())
        Membership.objects.bulk_create(
            Membership(body=bodies[i % len(bodies)], function=f"Funktion {i}") for i in range(units)
        )
    have = AccessLog.objects.count()
    if have < log_rows:
        staff = User.objects.get(email="handlaggare.rinkeby@demo.example")
        AccessLog.objects.bulk_create(
            (
                AccessLog(
                    user=staff,
                    user_label=staff.email,
                    action="view",
                    object_type="organisations.unit",
                    object_id=str(i % 5000),
                    reason="bench",
                )  # fmt: skip
                for i in range(log_rows - have)
            ),
            batch_size=5000,
        )


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int]:
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
    ):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--log", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    started = time.perf_counter()
    fill(args.units, args.log)
    print(f"# {connection.vendor}: data ready in {time.perf_counter() - started:.1f} s; "
          f"{Unit.objects.count()} units, {Membership.objects.count()} seats, "
          f"{AccessLog.objects.count()} log rows")  # fmt: skip
    member = Client()
    member.force_login(User.objects.get(email="ordforande.rinkeby@demo.example"))
    reviewer = Client()
    reviewer.force_login(User.objects.get(email="logg@demo.example"))
    group = LocalGroup.objects.get(slug="rinkeby-kista-och-spanga-tensta")
    body = group.bodies.get(kind="steering")
    unit = Unit.objects.get(name="Socialtjänsten barn och ungdom, Rinkeby-Kista")
    review = reverse("audit:review")
    pages = [
        (member, reverse("organisations:directory")),
        (member, group.get_absolute_url()),
        (member, body.get_absolute_url()),
        (member, reverse("organisations:units")),
        (member, reverse("organisations:units") + "?q=skola&sida=20"),
        (member, unit.get_absolute_url()),
        (member, unit.principal.get_absolute_url()),
        (reviewer, review),
        (reviewer, review + "?sida=1000"),
        (reviewer, review + f"?object_type=organisations.unit&object_id={unit.pk}"),
        (reviewer, review + "?user=handlaggare&date_from=2026-01-01"),
    ]
    print(f"{'page':<75} {'median ms':>9} {'p95 ms':>8} {'queries':>7}")
    for client, url in pages:
        median, p95, queries = measure(client, url, args.repeat)
        print(f"{url:<75} {median:9.1f} {p95:8.1f} {queries:7d}")


if __name__ == "__main__":
    main()
