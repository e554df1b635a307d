"""Demo deviation reports for ``seed_demo``: three years of reports from several local
groups, across categories and every step of the ladder, none naming a child."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from samverkan.demo.county import DEMO_PASSWORD
from samverkan.deviations.models import Action, Category, Deviation, Event, Tag
from samverkan.organisations.models import Body, LocalGroup, Membership, Unit, UnitMembership

# (municipality, reporting unit) for extra demo reporters outside the two modelled groups.
REPORTERS = ["Botkyrka", "Södertälje", "Nacka", "Huddinge", "Järfälla", "Täby"]

STORIES = [
    ("Remiss till BUP besvarades inte", "Skolan skickade en remiss som inte besvarades inom sex veckor.",
     "Eleven fick vänta på utredning och stöd i skolan.", "Remiss avvisad"),
    ("Oklart vem som kallar till SIP", "Ingen av parterna tog initiativ till SIP trots behov.",
     "Insatserna samordnades inte och familjen fick upprepa sin berättelse.", "SIP hölls inte"),
    ("Lång väntan på habiliteringens bedömning", "Väntetiden till bedömning blev över fyra månader.",
     "Stödet i förskolan kunde inte anpassas.", "Väntetid"),
    ("Information lämnades inte trots samtycke", "BUP lämnade inte uppgifter trots skriftligt samtycke.",
     "Socialtjänstens utredning försenades.", "Information delades inte"),
    ("Ansvaret för skolskjuts var oklart", "Kommun och region hänvisade till varandra.",
     "Eleven var borta från skolan i tre veckor.", "Oklart ansvar"),
    ("Hänvisad mellan vårdcentral och BUP", "Familjen hänvisades fram och tillbaka mellan mottagningarna.",
     "Barnets behov bedömdes inte.", "Oklart ansvar"),
]  # fmt: skip


def seed():
    if Deviation.objects.exists():
        return
    rng = random.Random(2026)  # the same demo every time
    User = get_user_model()
    # The categories come with a migration; a flushed test database has lost them.
    categories = {
        name: Category.objects.get_or_create(name=name)[0] for *_, name in STORIES
    }
    region_units = list(Unit.objects.filter(principal__kind="region").exclude(area=None))
    reporters = list(
        UnitMembership.objects.filter(user__email__endswith="@demo.example")
        .exclude(unit__area=None)
        .select_related("user", "unit__area")
    )
    for name in REPORTERS:
        unit = Unit.objects.get(name=f"Elevhälsan, {name}")
        user, _ = User.objects.get_or_create(
            email=f"elevhalsan.{name.lower().replace('ä', 'a').replace('ö', 'o')}@demo.example",
            defaults={"first_name": "Elin", "last_name": f"Elevhälsa {name}"},
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        membership, _ = UnitMembership.objects.get_or_create(
            user=user, unit=unit, defaults={"valid_from": datetime.date(2020, 1, 1)}
        )
        reporters.append(membership)
    bussam_secretary = User.objects.filter(is_secretariat=True).first()
    tags = [Tag.objects.get_or_create(name=n)[0] for n in ("Remisser", "Skolfrånvaro", "SIP")]
    today = timezone.localdate()
    dates = sorted(today - datetime.timedelta(days=rng.randint(5, 3 * 365)) for _ in range(72))
    numbers: dict[int, int] = {}
    for occurred in dates:
        numbers[occurred.year] = numbers.get(occurred.year, 0) + 1
        membership = rng.choice(reporters)
        unit = membership.unit
        group = LocalGroup.objects.filter(areas=unit.area_id).first()
        nearby = [u for u in region_units if u.area_id == unit.area_id] or region_units
        other = rng.choice(nearby)
        title, happened, consequence, category = rng.choice(STORIES)
        submitted = timezone.make_aware(
            datetime.datetime.combine(occurred + datetime.timedelta(days=2), datetime.time(10))
        )
        deviation = Deviation.objects.create(
            reference=f"AV-{occurred.year}-{numbers[occurred.year]:04d}", title=title, reporting_unit=unit,
            reporter=membership.user, local_group=group, occurred_on=occurred,
            what_happened=happened, consequence=consequence,
            done_locally="Cheferna har haft kontakt.", category=categories[category],
            agreement_part=rng.choice(Deviation.AgreementPart.values),
            step=Deviation.Step.SUPERVISORS, submitted_at=submitted,
        )  # fmt: skip
        deviation.other_units.add(other)
        Event.objects.create(
            deviation=deviation, from_step="draft", to_step="supervisors", by=membership.user,
            at=submitted,
        )  # fmt: skip
        climb(deviation, rng, submitted, bussam_secretary, membership.user)
        if rng.random() < 0.6:
            deviation.read_by_secretariat_at = submitted + datetime.timedelta(days=7)
            deviation.judgement = rng.choice(Deviation.Judgement.values[1:])
            deviation.save()
            deviation.tags.add(rng.choice(tags))


def climb(deviation, rng, at, secretary, reporter):
    """Walk the report some way up the ladder, as the demo's history."""
    roll = rng.random()
    path = (
        ["resolved"]
        if roll < 0.55
        else ["steering", "resolved"]
        if roll < 0.75
        else (["steering", "bussam"] if roll < 0.85 else [])
    )
    steering = Body.objects.filter(local_group=deviation.local_group, kind="steering").first()
    lead = (
        Membership.objects.filter(body=steering, user__isnull=False).first() if steering else None
    )
    by = lead.user if lead else (secretary or reporter)
    for to_step in path:
        at = at + datetime.timedelta(days=rng.randint(5, 40))
        Event.objects.create(
            deviation=deviation, from_step=deviation.step, to_step=to_step, by=by, at=at,
            note="Hanterat i demodata.",
        )  # fmt: skip
        if to_step in ("steering", "bussam"):
            deviation.is_principled = True
            deviation.principled_question = (
                "Vilken huvudman ansvarar när en remiss inte besvaras inom rimlig tid?"
            )
        if to_step == "resolved":
            deviation.resolved_at = at
            deviation.outcome = "Parterna har kommit överens om en rutin."
        deviation.step = to_step
    if deviation.step == "supervisors" and rng.random() < 0.5:
        Action.objects.create(
            deviation=deviation, step="supervisors", text="Gemensam genomgång av remissrutinen",
            owner=deviation.reporting_unit, created_by=reporter,
            due_on=timezone.localdate() + datetime.timedelta(days=rng.randint(-10, 40)),
        )  # fmt: skip
    deviation.save()
