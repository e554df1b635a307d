"""What waits for decisions, for ``seed_demo``: deviation reports at their nearest
supervisors, at three local steering groups and at BUSSAM, each step dated so that some
have waited more than the inbox's 60 days and some less; the steering groups' and BUSSAM's
planned meetings, to put them on; and two questions already on an agenda.

The forum cases lifted to the steering groups are ``cases.py``'s; BUSSAM's older questions
are ``deviations.py``'s history. Texts name no person, number, e-mail or phone. Safe to
run again: a report is found by its title and reporting unit first, a body's planned
meetings are counted before more are made, and a question already on an agenda stays.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from samverkan.agenda.inbox import waiting_for
from samverkan.agenda.models import AgendaItem
from samverkan.demo.history import backdate, days, moment
from samverkan.demo.meetings import SEVERAL_A_YEAR
from samverkan.deviations.models import Action, Category, Deviation, Event
from samverkan.governance.models import Meeting
from samverkan.organisations.models import Body, LocalGroup, Unit

SUPERVISORS, STEERING, BUSSAM, RESOLVED = "supervisors", "steering", "bussam", "resolved"


@dataclass(frozen=True)
class Report:
    title: str
    group: str  # local group slug
    unit: str
    reporter: str
    other: str
    category: str
    part: str
    # (step, days ago it was reached), from the supervisors' step on
    path: tuple
    what_happened: str
    consequence: str
    question: str = ""
    outcome: str = ""
    # who lifted it from the supervisors' step, and from the steering group
    movers: tuple = ()


NORRTALJE_SOCIAL = "Socialkontoret, Barn och Vuxna"
NORRTALJE_BUP = "Tiohundra, Barn- och ungdomspsykiatrisk mottagning (BUP)"
SODERTALJE_SOCIAL = "Socialtjänsten barn och unga, Södertälje"
RINKEBY_SOCIAL = "Socialtjänsten barn och ungdom, Rinkeby-Kista"
SANNA, BERIT = "socialsekreterare.norrtalje@demo.example", "enhetschef.bup.tiohundra@demo.example"
ERIK, NORA = "enhetschef.socialkontoret@demo.example", "folkhalsostrateg@demo.example"
TILDE, SELMA = "socialsekreterare.sodertalje@demo.example", "enhetschef.sodertalje@demo.example"
DAG, HANNA = "avdelningschef.sodertalje@demo.example", "handlaggare.rinkeby@demo.example"
OMAR, SECRETARIAT = "ordforande.rinkeby@demo.example", "sekretariat@demo.example"

REPORTS = [
    # --- at the nearest supervisors ---------------------------------------------------------
    Report("Kallelse till SIP besvarades inte", "norrtalje", NORRTALJE_SOCIAL, SANNA,
           NORRTALJE_BUP, "SIP hölls inte", "sip", ((SUPERVISORS, 4),),
           "Socialkontoret kallade till SIP två gånger utan svar från mottagningen.",
           "Planeringen inför terminsstarten blev inte av."),
    Report("Remiss om utredning blev liggande", "sodertalje", SODERTALJE_SOCIAL, TILDE,
           "BUP Södertälje", "Remiss avvisad", "responsibility", ((SUPERVISORS, 9),),
           "Remissen registrerades men ingen bedömning gjordes på sju veckor.",
           "Barnet och skolan väntade på underlag för särskilt stöd."),
    Report("Ingen kontakt under lovet trots plan", "rinkeby-kista-och-spanga-tensta",
           RINKEBY_SOCIAL, HANNA, "Habilitering och Hälsa, barn och ungdom Järva",
           "Information delades inte", "sip", ((SUPERVISORS, 2),),
           "Planen sade att habiliteringen skulle höra av sig under lovet, men ingen kontakt "
           "togs.", "Familjen stod utan stöd i tre veckor."),
    # --- lifted to the steering groups ------------------------------------------------------
    Report("Oklart ansvar för stöd under skolskjuts", "rinkeby-kista-och-spanga-tensta",
           RINKEBY_SOCIAL, HANNA, "Prima Barn BUP Rinkeby-Kista", "Oklart ansvar",
           "responsibility", ((SUPERVISORS, 80), (STEERING, 40)),
           "Skolan, socialtjänsten och mottagningen hänvisade till varandra om stödet under "
           "resan.", "Eleven var borta från skolan i två veckor.",
           question="Vem ansvarar för stöd under skolskjutsen när eleven har ett vårdbehov?",
           movers=(OMAR,)),
    Report("Remiss från BUP avvisades av socialkontoret", "norrtalje", NORRTALJE_BUP, BERIT,
           NORRTALJE_SOCIAL, "Remiss avvisad", "responsibility",
           ((SUPERVISORS, 150), (STEERING, 110)),
           "En remiss om stöd i hemmet avvisades med hänvisning till att behovet var "
           "medicinskt.", "Behandlingen kunde inte börja som planerat.",
           question="Vem ansvarar för stöd i hemmet när behovet följer av en psykiatrisk "
           "diagnos?", movers=(ERIK,)),
    Report("Väntetid till barnhabiliteringen över fyra månader", "norrtalje",
           NORRTALJE_SOCIAL, SANNA, "Tiohundra, Barnhabilitering och Öppen förskola",
           "Väntetid", "responsibility", ((SUPERVISORS, 60), (STEERING, 33)),
           "Väntetiden till bedömning blev över fyra månader.",
           "Stödet i förskolan kunde inte anpassas.",
           question="Hur ska kommunen och KSON fördela stödet till förskolan medan barnet "
           "väntar på habiliteringens bedömning?", movers=(ERIK,)),
    Report("Samtycke tolkades olika av parterna", "norrtalje", NORRTALJE_SOCIAL, SANNA,
           NORRTALJE_BUP, "Information delades inte", "consent",
           ((SUPERVISORS, 30), (STEERING, 12)),
           "Mottagningen lämnade inte uppgifter trots att vårdnadshavarna skrivit under "
           "samtycke.", "Socialkontorets utredning försenades.",
           question="Vilken samtyckesblankett ska gälla mellan kommunen och KSON:s "
           "verksamheter?", movers=(ERIK,)),
    Report("Uppföljning av SIP uteblev", "norrtalje", NORRTALJE_BUP, BERIT, NORRTALJE_SOCIAL,
           "SIP hölls inte", "sip", ((SUPERVISORS, 120), (STEERING, 75)),
           "Uppföljningen av planen blev inte av eftersom ingen part kallade.",
           "Insatserna fortsatte utan att någon följde upp dem.",
           question="Vem kallar till uppföljning när den som ledde SIP-mötet har slutat?",
           movers=(BERIT,)),
    Report("Skolan fick inte delta i vårdplaneringen", "sodertalje", SODERTALJE_SOCIAL, TILDE,
           "BUP Södertälje", "Information delades inte", "sip",
           ((SUPERVISORS, 95), (STEERING, 64)),
           "Skolan bjöds inte in när mottagningen planerade insatserna.",
           "Anpassningarna i skolan stämde inte med behandlingen.",
           question="Ska skolan alltid bjudas in när regionen planerar insatser för ett barn "
           "med SIP?", movers=(SELMA,)),
    Report("Hänvisad mellan BUMM och BUP", "sodertalje", SODERTALJE_SOCIAL, TILDE,
           "BUMM Södertälje", "Oklart ansvar", "responsibility",
           ((SUPERVISORS, 40), (STEERING, 15)),
           "Familjen hänvisades mellan mottagningarna utan att någon tog emot remissen.",
           "Barnets behov bedömdes inte.",
           question="Vilken mottagning tar emot barn med både medicinska och psykiatriska "
           "behov?", movers=(SELMA,)),
    # --- lifted on to BUSSAM ----------------------------------------------------------------
    Report("Ingen huvudman tar ansvar för skolskjuts med vårdbehov", "norrtalje",
           NORRTALJE_SOCIAL, SANNA, "KSON, Avdelningen Barn och Vuxna", "Oklart ansvar",
           "responsibility", ((SUPERVISORS, 120), (STEERING, 90), (BUSSAM, 45)),
           "Kommunen och KSON hänvisade till varandra om stödet under skolskjutsen.",
           "Eleven kunde inte ta sig till skolan under en månad.",
           question="Vilken huvudman ansvarar för stöd under skolskjuts när eleven har ett "
           "vårdbehov?", movers=(ERIK, NORA)),
    Report("Kostnadsansvar för elevassistent med medicinsk grund", "sodertalje",
           SODERTALJE_SOCIAL, TILDE, "BUP Södertälje", "Oklart ansvar", "responsibility",
           ((SUPERVISORS, 100), (STEERING, 70), (BUSSAM, 21)),
           "Skolan och regionen var oeniga om vem som bekostar en elevassistent.",
           "Eleven fick inget stöd under en termin.",
           question="Vilken huvudman bekostar elevassistent när behovet följer av en "
           "medicinsk diagnos?", movers=(SELMA, DAG)),
    Report("Remisser till BUP för nyanlända barn avvisas", "rinkeby-kista-och-spanga-tensta",
           RINKEBY_SOCIAL, HANNA, "Prima Barn BUP Rinkeby-Kista", "Remiss avvisad",
           "responsibility", ((SUPERVISORS, 140), (STEERING, 110), (BUSSAM, 8)),
           "Remisser för barn som ännu inte är folkbokförda avvisades.",
           "Barnen fick vänta på bedömning tills de blivit folkbokförda.",
           question="Hur tar regionen emot remisser för barn som ännu inte är folkbokförda?",
           movers=(OMAR, OMAR)),
    Report("Väntetider till utredning för förskolebarn", "botkyrka", "Elevhälsan, Botkyrka",
           "elevhalsan.botkyrka@demo.example", "BVC Botkyrka", "Väntetid", "responsibility",
           ((SUPERVISORS, 200), (STEERING, 160), (BUSSAM, 95)),
           "Utredningen av ett förskolebarn dröjde i fem månader.",
           "Stödet i förskolan kunde inte planeras.",
           question="Vem utreder förskolebarn inför en eventuell särskoleplacering?",
           movers=(SECRETARIAT, SECRETARIAT)),
    # --- resolved: the counsellor's own report, for the news she has read -----------------
    Report("Elevhälsans remiss till BUP kom bort", "norrtalje", "Grindskolan",
           "kurator.grindskolan@demo.example", NORRTALJE_BUP, "Remiss avvisad",
           "responsibility", ((SUPERVISORS, 40), (RESOLVED, 25)),
           "En remiss från elevhälsan registrerades aldrig hos mottagningen.",
           "Eleven fick vänta en månad extra på bedömning.",
           outcome="Mottagningen har infört kvittens på inkomna remisser.", movers=(BERIT,)),
]  # fmt: skip

NOTES = {
    STEERING: "Principiell fråga: lyfts till den lokala styrgruppen.",
    BUSSAM: "Frågan gäller hela länet och lyfts till BUSSAM.",
}

# Days from today to each body's planned meetings (a local steering group's); BUSSAM meets
# on its own dates (``meetings.SEVERAL_A_YEAR``).
PLANNED = {"rinkeby-kista-och-spanga-tensta": [12, 47], "norrtalje": [9, 37], "sodertalje": [16]}
AGENDA = (
    "1. Föregående protokoll\n2. Frågor från individforum och avvikelser\n"
    "3. Uppdrag till arbetsgruppen\n4. Övrigt"
)
PLACES = {
    "rinkeby-kista-och-spanga-tensta": "Rinkeby-Kista stadsdelsförvaltning, sammanträdesrum 1",
    "norrtalje": "Trygghets- och säkerhetskontoret, Norrtälje",
    "sodertalje": "Södertälje stadshus, sammanträdesrum Mälaren",
}


def seed() -> None:
    today = timezone.localdate()
    reports(today)
    planned_meetings(today)
    agenda(today)


def reports(today) -> None:
    User = get_user_model()
    emails = {r.reporter for r in REPORTS} | {m for r in REPORTS for m in r.movers}
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    names = {r.unit for r in REPORTS} | {r.other for r in REPORTS}
    units = {u.name: u for u in Unit.objects.filter(name__in=names)}
    groups = {g.slug: g for g in LocalGroup.objects.filter(slug__in={r.group for r in REPORTS})}
    categories = {r.category: Category.objects.get_or_create(name=r.category)[0] for r in REPORTS}
    found = set(
        Deviation.objects.filter(title__in=[r.title for r in REPORTS]).values_list(
            "title", "reporting_unit_id"
        )
    )
    todo = [r for r in REPORTS if (r.title, units[r.unit].pk) not in found]
    todo.sort(key=lambda r: -r.path[0][1])  # numbered in the order submitted
    events, made = [], []
    for report in todo:
        submitted = moment(today - days(report.path[0][1]), 10)
        step = report.path[-1][0]
        deviation = Deviation(
            reference=Deviation.next_reference(submitted.year), title=report.title,
            reporting_unit=units[report.unit], reporter=users[report.reporter],
            local_group=groups[report.group], occurred_on=submitted.date() - days(2),
            what_happened=report.what_happened, consequence=report.consequence,
            done_locally="Cheferna har haft kontakt utan att komma överens.",
            category=categories[report.category], agreement_part=report.part, step=step,
            is_principled=bool(report.question), principled_question=report.question,
            submitted_at=submitted,
        )  # fmt: skip
        if step == RESOLVED:
            deviation.resolved_at = moment(today - days(report.path[-1][1]), 15)
            deviation.outcome = report.outcome
        if step in (STEERING, BUSSAM, RESOLVED) and report.path[0][1] > 30:
            deviation.read_by_secretariat_at = submitted + days(6)
            deviation.judgement = Deviation.Judgement.ROUTINE
        deviation.save()
        deviation.other_units.add(units[report.other])
        made.append((deviation, submitted))
        events.append(
            Event(deviation=deviation, from_step="draft", to_step=SUPERVISORS,
                  by=users[report.reporter], at=submitted)
        )  # fmt: skip
        before = SUPERVISORS
        for (to_step, ago), mover in zip(report.path[1:], report.movers, strict=True):
            note = report.outcome if to_step == RESOLVED else NOTES[to_step]
            events.append(
                Event(deviation=deviation, from_step=before, to_step=to_step,
                      by=users[mover], at=moment(today - days(ago), 15), note=note)
            )  # fmt: skip
            before = to_step
        if report.title == "Kallelse till SIP besvarades inte":
            Action.objects.create(
                deviation=deviation, step=SUPERVISORS, owner=units[report.other],
                text="Gemensam genomgång av hur kallelser till SIP tas emot",
                due_on=today + days(10), created_by=users.get(ERIK, deviation.reporter),
            )  # fmt: skip
    Event.objects.bulk_create(events)
    backdate(Deviation, [d for d, _ in made], "created_at", [at for _, at in made])


def next_bussam_days(today, count=2) -> list[datetime.date]:
    """BUSSAM's next meetings on its usual dates."""
    upcoming = [
        datetime.date(year, month, day)
        for year in (today.year, today.year + 1)
        for month, day in SEVERAL_A_YEAR
    ]
    return [d for d in upcoming if d > today][:count]


def planned_meetings(today) -> None:
    """The steering groups' and BUSSAM's coming meetings, as many as each is to have."""
    author = get_user_model().objects.filter(email=SECRETARIAT).first()
    if author is None:
        return
    wanted = [
        (Body.objects.get(local_group__slug=slug, kind=Body.Kind.STEERING), PLACES[slug],
         datetime.time(13, 0), [today + days(n) for n in offsets])
        for slug, offsets in PLANNED.items()
    ]  # fmt: skip
    bussam = Body.objects.get(kind=Body.Kind.BUSSAM)
    wanted.append(
        (bussam, "Storsthlm, sammanträdesrum", datetime.time(9, 30), next_bussam_days(today))
    )
    new = []
    for body, place, time, dates in wanted:
        planned = Meeting.objects.filter(body=body, held_on__gt=today).count()
        for day in dates[planned:]:
            # Never a week from today: the browser flows book their own meeting that day
            # and pick it by its date.
            if day == today + days(7):
                day += days(1)
            new.append(
                Meeting(body=body, held_on=day, time=time, place=place, agenda=AGENDA,
                        created_by=author)
            )  # fmt: skip
    Meeting.objects.bulk_create(new)


def agenda(today) -> None:
    """The longest-waiting lifted case in Rinkeby-Kista and Spånga-Tensta, and the longest-
    waiting report in Norrtälje, are on their steering group's next meeting."""
    for slug, what in (("rinkeby-kista-och-spanga-tensta", "case"), ("norrtalje", "report")):
        body = Body.objects.get(local_group__slug=slug, kind=Body.Kind.STEERING)
        if AgendaItem.objects.filter(meeting__body=body, decided_at__isnull=True).exists():
            continue
        meeting = Meeting.objects.filter(body=body, held_on__gte=today).order_by("held_on").first()
        cases, reports = waiting_for(body)
        question = (cases if what == "case" else reports).first()
        chair = body.memberships.filter(role="chair", user__isnull=False).first()
        if meeting is None or question is None or chair is None:
            continue
        field = "forum_case" if what == "case" else "deviation"
        AgendaItem.objects.create(
            meeting=meeting,
            added_by=chair.user,
            added_at=moment(today - days(2), 11),
            **{field: question},
        )
