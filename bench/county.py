"""The yearly follow-up's county compilation at county scale: time and queries for one year.

Not a test: a measurement. It fills a *separate* database with the demo county (33 local
groups with their steering and working groups) plus ten years of synthetic data: about
1,000 individforum cases, 500 deviation reports and 10,000 SIPs a year (each SIP with its
first version and a chain of follow-ups, some late, some missing), and one to three
meetings per steering and working group per term. Then it computes the county compilation
for the last full year (with the year before beside it) several times and prints the
median time and the number of queries of: the indicators for every group (one year), the
whole compilation (two years, approvals, charts), its page and one group's follow-up page
through Django's test client (no network, no server).

Children need a personnummer. This script makes 20,000 of them up (checksum-valid numbers
on birth dates from 1 January 2006, named "Bench Barn N") and writes them *only* into the
benchmark database named by SQLITE_PATH or DATABASE_URL, which must be set and contain
"bench": it refuses the project's own database, and any database that already holds other
children than the demo's.

    # SQLite (a file of its own)
    rm -f /tmp/samverkan-county-bench.sqlite3*
    SQLITE_PATH=/tmp/samverkan-county-bench.sqlite3 .venv/bin/python bench/county.py
    # PostgreSQL (a database of its own)
    createdb -h 127.0.0.1 -U postgres samverkan_county_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_county_bench \
        .venv/bin/python bench/county.py

Options: --years N (years of data ending last year, default 10), --cases N, --deviations N,
--plans N (per year; defaults 1000, 500, 10000), --repeat N (runs per measurement, default
7). The data are generated once; drop the database (or remove the file) to generate anew.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
os.environ.setdefault("SAMVERKAN_TESTING", "1")  # locmem cache, fast hasher, no HTTPS redirect
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

if "bench" not in os.environ.get("DATABASE_URL", os.environ.get("SQLITE_PATH", "")):
    sys.exit(
        "Set SQLITE_PATH or DATABASE_URL to a benchmark database (its name containing 'bench')."
    )

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from samverkan.accounts.models import User  # noqa: E402
from samverkan.deviations.models import Category, Deviation  # noqa: E402
from samverkan.deviations.stats import SUBMITTED_STEPS  # noqa: E402
from samverkan.forum.models import ForumCase, deadline_for  # noqa: E402
from samverkan.governance import indicators, reports  # noqa: E402
from samverkan.governance.models import Meeting  # noqa: E402
from samverkan.organisations.models import Body, LocalGroup, Unit  # noqa: E402
from samverkan.organisations.terms import Term  # noqa: E402
from samverkan.people.models import Child  # noqa: E402
from samverkan.sip.models import FollowUp, Plan, PlanVersion  # noqa: E402

BENCH_USER = "bench-county@bench.example"
BATCH = 5000
STATUSES = ["resolved"] * 6 + ["lifted"] * 2 + ["decided"] * 1 + ["raised", "convened"]


def luhn(digits: str) -> int:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def personal_numbers(count: int):
    """Checksum-valid personnummer, YYYYMMDD-NNNN, each once (for this database only)."""
    day = datetime.date(2006, 1, 1)
    made = 0
    while made < count:
        for serial in range(100, 999, 7):
            body = f"{day:%y%m%d}{serial:03d}"
            yield f"{day:%Y%m%d}-{serial:03d}{luhn(body)}"
            made += 1
            if made == count:
                return
        day += datetime.timedelta(days=1)


def day_in(rng: random.Random, year: int) -> datetime.date:
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def fill(years: list[int], cases: int, deviations: int, plans: int) -> float:
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if User.objects.filter(email=BENCH_USER).exists():
        return 0.0
    if Child.objects.exclude(first_name="Bench").count() > 10:
        sys.exit("This database holds children that are not the benchmark's: not touching it.")
    call_command("seed_demo", quiet=True)
    rng = random.Random(2026)
    user = User.objects.create_user(email=BENCH_USER, first_name="Bench", last_name="Mätning")
    groups = list(LocalGroup.objects.order_by("name"))
    units = {
        group.pk: list(Unit.objects.filter(area__local_groups=group).order_by("pk"))
        for group in groups
    }
    grouped = [group for group in groups if units[group.pk]]
    categories = list(Category.objects.filter(is_active=True))
    bodies = list(Body.objects.filter(kind__in=["steering", "working"], local_group__isnull=False))
    children = [
        Child(
            personal_number=number,
            first_name="Bench",
            last_name=f"Barn {i}",
            owning_unit=units[grouped[i % len(grouped)].pk][0],
            created_by=user,
        )
        for i, number in enumerate(personal_numbers(20_000))
    ]
    Child.objects.bulk_create(children, batch_size=BATCH)
    children = list(Child.objects.filter(first_name="Bench").values_list("pk", flat=True))
    today = timezone.localdate()

    # PlanVersion.created_at is auto_now_add: the benchmark writes the historical date.
    created_at = PlanVersion._meta.get_field("created_at")
    created_at.auto_now_add = False
    try:
        for year in years:
            with transaction.atomic():
                _year(
                    rng,
                    year,
                    user,
                    grouped,
                    units,
                    categories,
                    bodies,
                    children,
                    today,
                    cases,
                    deviations,
                    plans,
                )
            print(f"#   {year} generated ({time.perf_counter() - started:.0f} s)", flush=True)
    finally:
        created_at.auto_now_add = True
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as a database in use has them
    return time.perf_counter() - started


def _year(
    rng,
    year,
    user,
    groups,
    units,
    categories,
    bodies,
    children,
    today,
    n_cases,
    n_deviations,
    n_plans,
):
    forum = []
    for i in range(n_cases):
        group = rng.choice(groups)
        raised = day_in(rng, year)
        noticed = raised - datetime.timedelta(days=rng.randrange(6))
        meeting = (
            noticed + datetime.timedelta(days=rng.choice([3, 5, 7, 9, 10, 12, 13, 14, 16, 21, 30]))
            if rng.random() < 0.85
            else None
        )
        forum.append(
            ForumCase(
                reference=f"IF-{year}-{1000 + i:04d}",
                local_group=group,
                child_id=rng.choice(children),
                raised_by_unit=rng.choice(units[group.pk]),
                raised_by=user,
                raised_on=raised,
                noticed_on=noticed,
                deadline=deadline_for(noticed),
                reason="Benchmark.",
                meeting_on=meeting,
                status=rng.choice(STATUSES) if meeting else "raised",
            )
        )
    ForumCase.objects.bulk_create(forum, batch_size=BATCH)

    reports_ = []
    for i in range(n_deviations):
        group = rng.choice(groups)
        submitted = moment(day_in(rng, year), rng.randrange(8, 18))
        reports_.append(
            Deviation(
                reference=f"AV-{year}-{1000 + i:04d}",
                title="Benchmark",
                reporting_unit=rng.choice(units[group.pk]),
                reporter=user,
                local_group=group,
                occurred_on=submitted.date(),
                what_happened="x",
                consequence="y",
                category=rng.choice(categories),
                agreement_part="sip",
                step=rng.choice(SUBMITTED_STEPS),
                submitted_at=submitted,
            )
        )
    Deviation.objects.bulk_create(reports_, batch_size=BATCH)

    meetings = []
    for body in bodies:
        for term in Term.of_year(year):
            for _ in range(rng.choice([1, 1, 2, 3])):
                day = term.start + datetime.timedelta(
                    days=rng.randrange((term.end - term.start).days)
                )
                meetings.append(Meeting(body=body, held_on=day, created_by=user))
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)

    plans, firsts = [], []
    for i in range(n_plans):
        group = rng.choice(groups)
        established = day_in(rng, year)
        first_due = established + datetime.timedelta(days=rng.choice([60, 90, 90, 120, 180]))
        plans.append(
            Plan(
                reference=f"SIP-{year}-{10000 + i}",
                child_id=rng.choice(children),
                initiating_unit=rng.choice(units[group.pk]),
                initiated_by=user,
                chair=user,
                secretary=user,
                reason="Benchmark.",
                meeting_on=established,
                status="established",
                established_at=moment(established, 16),
            )
        )
        firsts.append(first_due)
    plans = Plan.objects.bulk_create(plans, batch_size=BATCH)
    versions, follow_ups = [], []
    for plan, first_due in zip(plans, firsts, strict=True):
        versions.append(
            PlanVersion(
                plan=plan,
                number=1,
                created_by=user,
                created_at=plan.established_at,
                content={"next_follow_up_on": first_due.isoformat(), "needs": "Benchmark."},
            )
        )
        due, last_held = first_due, plan.established_at.date()
        while due is not None and due < today:
            if rng.random() < 0.08:  # never followed up again
                break
            held = max(last_held, due + datetime.timedelta(days=rng.randrange(-25, 20)))
            if held >= today:
                break
            again = rng.random() < 0.8
            due = held + datetime.timedelta(days=rng.choice([90, 120, 180])) if again else None
            follow_ups.append(FollowUp(plan=plan, held_on=held, next_on=due, by=user))
            last_held = held
    PlanVersion.objects.bulk_create(versions, batch_size=BATCH)
    FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH)


def measure(function, repeat: int) -> tuple[float, int]:
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
    ):
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(queries)


def without_charts(function):
    def run():
        with mock.patch.object(reports.charts, "bar_chart", return_value=None):
            return function()

    return run


def get(client, url):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--deviations", type=int, default=500)
    parser.add_argument("--plans", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    last = timezone.localdate().year - 1
    years = list(range(last - args.years + 1, last + 1))
    took = fill(years, args.cases, args.deviations, args.plans)
    state = f"generated in {took:.0f} s" if took else "already there"
    print(
        f"# {connection.vendor}: data {state};"
        f" {LocalGroup.objects.count()} groups, {ForumCase.objects.count()} forum cases, "
        f"{Deviation.objects.count()} deviations, {Plan.objects.count()} plans, "
        f"{PlanVersion.objects.count()} versions, {FollowUp.objects.count()} follow-ups, "
        f"{Meeting.objects.count()} meetings, {Child.objects.count()} children"
    )
    year = last
    if indicators.uses_database_percentiles():
        in_database = indicators.compute_county(year)
        with mock.patch.object(indicators, "uses_database_percentiles", return_value=False):
            in_python = indicators.compute_county(year)
        agree = (in_database.per_group, in_database.days_overall) == (
            in_python.per_group,
            in_python.days_overall,
        )
        print(f"# percentile_cont in PostgreSQL and the Python percentiles agree: {agree}")

    secretariat = Client()
    secretariat.force_login(User.objects.get(email="sekretariat@demo.example"))
    page = reverse("governance:county", args=[year])
    chair = Client()
    chair.force_login(User.objects.get(email="ordforande.rinkeby@demo.example"))
    group = reverse("governance:follow_up", args=["rinkeby-kista-och-spanga-tensta", year])
    measurements = [
        (f"indicators, every group, {year}", lambda: indicators.compute_county(year)),
        (
            f"compilation {year} with {year - 1}, without charts",
            without_charts(lambda: reports.county(year)),
        ),
        (f"compilation {year} with {year - 1}, with 7 charts", lambda: reports.county(year)),
        (f"page {page}", get(secretariat, page)),
        ("one group's follow-up page (two years, the form)", get(chair, group)),
    ]
    print(f"{'what':<60} {'median ms':>9} {'queries':>7}")
    for label, function in measurements:
        median, queries = measure(function, args.repeat)
        print(f"{label:<60} {median:9.1f} {queries:7d}")


if __name__ == "__main__":
    main()
