"""The individforum at work, for ``seed_demo``: cases in every state in three local groups
(Rinkeby-Kista and Spånga-Tensta, Norrtälje, Södertälje), at least fifteen in each state
across them, dated around today.

- raised: some with days left before the two-week deadline, some past it with no meeting;
- convened: a meeting booked (one of them after the deadline), or held yesterday with the
  protocol still a draft;
- resolved: met, protocol signed, resolved at the meeting;
- lifted: met, protocol signed, lifted to the steering group with a principled question,
  waiting for it for days or months (more than 60 days is overdue in the inbox);
- decided: as lifted, then decided by the steering group.

Every case has its status history (``StatusChange``) on the days it happened, the units it
invited, and, from the meeting on, a written consent that lets the invited region unit see
it. The children are ``children.py``'s. Texts name no one's number, e-mail or phone.
Safe to run again: a case is found by its child and reason first.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from samverkan.consent.models import Consent
from samverkan.demo.history import backdate, days, moment
from samverkan.forum.models import (
    Attendee,
    Decision,
    ForumCase,
    Invitee,
    PartyView,
    Protocol,
    StatusChange,
)
from samverkan.organisations.models import LocalGroup, Unit
from samverkan.people.models import Guardian, Involvement

S = ForumCase.Status


@dataclass(frozen=True)
class Group:
    slug: str
    home: str  # the raising unit, which registered the children
    raiser: str
    convener: str
    convener_unit: str
    chair: str
    place: str
    # (unit, person email or None, attendee's name, function): invited to the meetings
    invited: tuple
    # status: [parameters], see ``timeline``
    cases: dict
    offset: int = 0  # where the group starts in the texts below


GROUPS = [
    Group(
        slug="rinkeby-kista-och-spanga-tensta",
        home="Socialtjänsten barn och ungdom, Rinkeby-Kista",
        raiser="handlaggare.rinkeby@demo.example",
        convener="enhetschef.ungdomsenheten@demo.example",
        convener_unit="Ungdomsenheten, Rinkeby-Kista",
        chair="ordforande.rinkeby@demo.example",
        place="Rinkeby-Kista stadsdelsförvaltning, sammanträdesrum 2",
        invited=(
            ("Prima Barn BUP Rinkeby-Kista", "enhetschef.primabarn@demo.example",
             "Maja Malmberg", "Enhetschef"),
            ("Kista grundskola", None, "Rebecka Rask", "Rektor"),
        ),
        # Only two lifted here: the steering group's inbox stays short enough for the
        # browser flows to find their own question among its first rows.
        cases={
            S.RAISED: [1, 4, 7, 11, 19, 27],
            S.CONVENED: [(3, 5), (6, 4), (9, 2), (12, -1), (19, 1)],
            S.LIFTED: [(26, 10), (74, 12)],
            S.DECIDED: [(110, 9, 28), (200, 12, 35), (300, 7, 21), (420, 10, 40),
                        (610, 13, 30), (700, 16, 45)],
            S.RESOLVED: [(34, 8), (96, 11), (170, 6), (260, 13), (380, 17), (520, 9)],
        },
    ),
    Group(
        slug="norrtalje",
        home="Socialkontoret, Barn och Vuxna",
        raiser="socialsekreterare.norrtalje@demo.example",
        convener="enhetschef.socialkontoret@demo.example",
        convener_unit="Socialkontoret, Barn och Vuxna",
        chair="folkhalsostrateg@demo.example",
        place="Socialkontoret Norrtälje, sammanträdesrum Roslagen",
        invited=(
            ("Tiohundra, Barn- och ungdomspsykiatrisk mottagning (BUP)",
             "enhetschef.bup.tiohundra@demo.example", "Berit Björklund", "Enhetschef"),
            ("Centrala barn- och elevhälsan", None, "Cecilia Carlén", "Verksamhetschef"),
        ),
        cases={
            S.RAISED: [2, 6, 10, 16, 23],
            S.CONVENED: [(2, 6), (5, 3), (8, 5), (13, -2), (10, 1), (22, 2)],
            S.LIFTED: [(6, 9), (19, 11), (38, 13), (52, 8), (64, 12), (97, 10), (143, 15)],
            S.DECIDED: [(90, 8, 25), (180, 11, 32), (330, 9, 27), (450, 14, 38), (560, 12, 30)],
            S.RESOLVED: [(45, 10), (130, 8), (240, 12), (350, 15), (480, 9)],
        },
        offset=4,
    ),
    Group(
        slug="sodertalje",
        home="Socialtjänsten barn och unga, Södertälje",
        raiser="socialsekreterare.sodertalje@demo.example",
        convener="enhetschef.sodertalje@demo.example",
        convener_unit="Socialtjänsten barn och unga, Södertälje",
        chair="avdelningschef.sodertalje@demo.example",
        place="Södertälje stadshus, sammanträdesrum Mälaren",
        invited=(
            ("BUP Södertälje", None, "Bengt Bodin", "Enhetschef"),
            ("Södertäljeskolan", None, "Stina Strömberg", "Rektor"),
        ),
        cases={
            S.RAISED: [3, 8, 12, 17, 30],
            S.CONVENED: [(4, 7), (7, 4), (11, 2), (9, -1), (18, 3)],
            S.LIFTED: [(9, 8), (24, 12), (41, 10), (58, 9), (69, 11), (88, 13), (121, 9)],
            S.DECIDED: [(120, 10, 30), (210, 9, 24), (340, 13, 41), (470, 8, 33), (640, 11, 29)],
            S.RESOLVED: [(28, 7), (75, 12), (190, 9), (300, 11), (440, 13)],
        },
        offset=8,
    ),
]  # fmt: skip

REASONS = [
    "Skolan och BUP är oeniga om vem som ska ge stöd under skoldagen efter en "
    "neuropsykiatrisk utredning.",
    "Socialtjänsten och BUP har olika syn på om insatserna i hemmet ska komma före behandlingen.",
    "Barnet har inte varit i skolan på flera veckor och ingen part har tagit samordningsansvaret.",
    "Habiliteringen och skolan kan inte enas om vem som ansvarar för anpassningarna i klassrummet.",
    "Behov av samordnad planering inför en placering utanför hemmet; BUP och socialtjänsten "
    "är oeniga om när.",
    "Familjen har hänvisats mellan vårdcentralen, BUP och elevhälsan utan att någon tagit ansvar.",
    "Skolan begär stöd från socialtjänsten, men socialtjänstens utredning är avslutad utan "
    "insatser.",
    "Oklart vem som bekostar elevassistent när behovet följer av en medicinsk diagnos.",
    "Barnet väntar på utredning hos BUP medan skolan behöver underlag för särskilt stöd.",
    "Insatserna från socialtjänsten och barnhabiliteringen krockar och familjen orkar inte "
    "med båda.",
    "Ett nyanlänt barn behöver samordnade insatser från skola, elevhälsa och BUP; ansvaret "
    "är oklart.",
    "Stöd under skolskjutsen: kommunen och regionen hänvisar till varandra.",
]
QUESTIONS = [
    "Vem har samordningsansvaret när både BUP och socialtjänsten har pågående insatser och "
    "skolan begär stöd?",
    "Vilken huvudman bekostar elevassistent när behovet följer av en medicinsk diagnos?",
    "Ska BUP:s behandling vänta tills socialtjänstens insatser i hemmet har kommit i gång?",
    "Vem ansvarar för stödet under skolskjutsen när eleven har ett vårdbehov?",
    "Vem kallar till SIP när barnet väntar på utredning och skolan behöver underlag?",
    "Hur fördelas ansvaret för nyanlända barn som behöver insatser från flera huvudmän innan "
    "de är folkbokförda?",
    "Vilken part ansvarar för anpassningarna i skolan när habiliteringen har gett råd men "
    "inte resurser?",
]
DECISIONS = [
    "Socialtjänsten samordnar och kallar till SIP inom två veckor. Arbetsgruppen tar fram en "
    "rutin för liknande fall.",
    "Huvudmännen delar kostnaden lika under terminen. Frågan lyfts till BUSSAM som en "
    "principiell fråga för länet.",
    "BUP påbörjar behandlingen parallellt med socialtjänstens insatser. Cheferna följer upp "
    "efter sex veckor.",
    "Skolan ansvarar för anpassningarna; habiliteringen handleder personalen två gånger per "
    "termin.",
    "Elevhälsan kallar till SIP. Styrgruppen följer upp ärendet vid nästa möte.",
    "Kommunen ansvarar för stödet under resan; regionen utbildar personalen.",
]
BACKGROUNDS = [
    "Parterna har haft kontakt sedan terminsstarten utan att enas om ansvaret. "
    "Vårdnadshavaren har samtyckt till att frågan tas upp i individforum.",
    "Barnets frånvaro har ökat under hösten. Skolan har gjort anpassningar som inte räckt, "
    "och insatserna från de andra parterna har inte samordnats.",
    "Familjen har haft kontakt med flera verksamheter men ingen gemensam planering. "
    "Vårdnadshavarna ber om en samordnad plan.",
    "Utredningen är klar men parterna har olika syn på vilka insatser som behövs och vem som "
    "ska ge dem.",
]
VIEWS = {
    "home": "Socialtjänsten kan erbjuda stöd i hemmet men behöver att de andra parterna deltar "
    "i planeringen.",
    "region": "Mottagningen kan ta emot barnet för bedömning inom fyra veckor och delta i en "
    "samordnad plan.",
    "school": "Skolan har gjort anpassningar men behöver stöd från elevhälsan och regionen för "
    "att barnet ska klara skoldagen.",
}


@dataclass
class Timeline:
    status: str
    noticed: datetime.date
    raised: datetime.date
    meeting: datetime.date | None = None
    convened: datetime.date | None = None
    decided: datetime.date | None = None  # the steering group's decision
    draft_protocol: bool = False  # met, but the protocol is not signed yet


def timeline(status, params, today) -> Timeline:
    """The case's days, from its parameters:

    - raised: days since the need was noticed;
    - convened: (days since noticed, days from today to the meeting: negative = held);
    - resolved: (days since noticed, days from noticed to the meeting);
    - lifted: (days waiting for the steering group since the meeting, days from noticed to
      the meeting);
    - decided: (days since noticed, days to the meeting, days from the meeting to the
      steering group's decision)."""
    if status == S.RAISED:
        noticed = today - days(params)
        return Timeline(status, noticed, min(noticed + days(1), today))
    if status == S.CONVENED:
        ago, meeting_in = params
        noticed = today - days(ago)
        raised = min(noticed + days(1), today)
        return Timeline(
            status, noticed, raised, meeting=today + days(meeting_in),
            convened=min(raised + days(1), today), draft_protocol=meeting_in < 0,
        )  # fmt: skip
    if status == S.LIFTED:
        waiting, to_meeting = params
        meeting = today - days(waiting)
        noticed = meeting - days(to_meeting)
    elif status == S.RESOLVED:
        ago, to_meeting = params
        noticed = today - days(ago)
        meeting = noticed + days(to_meeting)
    else:
        ago, to_meeting, to_decision = params
        noticed = today - days(ago)
        meeting = noticed + days(to_meeting)
    raised = noticed + days(1)
    line = Timeline(status, noticed, raised, meeting=meeting, convened=raised + days(1))
    if status == S.DECIDED:
        line.decided = meeting + days(to_decision)
    return line


def plan_cases(group: Group, kids, today):
    """(child, reason, timeline) for every case of the group, open ones first so that no
    child has two open cases; the children after the first round get an older case."""
    order = [S.RAISED, S.CONVENED, S.LIFTED, S.DECIDED, S.RESOLVED]
    lines = [timeline(status, p, today) for status in order for p in group.cases[status]]
    for i, line in enumerate(lines):
        reason = REASONS[(i + group.offset) % len(REASONS)]
        yield kids[i % len(kids)], reason, line, i + group.offset


def seed(children: dict[str, list]) -> dict[int, datetime.date]:
    """Open the cases not there yet; {child id: the day its first case's need was noticed}."""
    User = get_user_model()
    today = timezone.localdate()
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.example")}
    first_seen: dict[int, datetime.date] = {}
    for group in GROUPS:
        kids = children[group.home]
        for child, _reason, line, _n in plan_cases(group, kids, today):
            first_seen[child.pk] = min(line.noticed, first_seen.get(child.pk, line.noticed))
        seed_group(group, kids, users, today)
    return first_seen


def seed_group(group: Group, kids, users, today) -> None:
    local_group = LocalGroup.objects.get(slug=group.slug)
    names = {group.home, group.convener_unit, *(i[0] for i in group.invited)}
    units = {u.name: u for u in Unit.objects.filter(name__in=names)}
    home = units[group.home]
    raiser, convener, chair = users[group.raiser], users[group.convener], users[group.chair]
    found = set(ForumCase.objects.filter(child__in=kids).values_list("child_id", "reason"))
    todo = [
        (child, reason, line, n)
        for child, reason, line, n in plan_cases(group, kids, today)
        if (child.pk, reason) not in found
    ]
    if not todo:
        return
    todo.sort(key=lambda row: (row[2].raised, row[3]))  # numbered in the order raised
    cases = []
    for child, reason, line, n in todo:
        case = ForumCase(
            local_group=local_group, child=child, raised_by_unit=home, raised_by=raiser,
            raised_on=line.raised, noticed_on=line.noticed, reason=reason, convener=convener,
            status=line.status, meeting_on=line.meeting,
        )  # fmt: skip
        if line.meeting:
            case.meeting_time = datetime.time(13, 0) if n % 2 else datetime.time(9, 0)
            case.meeting_place = group.place
        if line.status in (S.LIFTED, S.DECIDED):
            case.principled_question = QUESTIONS[n % len(QUESTIONS)]
        if line.status == S.DECIDED:
            case.steering_decision = DECISIONS[n % len(DECISIONS)]
            case.steering_decided_on = line.decided
            case.steering_decided_by = chair
        case.save()  # its reference and deadline
        cases.append((case, line, n))
    history(cases, raiser, convener, chair)
    met = [(case, line, n) for case, line, n in cases if line.meeting]
    invite(met, group, units, users)
    protocols(met, group, units, users, raiser, convener)
    consents(met, group, units, raiser, home)
    Involvement.objects.bulk_create(
        [
            Involvement(child=case.child, unit=unit, reason=f"Individforum {case.reference}")
            for case, line, _n in cases
            for unit in [home, units[group.convener_unit]]
            + ([units[i[0]] for i in group.invited] if line.meeting else [])
        ],
        ignore_conflicts=True,
    )


def history(cases, raiser, convener, chair) -> None:
    """Each case's status changes, on the days they happened."""
    rows, when = [], []

    def change(case, status, by, at, note=""):
        rows.append(StatusChange(case=case, status=status, by=by, note=note))
        when.append(at)

    for case, line, _n in cases:
        change(case, S.RAISED, raiser, moment(line.raised, 9, 30))
        if line.convened:
            change(case, S.CONVENED, convener, moment(line.convened, 14))
        if line.status in (S.RESOLVED, S.LIFTED, S.DECIDED):
            outcome = S.RESOLVED if line.status == S.RESOLVED else S.LIFTED
            change(case, outcome, convener, moment(line.meeting, 16))
        if line.status == S.DECIDED:
            note = f"Styrgruppen beslutade på mötet {line.decided.isoformat()}"
            change(case, S.DECIDED, chair, moment(line.decided, 15), note)
    StatusChange.objects.bulk_create(rows)
    backdate(StatusChange, rows, "at", when)


def invite(met, group, units, users) -> None:
    Invitee.objects.bulk_create(
        [
            Invitee(case=case, unit=units[unit], person=users.get(email) if email else None)
            for case, _line, _n in met
            for unit, email, _name, _function in group.invited
        ]
    )


def protocols(met, group, units, users, raiser, convener) -> None:
    """The protocol of each meeting held: signed by the convener the same day, or still a
    draft when the meeting was this week."""
    held = [(c, line, n) for c, line, n in met if line.status != S.CONVENED or line.draft_protocol]
    rows, created = [], []
    for case, line, n in held:
        signed = not line.draft_protocol
        follow_up = (
            "Parterna följer upp i SIP-mötet."
            if line.status == S.RESOLVED
            else "Styrgruppen tar ställning till ansvarsfrågan vid nästa möte."
        )
        rows.append(
            Protocol(
                case=case,
                version=1,
                created_by=convener,
                background=BACKGROUNDS[n % len(BACKGROUNDS)],
                follow_up=follow_up,
                signed_by=convener if signed else None,
                signed_at=moment(line.meeting, 15) if signed else None,
            )  # fmt: skip
        )
        created.append(moment(line.meeting, 14, 30))
    Protocol.objects.bulk_create(rows)
    backdate(Protocol, rows, "created_at", created)
    region, school = (units[i[0]] for i in group.invited)
    home, convening = units[group.home], units[group.convener_unit]
    attendees, views, decisions = [], [], []
    for protocol, (_case, line, _n) in zip(rows, held, strict=True):
        attendees += [
            Attendee(protocol=protocol, name=convener.get_full_name(), function="Enhetschef",
                     unit=convening),
            Attendee(protocol=protocol, name=raiser.get_full_name(), function="Socialsekreterare",
                     unit=home),
        ] + [
            Attendee(protocol=protocol, name=name, function=function, unit=units[unit])
            for unit, _email, name, function in group.invited
        ]  # fmt: skip
        views += [
            PartyView(protocol=protocol, unit=home, view=VIEWS["home"]),
            PartyView(protocol=protocol, unit=region, view=VIEWS["region"]),
            PartyView(protocol=protocol, unit=school, view=VIEWS["school"]),
        ]
        if line.status == S.RESOLVED:
            text, responsible = "Samordnad individuell plan upprättas; socialtjänsten kallar.", home
        elif line.status == S.CONVENED:
            text, responsible = "Parterna återkommer med förslag på insatser.", region
        else:
            text, responsible = "Frågan om ansvaret lyfts till styrgruppen.", convening
        decisions.append(
            Decision(protocol=protocol, text=text, responsible_unit=responsible,
                     due_on=line.meeting + days(14))
        )  # fmt: skip
    Attendee.objects.bulk_create(attendees)
    PartyView.objects.bulk_create(views)
    Decision.objects.bulk_create(decisions)


def consents(met, group, units, recorded_by, home) -> None:
    """The guardian's written consent for the meeting, naming the invited region unit; in
    force for a year from when the case was raised."""
    guardians = {
        g.child_id: g for g in Guardian.objects.filter(child__in=[c.child for c, *_ in met])
    }
    kind = ContentType.objects.get_for_model(ForumCase)
    rows = [
        Consent(
            child=case.child,
            form=Consent.Form.WRITTEN,
            purpose_type=kind,
            purpose_id=case.pk,
            purpose_text=f"Individforum {case.reference}",
            given_on=line.raised,
            valid_until=line.raised + days(365),
            recorded_by=recorded_by,
            recorded_by_unit=home,
        )  # fmt: skip
        for case, line, _n in met
    ]
    Consent.objects.bulk_create(rows)
    backdate(Consent, rows, "recorded_at", [moment(c.given_on, 11) for c in rows])
    region = units[group.invited[0][0]]
    Consent.units.through.objects.bulk_create(
        [Consent.units.through(consent_id=c.pk, unit_id=region.pk) for c in rows]
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
