"""The demo's further children, for ``seed_demo``: the children behind the extra forum cases
and plans (``cases.py``, ``plans.py``), each registered by the unit that raised the case or
initiated the plan, with a guardian.

Their numbers: every one of them is a *reservnummer* ("ÅÅÅÅMMDD-XNNN", the child's birth
date and four characters, the first a letter; ``samverkan.identity.normalise_reserve_number``)
in a series of the demo's own, ``DEMO``, which no region or unit issues. The seed never
generates a personnummer: one with a valid check digit could belong to a real child. The
only personnummer in the demo is Skatteverket's published test number 20170101-2393 (the
demo's Alva Demosson, ``forum.py``). She too came as a newly arrived child: the unit first
registered her with a reservnummer and replaced it with her personnummer when she got it,
which her record's number history (``people.NumberChange``) shows.

The names are invented. Safe to run again: a child is found by its number and unit first.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from samverkan.demo.forum import TEST_NUMBER
from samverkan.demo.history import backdate, moment
from samverkan.organisations.models import Unit
from samverkan.people.models import Child, Guardian, NumberChange

SERIES = "DEMO"  # the demo's own reservnummer series
FIRST_BORN = datetime.date(2009, 1, 1)  # the children are born 2009-2021
BORN_SPAN = 13 * 365
ALVA_OLD_NUMBER = f"20170101-{SERIES}"

# (owning unit, who registered the children, how many)
HOMES = [
    ("Socialtjänsten barn och ungdom, Rinkeby-Kista", "handlaggare.rinkeby@demo.example", 18),
    ("Ungdomsenheten, Rinkeby-Kista", "enhetschef.ungdomsenheten@demo.example", 5),
    ("Prima Barn BUP Rinkeby-Kista", "enhetschef.primabarn@demo.example", 2),
    ("Socialkontoret, Barn och Vuxna", "socialsekreterare.norrtalje@demo.example", 20),
    ("Tiohundra, Barn- och ungdomspsykiatrisk mottagning (BUP)",
     "enhetschef.bup.tiohundra@demo.example", 3),
    ("Socialtjänsten barn och unga, Södertälje", "socialsekreterare.sodertalje@demo.example", 22),
]  # fmt: skip

FIRST_NAMES = [
    "Amira", "Bilal", "Cecilia", "Dawit", "Elsa", "Farah", "Gabriel", "Hiba", "Isak",
    "Jasmin", "Kevin", "Lina", "Malik", "Nour", "Oliver", "Rahel", "Samir", "Tindra",
    "Viktor", "Yasmin", "Adam", "Bella", "Daniel", "Ebba", "Filip", "Hamza", "Ida",
    "Jonas", "Liam", "Maryam", "Noah", "Saga", "Selam", "Wilma", "Zakaria", "Alice",
    "Melvin", "Nadia", "Elias", "Tyra", "Yonas",
]  # fmt: skip
LAST_NAMES = [
    "Abdi", "Berglund", "Demir", "Eklöf", "Fransson", "Gebre", "Hedlund", "Issa",
    "Johansson", "Karimi", "Lindqvist", "Mohamud", "Nyberg", "Osman", "Petrov", "Rostami",
    "Sandberg", "Tesfay", "Wallin", "Yilmaz", "Åberg", "Öztürk", "Kovalenko", "Haddad",
]  # fmt: skip
GUARDIAN_NAMES = [
    "Hodan", "Peter", "Sofia", "Tesfaye", "Maria", "Ahmed", "Karin", "Olena", "Mona",
    "Johan", "Leyla", "Anders", "Samira", "Mikael", "Azadeh",
]  # fmt: skip


def specs():
    """(unit name, registrar email, reservnummer, first name, last name, guardian) for every
    extra child, in a fixed order: the same children on every run."""
    serial = 0
    for unit_name, registrar, count in HOMES:
        for _ in range(count):
            born = FIRST_BORN + datetime.timedelta(days=(serial * 89) % BORN_SPAN)
            first = FIRST_NAMES[serial % len(FIRST_NAMES)]
            last = LAST_NAMES[(serial * 7) % len(LAST_NAMES)]
            guardian = f"{GUARDIAN_NAMES[(serial * 5) % len(GUARDIAN_NAMES)]} {last}"
            yield unit_name, registrar, f"{born:%Y%m%d}-{SERIES}", first, last, guardian
            serial += 1


def seed() -> dict[str, list[Child]]:
    """Register the children (those not registered yet); {unit name: its children}."""
    User = get_user_model()
    rows = list(specs())
    units = {u.name: u for u in Unit.objects.filter(name__in={r[0] for r in rows})}
    registrars = {u.email: u for u in User.objects.filter(email__in={r[1] for r in rows})}
    found = {
        (c.owning_unit_id, c.reserve_number): c
        for c in Child.objects.filter(
            owning_unit__in=units.values(), reserve_number__endswith=f"-{SERIES}"
        )
    }
    new = []
    for unit_name, registrar, number, first, last, _guardian in rows:
        unit = units[unit_name]
        if (unit.pk, number) not in found:
            child = Child(
                reserve_number=number, first_name=first, last_name=last, owning_unit=unit,
                created_by=registrars[registrar],
            )  # fmt: skip
            new.append(child)
            found[unit.pk, number] = child
    Child.objects.bulk_create(new)
    new_ids = {c.pk for c in new}
    Guardian.objects.bulk_create(
        [
            Guardian(child=found[units[r[0]].pk, r[2]], name=r[5])
            for r in rows
            if found[units[r[0]].pk, r[2]].pk in new_ids
        ]
    )
    by_unit: dict[str, list[Child]] = {}
    for unit_name, _registrar, number, *_rest in rows:
        child = found[units[unit_name].pk, number]
        child.is_new = child.pk in new_ids
        by_unit.setdefault(unit_name, []).append(child)
    alva_number_history()
    return by_unit


def alva_number_history():
    """Alva Demosson came with a reservnummer; her unit replaced it with her personnummer."""
    social = Unit.objects.get(name="Socialtjänsten barn och ungdom, Rinkeby-Kista")
    alva = Child.objects.filter(personal_number=TEST_NUMBER, owning_unit=social).first()
    if alva is None or alva.number_changes.exists():
        return
    today = timezone.localdate()
    arrived = datetime.date(today.year - 3, 9, 12)
    change = NumberChange.objects.create(
        child=alva, old_number=ALVA_OLD_NUMBER, new_number=TEST_NUMBER,
        changed_by=alva.created_by,
    )  # fmt: skip
    backdate(NumberChange, [change], "changed_at", [moment(arrived + datetime.timedelta(days=190))])
    backdate(Child, [alva], "created_at", [moment(arrived)])


def registered(children: list[Child], first_seen: dict[int, datetime.date]) -> None:
    """The children registered by this run were registered a few days before their first
    case or plan."""
    new = [c for c in children if getattr(c, "is_new", False) and c.pk in first_seen]
    backdate(
        Child,
        new,
        "created_at",
        [moment(first_seen[c.pk] - datetime.timedelta(days=3), 9) for c in new],
    )
