"""The access-log pages with millions of rows: time per request, queries per page, plans.

Not a test: a measurement, for PostgreSQL (the scale the log reaches in production). It
loads the demo county into a database of its own (the script refuses one whose name lacks
"bench"), fills the access log with synthetic rows by one ``INSERT ... SELECT
generate_series`` (the table's triggers refuse UPDATE and DELETE, not INSERT; the rows are
outside the hash chains, as ``verify_access_log`` would report), then requests each page
through Django's test client (no network, no server: the application and the database) and
prints the median and 95th-percentile time and the number of queries. With --explain it
also prints the plan of each page's main query (``EXPLAIN (ANALYZE, BUFFERS)``).

    createdb -h 127.0.0.1 -U postgres samverkan_logbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_logbench \\
        .venv/bin/python bench/access_log_pages.py --rows 2000000 --repeat 30 --explain

Options: --rows N (log rows to have, default 2,000,000; more are added if fewer are there),
--repeat N (requests per page, default 30), --explain, --fill-only (stop once the data is
there), --legacy (the page URLs of the old page-number pagination, ``?sida=N``, to measure
code from before keyset pagination).

The synthetic log: four rows per instant (equal timestamps, as in a busy second), 13 s
apart, so 2 M rows span 75 days; 300 bench users, one of them (bench-000) on every tenth
row; every third row about a child (``people.child``, one of 997 child ids, the demo's
children among them); one row in a hundred a refusal.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

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
from samverkan.audit import partitions  # noqa: E402
from samverkan.audit.models import AccessLog  # noqa: E402
from samverkan.people.models import Child  # noqa: E402

USERS = 300
STEP = datetime.timedelta(seconds=13)  # between the instants of FILL (four rows each)
FILL = """
INSERT INTO audit_accesslog (
    at, user_id, user_label, role, action, object_type, object_id, object_label, child_id,
    reason, path, method, status_code, ip_address, chain, seq, hash
)
SELECT
    timestamptz '2026-01-01 00:00:00+00' - ((%(stop)s - g) / 4) * interval '13 seconds',
    u.id, u.email, 'Personal, Bench-enhet', a.action, o.object_type, o.object_id,
    'Bench-post', o.child_id, 'bench', '/bench/' || g || '/', 'GET',
    CASE WHEN a.action = 'denied' THEN 403 ELSE 200 END, '10.0.0.1', NULL, NULL, ''
FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS g
CROSS JOIN LATERAL (
    SELECT CASE WHEN g %% 10 = 0 THEN 0 ELSE 1 + (g * 7919) %% (%(users)s - 1) END AS n
) AS pick
JOIN bench_users AS u ON u.n = pick.n
CROSS JOIN LATERAL (
    SELECT CASE WHEN g %% 100 = 7 THEN 'denied' ELSE 'view' END AS action
) AS a
CROSS JOIN LATERAL (
    SELECT
        CASE WHEN g %% 3 = 0 THEN 'people.child' ELSE 'organisations.unit' END AS object_type,
        CASE WHEN g %% 3 = 0 THEN (1 + (g / 3) %% 997)::text ELSE (g %% 5000)::text END
            AS object_id,
        CASE WHEN g %% 3 = 0 THEN 1 + (g / 3) %% 997 END AS child_id
) AS o
"""


def fill(rows: int) -> None:
    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or "bench" not in name:
        sys.exit("Run this on a PostgreSQL database of its own whose name holds 'bench'.")
    call_command("migrate", verbosity=0)
    if not User.objects.filter(email="logg@demo.example").exists():
        call_command("seed_demo", quiet=True)
    User.objects.bulk_create(
        (
            User(
                email=f"bench-{n:03d}@bench.example",
                username=f"bench-{n:03d}@bench.example",
                first_name="Bänk",
                last_name=f"{n:03d}",
            )
            for n in range(USERS)
        ),
        ignore_conflicts=True,
    )
    have = AccessLog.objects.count()
    if have >= rows:
        return
    # Each month the rows span gets its partition (on the partitioned table), or the rows
    # would land in the default one.
    oldest = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC) - (rows - 1) // 4 * STEP
    partitions.ensure(oldest.date() - datetime.timedelta(days=1), datetime.date(2026, 1, 1))
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_users AS SELECT id, email,"
            " substring(email from 7 for 3)::int AS n FROM accounts_user"
            " WHERE email LIKE 'bench-%@bench.example'"
        )
        cursor.execute(FILL, {"start": have, "stop": rows - 1, "users": USERS})
        cursor.execute("DROP TABLE bench_users")
        cursor.execute("VACUUM ANALYZE audit_accesslog")


def pages(legacy: bool) -> list[tuple[str, str]]:
    review = reverse("audit:review")
    child = Child.objects.get(personal_number="20170101-2393")
    rows = AccessLog.objects.count()
    oldest = f"?sida={rows // 50 + 1}" if legacy else "?sista=1"
    if legacy:
        middle = f"?sida={rows // 100}"
    else:
        from samverkan.pagination import make_cursor

        row = AccessLog.objects.filter(pk__gte=rows // 2).order_by("pk").first()
        middle = "?" + urlencode({"fore": make_cursor(row.at, row.pk)})
    return [
        ("first page", review),
        ("a middle page", review + middle),
        ("oldest page", review + oldest),
        ("one person, heavy (10 % of rows)", review + "?user=bench-000@bench.example"),
        ("one person, heavy, middle page",
         review + "?user=bench-000@bench.example&" + middle[1:]),
        ("one person, heavy, oldest page", review + "?user=bench-000@bench.example&" + oldest[1:]),
        ("one person, light", review + "?user=bench-123@bench.example"),
        ("ten people (user=bench-00)", review + "?user=bench-00"),
        ("one record", review + f"?object_type=people.child&object_id={child.pk}"),
        ("refusals (action=denied)", review + "?action=denied"),
        ("one day", review + "?date_from=2025-12-01&date_to=2025-12-01"),
        ("one day, oldest page", review + "?date_from=2025-12-01&date_to=2025-12-01&" + oldest[1:]),
        ("one person from a date", review + "?user=bench-000@bench.example&date_from=2025-12-01"),
        ("child extract", reverse("audit:child_extract") + "?personal_number=20170101-2393"),
        ("child extract, oldest page",
         reverse("audit:child_extract") + "?personal_number=20170101-2393&" + oldest[1:]),
        ("role changes", reverse("audit:role_changes")),
    ]  # fmt: skip


def measure(client: Client, url: str, repeat: int, explain: bool):
    queries: list[tuple[str, tuple]] = []

    def capture(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    plans = []
    if explain:
        for sql, params in queries:
            if "audit_accesslog" in sql and sql.lstrip("( ").upper().startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
                    plans.append([line for (line,) in cursor.fetchall()])
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return statistics.median(times), p95, len(queries), plans


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--legacy", action="store_true")
    parser.add_argument("--fill-only", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    fill(args.rows)
    print(f"# data ready in {time.perf_counter() - started:.1f} s; "
          f"{AccessLog.objects.count():,} log rows")  # fmt: skip
    if args.fill_only:
        return
    reviewer = Client()
    reviewer.force_login(User.objects.get(email="logg@demo.example"))
    print(f"{'page':<40} {'median ms':>9} {'p95 ms':>8} {'queries':>7}")
    for label, url in pages(args.legacy):
        median, p95, count, plans = measure(reviewer, url, args.repeat, args.explain)
        print(f"{label:<40} {median:9.1f} {p95:8.1f} {count:7d}   {url}", flush=True)
        for plan in plans:
            print("\n".join("      " + line for line in plan))


if __name__ == "__main__":
    main()
