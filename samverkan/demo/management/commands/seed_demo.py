"""Load the demo county. Safe to run again: every row is found by its natural key first."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from samverkan.demo import assignments as assignments_demo
from samverkan.demo import cases as cases_demo
from samverkan.demo import children as children_demo
from samverkan.demo import county as demo
from samverkan.demo import deviations as deviations_demo
from samverkan.demo import forum as forum_demo
from samverkan.demo import governance as governance_demo
from samverkan.demo import meetings as demo_meetings
from samverkan.demo import notifications as notifications_demo
from samverkan.demo import plans as plans_demo
from samverkan.demo import public as public_demo
from samverkan.demo import sip as sip_demo
from samverkan.demo import waiting as waiting_demo
from samverkan.notifications.service import muted
from samverkan.organisations.models import (
    Area,
    Body,
    LocalGroup,
    Membership,
    Principal,
    Unit,
    UnitMembership,
)

MUNICIPAL_UNIT_KINDS = [
    ("Socialtjänsten barn och unga, {m}", "social_services"),
    ("Elevhälsan, {m}", "student_health"),
    ("{m}skolan", "compulsory_school"),
    ("{m} gymnasium", "upper_secondary_school"),
    ("Förskoleområde {m}", "preschool"),
]


class Command(BaseCommand):
    help = "Load Stockholm county's BUS structure and demo users (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    @transaction.atomic
    def handle(self, *args, quiet=False, **options):
        self.units: dict[str, Unit] = {}
        principals = self.principals()
        areas = self.areas(principals)
        self.units_for(principals, areas)
        groups = self.groups(areas)
        self.county_bodies()
        self.local_bodies(groups)
        self.users(groups)
        with muted():  # the demo's events are history: nobody is notified of them
            forum_demo.seed()
            deviations_demo.seed()
            sip_demo.seed()
            governance_demo.seed()
            demo_meetings.seed()
            # The work alive: cases in every state, plans, questions waiting, assignments.
            children = children_demo.seed()
            first_seen = cases_demo.seed(children)
            for child_id, day in plans_demo.seed(children).items():
                first_seen[child_id] = min(day, first_seen.get(child_id, day))
            children_demo.registered([c for kids in children.values() for c in kids], first_seen)
            waiting_demo.seed()
            assignments_demo.seed()
            public_demo.seed()  # the open pages, with the groups' mailboxes
        # What waits for each person now, as notifications already read or e-mailed.
        notifications_demo.seed()
        if not quiet:
            self.print_logins()

    # --- structure ------------------------------------------------------------------------
    def principal(self, name, kind, number):
        principal, _ = Principal.objects.update_or_create(
            organisation_number=number, defaults={"kind": kind, "name": name}
        )
        return principal

    def principals(self):
        principals = {}
        for serial, name in enumerate(demo.MUNICIPALITIES, start=1):
            full = "Stockholms stad" if name == "Stockholm" else f"{name} kommun"
            principals[name] = self.principal(
                full, Principal.Kind.MUNICIPALITY, demo.organisation_number("212000", serial)
            )
        principals["Region Stockholm"] = self.principal(
            "Region Stockholm", Principal.Kind.REGION, demo.organisation_number("232100", 1)
        )
        principals["KSON"] = self.principal(
            demo.KSON,
            Principal.Kind.FEDERATION,
            demo.organisation_number("222000", 1),
        )
        for serial, name in enumerate(demo.INDEPENDENT_SCHOOL_OWNERS, start=1):
            principals[name] = self.principal(
                name,
                Principal.Kind.INDEPENDENT_SCHOOL_OWNER,
                demo.organisation_number("556900", serial),
            )
        return principals

    def areas(self, principals):
        areas = {}
        for name in demo.MUNICIPALITIES:
            if name == "Stockholm":
                continue
            areas[name], _ = Area.objects.update_or_create(
                name=name,
                defaults={"kind": Area.Kind.MUNICIPALITY, "municipality": principals[name]},
            )
        for name in demo.STOCKHOLM_DISTRICTS:
            areas[name], _ = Area.objects.update_or_create(
                name=name,
                defaults={"kind": Area.Kind.DISTRICT, "municipality": principals["Stockholm"]},
            )
        return areas

    def unit(self, principal, name, kind, area):
        unit, _ = Unit.objects.update_or_create(
            principal=principal,
            name=name,
            defaults={
                "kind": kind,
                "area": area,
                "email": f"{demo.municipality_slug(name)[:40]}@demo.example",
            },
        )
        self.units[name] = unit
        return unit

    def units_for(self, principals, areas):
        for name in demo.MUNICIPALITIES:
            if name in ("Stockholm", "Norrtälje"):
                continue
            for template, kind in MUNICIPAL_UNIT_KINDS:
                self.unit(principals[name], template.format(m=name), kind, areas[name])
        for district in demo.STOCKHOLM_DISTRICTS:
            if district in ("Rinkeby-Kista", "Spånga-Tensta"):
                continue
            self.unit(
                principals["Stockholm"],
                f"Socialtjänsten barn och unga, {district}",
                Unit.Kind.SOCIAL_SERVICES,
                areas[district],
            )
            self.unit(
                principals["Stockholm"],
                f"{district}skolan",
                Unit.Kind.COMPULSORY_SCHOOL,
                areas[district],
            )
        for _owner, name, kind, area in demo.RK_ST_UNITS:
            self.unit(principals["Stockholm"], name, kind, areas[area])
        for owner, name, kind in demo.NORRTALJE_UNITS:
            principal = principals["KSON" if owner == "KSON" else "Norrtälje"]
            self.unit(principal, name, kind, areas["Norrtälje"])
        for name, kind, area in demo.REGION_UNITS:
            self.unit(principals["Region Stockholm"], name, kind, areas.get(area))
        schools = [("Lärogårdens grundskola Täby", "Täby"), ("Ekskolan Nacka", "Nacka"),
                   ("Nova gymnasium Kista", "Rinkeby-Kista")]  # fmt: skip
        for owner, (name, area) in zip(demo.INDEPENDENT_SCHOOL_OWNERS, schools, strict=True):
            kind = "upper_secondary_school" if "gymnasium" in name else "compulsory_school"
            self.unit(principals[owner], name, kind, areas[area])

    def groups(self, areas):
        groups = {}
        plan = [([name], f"BUS {name}") for name in demo.MUNICIPALITIES if name != "Stockholm"]
        plan += [(names, f"BUS {title}") for title, names in demo.STOCKHOLM_GROUPS]
        for area_names, name in plan:
            group, _ = LocalGroup.objects.get_or_create(
                slug=demo.municipality_slug(name.removeprefix("BUS ")),
                defaults={"name": name},
            )
            group.areas.set([areas[a] for a in area_names])
            groups[name.removeprefix("BUS ")] = group
        return groups

    # --- bodies and seats -----------------------------------------------------------------
    def body(self, name, kind, level, group=None, cadence="", note="", remit=""):
        body, _ = Body.objects.update_or_create(
            name=name,
            local_group=group,
            defaults={
                "kind": kind,
                "level": level,
                "cadence": cadence or demo.BODY_CADENCE[kind],
                "cadence_note": note,
                "remit": remit,
            },
        )
        return body

    def seat(self, body, function, role, unit=None):
        seat, _ = Membership.objects.get_or_create(
            body=body,
            function=function,
            valid_to=None,
            defaults={"role": role, "unit": unit, "valid_from": demo.SINCE},
        )
        return seat

    def county_bodies(self):
        for name, kind, cadence, remit, seats in demo.COUNTY_BODIES:
            body = self.body(name, kind, Body.Level.COUNTY, cadence=cadence, remit=remit)
            for function, role in seats:
                self.seat(body, function, role)

    def local_bodies(self, groups):
        specific = {"Norrtälje": demo.NORRTALJE_BODIES,
                    "Rinkeby-Kista och Spånga-Tensta": demo.RK_ST_BODIES}  # fmt: skip
        for key, group in groups.items():
            seats_by_kind = specific.get(key)
            if seats_by_kind is None:
                seats_by_kind = self.generic_seats(group)
            for kind, seats in seats_by_kind.items():
                note = ""
                if key == "Norrtälje" and kind == "consultation":
                    note = demo.NORRTALJE_ROTATION
                if kind == "individforum":
                    note = "Sammankallas inom två veckor från att behovet uppmärksammats."
                body = self.body(demo.BODY_NAMES[kind], kind, Body.Level.LOCAL, group, note=note)
                for function, unit_name, role in seats:
                    self.seat(
                        body, function, role, self.units.get(unit_name) if unit_name else None
                    )
        # One seat that changed hands, so bodies show their history.
        steering = Body.objects.get(local_group=groups["Norrtälje"], kind="steering")
        Membership.objects.get_or_create(
            body=steering,
            function="Folkhälsostrateg",
            valid_to=demo.SINCE.replace(year=2023),
            defaults={
                "role": "chair",
                "unit": self.units["Trygghets- och säkerhetskontoret"],
                "valid_from": demo.SINCE.replace(year=2019),
            },
        )

    def generic_seats(self, group):
        """Seats by function for a group without a modelled agreement, tied to its units."""
        units = Unit.objects.filter(area__in=group.areas.all()).order_by("name")
        by_kind = {}
        for unit in units:
            by_kind.setdefault(unit.kind, unit.name)
        return {
            kind: [(function, by_kind.get(unit_kind), role) for function, unit_kind, role in seats]
            for kind, seats in demo.GENERIC_BODIES.items()
        }

    # --- people ---------------------------------------------------------------------------
    def users(self, groups):
        User = get_user_model()
        for email, first, last, flags, employments, seats in demo.DEMO_USERS:
            user, _ = User.objects.get_or_create(email=email)
            user.first_name, user.last_name = first, last
            for flag, value in flags.items():
                setattr(user, flag, value)
            user.set_password(demo.DEMO_PASSWORD)
            user.save()
            for unit_name, role, title in employments:
                UnitMembership.objects.update_or_create(
                    user=user,
                    unit=self.units[unit_name],
                    valid_from=demo.SINCE,
                    defaults={"role": role, "title": title},
                )
            for group_key, kind, function in seats:
                bodies = Body.objects.filter(kind=kind)
                bodies = bodies.filter(local_group=groups[group_key]) if group_key else bodies
                # Saved one by one, not .update(): a seat given is a role change, logged.
                for seat in Membership.objects.filter(
                    body__in=bodies, function=function, valid_to__isnull=True
                ).exclude(user=user):
                    seat.user = user
                    seat.save(update_fields=["user"])

    def print_logins(self):
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Log in with any of these:"))
        self.stdout.write(f"  password for every account: {demo.DEMO_PASSWORD}")
        for email, _first, _last, flags, employments, _seats in demo.DEMO_USERS:
            what = ", ".join(
                [k.removeprefix("is_") for k, v in flags.items() if v and k != "is_staff"]
                + [f"{role} at {unit}" for unit, role, _ in employments]
            )
            self.stdout.write(f"  {email:<45} {what}")
