"""Every page for the roles that see the most, timed on national-scale data: p50 and p95 and
the number of queries per page.

Not a test: a measurement, through Django's test client (the application and the database,
no network, no server; `bench/load.py` measures over HTTP with gunicorn). Run it on the data
`bench/national.py` made, with the key that data was made with (the testing settings' key,
so that the access-log chains the pages extend stay verifiable):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_national_bench \\
        SAMVERKAN_TESTING=1 .venv/bin/python bench/pages.py --repeat 20

Each page is requested once to warm up (a closed year's numbers are then kept, as they are
in production after their first use), then --repeat times. Pages over the budget
(--budget, default 150 ms at p95) are marked. The people are found in the data as in
`bench/load.py`, plus the chair of the steering group with the most cases.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
if "bench" not in os.environ.get("DATABASE_URL", ""):
    sys.exit("Set DATABASE_URL to a benchmark database (its name containing 'bench').")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from samverkan.audit.models import AccessLog  # noqa: E402
from samverkan.deviations.models import Deviation  # noqa: E402
from samverkan.forum.models import ForumCase  # noqa: E402
from samverkan.organisations.models import Body, Membership, UnitMembership  # noqa: E402
from samverkan.people.models import Child  # noqa: E402
from samverkan.sip.models import Plan  # noqa: E402


def busiest(queryset, field):
    return (
        queryset.values(field)
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list(field, flat=True)
        .first()
    )


def pages():
    """(role, label, user, path) for every page measured."""
    User = get_user_model()
    last_year = timezone.localdate().year - 1
    period = f"?fran={last_year}-01-01&till={last_year}-12-31"

    unit_id = busiest(Plan.objects.all(), "initiating_unit")
    staff = User.objects.filter(
        pk__in=UnitMembership.objects.current().filter(unit_id=unit_id).values("user_id")
    ).first()
    convener = User.objects.get(pk=busiest(ForumCase.objects.exclude(convener=None), "convener"))
    group_id = busiest(ForumCase.objects.all(), "local_group")
    steering = Body.objects.get(local_group_id=group_id, kind=Body.Kind.STEERING)
    chair_seat = (
        Membership.objects.current()
        .filter(body=steering, user__isnull=False)
        .order_by("role")
        .select_related("user")
        .first()
    )
    chair = chair_seat.user
    group = steering.local_group
    secretariat = User.objects.filter(is_secretariat=True, is_active=True).first()
    reviewer = User.objects.filter(is_log_reviewer=True, is_active=True).first()
    bussam = Body.objects.filter(kind=Body.Kind.BUSSAM).first()

    plan = Plan.objects.filter(initiating_unit_id=unit_id).order_by("-created_at").first()
    case = ForumCase.objects.filter(convener=convener).order_by("-raised_on").first()
    report = Deviation.objects.filter(reporting_unit_id=unit_id).exclude(reference=None).first()
    child = Child.objects.exclude(reserve_number="").order_by("pk").first()
    busiest_user = User.objects.get(pk=busiest(AccessLog.objects.exclude(user=None), "user"))
    log = reverse("audit:review")

    rows = [
        ("secretariat", "start page", secretariat, reverse("home")),
        ("secretariat", "deviation inbox", secretariat, reverse("deviations:inbox")),
        ("secretariat", "deviation patterns, last year", secretariat,
         reverse("deviations:patterns") + period),
        ("secretariat", "deviation compilation, last year", secretariat,
         reverse("deviations:compilation") + period),
        ("secretariat", "deviation compilation, this year", secretariat,
         reverse("deviations:compilation")),
        ("secretariat", "county follow-up, last year", secretariat,
         reverse("governance:county", args=[last_year])),
        ("secretariat", "yearly follow-ups, list", secretariat, reverse("governance:follow_ups")),
        ("secretariat", "directory", secretariat, reverse("organisations:directory")),
        ("log reviewer", "start page", reviewer, reverse("home")),
        ("log reviewer", "access log, first page", reviewer, log),
        ("log reviewer", "access log, oldest page", reviewer, log + "?sista=1"),
        ("log reviewer", "access log, one person", reviewer, f"{log}?user={busiest_user.email}"),
        ("log reviewer", "access log, one record", reviewer,
         f"{log}?object_type=sip.plan&object_id={plan.pk}"),
        ("log reviewer", "access log, refusals", reviewer, log + "?action=denied"),
        ("log reviewer", "per-child extract", reviewer,
         reverse("audit:child_extract") + f"?reserve_number={child.reserve_number}"),
        ("steering chair", "start page", chair, reverse("home")),
        ("steering chair", "the steering group's inbox", chair,
         reverse("agenda:inbox", args=[steering.pk])),
        ("steering chair", "the group's forum cases", chair, reverse("forum:list") + "?vy=grupp"),
        ("steering chair", "the group's yearly follow-up, last year", chair,
         reverse("governance:follow_up", args=[group.slug, last_year])),
        ("steering chair", "the group's deviation compilation, last year", chair,
         reverse("deviations:compilation") + period + f"&grupp={group.slug}"),
        ("steering chair", "the group's deviation patterns, this year", chair,
         reverse("deviations:patterns") + f"?grupp={group.slug}"),
        ("convener", "start page", convener, reverse("home")),
        ("convener", "cases I convene", convener, reverse("forum:list") + "?vy=sammankallar"),
        ("convener", "a case", convener, case.get_absolute_url()),
        ("unit staff", "start page", staff, reverse("home")),
        ("unit staff", "my plans", staff, reverse("sip:list")),
        ("unit staff", "the unit's plans", staff, reverse("sip:list") + "?vy=enhet"),
        ("unit staff", "the unit's plans, page 50", staff,
         reverse("sip:list") + "?vy=enhet&sida=50"),
        ("unit staff", "a plan", staff, plan.get_absolute_url()),
        ("unit staff", "the unit's forum cases", staff, reverse("forum:list")),
        ("unit staff", "my deviation reports", staff, reverse("deviations:list")),
    ]  # fmt: skip
    if bussam:
        rows.insert(2, ("secretariat", "BUSSAM's inbox", secretariat,
                        reverse("agenda:inbox", args=[bussam.pk])))  # fmt: skip
    if report:
        rows.append(("unit staff", "a deviation report", staff, report.get_absolute_url()))
    return rows


def measure(client, path, repeat):
    client.get(path)  # warm: caches, a closed year's numbers
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            return response.status_code, times, len(queries)
    return 200, times, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--budget", type=float, default=150.0, help="p95 budget in ms")
    options = parser.parse_args()

    print(f"{datetime.datetime.now():%Y-%m-%d %H:%M}, {connection.vendor}, {os.cpu_count()} CPUs")
    print("| role | page | p50 ms | p95 ms | queries | |")
    print("|---|---|---:|---:|---:|---|")
    clients = {}
    over = 0
    for role, label, user, path in pages():
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        status, times, queries = measure(clients[user.pk], path, options.repeat)
        if status != 200:
            print(f"| {role} | {label} | | | | answered {status}: `{path}` |", flush=True)
            over += 1
            continue
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        mark = "over budget" if p95 > options.budget else ""
        over += bool(mark)
        print(f"| {role} | {label} | {p50:.0f} | {p95:.0f} | {queries} | {mark} |", flush=True)
    print(f"\n{over} page(s) over {options.budget:.0f} ms at p95 or not answering 200.")


if __name__ == "__main__":
    main()
