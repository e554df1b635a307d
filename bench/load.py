"""Load, side by side: requests per second and p50/p95 of /healthz and the heaviest common
pages, served by gunicorn on PostgreSQL and driven by wrk at concurrency 4, in one run.

Not a test: a measurement. It serves the database named by DATABASE_URL (its name must
contain "bench": use the data `bench/national.py` or `bench/county.py` made) as production
does (DEBUG off, a secret key of its own, static files collected; only without HTTPS), logs
in one person per role by writing a session for them into the database, checks that each
page answers 200 for that person, and then runs wrk against each page in turn:

    apt-get install wrk   # Debian's
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_national_bench \\
        .venv/bin/python bench/load.py --seconds 20

Options: --workers N (gunicorn workers, default 4), --connections N (wrk, default 4),
--seconds N per page (default 20), --port N (default 8123). The people are found in the
data: the unit staff member whose unit has the most plans, the convener with the most
cases, the first secretariat member and log reviewer; --staff/--convener/--secretariat/
--reviewer EMAIL choose others. Each logged-in page writes access-log rows as it would in
production, so a run adds to the log.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "bench" not in os.environ.get("DATABASE_URL", ""):
    sys.exit("Set DATABASE_URL to a benchmark database (its name containing 'bench').")

SERVER_ENV = {
    "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    "DEBUG": "0",
    "HTTPS": "0",
    "SAMVERKAN_TESTING": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}
os.environ.update(SERVER_ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from samverkan.forum.models import ForumCase  # noqa: E402
from samverkan.organisations.models import UnitMembership  # noqa: E402
from samverkan.sip.models import Plan  # noqa: E402

# wrk prints the numbers this script reads as one line of JSON.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.1f, "p95_ms": %.1f, "errors": %d, '
    .. '"not_ok": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, errors, summary.errors.status))
end
"""


def people(options):
    User = get_user_model()

    def by_email(email):
        return User.objects.get(email=email) if email else None

    staff = by_email(options.staff)
    if staff is None:
        unit_id = (
            Plan.objects.values("initiating_unit")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("initiating_unit", flat=True)
            .first()
        )
        staff = User.objects.filter(
            pk__in=UnitMembership.objects.current().filter(unit_id=unit_id).values("user_id")
        ).first()
    convener = by_email(options.convener)
    if convener is None:
        convener_id = (
            ForumCase.objects.exclude(convener=None)
            .values("convener")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("convener", flat=True)
            .first()
        )
        convener = User.objects.get(pk=convener_id)
    secretariat = (
        by_email(options.secretariat)
        or User.objects.filter(is_secretariat=True, is_active=True).first()
    )
    reviewer = (
        by_email(options.reviewer)
        or User.objects.filter(is_log_reviewer=True, is_active=True).first()
    )
    return {"staff": staff, "convener": convener, "secretariat": secretariat, "reviewer": reviewer}


def pages():
    """(label, who, path): /healthz first, as the yardstick."""
    return [
        ("/healthz", None, reverse("healthz")),
        ("start page (unit staff)", "staff", reverse("home")),
        ("SIP list of the unit", "staff", reverse("sip:list") + "?vy=enhet"),
        ("forum list (convener's cases)", "convener", reverse("forum:list") + "?vy=sammankallar"),
        ("forum list of the unit", "staff", reverse("forum:list")),
        ("deviation inbox (secretariat)", "secretariat", reverse("deviations:inbox")),
        ("access log, first page", "reviewer", reverse("audit:review")),
        ("access log, oldest page", "reviewer", reverse("audit:review") + "?sista=1"),
    ]


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (our own server)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def status_of(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url)  # noqa: S310
    if cookie:
        request.add_header("Cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--port", type=int, default=8123)
    for role in ("staff", "convener", "secretariat", "reviewer"):
        parser.add_argument(f"--{role}", metavar="EMAIL")
    options = parser.parse_args()

    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    who = people(options)
    cookies = {role: session_cookie(user) for role, user in who.items()}
    for role, user in who.items():
        print(f"{role}: {user.email}")

    base = f"http://127.0.0.1:{options.port}"
    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv/bin/gunicorn"), "samverkan.wsgi",
            "--bind", f"127.0.0.1:{options.port}",
            "--workers", str(options.workers), "--log-level", "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
    )  # fmt: skip
    results = []
    try:
        wait_for(base + reverse("healthz"))
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        for label, role, path in pages():
            cookie = cookies.get(role) if role else None
            status = status_of(base + path, cookie)
            if status != 200:
                sys.exit(f"{label}: {path} answered {status} for {role}; fix that first")
            command = [
                "wrk", "-t", "2", "-c", str(options.connections), "-d", f"{options.seconds}s",
                "--timeout", "30s", "-s", script.name, base + path,
            ]  # fmt: skip
            if cookie:
                command[1:1] = ["-H", f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}"]
            warm = [*command[:-1], "-d", "2s", command[-1]]
            subprocess.run(warm, capture_output=True)  # noqa: S603
            run = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
            output = run.stdout
            numbers = json.loads(output.strip().splitlines()[-1])
            numbers["rps"] = numbers["requests"] / numbers["seconds"]
            results.append((label, numbers))
            print(
                f"{label}: {numbers['rps']:.1f} req/s, p50 {numbers['p50_ms']} ms, "
                f"p95 {numbers['p95_ms']} ms",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    healthz = results[0][1]["rps"]
    print()
    print(f"wrk at concurrency {options.connections}, {options.seconds} s per page, "
          f"gunicorn with {options.workers} workers, {os.cpu_count()} CPUs")  # fmt: skip
    print("| page | req/s | share of /healthz | p50 ms | p95 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, n in results:
        print(
            f"| {label} | {n['rps']:.1f} | {n['rps'] / healthz:.0%} | {n['p50_ms']:.1f} | "
            f"{n['p95_ms']:.1f} | {n['errors'] + n['not_ok']} |"
        )


if __name__ == "__main__":
    main()
