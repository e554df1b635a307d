"""Demo agreements, documents library and convener rotation for ``seed_demo``.

From the seeds: the regional BUS agreement (2012) with all 26 municipalities and Region
Stockholm as parties; Norrtälje's local agreement, signed 2009-12-18 and revised in May 2012
and February 2014 (seed 002 gives only the months; the first of the month stands in); the
Rinkeby-Kista/Spånga-Tensta agreement signed 2014-04-10 by the functions seed 003 lists;
the library's documents and the dates the regional page carries (updated 2020-10-26,
fact-checked 2020-09-13); Norrtälje's rotating convener. Invented: every signatory's name,
the regional agreement's day and month, the follow-up and review dates, the fact-checker.
Safe to run again: every row is found by its natural key first.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from samverkan.demo.county import KSON
from samverkan.governance.models import (
    Agreement,
    AgreementRevision,
    ConvenerRotation,
    Document,
    RotationTurn,
    Signatory,
)
from samverkan.organisations.models import Body, LocalGroup, Principal

REGIONAL_TITLE = (
    "Samverkan kring barn och unga i behov av särskilt stöd (BUS) – överenskommelse mellan "
    "Region Stockholm och kommunerna i Stockholms län"
)
NORRTALJE_TITLE = "Lokal BUS-överenskommelse för Norrtälje"
JARVA_TITLE = (
    "Lokal överenskommelse för samverkan kring barn i behov av särskilt stöd (BUS), "
    "Rinkeby-Kista och Spånga-Tensta"
)

NORRTALJE_REVISIONS = [
    (datetime.date(2012, 5, 1), "Reviderad i maj 2012."),
    (datetime.date(2014, 2, 1), "Reviderad i februari 2014: ny representation i styrgruppen."),
]

# (function, invented name, principal name)
REGIONAL_SIGNATORIES = [
    ("Ordförande, Storsthlms styrelse", "Gunnel Granberg", None),
    ("Hälso- och sjukvårdsdirektör, Region Stockholm", "Henrik Hallström", "Region Stockholm"),
]
NORRTALJE_SIGNATORIES = [
    ("Ordförande, Barn- och skolnämnden", "Britta Bergqvist", "Norrtälje kommun"),
    ("Ordförande, Utbildningsnämnden", "Ulf Uddén", "Norrtälje kommun"),
    ("Ordförande, Socialnämnden", "Siv Sandell", "Norrtälje kommun"),
    ("Ordförande, direktionen för KSON", "Kjell Karlsson", KSON),
]
JARVA_SIGNATORIES = [
    ("Stadsdelsdirektör, Rinkeby-Kista stadsdelsförvaltning", "Rune Rydberg", "Stockholms stad"),
    ("Stadsdelsdirektör, Spånga-Tensta stadsdelsförvaltning", "Stella Sparre", "Stockholms stad"),
    ("Grundskolechef, Utbildningsförvaltningen", "Gustav Grahn", "Stockholms stad"),
    ("Grundskolechef, Utbildningsförvaltningen", "Greta Gyllen", "Stockholms stad"),
    (
        "Enhetschef, Prima Barn barn- och ungdomspsykiatriska mottagningen",
        "Petra Palm",
        "Region Stockholm",
    ),
    ("Verksamhetschef, Habilitering och Hälsa", "Hedda Holm", "Region Stockholm"),
]

# (principal, the party that convenes for it), in turn from 2020 (seed 002).
NORRTALJE_ROTATION = [
    (KSON, ""),
    ("Norrtälje kommun", "Barn- och skolnämnden och Utbildningsnämnden"),
    ("Norrtälje kommun", "Socialnämnden"),
]

SECRETARIAT_EMAIL = "sekretariat@demo.example"
FACT_CHECKER_EMAIL = "faktagranskare.hsf@demo.example"
UPDATED = datetime.date(2020, 10, 26)
FACT_CHECKED = datetime.date(2020, 9, 13)


def next_autumn(today: datetime.date) -> datetime.date:
    """A follow-up date ahead of today: the coming 30 November."""
    day = datetime.date(today.year, 11, 30)
    return day if day >= today else day.replace(year=today.year + 1)


def seed():
    today = timezone.localdate()
    regional = regional_agreement(today)
    norrtalje = norrtalje_agreement(today)
    jarva = jarva_agreement(today)
    documents(today, regional, norrtalje, jarva)
    rotation()


def agreement(title, kind, group, signed_on, follow_up, summary, parties, signatories):
    agreement, _ = Agreement.objects.get_or_create(
        title=title,
        local_group=group,
        defaults={
            "kind": kind,
            "signed_on": signed_on,
            "next_follow_up_on": follow_up,
            "summary": summary,
        },
    )
    agreement.parties.add(*parties)
    principals = {p.name: p for p in Principal.objects.all()}
    for function, name, principal in signatories:
        Signatory.objects.get_or_create(
            agreement=agreement,
            function=function,
            name=name,
            defaults={"principal": principals.get(principal)},
        )
    return agreement


def regional_agreement(today):
    parties = Principal.objects.filter(
        kind__in=[Principal.Kind.MUNICIPALITY, Principal.Kind.REGION]
    )
    return agreement(
        REGIONAL_TITLE,
        Agreement.Kind.REGIONAL,
        None,
        datetime.date(2012, 6, 1),
        next_autumn(today),
        "Beskriver gemensamma utgångspunkter och samverkansstrukturer för att barn i behov av "
        "särskilt stöd ska få de insatser de behöver och har rätt till. Ligger till grund för "
        "de lokala överenskommelserna. BUSSAM följer upp samverkan i länet en gång om året.",
        parties,
        REGIONAL_SIGNATORIES,
    )


def norrtalje_agreement(today):
    group = LocalGroup.objects.get(slug="norrtalje")
    parties = Principal.objects.filter(name__in=["Norrtälje kommun", KSON])
    local = agreement(
        NORRTALJE_TITLE,
        Agreement.Kind.LOCAL,
        group,
        datetime.date(2009, 12, 18),
        next_autumn(today),
        "Tydliggör ansvarsfördelningen mellan Barn- och skolnämnden, Utbildningsnämnden, "
        "Socialnämnden och direktionen för KSON, så att barn och unga folkbokförda i Norrtälje "
        "kommun i behov av särskilt stöd får de insatser de behöver och har rätt till.",
        parties,
        NORRTALJE_SIGNATORIES,
    )
    for revised_on, note in NORRTALJE_REVISIONS:
        AgreementRevision.objects.get_or_create(
            agreement=local, revised_on=revised_on, defaults={"note": note}
        )
    return local


def jarva_agreement(today):
    group = LocalGroup.objects.get(slug="rinkeby-kista-och-spanga-tensta")
    parties = Principal.objects.filter(name__in=["Stockholms stad", "Region Stockholm"])
    return agreement(
        JARVA_TITLE,
        Agreement.Kind.LOCAL,
        group,
        datetime.date(2014, 4, 10),
        next_autumn(today),
        "Lokal överenskommelse mellan stadsdelsområdena Rinkeby-Kista och Spånga-Tensta och "
        "Region Stockholm. Samverkan sker i BUS lokal styrgrupp, BUS arbetsgrupp och BUS "
        "individforum. Uppföljningen görs årligen av den lokala styrgruppen.",
        parties,
        JARVA_SIGNATORIES,
    )


def fact_checker():
    """A person at the health-care administration who checks the regional pages' facts; not
    a demo login."""
    user, created = get_user_model().objects.get_or_create(
        email=FACT_CHECKER_EMAIL, defaults={"first_name": "Fanny", "last_name": "Fredriksson"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def documents(today, regional, norrtalje, jarva):
    User = get_user_model()
    secretariat = User.objects.get(email=SECRETARIAT_EMAIL)
    checker = fact_checker()
    norrtalje_chair = User.objects.get(email="folkhalsostrateg@demo.example")
    jarva_chair = User.objects.get(email="ordforande.rinkeby@demo.example")
    past = datetime.date(today.year - 1, 10, 26)
    ahead = today + datetime.timedelta(days=365)
    K = Document.Kind
    # (title, kind, group, agreement, version, summary, updated, fact-checked, editor,
    #  review due)
    rows = [
        (REGIONAL_TITLE, K.AGREEMENT, None, regional, "2012",
         "Överenskommelse mellan Region Stockholm och kommuner i Stockholms län. Riktar sig "
         "till ledningen i kommunernas och regionens verksamheter.",
         UPDATED, FACT_CHECKED, secretariat, past),
        ("Placerade barn och unga", K.ROUTINE, None, None, "2017",
         "Överenskommelse mellan Region Stockholm och kommunerna i länet med rutiner som är "
         "tänkta som vägledning inför, under och efter en placering.",
         datetime.date(2017, 11, 1), FACT_CHECKED, secretariat, past),
        ("Ensamkommande barn och ungdomar", K.ROUTINE, None, None, "1",
         "Stöd för att stärka ensamkommande barns och ungas förutsättningar och livsvillkor.",
         UPDATED, FACT_CHECKED, secretariat, ahead),
        ("Förtydligande av regelverk vid ansökan om skolskjuts", K.CLARIFICATION, None, None,
         "2017-01-18", "Förtydligande av regelverk vid ansökan om skolskjuts.",
         datetime.date(2017, 1, 18), FACT_CHECKED, secretariat, ahead),
        ("Utredning av förskolebarn inför eventuell särskoleplacering", K.CLARIFICATION, None,
         None, "1", "Beslutsdokument om hur ansvarsfördelningen ser ut gällande utredning av "
         "förskolebarn inför en eventuell särskoleplacering.",
         UPDATED, FACT_CHECKED, secretariat, ahead),
        ("Läkarintyg för särskild kost i skolan", K.CLARIFICATION, None, None, "1",
         "Dokumentet riktar sig till personal i skola, i barn- och ungdomspsykiatrisk samt i "
         "barn- och ungdomsmedicinsk verksamhet.",
         UPDATED, FACT_CHECKED, secretariat, ahead),
        ("Samordnad individuell plan (SIP)", K.TEMPLATE, None, None, "1",
         "Mall för samordnad individuell plan. Ifyllningsbart dokument för nedladdning.",
         UPDATED, FACT_CHECKED, secretariat, ahead),
        ("Protokoll för BUS individforum", K.TEMPLATE, None, None, "1",
         "Mall för protokoll vid BUS individforums möten.",
         UPDATED, FACT_CHECKED, secretariat, ahead),
        ("Avvikelseblankett", K.TEMPLATE, None, None, "1",
         "Blanketten gäller avvikelser i förhållande till BUS-överenskommelsen.",
         UPDATED, FACT_CHECKED, secretariat, past),
        ("Orosanmälan till socialtjänsten", K.TEMPLATE, None, None, "1",
         "Barnavårdsanmälan till socialtjänsten – information och anmälansblankett.",
         UPDATED, FACT_CHECKED, secretariat, ahead),
        (NORRTALJE_TITLE, K.AGREEMENT, norrtalje.local_group, norrtalje, "2014-02",
         "Den lokala överenskommelsen med BUS-plan, reviderad februari 2014.",
         datetime.date(2014, 2, 1), None, norrtalje_chair, past),
        (JARVA_TITLE, K.AGREEMENT, jarva.local_group, jarva, "2014",
         "Den lokala överenskommelsen, undertecknad 2014-04-10.",
         datetime.date(2014, 4, 10), None, jarva_chair, ahead),
        ("Samverkan mellan resursenheten för barn och ungdom samt förskolor och skolor",
         K.ROUTINE, jarva.local_group, jarva, "1",
         "Samverkansöverenskommelse mellan stadsdelsförvaltningen Spånga-Tensta och skolorna "
         "i området. Bilaga till den lokala överenskommelsen.",
         datetime.date(2014, 4, 10), None, jarva_chair, ahead),
    ]  # fmt: skip
    for title, kind, group, agreement, version, summary, updated, checked, editor, due in rows:
        Document.objects.get_or_create(
            title=title,
            local_group=group,
            defaults={
                "kind": kind,
                "agreement": agreement,
                "version": version,
                "summary": summary,
                "updated_on": updated,
                "fact_checked_on": checked,
                "fact_checker": checker if checked else None,
                "editor": editor,
                "review_due_on": due,
            },
        )


def rotation():
    body = Body.objects.get(local_group__slug="norrtalje", kind=Body.Kind.CONSULTATION)
    rotation, created = ConvenerRotation.objects.get_or_create(
        body=body, defaults={"start_year": 2020}
    )
    if created or not rotation.turns.exists():
        principals = {p.name: p for p in Principal.objects.all()}
        for position, (principal, party) in enumerate(NORRTALJE_ROTATION, start=1):
            RotationTurn.objects.create(
                rotation=rotation, position=position, principal=principals[principal], party=party
            )
