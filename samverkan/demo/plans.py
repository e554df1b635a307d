"""Coordinated individual plans at work, for ``seed_demo``: forty plans beside the demo's
first (``sip.py``), held by social services, a youth unit and two BUP clinics in Rinkeby-
Kista, Norrtälje and Södertälje.

Most are established, with their interventions, participants, the guardian's written
consent and version 1 as established; the older ones have had a follow-up and were revised
(version 2). Their next follow-up is spread around today: some overdue, some within the two
weeks the start page shows, some later; each chair has at least one of them. Some
plans are drafts (a meeting booked, parts missing), a few closed. The children are
``children.py``'s. Safe to run again: a plan is found by its child and unit first.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from samverkan.consent.models import Consent
from samverkan.demo.history import backdate, days, moment
from samverkan.organisations.models import Unit
from samverkan.people.models import Guardian, Involvement
from samverkan.references.numbers import next_reference
from samverkan.sip.models import FollowUp, Intervention, Participant, Plan, PlanVersion


@dataclass(frozen=True)
class Home:
    unit: str  # the initiating unit, which registered the children
    chair: str
    # E established, D draft, C closed: one letter per plan, given to the unit's last
    # children (the first ones have the open forum cases)
    pattern: str
    # (unit, role in the plan, kind of interventions it gives): the other parties
    partners: tuple
    place: str


HOMES = [
    Home("Socialtjänsten barn och ungdom, Rinkeby-Kista", "handlaggare.rinkeby@demo.example",
         "EEEDEEEDE",
         (("Prima Barn BUP Rinkeby-Kista", "Behandling", "region"),
          ("Kista grundskola", "Anpassningar i skolan", "school")),
         "Rinkeby-Kista stadsdelsförvaltning"),
    Home("Ungdomsenheten, Rinkeby-Kista", "enhetschef.ungdomsenheten@demo.example", "EEDEE",
         (("Prima Barn BUP Rinkeby-Kista", "Behandling", "region"),
          ("Tensta gymnasium", "Studiestöd", "school")),
         "Ungdomsenheten, Rinkeby-Kista"),
    Home("Prima Barn BUP Rinkeby-Kista", "enhetschef.primabarn@demo.example", "ED",
         (("Socialtjänsten barn och ungdom, Rinkeby-Kista", "Stöd till familjen", "social"),
          ("Kista grundskola", "Anpassningar i skolan", "school")),
         "Prima Barn BUP Rinkeby-Kista"),
    Home("Socialkontoret, Barn och Vuxna", "socialsekreterare.norrtalje@demo.example",
         "EEEEDEEEC",
         (("Tiohundra, Barn- och ungdomspsykiatrisk mottagning (BUP)", "Behandling", "region"),
          ("Rodengymnasiet", "Anpassningar i skolan", "school")),
         "Socialkontoret Norrtälje"),
    Home("Tiohundra, Barn- och ungdomspsykiatrisk mottagning (BUP)",
         "enhetschef.bup.tiohundra@demo.example", "EED",
         (("Socialkontoret, Barn och Vuxna", "Stöd till familjen", "social"),
          ("Tiohundra, Barnhabilitering och Öppen förskola", "Habilitering", "region")),
         "Tiohundra, BUP Norrtälje"),
    Home("Socialtjänsten barn och unga, Södertälje", "socialsekreterare.sodertalje@demo.example",
         "EEEEDEEEE",
         (("BUP Södertälje", "Behandling", "region"),
          ("Södertäljeskolan", "Anpassningar i skolan", "school")),
         "Södertälje stadshus"),
    Home("Socialtjänsten barn och unga, Södertälje", "enhetschef.sodertalje@demo.example", "DEC",
         (("BUMM Södertälje", "Medicinsk uppföljning", "region"),
          ("Södertäljeskolan", "Anpassningar i skolan", "school")),
         "Södertälje stadshus"),
]  # fmt: skip

# Days from today to the next follow-up of an established plan, in turn for each chair:
# overdue, within two weeks, later.
FOLLOW_UP_IN = [-18, 4, 11, 35, -4, 9, 60, 2, -40, 13, 90, 6]
# Days since the SIP meeting that established the plan, in turn.
AGES = [50, 120, 200, 75, 300, 160, 30, 240, 400, 90, 140]

INTERVENTIONS = {
    "region": ["Samtalsbehandling varannan vecka", "Neuropsykiatrisk utredning",
               "Föräldrastöd i grupp", "Medicinsk uppföljning var tredje månad"],
    "school": ["Anpassad studiegång och mentor", "Stöd av specialpedagog",
               "Särskild undervisningsgrupp halva dagen"],
    "social": ["Familjebehandling", "Kontaktperson", "Stöd i hemmet två kvällar i veckan"],
}  # fmt: skip
REASONS = [
    "Barnet behöver insatser från både socialtjänsten och regionen, och stöd i skolan.",
    "Skolfrånvaron har ökat; flera verksamheter har insatser som inte är samordnade.",
    "Familjen har kontakt med många verksamheter och vill ha en gemensam plan.",
    "Barnet är nyanlänt och behöver insatser från skola, hälso- och sjukvård och socialtjänst.",
]
NEEDS = [
    "Stöd för att komma till skolan och hantera oro.",
    "En förutsägbar skoldag och stöd i hemmet efter skolan.",
    "Bedömning av koncentrationssvårigheter och anpassningar i skolan under tiden.",
    "Trygghet i boendet och kontakt med vuxna som samarbetar.",
]
CHILD_VOICES = [
    "Jag vill kunna vara i skolan hela dagen.",
    "Jag vill att de vuxna pratar med varandra och inte bara med mig.",
    "Jag vill ha en lugn plats att gå till när det blir för mycket.",
]
GUARDIAN_VOICES = [
    "Vi vill att alla pratar med varandra, inte bara med oss.",
    "Vi behöver veta vem vi ska ringa när något händer.",
    "Vi vill att stödet finns kvar under loven.",
]
GOALS = [
    "Barnet är i skolan minst fyra dagar i veckan före terminens slut.",
    "Barnet har en fungerande skoldag och familjen har stöd i vardagen.",
    "Barnet har fått sin bedömning och anpassningarna i skolan är på plats.",
]
OTHERS_DO = [
    "Föreningen Fritidsgården erbjuder en aktivitet på onsdagar.",
    "Försäkringskassan handlägger ansökan om omvårdnadsbidrag.",
    "Familjen själv ser till att barnet kommer i tid till mottagningen.",
]
FOLLOW_UP_HOW = "Uppföljningsmöte med alla parter, barnet och vårdnadshavarna."


def seed(children: dict[str, list]) -> dict[int, datetime.date]:
    """Make the plans not there yet; {child id: the day its plan began}."""
    User = get_user_model()
    today = timezone.localdate()
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.example")}
    names = {h.unit for h in HOMES} | {p[0] for h in HOMES for p in h.partners}
    units = {u.name: u for u in Unit.objects.select_related("principal").filter(name__in=names)}
    taken: dict[str, int] = {}  # children already given a plan, per unit
    wanted = []  # (home, child, status, n): n counts the chair's plans
    for home in HOMES:
        kids = children[home.unit]
        used = taken.get(home.unit, 0)
        mine = kids[len(kids) - used - len(home.pattern) : len(kids) - used]
        taken[home.unit] = used + len(home.pattern)
        for n, (child, status) in enumerate(zip(mine, home.pattern, strict=True)):
            wanted.append((home, child, status, n))
    found = set(
        Plan.objects.filter(child__in=[w[1] for w in wanted]).values_list(
            "child_id", "initiating_unit_id"
        )
    )
    first_seen = {}
    rows = []
    for home, child, status, n in wanted:
        line = dates(status, n, today)
        first_seen[child.pk] = line["created"]
        if (child.pk, units[home.unit].pk) not in found:
            rows.append((home, child, status, n, line))
    if rows:
        make(rows, units, users)
    return first_seen


def dates(status, n, today) -> dict:
    """The plan's days: created, the SIP meeting, the next follow-up, a follow-up held."""
    if status == "D":
        created = today - days(4 + 6 * n)
        return {"created": created, "meeting": today + days(6 + 5 * n) if n % 2 == 0 else None}
    age = AGES[n % len(AGES)] if status == "E" else 420
    meeting = today - days(age)
    line = {"created": meeting - days(16), "meeting": meeting}
    if status == "E":
        line["next"] = max(today + days(FOLLOW_UP_IN[n % len(FOLLOW_UP_IN)]), meeting + days(10))
    else:
        line["next"] = meeting + days(180)
        line["closed"] = today - days(20 + 10 * n)
    if age > 100:
        line["held"] = meeting + days(min(age // 2, 90))
    return line


def make(rows, units, users) -> None:
    rows.sort(key=lambda r: (r[4]["created"], r[3]))
    plans = []
    for home, child, status, n, line in rows:
        chair = users[home.chair]
        unit = units[home.unit]
        plan = Plan(
            reference=next_reference(Plan, "SIP", line["created"].year),
            child=child, initiating_unit=unit, initiated_by=chair, chair=chair, secretary=chair,
            reason=REASONS[n % len(REASONS)], meeting_on=line["meeting"],
            meeting_time=datetime.time(14, 0) if line["meeting"] else None,
            meeting_place=home.place if line["meeting"] else "",
            needs=NEEDS[n % len(NEEDS)], child_voice=CHILD_VOICES[n % len(CHILD_VOICES)],
        )  # fmt: skip
        if status != "D":
            plan.guardians_voice = GUARDIAN_VOICES[n % len(GUARDIAN_VOICES)]
            plan.goals = GOALS[n % len(GOALS)]
            plan.others_do = OTHERS_DO[n % len(OTHERS_DO)]
            plan.overall_responsible = unit.principal
            plan.follow_up_how = FOLLOW_UP_HOW
            plan.next_follow_up_on = line["next"]
            plan.status = Plan.Status.ESTABLISHED
            plan.established_at = moment(line["meeting"], 16)
        if status == "C":
            plan.status = Plan.Status.CLOSED
            plan.closed_at = moment(line["closed"], 11)
            plan.closing_note = "Målen är uppnådda och insatserna avslutade."
        plan.save()
        plans.append((plan, home, child, status, n, line))
    made = [p[0] for p in plans]
    backdate(Plan, made, "created_at", [moment(p[5]["created"], 9) for p in plans])
    backdate(Plan, made, "updated_at", [last_change(p[0], p[5]) for p in plans])
    parties(plans, units)
    versions(plans, users)
    consents(plans, units)


def last_change(plan, line) -> datetime.datetime:
    if plan.closed_at:
        return plan.closed_at
    if line.get("held"):
        return moment(line["held"], 15)
    return plan.established_at or moment(line["created"], 9)


def parties(plans, units) -> None:
    guardians = {g.child_id: g for g in Guardian.objects.filter(child__in=[p[2] for p in plans])}
    participants, interventions, involvements = [], [], []
    for plan, home, child, status, n, line in plans:
        for unit_name, role, _kind in home.partners:
            participants.append(
                Participant(plan=plan, kind="unit", unit=units[unit_name], role=role)
            )
        guardian = guardians.get(child.pk)
        if guardian:
            participants.append(Participant(plan=plan, kind="guardian", name=guardian.name))
        participants.append(Participant(plan=plan, kind="child", name=child.first_name))
        for unit_name in (home.unit, *(p[0] for p in home.partners)):
            involvements.append(
                Involvement(child=child, unit=units[unit_name], reason=f"SIP {plan.reference}")
            )
        if status == "D" and n % 2:
            continue  # a draft without interventions yet
        start = line["meeting"] or line["created"]
        given = [(home.unit, "social" if "BUP" not in home.unit else "region")]
        given += [(p[0], p[2]) for p in home.partners]
        for i, (unit_name, kind) in enumerate(given[: 1 if status == "D" else 3]):
            what = INTERVENTIONS[kind][(n + i) % len(INTERVENTIONS[kind])]
            done = status == "C"
            interventions.append(
                Intervention(
                    plan=plan,
                    what=what,
                    unit=units[unit_name],
                    starts_on=start,
                    ends_on=start + days(180),
                    status="done" if done else "planned" if status == "D" or i == 2 else "ongoing",
                )  # fmt: skip
            )
    Participant.objects.bulk_create(participants)
    Intervention.objects.bulk_create(interventions)
    Involvement.objects.bulk_create(involvements, ignore_conflicts=True)


def versions(plans, users) -> None:
    """Version 1 as established; a plan followed up since was revised there (version 2),
    and the follow-up is recorded."""
    rows, created, follow_ups, held_on = [], [], [], []
    for plan, home, _child, status, _n, line in plans:
        if status == "D":
            continue
        chair = users[home.chair]
        content = plan.snapshot()
        held = line.get("held")
        if held:
            first = dict(content, next_follow_up_on=held.isoformat())
            first["interventions"] = [dict(i, status="Planerad") for i in content["interventions"]]
            rows.append(PlanVersion(plan=plan, number=1, content=first, note="Fastställd",
                                    created_by=chair))  # fmt: skip
            created.append(moment(line["meeting"], 16))
            rows.append(
                PlanVersion(plan=plan, number=2, content=content,
                            note="Reviderad efter uppföljning", created_by=chair)
            )  # fmt: skip
            created.append(moment(held, 15))
            follow_ups.append(
                FollowUp(
                    plan=plan,
                    held_on=held,
                    by=chair,
                    next_on=line["next"],
                    notes="Insatserna har kommit i gång. Skolnärvaron har ökat något; "
                    "parterna fortsätter enligt planen.",
                )  # fmt: skip
            )
            held_on.append(moment(held, 15))
        else:
            rows.append(PlanVersion(plan=plan, number=1, content=content, note="Fastställd",
                                    created_by=chair))  # fmt: skip
            created.append(moment(line["meeting"], 16))
    PlanVersion.objects.bulk_create(rows)
    backdate(PlanVersion, rows, "created_at", created)
    FollowUp.objects.bulk_create(follow_ups)
    backdate(FollowUp, follow_ups, "created_at", held_on)


def consents(plans, units) -> None:
    """The guardians' written consent for the plan, naming the parties of another principal
    than the initiating unit's; in force for a year from the SIP meeting."""
    kind = ContentType.objects.get_for_model(Plan)
    guardians = {g.child_id: g for g in Guardian.objects.filter(child__in=[p[2] for p in plans])}
    rows, named = [], []
    for plan, home, child, status, _n, line in plans:
        if status == "D":
            continue
        meeting = line["meeting"]
        rows.append(
            Consent(
                child=child,
                form=Consent.Form.WRITTEN,
                purpose_type=kind,
                purpose_id=plan.pk,
                purpose_text=f"SIP {plan.reference}",
                given_on=meeting - days(7),
                valid_until=meeting + days(365),
                recorded_by=plan.chair,
                recorded_by_unit=plan.initiating_unit,
            )  # fmt: skip
        )
        own = plan.initiating_unit.principal_id
        named.append([units[p[0]] for p in home.partners if units[p[0]].principal_id != own])
    Consent.objects.bulk_create(rows)
    backdate(Consent, rows, "recorded_at", [moment(c.given_on, 11) for c in rows])
    Consent.units.through.objects.bulk_create(
        [
            Consent.units.through(consent_id=c.pk, unit_id=u.pk)
            for c, units_named in zip(rows, named, strict=True)
            for u in units_named
        ]
    )
    Consent.given_by_guardians.through.objects.bulk_create(
        [
            Consent.given_by_guardians.through(
                consent_id=c.pk, guardian_id=guardians[c.child_id].pk
            )
            for c in rows
            if c.child_id in guardians
        ]
    )
