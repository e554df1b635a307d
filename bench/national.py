"""Sweden at BUS scale: a national data set for benchmarks, bulk-loaded into PostgreSQL.

Not a test: a generator. It fills a PostgreSQL database *of its own* with synthetic data
for the whole country: 290 municipalities and 21 regions (plus independent-school owners
and a few federations), their areas (the three largest cities split into districts), about
5,000 units of every kind with their managers and staff, about 300 local groups each with a
steering group, a working group and an individforum and their seats, and per region a
BUSSAM, a secretariat and a presidium. Then ten years (ending last year) plus the current
year so far of: about 1,000,000 SIPs (participants, interventions, versions with their JSON
snapshot, follow-ups, some late and some never held), 100,000 individforum cases (invitees,
status changes, protocols with attendees, the parties' views and decisions), 50,000
deviation reports (other units and principals, tags, events, actions), meetings per term
for every steering group, working group and county body (with decisions and action items),
and 10,000,000 access-log rows, sealed into valid hash chains.

Children: each unit keeps its own record (``people.Child``). Every record has a
*reservnummer* (never a personnummer): the dated format ``ÅÅÅÅMMDD-XNNN`` that
``samverkan.identity.normalise_reserve_number`` accepts, the child's made-up birth date and
a four-character series (a letter, then three letters or digits) numbering the synthetic
children one by one, so no two children share a number; past 1.2 million children, Region
Stockholm's ``99ÅÅÅÅNNNNNK`` follows. About a third of the records at other units of an
area are the same child as one of the area's social-services records (the same number and
name), as when several units register one child.

The access log is a valid chain: the rows are sealed exactly as ``samverkan.audit.chain``
seals them, with the AUDIT_LOG_KEY of the settings this script runs under, spread over
ACCESS_LOG_CHAINS chains, and the chain heads are written with their MACs: ``manage.py
verify_access_log`` passes and the application appends to the chains as usual, *as long as
it runs with the same key* (with SAMVERKAN_TESTING=1 and no SECRET_KEY/AUDIT_LOG_KEY, as
here, that is the development key).

Speed: ``manage.py migrate`` makes the schema; then every table is loaded with COPY (one
connection per table, so related tables stream side by side), ids assigned here, foreign-key
triggers off while loading (``session_replication_role = replica``: the script keeps the keys
valid itself; ``--check`` verifies every foreign key afterwards), secondary indexes dropped
before and rebuilt after the load, sequences reset with setval and VACUUM (ANALYZE) at the end.

The database named by DATABASE_URL must contain "bench" in its name; the script refuses a
database holding anything it did not make. ``--reset`` drops a previous run's data (the
whole public schema, only if it finds this script's marker user) and generates anew.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE samverkan_national_bench_small"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_national_bench_small \\
        .venv/bin/python bench/national.py --scale 0.01 --check

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE samverkan_national_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_national_bench \\
        .venv/bin/python bench/national.py

Options: --scale F multiplies every count (default 1.0; 0.01 while developing), --seed N,
--reset, --check (verify every foreign key and the access-log chains at the end).
"""

import argparse
import bisect
import contextlib
import datetime
import itertools
import json
import os
import random
import re
import sys
import time
import unicodedata
from array import array
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
os.environ.setdefault("SAMVERKAN_TESTING", "1")  # locmem cache, no HTTPS redirect
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum import luhn  # noqa: E402

from samverkan.audit import partitions  # noqa: E402
from samverkan.audit.chain import Sealer  # noqa: E402

MARKER = "bench-national@bench.example"
PASSWORD = "Bench-national-2026"  # noqa: S105 (a benchmark database's known password)
UTC = datetime.UTC
DAY = datetime.timedelta(days=1)

# The 21 regions, the largest first (so that a small --scale keeps the largest), with their
# number of municipalities.
REGIONS = [
    ("Stockholm", 26),
    ("Västra Götaland", 49),
    ("Skåne", 33),
    ("Östergötland", 13),
    ("Uppsala", 8),
    ("Jönköpings län", 13),
    ("Halland", 6),
    ("Örebro län", 12),
    ("Gävleborg", 10),
    ("Dalarna", 15),
    ("Värmland", 16),
    ("Västmanland", 10),
    ("Södermanland", 9),
    ("Västerbotten", 15),
    ("Norrbotten", 14),
    ("Kalmar län", 12),
    ("Västernorrland", 7),
    ("Kronoberg", 8),
    ("Blekinge", 5),
    ("Jämtland Härjedalen", 8),
    ("Gotland", 1),
]
# The largest city of each of the first three regions is split into districts, grouped two
# by two into local groups.
CITY_DISTRICTS = [13, 10, 5]
DISTRICTS = [
    "Norra innerstaden",
    "Södra innerstaden",
    "Västerort",
    "Söderort",
    "Östra",
    "Hamnen",
    "Centrum",
    "Dalen",
    "Höjden",
    "Skogen",
    "Ängen",
    "Parken",
    "Sjöstaden",
    "Bergen",
    "Slätten",
]
PREFIXES = [
    "Ek",
    "Björk",
    "Lind",
    "Ask",
    "Al",
    "Gran",
    "Tall",
    "Sjö",
    "Berg",
    "Dal",
    "Sol",
    "Mal",
    "Ny",
    "Öster",
    "Väster",
    "Söder",
    "Norr",
    "Hög",
    "Ljus",
    "Ros",
    "Alm",
    "Hassel",
    "Rönn",
    "Vik",
    "Ström",
    "Lingon",
    "Äng",
    "Fjäll",
    "Ö",
    "Mark",
]
SUFFIXES = [
    "köping",
    "by",
    "holm",
    "vik",
    "sund",
    "stad",
    "berga",
    "torp",
    "fors",
    "ås",
    "näs",
    "hamn",
    "lund",
]
FIRST_NAMES = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Kerstin",
    "Ingrid",
    "Malin",
    "Elin",
    "Sofia",
    "Linda",
    "Johanna",
    "Ida",
    "Erik",
    "Lars",
    "Karl",
    "Anders",
    "Johan",
    "Per",
    "Nils",
    "Mikael",
    "Jan",
    "Hans",
    "Peter",
    "Olof",
    "Fredrik",
    "Daniel",
    "Ali",
    "Amira",
    "Hassan",
    "Noah",
    "Elsa",
    "Alva",
    "Wilma",
    "Liam",
    "Hugo",
    "Maja",
    "Leo",
    "Selma",
    "Omar",
    "Yasmin",
    "Aron",
    "Nora",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Olofsson",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lind",
    "Lundgren",
    "Lundqvist",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Ali",
    "Mohammed",
    "Hussein",
    "Ahmed",
    "Nyström",
    "Holm",
    "Sundberg",
    "Ekström",
    "Söderberg",
]
KINDS = [
    "preschool",
    "compulsory_school",
    "upper_secondary_school",
    "student_health",
    "social_services",
    "bup",
    "bumm",
    "habilitation",
    "youth_clinic",
    "child_health_care",
    "primary_care",
    "other",
]
REGION_KINDS = {"bup", "bumm", "habilitation", "youth_clinic", "child_health_care", "primary_care"}
# How many of the area's child records a unit of each kind keeps (and so how many SIPs it
# initiates and forum cases it raises), relative to the others.
OWNER_WEIGHT = {
    "social_services": 10.0,
    "bup": 8.0,
    "habilitation": 5.0,
    "compulsory_school": 2.0,
    "student_health": 3.0,
    "bumm": 3.0,
    "upper_secondary_school": 1.0,
    "child_health_care": 1.0,
    "primary_care": 0.8,
    "youth_clinic": 1.0,
    "preschool": 0.5,
}
STAFF = {
    "social_services": (4, 9, "Socialsekreterare"),
    "bup": (3, 7, "Psykolog"),
    "habilitation": (2, 5, "Arbetsterapeut"),
    "compulsory_school": (1, 4, "Specialpedagog"),
    "student_health": (2, 4, "Skolkurator"),
    "bumm": (2, 4, "Läkare"),
    "upper_secondary_school": (1, 3, "Skolkurator"),
    "child_health_care": (1, 3, "Sjuksköterska"),
    "primary_care": (1, 3, "Läkare"),
    "youth_clinic": (1, 3, "Barnmorska"),
    "preschool": (1, 2, "Förskollärare"),
    "other": (1, 2, "Fritidsledare"),
}
MANAGER_TITLE = {
    "compulsory_school": "Rektor",
    "upper_secondary_school": "Rektor",
    "preschool": "Förskolechef",
}
PLAN_TEXT = {
    "reason": [
        "Barnet har stödbehov i skolan och hemma som kräver samordning mellan verksamheterna.",
        "Hög frånvaro i skolan och pågående kontakt med BUP; familjen önskar en gemensam plan.",
        "Barnet har en funktionsnedsättning och insatser från flera huvudmän.",
        "Oro för barnets mående; socialtjänst och hälso- och sjukvård behöver samordna stödet.",
    ],
    "needs": [
        "Stöd i skolarbetet, regelbunden kontakt med BUP och avlastning för familjen.",
        "Anpassad skolgång, samtalsstöd och hjälp med dygnsrytm.",
        "Utredning av neuropsykiatriska svårigheter och stöd till vårdnadshavarna.",
        "Trygg skolvardag, fritidsaktivitet och samordnad medicinsk uppföljning.",
    ],
    "child_voice": [
        "Vill ha färre möten och en vuxen att prata med i skolan.",
        "Tycker att det är jobbigt på rasterna och vill ha en lugn plats.",
        "Vill fortsätta med fotbollen och få hjälp med matten.",
        "",
    ],
    "guardians_voice": [
        "Önskar en kontaktperson som håller ihop insatserna.",
        "Vill att skolan och BUP pratar med varandra innan möten.",
        "Behöver avlastning och information om vilket stöd som finns.",
    ],
    "goals": [
        "Barnet går i skolan varje dag och når målen i kärnämnena.",
        "Barnet sover bättre och har en fungerande vardag hemma och i skolan.",
        "Familjen vet vem de ska vända sig till och insatserna sker i rätt ordning.",
    ],
    "others_do": [
        "Familjen håller kontakt med föreningen; Försäkringskassan handlägger omvårdnadsbidrag.",
        "Vårdnadshavarna följer med på mötena på BUP.",
        "Fritidsgården erbjuder aktivitet två kvällar i veckan.",
    ],
    "follow_up_how": [
        "Uppföljning på SIP-möte med alla parter; samordnaren kallar.",
        "Uppföljning digitalt med alla parter, skolan kallar.",
        "Avstämning per telefon efter halva tiden, därefter SIP-möte.",
    ],
}
INTERVENTIONS = {
    "social_services": ["Familjebehandling", "Kontaktfamilj", "Stödsamtal med vårdnadshavarna"],
    "bup": ["Utredning", "Samtalsbehandling", "Läkemedelsuppföljning"],
    "habilitation": ["Habiliteringsinsats", "Föräldrautbildning", "Hjälpmedelsutprovning"],
    "compulsory_school": ["Extra anpassningar", "Särskilt stöd", "Anpassad studiegång"],
    "upper_secondary_school": ["Anpassad studiegång", "Mentorsstöd"],
    "student_health": ["Samtal med skolkurator", "Hälsobesök hos skolsköterskan"],
    "bumm": ["Medicinsk uppföljning", "Kostrådgivning"],
    "child_health_care": ["Hembesök", "Föräldrastöd"],
    "primary_care": ["Läkarbesök", "Samtalsstöd"],
    "youth_clinic": ["Samtalsstöd", "Hälsosamtal"],
    "preschool": ["Anpassad förskolevistelse", "Stöd av specialpedagog"],
    "other": ["Fritidsaktivitet"],
}
FORUM_TEXT = [
    "Parterna är oeniga om vem som ska ansvara för insatsen; barnet står utan stöd.",
    "SIP har inte kunnat genomföras då en part inte deltar.",
    "Oklart ansvar för placering och skolgång efter flytt mellan kommuner.",
    "Insatserna har inte kommit igång trots upprepade kontakter.",
]
DEVIATION_TITLES = [
    "Kallelse till SIP besvarades inte",
    "Remiss returnerades utan kontakt",
    "Oklart ansvar vid utskrivning",
    "Informationsöverföring uteblev",
    "Insats startade inte som avtalat",
    "Samtycke saknades vid överlämning",
    "Lång väntan på utredning",
    "Part uteblev från individforum",
]
TAGS = [
    "Remisser",
    "Kallelser",
    "Utskrivning",
    "Skolfrånvaro",
    "Placering",
    "Väntetider",
    "Samtycke",
    "Informationsöverföring",
    "Ansvarsfördelning",
    "Digitala möten",
    "Tolk",
    "Flytt mellan kommuner",
]


# --- small helpers -----------------------------------------------------------------------
def scaled(count: float, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(count * scale))


def ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def genitive(name: str) -> str:
    return name if name[-1] in "sxz" else name + "s"


def orgnr(prefix: str, serial: int) -> str:
    body = f"{prefix}{serial:03d}"
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


def moment(day: datetime.date, rng: random.Random, start=8, end=17) -> datetime.datetime:
    seconds = rng.randrange(start * 3600, end * 3600)
    return datetime.datetime(day.year, day.month, day.day, tzinfo=UTC) + datetime.timedelta(
        seconds=seconds, microseconds=rng.randrange(1_000_000)
    )


B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DATED_SERIES = 26 * 36**3


def reserve_number(person: int, birth: datetime.date) -> str:
    """The person's reservnummer: the birth date and a series unique to the person
    (``ÅÅÅÅMMDD-XNNN``), or past 1.2 million people Region Stockholm's ``99ÅÅÅÅNNNNNK``."""
    if person < DATED_SERIES:
        rest = person % 36**3
        series = (
            B36[10 + person // 36**3] + B36[rest // 1296] + B36[rest // 36 % 36] + B36[rest % 36]
        )
        return f"{birth:%Y%m%d}-{series}"
    q = person - DATED_SERIES
    body = f"{1980 + q // 100_000:04d}{q % 100_000:05d}"
    return f"99{body}{luhn.calc_check_digit(body[2:])}"


class Loader:
    """COPY streams, one connection per table so that related tables load side by side."""

    def __init__(self, params: dict):
        self.params = params
        self.stack = contextlib.ExitStack()
        self.copies: dict[str, object] = {}
        self.conns: dict[str, psycopg.Connection] = {}
        self.counts: dict[str, int] = {}

    def open(self, table: str, columns: list[str]) -> None:
        conn = psycopg.connect(**self.params)
        with conn.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # no FK triggers
            cursor.execute("SET synchronous_commit = off")
        cursor = conn.cursor()
        copy = cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN")
        self.copies[table] = self.stack.enter_context(copy)
        self.conns[table] = conn
        self.counts[table] = 0

    def writer(self, table: str):
        copy = self.copies[table]
        counts = self.counts

        def write(row):
            copy.write_row(row)
            counts[table] += 1

        return write

    def close(self) -> dict[str, int]:
        self.stack.close()
        for conn in self.conns.values():
            conn.commit()
            conn.close()
        counts = dict(self.counts)
        self.copies, self.conns, self.counts = {}, {}, {}
        self.stack = contextlib.ExitStack()
        return counts


# --- the generator -------------------------------------------------------------------------
class National:
    def __init__(self, scale: float, seed: int, params: dict):
        self.scale = scale
        self.rng = random.Random(seed)
        self.params = params
        self.today = timezone.localdate()
        self.now = datetime.datetime.now(UTC)
        self.last_year = self.today.year - 1
        self.years = list(range(self.last_year - 9, self.today.year + 1))
        self.start = datetime.date(self.years[0], 1, 1)
        # Child records are spread evenly over this span (see child_index).
        self.t0 = datetime.date(self.years[0] - 2, 1, 1)
        self.span = (self.today - self.t0).days
        self.password = make_password(PASSWORD)
        self.totals: dict[str, int] = {}
        self.loader = Loader(params)

    def phase(self, label: str, function) -> None:
        started = time.perf_counter()
        print(f"# {label} ...", flush=True)
        counts = function()
        took = time.perf_counter() - started
        self.totals.update(counts)
        what = ", ".join(f"{table} {count:,}" for table, count in counts.items())
        print(f"#   {label}: {took:.1f} s ({what})", flush=True)

    # --- structure ---------------------------------------------------------------------
    def structure(self) -> dict[str, int]:
        rng, scale, load = self.rng, self.scale, self.loader
        n_regions = scaled(len(REGIONS), scale)
        regions = REGIONS[:n_regions]
        n_munis = max(n_regions, scaled(290, scale))
        real = sum(count for _name, count in regions)
        quotas = [count * n_munis / real for _name, count in regions]
        counts = [max(1, int(q)) for q in quotas]
        for i in sorted(range(n_regions), key=lambda i: quotas[i] - int(quotas[i]), reverse=True):
            if sum(counts) >= n_munis:
                break
            counts[i] += 1

        names = [p + s for p in PREFIXES for s in SUFFIXES]
        rng.shuffle(names)
        names = iter(names)
        load.open("organisations_principal", ["id", "name", "kind", "organisation_number"])
        load.open("organisations_area", ["id", "name", "kind", "municipality_id"])
        load.open("organisations_localgroup", ["id", "name", "slug", "description"])
        load.open("organisations_localgroup_areas", ["id", "localgroup_id", "area_id"])
        principal = load.writer("organisations_principal")
        area_w = load.writer("organisations_area")
        group_w = load.writer("organisations_localgroup")
        group_area = load.writer("organisations_localgroup_areas")

        self.principal_name: dict[int, str] = {}
        self.region_of_principal: dict[int, int] = {}
        self.regions: list[dict] = []  # id, name, index
        self.areas: list[dict] = []  # id, name, muni, region, weight, group
        self.groups: list[dict] = []  # id, name, slug, areas, region
        pid = aid = gid = ga = 0
        for r, ((rname, _count), munis) in enumerate(zip(regions, counts, strict=True)):
            pid += 1
            region = {"id": pid, "name": f"Region {rname}", "index": r, "munis": []}
            principal((pid, region["name"], "region", orgnr("232100", r + 1)))
            self.principal_name[pid] = region["name"]
            self.region_of_principal[pid] = pid
            self.regions.append(region)
            for m in range(munis):
                base = next(names)
                pid += 1
                muni_name = f"{genitive(base)} kommun"
                principal(
                    (pid, muni_name, "municipality", orgnr("212000", len(self.principal_name)))
                )
                self.principal_name[pid] = muni_name
                self.region_of_principal[pid] = region["id"]
                region["munis"].append(pid)
                districts = CITY_DISTRICTS[r] if m == 0 and r < len(CITY_DISTRICTS) else 0
                if districts:
                    created = []
                    for d in range(districts):
                        aid += 1
                        area = {
                            "id": aid,
                            "name": f"{base} {DISTRICTS[d]}",
                            "muni": pid,
                            "region": region["id"],
                            "weight": rng.uniform(2.0, 4.0),
                        }
                        area_w((aid, area["name"], "district", pid))
                        self.areas.append(area)
                        created.append(area)
                    for pair in (created[i : i + 2] for i in range(0, len(created), 2)):
                        gid += 1
                        gname = "BUS " + " och ".join(a["name"] for a in pair)
                        self.groups.append(
                            {"id": gid, "name": gname, "areas": [a["id"] for a in pair]}
                        )
                        for a in pair:
                            a["group"] = gid
                else:
                    aid += 1
                    weight = min(6.0, max(0.3, rng.lognormvariate(0, 0.7)))
                    area = {
                        "id": aid,
                        "name": base,
                        "muni": pid,
                        "region": region["id"],
                        "weight": weight,
                    }
                    area_w((aid, base, "municipality", pid))
                    self.areas.append(area)
                    gid += 1
                    self.groups.append({"id": gid, "name": f"BUS {base}", "areas": [aid]})
                    area["group"] = gid
        self.area_by_id = {a["id"]: a for a in self.areas}
        for group in self.groups:
            first = self.area_by_id[group["areas"][0]]
            group["region"] = first["region"]
            group["muni"] = first["muni"]
            group["slug"] = ascii_slug(group["name"].removeprefix("BUS "))
            group_w((group["id"], group["name"], group["slug"], "Lokal BUS-grupp (syntetisk)."))
            for area_id in group["areas"]:
                ga += 1
                group_area((ga, group["id"], area_id))
        # Independent school owners and federations.
        self.school_owners = []
        for i in range(scaled(150, scale)):
            pid += 1
            name = f"{rng.choice(PREFIXES)}skolan Utbildning AB {i + 1}"
            principal((pid, name, "independent_school_owner", orgnr("556900", i)))
            self.principal_name[pid] = name
            self.school_owners.append(pid)
        for i in range(scaled(8, scale)):
            pid += 1
            name = f"Samordningsförbundet {self.regions[i % n_regions]['name']} {i + 1}"
            principal((pid, name, "federation", orgnr("222000", i)))
            self.principal_name[pid] = name
        return load.close()

    def units_and_staff(self) -> dict[str, int]:
        rng, load = self.rng, self.loader
        load.open(
            "organisations_unit",
            ["id", "principal_id", "name", "kind", "area_id", "email", "phone", "address",
             "is_active"],
        )  # fmt: skip
        unit_w = load.writer("organisations_unit")
        self.unit_principal = array("l", [0])
        self.unit_area = array("l", [0])  # 0: no area
        self.unit_kind: list[str] = [""]
        self.unit_name: list[str] = [""]
        self.area_units: dict[int, list[int]] = {a["id"]: [] for a in self.areas}
        self.region_units: dict[int, list[int]] = {r["id"]: [] for r in self.regions}
        taken = set()

        def add(principal_id, kind, name, area):
            base, n = name, 1
            while (principal_id, name) in taken:
                n += 1
                name = f"{base} {n}"
            taken.add((principal_id, name))
            uid = len(self.unit_kind)
            domain = ascii_slug(self.principal_name[principal_id])[:30]
            unit_w(
                (uid, principal_id, name, kind, area["id"] if area else None,
                 f"{ascii_slug(name)[:40]}@{domain}.example", "", "", True)
            )  # fmt: skip
            self.unit_principal.append(principal_id)
            self.unit_area.append(area["id"] if area else 0)
            self.unit_kind.append(kind)
            self.unit_name.append(name)
            if area:
                self.area_units[area["id"]].append(uid)
            region = self.region_of_principal.get(principal_id)
            if region:
                self.region_units[region].append(uid)
            return uid

        for area in self.areas:
            w, a, muni, region = area["weight"], area["name"], area["muni"], area["region"]
            plan = [
                ("social_services", 1 + (w > 3), "Socialtjänsten barn och unga, {a}"),
                ("preschool", round(2 * w) + 1, "Förskolan {p}, {a}"),
                ("compulsory_school", round(2.5 * w) + 1, "{p}skolan, {a}"),
                ("upper_secondary_school", int(w > 0.7 or rng.random() < 0.5), "{g} gymnasium"),
                ("student_health", 1, "Elevhälsan, {a}"),
                ("other", int(rng.random() < 0.25), "Fritidsgården {p}, {a}"),
                ("child_health_care", max(1, round(w)), "BVC {p}, {a}"),
                ("primary_care", max(1, round(w)), "Vårdcentralen {p}, {a}"),
                ("youth_clinic", int(rng.random() < 0.8), "Ungdomsmottagningen {a}"),
                ("bup", int(rng.random() < 0.4 or w > 2), "BUP {a}"),
                ("bumm", int(rng.random() < 0.2 or w > 3), "BUMM {a}"),
                ("habilitation", int(rng.random() < 0.3 or w > 2.5), "Habiliteringen {a}"),
            ]
            for kind, count, template in plan:
                owner = region if kind in REGION_KINDS else muni
                for _ in range(count):
                    name = template.format(a=a, p=rng.choice(PREFIXES), g=genitive(a))
                    add(owner, kind, name, area)
            for _ in range(round(w * 0.8 * rng.random() * 2)):
                owner = rng.choice(self.school_owners)
                kind = rng.choice(["compulsory_school", "compulsory_school", "preschool"])
                prefix = "Förskolan " if kind == "preschool" else ""
                add(owner, kind, f"{prefix}{rng.choice(PREFIXES)}skolan {a}", area)
        for region in self.regions:  # units serving the whole region
            short = region["name"].removeprefix("Region ")
            add(region["id"], "bup", f"BUP Akut och heldygnsvård, {short}", None)
            add(region["id"], "habilitation", f"Habiliteringen länsenheten, {short}", None)
        counts = load.close()
        self.n_units = len(self.unit_kind) - 1

        # Users: per unit one manager, then staff; the secretariat and log reviewers per region.
        load.open(
            "accounts_user",
            ["id", "password", "last_login", "is_superuser", "username", "first_name",
             "last_name", "email", "is_staff", "is_active", "date_joined", "phone",
             "is_secretariat", "is_log_reviewer"],
        )  # fmt: skip
        load.open(
            "organisations_unitmembership",
            ["id", "user_id", "unit_id", "role", "title", "valid_from", "valid_to"],
        )
        user_w, member_w = load.writer("accounts_user"), load.writer("organisations_unitmembership")
        joined = datetime.datetime(self.years[0] - 1, 6, 1, tzinfo=UTC)
        self.user_name: list[str] = [""]
        self.user_label: list[str] = [""]
        self.user_ip: list[str] = [""]

        def user(first, last, domain, secretariat=False, reviewer=False, email=None):
            uid = len(self.user_name)
            email = email or f"{ascii_slug(first)}.{ascii_slug(last)}.{uid}@{domain}.example"
            user_w(
                (uid, self.password, None, False, email, first, last, email, False, True,
                 joined, "", secretariat, reviewer)
            )  # fmt: skip
            self.user_name.append(f"{first} {last}")
            self.user_label.append("")
            self.user_ip.append(f"10.{uid // 65536 % 256}.{uid // 256 % 256}.{uid % 256}")
            return uid

        user("Bench", "Nationell", "bench", email=MARKER)  # marks the database as this script's
        self.unit_users = array("l", [0])  # first user (the manager)
        self.unit_nusers = array("l", [0])
        um = 0
        valid_from = datetime.date(self.years[0] - 1, 8, 1)
        for uid in range(1, self.n_units + 1):
            kind = self.unit_kind[uid]
            low, high, title = STAFF[kind]
            domain = ascii_slug(self.principal_name[self.unit_principal[uid]])[:30]
            first = None
            n = 1 + rng.randint(low, high)
            for i in range(n):
                u = user(rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), domain)
                first = first or u
                role = "manager" if i == 0 else "staff"
                t = MANAGER_TITLE.get(kind, "Enhetschef") if i == 0 else title
                um += 1
                member_w((um, u, uid, role, t, valid_from, None))
                label = "Chef" if i == 0 else "Personal"
                self.user_label[u] = f"{label}, {self.unit_name[uid]}"
            self.unit_users.append(first)
            self.unit_nusers.append(n)
        self.secretariat: dict[int, list[int]] = {}
        self.reviewers: dict[int, int] = {}
        for region in self.regions:
            domain = ascii_slug(region["name"])
            staff = [
                user(rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), domain, secretariat=True)
                for _ in range(3)
            ]
            for u in staff:
                self.user_label[u] = "BUS-sekretariatet"
            self.secretariat[region["id"]] = staff
            reviewer = user(rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), domain, reviewer=True)
            self.user_label[reviewer] = "Logggranskare"
            self.reviewers[region["id"]] = reviewer
        self.n_users = len(self.user_name) - 1
        counts.update(load.close())
        return counts

    def manager(self, unit: int) -> int:
        return self.unit_users[unit]

    def staff(self, unit: int) -> int:
        return self.unit_users[unit] + self.rng.randrange(self.unit_nusers[unit])

    def pick_kind(self, area_id: int, region: int, kind: str) -> int | None:
        here = [u for u in self.area_units[area_id] if self.unit_kind[u] == kind]
        if here:
            return self.rng.choice(here)
        there = [u for u in self.region_units[region] if self.unit_kind[u] == kind]
        return self.rng.choice(there) if there else None

    def bodies(self) -> dict[str, int]:
        rng, load = self.rng, self.loader
        load.open(
            "organisations_body",
            ["id", "name", "kind", "level", "local_group_id", "cadence", "cadence_note", "remit"],
        )
        load.open(
            "organisations_membership",
            ["id", "body_id", "function", "unit_id", "user_id", "role", "valid_from", "valid_to"],
        )
        body_w, seat_w = load.writer("organisations_body"), load.writer("organisations_membership")
        self.meeting_bodies: list[tuple[int, int]] = []  # (body, organiser user)
        self.steering_chair: dict[int, int] = {}
        self.working_seats: dict[int, list[int]] = {}
        bid = sid = 0
        since = datetime.date(self.years[0] - 1, 1, 1)

        def seat(body, unit, role, body_label, function=None):
            nonlocal sid
            sid += 1
            holder = None
            if unit is not None and rng.random() > 0.03:  # a few seats stand vacant
                holder = self.manager(unit)
            function = function or (
                f"{MANAGER_TITLE.get(self.unit_kind[unit], 'Enhetschef')}, {self.unit_name[unit]}"
                if unit
                else "Ledamot"
            )
            seat_w((sid, body, function[:200], unit, holder, role, since, None))
            if holder and role in ("chair", "convener", "secretary"):
                display = {"chair": "Ordförande", "convener": "Sammankallande"}.get(
                    role, "Sekreterare"
                )
                self.user_label[holder] = f"{display}, {body_label}; {self.user_label[holder]}"[
                    :300
                ]
            return holder

        for group in self.groups:
            area, region = group["areas"][0], group["region"]
            short = group["name"].removeprefix("BUS ")
            steering_kinds = [
                ("social_services", "chair"),
                ("compulsory_school", "member"),
                ("student_health", "member"),
                ("bup", "member"),
                ("primary_care", "member"),
                ("child_health_care", "member"),
            ]
            working_kinds = [
                ("student_health", "convener"),
                ("social_services", "member"),
                ("compulsory_school", "member"),
                ("bup", "member"),
                ("child_health_care", "member"),
                ("youth_clinic", "member"),
                ("habilitation", "member"),
            ]
            for kind, name, seats in (
                ("steering", "Styrgrupp", steering_kinds),
                ("working", "Arbetsgrupp", working_kinds),
            ):
                bid += 1
                label = f"{name} ({group['name']})"
                body_w(
                    (bid, name, kind, "local", group["id"], "per_term",
                     "Kallas av ordföranden." if kind == "steering" else "", "")
                )  # fmt: skip
                organiser = None
                members = []
                for unit_kind, role in seats:
                    unit = self.pick_kind(area, region, unit_kind)
                    if unit is None:
                        continue
                    holder = seat(bid, unit, role, label)
                    if holder:
                        members.append(holder)
                        if role in ("chair", "convener"):
                            organiser = holder
                            if kind == "steering":
                                self.steering_chair[group["id"]] = holder
                fallback = self.secretariat[region][0]
                self.meeting_bodies.append((bid, organiser or (members or [fallback])[0]))
                if kind == "working":
                    self.working_seats[group["id"]] = members
            bid += 1
            body_w(
                (bid, f"Individforum {short}", "individforum", "local", group["id"],
                 "on_demand", "En chef ur arbetsgruppen kallar inom två veckor.", "")
            )  # fmt: skip
        for region in self.regions:
            for kind, name, cadence in (
                ("bussam", "BUSSAM", "several_per_year"),
                ("secretariat", "BUS-sekretariatet", "continuous"),
                ("presidium", "Presidiegrupp", "several_per_year"),
            ):
                bid += 1
                label = f"{name} {region['name']}"
                body_w((bid, label, kind, "county", None, cadence, "", ""))
                members = []
                if kind == "secretariat":
                    for u in self.secretariat[region["id"]]:
                        sid += 1
                        seat_w((sid, bid, "Processledare", None, u, "member", since, None))
                        members.append(u)
                else:
                    kinds = ["bup", "social_services", "social_services", "primary_care"]
                    for i, unit_kind in enumerate(kinds):
                        units = [
                            u for u in self.region_units[region["id"]]
                            if self.unit_kind[u] == unit_kind
                        ] or list(self.region_units[region["id"]])  # fmt: skip
                        holder = seat(
                            bid, rng.choice(units), "chair" if i == 0 else "member", label
                        )
                        if holder:
                            members.append(holder)
                    sid += 1
                    seat_w((sid, bid, "BUS-sekretariatet", None, self.secretariat[region["id"]][0],
                            "secretary", since, None))  # fmt: skip
                    members.append(self.secretariat[region["id"]][0])
                if kind != "secretariat":
                    self.meeting_bodies.append((bid, members[0]))
        return load.close()

    # --- children ----------------------------------------------------------------------
    def children(self) -> dict[str, int]:
        """Each owner unit's records, spread evenly over [t0, today] by index; a third of the
        records at other units of an area are children the area's social services also has."""
        rng, load = self.rng, self.loader
        total = scaled(700_000, self.scale, 100)
        weights = {}
        for uid in range(1, self.n_units + 1):
            area = self.unit_area[uid]
            if area and self.unit_kind[uid] in OWNER_WEIGHT:
                weights[uid] = OWNER_WEIGHT[self.unit_kind[uid]] * self.area_by_id[area]["weight"]
        whole = sum(weights.values())
        self.unit_children = array("l", [0]) * (self.n_units + 1)  # count
        self.unit_child0 = array("l", [0]) * (self.n_units + 1)  # first id
        next_id = 1
        for uid in sorted(weights):
            n = max(30, round(total * weights[uid] / whole))
            self.unit_children[uid], self.unit_child0[uid] = n, next_id
            next_id += n
        self.n_children = next_id - 1
        self.owner_units = sorted(weights)
        cum, acc = [], 0
        for uid in self.owner_units:
            acc += self.unit_children[uid]
            cum.append(acc)
        self.owner_cum = cum

        load.open(
            "people_child",
            ["id", "personal_number", "reserve_number", "first_name", "last_name", "address",
             "protected_identity", "owning_unit_id", "created_at", "created_by_id"],
        )  # fmt: skip
        write = load.writer("people_child")
        person = 0
        for area in self.areas:
            owners = [u for u in self.area_units[area["id"]] if self.unit_children[u]]
            if not owners:
                continue
            primary = max(owners, key=lambda u: self.unit_children[u])
            n_primary = self.unit_children[primary]
            known = []  # the primary unit's children: (number, first, last, birth)
            for unit in [primary] + [u for u in owners if u != primary]:
                n = self.unit_children[unit]
                link = unit != primary and n <= n_primary
                for i in range(n):
                    seen = self.t0 + datetime.timedelta(days=(i + 0.5) * self.span / n)
                    if link and rng.random() < 0.33:
                        j = int((i + 0.5) * n_primary / n)
                        number, first, last, _birth = known[j]
                    else:
                        birth = seen - datetime.timedelta(days=rng.randrange(0, 5300))
                        number = reserve_number(person, birth)
                        person += 1
                        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                        if unit == primary:
                            known.append((number, first, last, birth))
                    write(
                        (self.unit_child0[unit] + i, "", number, first, last, "",
                         rng.random() < 0.005, unit, moment(seen, rng), self.staff(unit))
                    )  # fmt: skip
        self.persons = person
        return load.close()

    def child_for(self, unit: int, day: datetime.date) -> int:
        """A record of ``unit`` first registered within 2.5 years before ``day``."""
        n = self.unit_children[unit]
        top = int((day - self.t0).days * n / self.span)
        low = int(((day - self.t0).days - 900) * n / self.span)
        top, low = min(n, max(1, top)), max(0, low)
        return self.unit_child0[unit] + self.rng.randrange(low, max(low + 1, top))

    def owner_unit(self) -> int:
        return self.owner_units[
            bisect.bisect_right(self.owner_cum, self.rng.randrange(self.owner_cum[-1]))
        ]

    def days_of(self, year: int, count: int) -> list[datetime.date]:
        """``count`` sorted weekdays in ``year`` (up to yesterday in the current year)."""
        first = datetime.date(year, 1, 1)
        last = min(datetime.date(year, 12, 31), self.today - DAY)
        span = (last - first).days + 1
        days = []
        for _ in range(count):
            day = first + datetime.timedelta(days=self.rng.randrange(span))
            if day.weekday() >= 5:
                day -= datetime.timedelta(days=day.weekday() - 4)
                if day < first:
                    day += datetime.timedelta(days=3)
            days.append(day)
        days.sort()
        return days

    def per_year(self, total: int, year: int) -> int:
        """A tenth of ``total`` for a full year; the part of the year gone for this year."""
        if year < self.today.year:
            return total // 10
        return int(total / 10 * (self.today.timetuple().tm_yday - 1) / 365)

    # --- individforum -------------------------------------------------------------------
    def forum(self) -> dict[str, int]:
        rng, load, today = self.rng, self.loader, self.today
        load.open(
            "forum_forumcase",
            ["id", "reference", "local_group_id", "child_id", "raised_by_unit_id", "raised_by_id",
             "raised_on", "noticed_on", "deadline", "reason", "convener_id", "status",
             "meeting_on", "meeting_time", "meeting_place", "principled_question",
             "steering_decision", "steering_decided_on", "steering_decided_by_id"],
        )  # fmt: skip
        load.open("forum_invitee", ["id", "case_id", "unit_id", "person_id", "role"])
        load.open("forum_statuschange", ["id", "case_id", "status", "at", "by_id", "note"])
        load.open(
            "forum_protocol",
            ["id", "case_id", "version", "background", "follow_up", "correction_note",
             "created_by_id", "created_at", "signed_by_id", "signed_at"],
        )  # fmt: skip
        load.open("forum_attendee", ["id", "protocol_id", "name", "function", "unit_id"])
        load.open("forum_partyview", ["id", "protocol_id", "unit_id", "view"])
        load.open("forum_decision", ["id", "protocol_id", "text", "responsible_unit_id", "due_on"])
        case_w, inv_w = load.writer("forum_forumcase"), load.writer("forum_invitee")
        hist_w, prot_w = load.writer("forum_statuschange"), load.writer("forum_protocol")
        att_w, view_w = load.writer("forum_attendee"), load.writer("forum_partyview")
        dec_w = load.writer("forum_decision")
        group_owners = {}
        gweights = []
        for group in self.groups:
            owners = [
                u for a in group["areas"] for u in self.area_units[a] if self.unit_children[u]
            ]
            group_owners[group["id"]] = owners
            gweights.append(sum(self.unit_children[u] for u in owners))
        gcum = list(itertools.accumulate(gweights))
        total = scaled(100_000, self.scale, 10)
        cid = iid = hid = prid = atid = vid = did = 0
        self.case_child = array("l", [0])
        self.case_unit = array("l", [0])
        self.case_ref: list[str] = [""]
        self.case_day_max = {}  # day -> the last case raised by then
        self.group_cases: dict[tuple[int, int], list[int]] = {}
        for year in self.years:
            days = self.days_of(year, self.per_year(total, year))
            for n, raised in enumerate(days, 1):
                cid += 1
                group = self.groups[bisect.bisect_right(gcum, rng.randrange(gcum[-1]))]
                unit = rng.choice(group_owners[group["id"]])
                child = self.child_for(unit, raised)
                raiser = self.staff(unit)
                noticed = raised - datetime.timedelta(days=rng.randrange(6))
                deadline = noticed + datetime.timedelta(days=14)
                age = (today - raised).days
                convener = rng.choice(self.working_seats.get(group["id"]) or [self.manager(unit)])
                meeting = noticed + datetime.timedelta(
                    days=rng.choice([4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 14, 16, 19, 24, 35])
                )
                if age < 4:
                    status, meeting, convener = "raised", None, None
                elif meeting >= today or age < 30 and rng.random() < 0.5:
                    status = "convened"
                else:
                    status = rng.choices(
                        ["resolved", "lifted", "decided", "convened"], [70, 6, 18, 2]
                    )[0]
                if status != "raised" and rng.random() < 0.03 and age > 60:
                    status, meeting, convener = "raised", None, None  # never convened
                decided_on = decided_by = None
                question = decision = ""
                if status in ("lifted", "decided"):
                    question = "Vilken huvudman ansvarar för insatsen när behoven är gemensamma?"
                if status == "decided":
                    decided_on = min(
                        today - DAY, meeting + datetime.timedelta(rng.randrange(14, 70))
                    )
                    decided_by = self.steering_chair.get(group["id"]) or convener
                    decision = "Styrgruppen beslutar att huvudmännen delar kostnaden lika."
                ref = f"IF-{year}-{n:04d}"
                case_w(
                    (cid, ref, group["id"], child, unit, raiser, raised, noticed, deadline,
                     rng.choice(FORUM_TEXT), convener, status, meeting,
                     datetime.time(rng.choice([9, 10, 13, 14])) if meeting else None,
                     "Digitalt möte" if meeting and rng.random() < 0.4 else
                     ("Kommunhuset" if meeting else ""),
                     question, decision, decided_on, decided_by)
                )  # fmt: skip
                self.case_child.append(child)
                self.case_unit.append(unit)
                self.case_ref.append(ref)
                self.group_cases.setdefault((group["id"], year), []).append(cid)
                self.case_day_max[raised] = cid
                hid += 1
                hist_w((hid, cid, "raised", moment(raised, rng), raiser, ""))
                if status == "raised":
                    continue
                # Invite the raising unit and one to three others of the group's area.
                others = [u for u in self.area_units[group["areas"][0]] if u != unit]
                invited = [unit] + rng.sample(others, min(len(others), rng.randint(1, 3)))
                for u in invited:
                    iid += 1
                    inv_w((iid, cid, u, self.manager(u), "manager"))
                convened_on = min(meeting - DAY, noticed + datetime.timedelta(rng.randrange(1, 6)))
                convened_on = max(convened_on, raised)
                hid += 1
                hist_w((hid, cid, "convened", moment(convened_on, rng), convener, ""))
                if meeting >= today:
                    continue
                held = moment(meeting, rng, 9, 15)
                signed = status != "convened" or rng.random() < 0.3
                versions = 2 if signed and rng.random() < 0.05 else 1
                for v in range(1, versions + 1):
                    prid += 1
                    at = held + datetime.timedelta(days=v - 1, hours=2)
                    sign_at = at + datetime.timedelta(days=rng.randrange(0, 4))
                    if sign_at.date() >= today:
                        sign_at = None
                    prot_w(
                        (prid, cid, v, "Ärendet anmäldes då samordnad planering inte nåtts.",
                         "Parterna följer upp på nästa SIP-möte.",
                         "Rättat datum för uppföljning." if v > 1 else "", convener, at,
                         convener if signed and sign_at else None, sign_at if signed else None)
                    )  # fmt: skip
                    for u in invited:
                        atid += 1
                        att_w((atid, prid, self.user_name[self.manager(u)], "Enhetschef", u))
                    for u in invited[:3]:
                        vid += 1
                        view_w((vid, prid, u, "Verksamheten kan bidra inom sitt ansvarsområde."))
                    did += 1
                    dec_w(
                        (did, prid, "Verksamheterna kallar till SIP inom tre veckor.",
                         rng.choice(invited), meeting + datetime.timedelta(days=21))
                    )  # fmt: skip
                if status in ("resolved", "lifted", "decided"):
                    hid += 1
                    outcome = "lifted" if status != "resolved" else "resolved"
                    hist_w((hid, cid, outcome, held + datetime.timedelta(days=1), convener, ""))
                if status == "decided":
                    hid += 1
                    hist_w((hid, cid, "decided", moment(decided_on, rng), decided_by, ""))
        self.n_cases = cid
        return load.close()

    # --- SIP ------------------------------------------------------------------------------
    def sip(self) -> dict[str, int]:
        rng, load, today = self.rng, self.loader, self.today
        load.open(
            "sip_plan",
            ["id", "reference", "child_id", "initiating_unit_id", "initiated_by_id", "reason",
             "chair_id", "secretary_id", "meeting_on", "meeting_time", "meeting_place", "needs",
             "child_voice", "guardians_voice", "goals", "others_do", "overall_responsible_id",
             "follow_up_how", "next_follow_up_on", "status", "established_at", "closed_at",
             "closing_note", "edit_version", "updated_at", "created_at"],
        )  # fmt: skip
        load.open(
            "sip_participant", ["id", "plan_id", "kind", "unit_id", "person_id", "name", "role",
                                "phone"]
        )  # fmt: skip
        load.open(
            "sip_intervention",
            ["id", "plan_id", "what", "unit_id", "contact", "starts_on", "ends_on", "status"],
        )
        load.open(
            "sip_planversion", ["id", "plan_id", "number", "content", "note", "created_by_id",
                                "created_at"]
        )  # fmt: skip
        load.open("sip_followup", ["id", "plan_id", "held_on", "notes", "next_on", "by_id",
                                   "created_at"])  # fmt: skip
        plan_w, part_w = load.writer("sip_plan"), load.writer("sip_participant")
        int_w, ver_w = load.writer("sip_intervention"), load.writer("sip_planversion")
        fu_w = load.writer("sip_followup")
        total = scaled(1_000_000, self.scale, 100)
        pid = paid = inid = vid = fid = 0
        self.plan_child = array("l", [0])
        self.plan_unit = array("l", [0])
        self.plan_year_first: list[tuple[int, int]] = []  # (year, first id)
        self.plan_day_max = {}  # day -> last plan id created by then
        texts = PLAN_TEXT
        status_map = {"planned": "Planerad", "ongoing": "Pågår", "done": "Genomförd",
                      "stopped": "Avbruten"}  # fmt: skip
        for year in self.years:
            days = self.days_of(year, self.per_year(total, year))
            self.plan_year_first.append((year, pid + 1))
            for n, meeting_on in enumerate(days, 1):
                pid += 1
                unit = self.owner_unit()
                child = self.child_for(unit, meeting_on)
                chair, secretary = self.staff(unit), self.staff(unit)
                created = moment(meeting_on - datetime.timedelta(days=rng.randrange(7, 40)), rng)
                area = self.unit_area[unit]
                region = self.area_by_id[area]["region"]
                others = [u for u in self.area_units[area] if u != unit]
                partners = rng.sample(others, min(len(others), rng.choice([1, 1, 2, 2, 3])))
                units = [unit] + partners
                overall = rng.choice([self.unit_principal[unit], region])
                age = (today - meeting_on).days
                draft = (age < 45 and rng.random() < 0.4) or rng.random() < 0.01
                ref = f"SIP-{year}-{n:04d}"
                content = {name: rng.choice(texts[name]) for name in texts if name != "reason"}
                self.plan_child.append(child)
                self.plan_unit.append(unit)
                self.plan_day_max[meeting_on] = pid
                # Participants: the units, the guardians, sometimes the child.
                parts = []
                for u in units:
                    paid += 1
                    person = chair if u == unit else self.manager(u)
                    part_w((paid, pid, "unit", u, person, "", "", ""))
                    parts.append(f"{self.unit_name[u]}, {self.user_name[person]}")
                for _g in range(rng.choice([1, 2, 2])):
                    paid += 1
                    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                    part_w((paid, pid, "guardian", None, None, name, "Vårdnadshavare", ""))
                    parts.append(f"Vårdnadshavare: {name}")
                if rng.random() < 0.4:
                    paid += 1
                    part_w((paid, pid, "child", None, None, "", "", ""))
                    parts.append("Barnet")
                # Interventions: one per unit taking part, some stopped or done.
                interventions = []
                for u in units:
                    inid += 1
                    starts = meeting_on + datetime.timedelta(days=rng.randrange(0, 30))
                    ends = starts + datetime.timedelta(days=rng.choice([90, 180, 365]))
                    status = (
                        "planned" if starts > today
                        else "ongoing" if ends > today
                        else rng.choice(["done", "done", "done", "stopped"])
                    )  # fmt: skip
                    if draft:
                        status = "planned"
                    what = rng.choice(INTERVENTIONS[self.unit_kind[u]])
                    int_w((inid, pid, what, u, self.user_name[self.manager(u)], starts, ends,
                           status))  # fmt: skip
                    interventions.append(
                        {"what": what, "unit": self.unit_name[u],
                         "principal": self.principal_name[self.unit_principal[u]],
                         "starts_on": starts.isoformat(), "ends_on": ends.isoformat(),
                         "status": status_map[status]}
                    )  # fmt: skip
                established_at = closed_at = next_due = None
                status, closing, edits, updated = "draft", "", rng.randint(1, 4), created
                if not draft:
                    status = "established"
                    established_at = moment(meeting_on, rng, 14, 17)
                    due = meeting_on + datetime.timedelta(days=rng.choice([60, 90, 90, 120, 180]))
                    content["overall_responsible"] = self.principal_name[overall]
                    content["next_follow_up_on"] = due.isoformat()
                    content["interventions"] = interventions
                    content["participants"] = parts
                    version = 1
                    vid += 1
                    ver_w((vid, pid, 1, json.dumps(content, ensure_ascii=False), "Fastställd",
                           chair, established_at))  # fmt: skip
                    last = meeting_on
                    updated = established_at
                    while due is not None and due < today:
                        if rng.random() < 0.08:  # never followed up again: overdue
                            break
                        held = max(
                            last + DAY, due + datetime.timedelta(days=rng.randrange(-25, 20))
                        )
                        if held >= today:
                            break
                        again = rng.random() < 0.8
                        due = (
                            held + datetime.timedelta(days=rng.choice([90, 120, 180]))
                            if again
                            else None
                        )
                        fid += 1
                        at = moment(held, rng)
                        fu_w((fid, pid, held, "Insatserna följdes upp med alla parter.", due,
                              chair, at))  # fmt: skip
                        if due is not None and rng.random() < 0.2:
                            version += 1
                            vid += 1
                            content["next_follow_up_on"] = due.isoformat()
                            ver_w((vid, pid, version, json.dumps(content, ensure_ascii=False),
                                   "Reviderad vid uppföljning", chair, at))  # fmt: skip
                        last, updated = held, at
                        edits += 1
                    next_due = due
                    if due is None and last < today - DAY:
                        status = "closed"
                        closed_at = moment(min(today - DAY, last + DAY * rng.randrange(1, 10)), rng)
                        closing = "Målen är nådda; insatserna avslutas."
                        updated = max(updated, closed_at)
                plan_w(
                    (pid, ref, child, unit, chair, rng.choice(texts["reason"]), chair, secretary,
                     meeting_on, datetime.time(rng.choice([9, 10, 13, 14])), "Skolans konferensrum",
                     content["needs"], content["child_voice"], content["guardians_voice"],
                     content["goals"], content["others_do"], None if draft else overall,
                     content["follow_up_how"], next_due, status, established_at, closed_at,
                     closing, edits, updated, created)
                )  # fmt: skip
        self.n_plans = pid
        return load.close()

    # --- deviations ---------------------------------------------------------------------
    def deviations(self) -> dict[str, int]:
        rng, load, today = self.rng, self.loader, self.today
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM deviations_category ORDER BY position, id")
            categories = [row[0] for row in cursor.fetchall()]
        load.open("deviations_tag", ["id", "name"])
        tag_w = load.writer("deviations_tag")
        for i, name in enumerate(TAGS, 1):
            tag_w((i, name))
        load.open(
            "deviations_deviation",
            ["id", "reference", "title", "reporting_unit_id", "reporter_id", "local_group_id",
             "occurred_on", "what_happened", "consequence", "done_locally", "category_id",
             "agreement_part", "step", "is_principled", "principled_question", "forum_case_id",
             "outcome", "created_at", "submitted_at", "resolved_at", "read_by_secretariat_at",
             "judgement", "judgement_note"],
        )  # fmt: skip
        load.open("deviations_deviation_other_units", ["id", "deviation_id", "unit_id"])
        load.open("deviations_deviation_other_principals", ["id", "deviation_id", "principal_id"])
        load.open("deviations_deviation_tags", ["id", "deviation_id", "tag_id"])
        load.open("deviations_event", ["id", "deviation_id", "from_step", "to_step", "by_id",
                                       "at", "note"])  # fmt: skip
        load.open(
            "deviations_action",
            ["id", "deviation_id", "step", "text", "owner_id", "due_on", "status",
             "created_by_id", "created_at", "done_at"],
        )  # fmt: skip
        dev_w = load.writer("deviations_deviation")
        ou_w = load.writer("deviations_deviation_other_units")
        op_w = load.writer("deviations_deviation_other_principals")
        tg_w, ev_w = load.writer("deviations_deviation_tags"), load.writer("deviations_event")
        ac_w = load.writer("deviations_action")
        parts = ["sip", "sip", "individforum", "responsibility", "consent", "local_structure",
                 "report_of_concern", "starting_points", "other"]  # fmt: skip
        total = scaled(50_000, self.scale, 10)
        did = ouid = opid = tgid = evid = acid = 0
        self.deviation_ref: list[str] = [""]
        self.deviation_day_max = {}  # day -> the last deviation of that day
        for year in self.years:
            days = self.days_of(year, self.per_year(total, year))
            n = 0
            for occurred in days:
                did += 1
                group = rng.choice(self.groups)
                area = rng.choice(group["areas"])
                unit = rng.choice(self.area_units[area])
                reporter = self.staff(unit)
                created = moment(min(today - DAY, occurred + DAY * rng.randrange(0, 10)), rng)
                age = (today - created.date()).days
                draft = age < 3 or rng.random() < 0.02
                secretariat = self.secretariat[group["region"]]
                self.deviation_day_max[occurred] = did
                if draft:
                    ref, submitted, path = None, None, []
                else:
                    n += 1
                    ref = f"AV-{year}-{n:04d}"
                    submitted = min(
                        self.now - datetime.timedelta(minutes=1),
                        created + datetime.timedelta(minutes=rng.randrange(5, 600)),
                    )
                    path = ["supervisors"]
                    r = rng.random()
                    if r < 0.15:
                        path.append("forum")
                    elif r < 0.25:
                        path += ["steering"] + (["bussam"] if rng.random() < 0.4 else [])
                    if age > 90 or rng.random() < 0.3:
                        path.append("resolved")
                self.deviation_ref.append(ref or f"Utkast {did}")
                # The events, days apart; a step that would lie in the future is not taken.
                events, at, previous = [], submitted, "draft"
                for to_step in path:
                    if at >= self.now:
                        break
                    by = reporter if to_step == "supervisors" else self.manager(unit)
                    if to_step == "bussam":
                        by = secretariat[0]
                    events.append((previous, to_step, by, at))
                    previous = to_step
                    at += datetime.timedelta(days=rng.randrange(3, 40), hours=rng.randrange(8))
                path = [event[1] for event in events]
                step = path[-1] if path else "draft"
                forum_case = None
                if "forum" in path:
                    cases = self.group_cases.get((group["id"], year))
                    forum_case = rng.choice(cases) if cases else None
                resolved_at = events[-1][3] if step == "resolved" else None
                read = (
                    submitted + datetime.timedelta(days=rng.randrange(1, 30))
                    if submitted and rng.random() < 0.7 and age > 30
                    else None
                )
                judgement = rng.choice(["", "", "clarification", "routine", "no_action",
                                        "guideline"]) if read else ""  # fmt: skip
                principled = "steering" in path
                dev_w(
                    (did, ref, rng.choice(DEVIATION_TITLES), unit, reporter, group["id"],
                     occurred, "Kallelsen besvarades inte och mötet fick ställas in.",
                     "Barnets insatser försenades flera veckor.",
                     "Cheferna har haft kontakt." if path else "", rng.choice(categories),
                     rng.choice(parts), step, principled,
                     "Hur ska ansvaret fördelas vid gemensamma insatser?" if principled else "",
                     forum_case, "Rutinen förtydligades." if resolved_at else "", created,
                     submitted, resolved_at, read, judgement,
                     "Mönster som ses i flera rapporter." if judgement else "")
                )  # fmt: skip
                others = [u for u in self.area_units[area] if u != unit]
                for u in rng.sample(others, min(len(others), rng.choice([1, 1, 2]))):
                    ouid += 1
                    ou_w((ouid, did, u))
                if rng.random() < 0.1:
                    opid += 1
                    op_w((opid, did, group["region"]))
                if read and rng.random() < 0.3:
                    for tag in rng.sample(range(1, len(TAGS) + 1), rng.randint(1, 2)):
                        tgid += 1
                        tg_w((tgid, did, tag))
                for from_step, to_step, by, at in events:
                    evid += 1
                    ev_w((evid, did, from_step, to_step, by, at, ""))
                if path and rng.random() < 0.3:
                    acid += 1
                    due = occurred + datetime.timedelta(days=rng.randrange(14, 90))
                    done = resolved_at is not None or (due < today and rng.random() < 0.7)
                    done_at = moment(min(due, today - DAY), rng) if done else None
                    ac_w((acid, did, "supervisors", "Ta fram en gemensam rutin för kallelser.",
                          unit, due, "done" if done else "open", self.manager(unit), submitted,
                          done_at))  # fmt: skip
        self.n_deviations = did
        return load.close()

    # --- meetings ---------------------------------------------------------------------
    def meetings(self) -> dict[str, int]:
        rng, load, today = self.rng, self.loader, self.today
        load.open(
            "governance_meeting",
            ["id", "body_id", "held_on", "time", "place", "agenda", "attendees", "minutes",
             "minutes_recorded_at", "created_by_id"],
        )  # fmt: skip
        load.open("governance_decision", ["id", "meeting_id", "text"])
        load.open("governance_actionitem", ["id", "meeting_id", "text", "owner", "due_on",
                                            "status"])  # fmt: skip
        meet_w, dec_w = load.writer("governance_meeting"), load.writer("governance_decision")
        act_w = load.writer("governance_actionitem")
        mid = did = aid = 0
        terms = [(y, season) for y in self.years for season in ("vt", "ht")]
        for body, organiser in self.meeting_bodies:
            for year, season in terms:
                start = datetime.date(year, 1 if season == "vt" else 8, 10)
                end = datetime.date(year, 6, 15) if season == "vt" else datetime.date(year, 12, 15)
                if start > today + datetime.timedelta(days=60):
                    continue
                for _ in range(rng.choice([1, 1, 2, 2, 3])):
                    mid += 1
                    held = start + datetime.timedelta(days=rng.randrange((end - start).days))
                    past = held < today
                    meet_w(
                        (mid, body, held, datetime.time(rng.choice([9, 13])), "Kommunhuset",
                         "1. Föregående protokoll\n2. Lägesrapporter\n3. Avvikelser\n4. Övrigt",
                         f"{self.user_name[organiser]}, ordförande" if past else "",
                         "Gruppen gick igenom läget och beslutade enligt nedan." if past else "",
                         moment(held, rng, 15, 17) if past else None, organiser)
                    )  # fmt: skip
                    if past and rng.random() < 0.6:
                        did += 1
                        dec_w((did, mid, "Gruppen godkänner lägesrapporten."))
                    if rng.random() < 0.4:
                        aid += 1
                        due = held + datetime.timedelta(days=rng.randrange(30, 120))
                        act_w((aid, mid, "Sammanställ avvikelserna inför nästa möte.",
                               "Sammankallande", due,
                               "done" if due < today and rng.random() < 0.8 else "open")
                    )  # fmt: skip
        return load.close()

    # --- the access log ---------------------------------------------------------------
    def access_log(self) -> dict[str, int]:
        """Rows in time order, each sealed into its chain as ``audit.chain`` seals them."""
        rng, load, today = self.rng, self.loader, self.today
        total = scaled(10_000_000, self.scale, 1000)
        chains = max(1, settings.ACCESS_LOG_CHAINS)
        sealer = Sealer()
        # On the partitioned table each month needs its partition, or its rows would all
        # land in the default one (they are indexed after the load, with the rest).
        partitions.ensure(self.start, today)
        load.open(
            "audit_accesslog",
            ["id", "at", "user_id", "user_label", "role", "action", "object_type", "object_id",
             "object_label", "child_id", "reason", "path", "method", "status_code",
             "ip_address", "chain", "seq", "hash"],
        )  # fmt: skip
        write = load.writer("audit_accesslog")
        emails = self._emails()
        labels, ips = self.user_label, self.user_ip
        plan_firsts = [first for _year, first in self.plan_year_first]
        plan_years = [year for year, _first in self.plan_year_first]
        # How far back people look: about a year's plans, cases and deviations.
        plan_window = max(100, int(120_000 * self.scale))
        case_window = max(20, int(15_000 * self.scale))
        dev_window = max(10, int(7_000 * self.scale))
        reviewers = list(self.reviewers.values())
        secretariat = [u for us in self.secretariat.values() for u in us]
        days, day = [], self.start
        while day < today:
            days.append(day)
            day += DAY
        weights = [1.0 if d.weekday() < 5 else 0.08 for d in days]
        whole = sum(weights)
        heads = [(0, "")] * chains
        row_id = last_plan = last_case = last_dev = 0
        for day, weight in zip(days, weights, strict=True):
            count = min(total - row_id, int(total * weight / whole + rng.random()))
            if day == days[-1]:
                count = total - row_id
            last_plan = self.plan_day_max.get(day, last_plan)
            last_case = self.case_day_max.get(day, last_case)
            last_dev = self.deviation_day_max.get(day, last_dev)
            base = datetime.datetime(day.year, day.month, day.day, 6, tzinfo=UTC)
            for micro in sorted(rng.randrange(39_600_000_000) for _ in range(count)):
                at = base + datetime.timedelta(microseconds=micro)
                r = rng.random()
                method, status, action, child = "GET", 200, "view", None
                if r < 0.62 and last_plan:
                    pid = rng.randrange(max(1, last_plan - plan_window), last_plan + 1)
                    index = bisect.bisect_right(plan_firsts, pid) - 1
                    ref = f"SIP-{plan_years[index]}-{pid - plan_firsts[index] + 1:04d}"
                    user = self.staff(self.plan_unit[pid])
                    child = self.plan_child[pid]
                    obj, label, oid = "sip.plan", ref, pid
                    if r < 0.30:
                        reason, path = "Visade SIP", f"/sip/{ref}/"
                    elif r < 0.45:
                        reason, path = "Listade SIP", "/sip/"
                    elif r < 0.55:
                        obj, label, oid = "people.child", f"Barn {child}", child
                        reason, path = "Visade barnets uppgifter", f"/barn/{child}/"
                    elif r < 0.59:
                        reason, path = "Följde upp SIP", f"/sip/{ref}/uppfoljning/"
                        method, status, action = "POST", 302, "change"
                    else:  # someone elsewhere, refused
                        reason, path = "Visade SIP", f"/sip/{ref}/"
                        user = self.staff(rng.randrange(1, self.n_units + 1))
                        status, action = 403, "denied"
                elif r < 0.80 and last_case:
                    cid = rng.randrange(max(1, last_case - case_window), last_case + 1)
                    user = self.staff(self.case_unit[cid])
                    ref, child = self.case_ref[cid], self.case_child[cid]
                    obj, label, oid = "forum.forumcase", ref, cid
                    if r < 0.74:
                        reason, path = "Visade ärendet", f"/individforum/{ref}/"
                    else:
                        reason, path = "Listade individforumärenden", "/individforum/"
                elif r < 0.92 and last_dev:
                    did = rng.randrange(max(1, last_dev - dev_window), last_dev + 1)
                    user = rng.choice(secretariat)
                    obj, label, oid = "deviations.deviation", self.deviation_ref[did], did
                    reason, path = "Visade avvikelse", f"/avvikelser/{did}/"
                elif r < 0.97:
                    user = self.staff(rng.randrange(1, self.n_units + 1))
                    obj, label, oid = "", "", ""
                    reason, path, action = "Sökte barn på reservnummer", "/barn/sok/", "search"
                    method = "POST"
                else:
                    user = rng.choice(reviewers)
                    obj, label, oid = "", "", ""
                    reason, path = "Logggranskning: -", "/logg/"
                row_id += 1
                chain = row_id % chains
                seq = heads[chain][0] + 1
                values = [chain, seq, at, user, emails[user], labels[user], action, obj,
                          str(oid), label, child, reason, path, method, status, ips[user]
                ]  # fmt: skip
                digest = sealer.row(heads[chain][1], values)
                heads[chain] = (seq, digest)
                write((row_id, at, *values[3:], chain, seq, digest))
            if row_id >= total:
                break
        counts = load.close()
        # The migrations may have made the heads already: set them.
        with psycopg.connect(**self.params) as conn:
            conn.cursor().executemany(
                "INSERT INTO audit_accesslogchain (chain, seq, hash, anchor_seq, anchor_hash,"
                " pruned_before, mac) VALUES (%s, %s, %s, 0, '', NULL, %s)"
                " ON CONFLICT (chain) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash,"
                " anchor_seq = 0, anchor_hash = '', pruned_before = NULL, mac = EXCLUDED.mac",
                [
                    (chain, seq, digest, sealer.head(chain, seq, digest, 0, ""))
                    for chain, (seq, digest) in enumerate(heads)
                ],
            )
        counts["audit_accesslogchain"] = chains
        return counts

    def _emails(self) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, email FROM accounts_user ORDER BY id")
            emails = [""] * (self.n_users + 1)
            for uid, email in cursor.fetchall():
                emails[uid] = email
        return emails


# --- the database around the load ---------------------------------------------------------
def connection_params() -> dict:
    db = settings.DATABASES["default"]
    params = {"dbname": db["NAME"], "user": db.get("USER") or "postgres"}
    for key, name in (("HOST", "host"), ("PORT", "port"), ("PASSWORD", "password")):
        if db.get(key):
            params[name] = str(db[key])
    return params


OURS = [
    "organisations_principal", "organisations_area", "organisations_localgroup",
    "organisations_localgroup_areas", "organisations_unit", "accounts_user",
    "organisations_unitmembership", "organisations_body", "organisations_membership",
    "people_child", "forum_forumcase", "forum_invitee", "forum_statuschange", "forum_protocol",
    "forum_attendee", "forum_partyview", "forum_decision", "sip_plan", "sip_participant",
    "sip_intervention", "sip_planversion", "sip_followup", "deviations_tag",
    "deviations_deviation", "deviations_deviation_other_units",
    "deviations_deviation_other_principals", "deviations_deviation_tags", "deviations_event",
    "deviations_action", "governance_meeting", "governance_decision", "governance_actionitem",
    "audit_accesslog",
]  # fmt: skip


def refuse_or_reset(params: dict, reset: bool) -> None:
    """Go on only with an empty database, or (with --reset) one this script filled."""
    with psycopg.connect(**params, autocommit=True) as conn:
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        }
        if not tables:
            return
        if "django_migrations" not in tables or "accounts_user" not in tables:
            sys.exit("The database holds tables that are not Samverkan's: not touching it.")
        users = conn.execute("SELECT count(*) FROM accounts_user").fetchone()[0]
        ours = conn.execute(
            "SELECT count(*) FROM accounts_user WHERE email = %s", [MARKER]
        ).fetchone()[0]
        if ours:
            if not reset:
                sys.exit("This database already holds a generated data set: --reset to replace it.")
            print("# --reset: dropping the previous data set (the public schema)", flush=True)
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
            return
        if users:
            sys.exit("This database holds users this script did not make: not touching it.")
        for table in OURS + ["consent_consent", "exports_export"]:
            query = f"SELECT 1 FROM {table} LIMIT 1"  # noqa: S608 (our own table names)
            if table in tables and conn.execute(query).fetchone():
                sys.exit(f"This database holds data ({table}) this script did not make.")


def drop_indexes(params: dict) -> list[str]:
    """Drop the loaded tables' secondary indexes (not primary keys or constraints); return
    their definitions to build them again after the load."""
    with psycopg.connect(**params, autocommit=True) as conn:
        rows = conn.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname = ANY(%s) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [OURS],
        ).fetchall()
        for name, _definition in rows:
            conn.execute(f'DROP INDEX "{name}"')
    # A partitioned table's index is defined ON ONLY the parent; built again ON the parent,
    # it is built on every partition too.
    return [definition.replace(" ON ONLY ", " ON ", 1) for _name, definition in rows]


def create_indexes(params: dict, definitions: list[str]) -> dict[str, int]:
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        for definition in definitions:
            conn.execute(definition)
    return {"indexes": len(definitions)}


def finish(params: dict) -> dict[str, int]:
    with psycopg.connect(**params, autocommit=True) as conn:
        for table in OURS:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table}"
            )
        # VACUUM as well: freshly loaded tables have no visibility map, so every index-only
        # scan would visit the heap, which a production database's autovacuum long since
        # spared it.
        conn.execute("VACUUM (ANALYZE)")
    return {}


def check_foreign_keys(params: dict) -> dict[str, int]:
    """Every foreign key of the loaded tables points at a row (the load ran without the
    database's checks)."""
    bad = 0
    with psycopg.connect(**params, autocommit=True) as conn:
        keys = conn.execute(
            """
            SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, fa.attname
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
            WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
            """,
            [OURS],
        ).fetchall()
        for table, column, target, target_column in keys:
            missing = conn.execute(
                f"SELECT count(*) FROM {table} x WHERE x.{column} IS NOT NULL AND NOT EXISTS "  # noqa: S608
                f"(SELECT 1 FROM {target} y WHERE y.{target_column} = x.{column})"
            ).fetchone()[0]
            if missing:
                bad += 1
                print(f"#   FOREIGN KEY BROKEN: {table}.{column} -> {target}: {missing} rows")
    if bad:
        sys.exit(f"{bad} foreign keys broken")
    print(f"#   all {len(keys)} foreign keys hold")
    return {}


def logins(gen: National) -> None:
    with connection.cursor() as cursor:

        def email(sql, *params):
            cursor.execute(sql, params)
            row = cursor.fetchone()
            return row[0] if row else "-"

        secretariat = email(
            "SELECT email FROM accounts_user WHERE is_secretariat ORDER BY id LIMIT 1"
        )
        reviewer = email(
            "SELECT email FROM accounts_user WHERE is_log_reviewer ORDER BY id LIMIT 1"
        )
        chair = email(
            "SELECT u.email FROM organisations_membership m"
            " JOIN accounts_user u ON u.id = m.user_id"
            " JOIN organisations_body b ON b.id = m.body_id"
            " WHERE b.kind = 'steering' AND m.role = 'chair' ORDER BY b.id LIMIT 1"
        )
        convener = email(
            "SELECT u.email FROM organisations_membership m"
            " JOIN accounts_user u ON u.id = m.user_id"
            " JOIN organisations_body b ON b.id = m.body_id"
            " WHERE b.kind = 'working' AND m.role = 'convener' ORDER BY b.id LIMIT 1"
        )
        staff = email(
            "SELECT u.email FROM organisations_unitmembership m"
            " JOIN accounts_user u ON u.id = m.user_id"
            " JOIN organisations_unit un ON un.id = m.unit_id"
            " WHERE m.role = 'staff' AND un.kind = 'social_services' ORDER BY un.id, u.id LIMIT 1"
        )
    print(f"# logins (password {PASSWORD!r}, hashed with {gen.password.split('$')[0]}):")
    for role, address in (
        ("secretariat", secretariat),
        ("log reviewer", reviewer),
        ("steering chair", chair),
        ("working-group convener", convener),
        ("unit staff (social services)", staff),
    ):
        print(f"#   {role:<30} {address}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"] or "bench" not in str(db["NAME"]):
        sys.exit("Set DATABASE_URL to a PostgreSQL database whose name contains 'bench'.")
    params = connection_params()
    started = time.perf_counter()
    refuse_or_reset(params, args.reset)
    call_command("migrate", verbosity=0)
    refuse_or_reset(params, False)  # the migrations' own rows only
    print(f"# {db['NAME']}: scale {args.scale}, seed {args.seed}, migrated", flush=True)
    gen = National(args.scale, args.seed, params)
    definitions = drop_indexes(params)
    gen.phase("principals, areas, local groups", gen.structure)
    gen.phase("units, users, employments", gen.units_and_staff)
    gen.phase("bodies and seats", gen.bodies)
    gen.phase("children", gen.children)
    gen.phase("individforum", gen.forum)
    gen.phase("SIP", gen.sip)
    gen.phase("deviations", gen.deviations)
    gen.phase("meetings", gen.meetings)
    gen.phase("access log", gen.access_log)
    gen.phase(f"{len(definitions)} secondary indexes", lambda: create_indexes(params, definitions))
    gen.phase("sequences and VACUUM (ANALYZE)", lambda: finish(params))
    if args.check:
        gen.phase("foreign keys", lambda: check_foreign_keys(params))
        gen.phase("access-log chains", lambda: {"verified": verify()})
    took = time.perf_counter() - started
    print("# rows:")
    for table, count in gen.totals.items():
        if table not in ("indexes", "verified"):
            print(f"#   {table:<42} {count:>12,}")
    print(f"#   {'total':<42} {sum(c for t, c in gen.totals.items() if t in OURS):>12,}")
    print(f"# {gen.persons:,} synthetic children (reservnummer), {gen.n_children:,} records")
    print(f"# done in {took:.0f} s ({took / 60:.1f} min)")
    logins(gen)


def verify() -> int:
    from samverkan.audit.chain import verify_log

    report = verify_log(chunk_size=20_000)
    if not report.ok:
        sys.exit("\n".join(str(problem) for problem in report.problems))
    return report.rows


if __name__ == "__main__":
    main()
