"""Demo data that looks like Stockholm county. Loaded by ``manage.py seed_demo``.

What is real: the 26 municipalities, Stockholm city's 13 district areas, the county bodies,
and the shape of Norrtälje's and Rinkeby-Kista/Spånga-Tensta's local structures as their
local agreements describe them (seeds 002 and 003). What is invented: every person, every
e-mail address, the organisation numbers (valid check digit, generated from a serial) and
the division of the county into 33 local groups (the sources say there are 33, not how the
county is divided).
"""

import datetime

from django.utils.text import slugify
from stdnum import luhn

MUNICIPALITIES = [
    "Botkyrka", "Danderyd", "Ekerö", "Haninge", "Huddinge", "Järfälla", "Lidingö", "Nacka",
    "Norrtälje", "Nykvarn", "Nynäshamn", "Salem", "Sigtuna", "Sollentuna", "Solna",
    "Stockholm", "Sundbyberg", "Södertälje", "Tyresö", "Täby", "Upplands Väsby",
    "Upplands-Bro", "Vallentuna", "Vaxholm", "Värmdö", "Österåker",
]  # fmt: skip

STOCKHOLM_DISTRICTS = [
    "Rinkeby-Kista", "Spånga-Tensta", "Hässelby-Vällingby", "Bromma", "Kungsholmen",
    "Norrmalm", "Östermalm", "Södermalm", "Enskede-Årsta-Vantör", "Skarpnäck", "Farsta",
    "Hägersten-Älvsjö", "Skärholmen",
]  # fmt: skip

# Stockholm city's 13 districts shared among 8 groups; with the other 25 municipalities,
# one group each, that makes the county's 33 local groups. The first pair is from seed 003.
STOCKHOLM_GROUPS = [
    ("Rinkeby-Kista och Spånga-Tensta", ["Rinkeby-Kista", "Spånga-Tensta"]),
    ("Hässelby-Vällingby och Bromma", ["Hässelby-Vällingby", "Bromma"]),
    ("Stockholms innerstad", ["Kungsholmen", "Norrmalm", "Östermalm"]),
    ("Södermalm", ["Södermalm"]),
    ("Enskede-Årsta-Vantör", ["Enskede-Årsta-Vantör"]),
    ("Skarpnäck och Farsta", ["Skarpnäck", "Farsta"]),
    ("Hägersten-Älvsjö", ["Hägersten-Älvsjö"]),
    ("Skärholmen", ["Skärholmen"]),
]

INDEPENDENT_SCHOOL_OWNERS = ["Lärogården Skolor AB", "Stiftelsen Ekskolan", "Nova Utbildning AB"]

# Regional units of every kind, with the area they serve (None: the whole county).
REGION_UNITS = [
    ("Prima Barn BUP Rinkeby-Kista", "bup", "Rinkeby-Kista"),
    ("BUP Södertälje", "bup", "Södertälje"),
    ("BUP Järfälla", "bup", "Järfälla"),
    ("BUP Nacka", "bup", "Nacka"),
    ("BUP Huddinge", "bup", "Huddinge"),
    ("BUP Södermalm", "bup", "Södermalm"),
    ("Barn- och ungdomsmedicinska mottagningen Järva", "bumm", "Spånga-Tensta"),
    ("BUMM Södertälje", "bumm", "Södertälje"),
    ("BUMM Sollentuna", "bumm", "Sollentuna"),
    ("Habilitering och Hälsa, barn och ungdom Järva", "habilitation", "Rinkeby-Kista"),
    ("Habilitering och Hälsa, barn och ungdom Nacka", "habilitation", "Nacka"),
    ("Ungdomsmottagningen Haninge", "youth_clinic", "Haninge"),
    ("Ungdomsmottagningen Tensta", "youth_clinic", "Spånga-Tensta"),
    ("BVC Kista", "child_health_care", "Rinkeby-Kista"),
    ("BVC Botkyrka", "child_health_care", "Botkyrka"),
    ("Vårdcentral Rinkeby", "primary_care", "Rinkeby-Kista"),
    ("Vårdcentral Täby", "primary_care", "Täby"),
    ("BUP Akutmottagning", "bup", None),
    ("Centrum för barn- och ungdomshälsa, länsgemensamt", "other", None),
]

# Norrtälje: the municipality, the federation KSON and its provider Tiohundra (seed 002).
# The federation's full name; people know it as KSON.
KSON = "Kommunalförbundet Sjukvård och omsorg i Norrtälje (KSON)"
NORRTALJE_UNITS = [
    ("Norrtälje kommun", "Socialkontoret, Barn och Vuxna", "social_services"),
    ("Norrtälje kommun", "Barn- och utbildningskontoret", "other"),
    ("Norrtälje kommun", "Centrala barn- och elevhälsan", "student_health"),
    ("Norrtälje kommun", "ESU, Centrala barn- och elevhälsan", "student_health"),
    ("Norrtälje kommun", "Trygghets- och säkerhetskontoret", "other"),
    ("Norrtälje kommun", "Grindskolan", "compulsory_school"),
    ("Norrtälje kommun", "Rodengymnasiet", "upper_secondary_school"),
    ("Norrtälje kommun", "Förskolan Lärkan", "preschool"),
    ("KSON", "KSON, Avdelningen Barn och Vuxna", "other"),
    ("KSON", "KSON, Avdelningen för stöd och service till personer med funktionsnedsättning", "other"),
    ("KSON", "KSON, Avdelningen för Kvalitet och Innovation", "other"),
    ("KSON", "KSON, LSS", "other"),
    ("KSON", "Tiohundra, Barn- och ungdomspsykiatrisk mottagning (BUP)", "bup"),
    ("KSON", "Tiohundra, Barn- och ungdomsmedicinsk mottagning (BUMM)", "bumm"),
    ("KSON", "Tiohundra, Barnhabilitering och Öppen förskola", "habilitation"),
    ("KSON", "Tiohundra, 1:a linjen barn och ungdom 0–24 år", "youth_clinic"),
]  # fmt: skip

# (function, unit name, role) per body; from seed 002.
NORRTALJE_BODIES = {
    "steering": [
        ("Folkhälsostrateg", "Trygghets- och säkerhetskontoret", "chair"),
        ("Socialkontoret, representant", "Socialkontoret, Barn och Vuxna", "member"),
        ("Avdelningschef Barn och Vuxna", "KSON, Avdelningen Barn och Vuxna", "member"),
        ("Avdelningschef, stöd och service till personer med funktionsnedsättning",
         "KSON, Avdelningen för stöd och service till personer med funktionsnedsättning", "member"),
        ("Avdelningschef, Kvalitet och Innovation", "KSON, Avdelningen för Kvalitet och Innovation", "member"),
        ("Verksamhetschef, Centrala barn- och elevhälsan", "Centrala barn- och elevhälsan", "member"),
    ],
    "working": [
        ("Enhetschef, Barn och Vuxna", "Socialkontoret, Barn och Vuxna", "convener"),
        ("Gruppledare, LSS", "KSON, LSS", "member"),
        ("Samordnare, Centrala barn- och elevhälsan", "Centrala barn- och elevhälsan", "member"),
        ("Enhetschef, ESU Centrala barn- och elevhälsa", "ESU, Centrala barn- och elevhälsan", "member"),
        ("Enhetschef, Barn- och ungdomspsykiatrisk mottagning (BUP)",
         "Tiohundra, Barn- och ungdomspsykiatrisk mottagning (BUP)", "member"),
        ("Enhetschef, Barn- och ungdomsmedicinsk mottagning (BUMM)",
         "Tiohundra, Barn- och ungdomsmedicinsk mottagning (BUMM)", "member"),
        ("Enhetschef, Barnhabilitering och Öppen förskola",
         "Tiohundra, Barnhabilitering och Öppen förskola", "member"),
        ("Enhetschef, 1:a linjen barn och ungdom 0–24 år",
         "Tiohundra, 1:a linjen barn och ungdom 0–24 år", "member"),
    ],
    "individforum": [
        ("Enhetschef, Barn och Vuxna (sammankallande)", "Socialkontoret, Barn och Vuxna", "convener"),
    ],
    "consultation": [
        ("Arbetsutskott, direktionen för KSON", None, "member"),
        ("Presidium, Barn- och skolnämnden", None, "member"),
        ("Presidium, Utbildningsnämnden", None, "member"),
        ("Presidium, Socialnämnden", None, "member"),
    ],
}  # fmt: skip

NORRTALJE_ROTATION = (
    "Sammankallande roterar: KSON (2020), Barn- och skolnämnden och Utbildningsnämnden (2021), "
    "Socialnämnden (2022), sedan om igen."
)

# Rinkeby-Kista and Spånga-Tensta (seed 003).
RK_ST_UNITS = [
    ("Stockholms stad", "Socialtjänsten barn och ungdom, Rinkeby-Kista", "social_services", "Rinkeby-Kista"),
    ("Stockholms stad", "Ungdomsenheten, Rinkeby-Kista", "social_services", "Rinkeby-Kista"),
    ("Stockholms stad", "Individ- och familjeomsorgen, Spånga-Tensta", "social_services", "Spånga-Tensta"),
    ("Stockholms stad", "Barn- och ungdomsenheten, Spånga-Tensta", "social_services", "Spånga-Tensta"),
    ("Stockholms stad", "Rinkeby-Kista stadsdelsförvaltning", "other", "Rinkeby-Kista"),
    ("Stockholms stad", "Spånga-Tensta stadsdelsförvaltning", "other", "Spånga-Tensta"),
    ("Stockholms stad", "Utbildningsförvaltningen, grundskoleavdelningen Järva", "other", "Rinkeby-Kista"),
    ("Stockholms stad", "Elevhälsan Järva", "student_health", "Spånga-Tensta"),
    ("Stockholms stad", "Kista grundskola", "compulsory_school", "Rinkeby-Kista"),
    ("Stockholms stad", "Tensta gymnasium", "upper_secondary_school", "Spånga-Tensta"),
    ("Stockholms stad", "Förskolan Solrosen, Rinkeby", "preschool", "Rinkeby-Kista"),
]  # fmt: skip

RK_ST_BODIES = {
    "steering": [
        ("Verksamhetsområdeschef, socialtjänst barn och ungdom, Rinkeby-Kista",
         "Socialtjänsten barn och ungdom, Rinkeby-Kista", "chair"),
        ("IoF-chef, Spånga-Tensta", "Individ- och familjeomsorgen, Spånga-Tensta", "convener"),
        ("Stadsdelsdirektör, Rinkeby-Kista", "Rinkeby-Kista stadsdelsförvaltning", "member"),
        ("Stadsdelsdirektör, Spånga-Tensta", "Spånga-Tensta stadsdelsförvaltning", "member"),
        ("Grundskolechef, Utbildningsförvaltningen", "Utbildningsförvaltningen, grundskoleavdelningen Järva", "member"),
        ("Enhetschef, Prima Barn BUP", "Prima Barn BUP Rinkeby-Kista", "member"),
        ("Verksamhetschef, Habilitering och Hälsa", "Habilitering och Hälsa, barn och ungdom Järva", "member"),
        ("Verksamhetschef, BUMM", "Barn- och ungdomsmedicinska mottagningen Järva", "member"),
    ],
    "working": [
        ("Enhetschef, Ungdomsenheten Rinkeby-Kista", "Ungdomsenheten, Rinkeby-Kista", "convener"),
        ("Enhetschef, Barn- och ungdomsenheten Spånga-Tensta", "Barn- och ungdomsenheten, Spånga-Tensta", "convener"),
        ("Samordnare, Elevhälsan Järva", "Elevhälsan Järva", "member"),
        ("Biträdande enhetschef, Prima Barn BUP", "Prima Barn BUP Rinkeby-Kista", "member"),
        ("Enhetschef, BVC Kista", "BVC Kista", "member"),
        ("Samordnare, Habilitering och Hälsa", "Habilitering och Hälsa, barn och ungdom Järva", "member"),
    ],
    "individforum": [
        ("Utsedd enhetschef ur arbetsgruppen (sammankallande)", "Ungdomsenheten, Rinkeby-Kista", "convener"),
    ],
}  # fmt: skip

GENERIC_BODIES = {
    "steering": [
        ("Avdelningschef, individ- och familjeomsorg", "social_services", "chair"),
        ("Förvaltningschef, utbildning", "student_health", "member"),
        ("Verksamhetschef, BUP", "bup", "member"),
        ("Verksamhetschef, habilitering", "habilitation", "member"),
    ],
    "working": [
        ("Enhetschef, socialtjänst barn och unga", "social_services", "convener"),
        ("Samordnare, elevhälsan", "student_health", "member"),
        ("Enhetschef, BUP", "bup", "member"),
    ],
    "individforum": [
        ("Utsedd enhetschef ur arbetsgruppen (sammankallande)", "social_services", "convener"),
    ],
}

COUNTY_BODIES = [
    ("BUSSAM", "bussam", "several_per_year",
     "Beslutande forum för chefstjänstepersoner från kommunerna och Region Stockholm.",
     [("Förvaltningschef, utbildning (kommunrepresentant)", "chair"),
      ("Socialchef (kommunrepresentant)", "member"),
      ("Divisionschef, barn- och ungdomspsykiatri, Region Stockholm", "member"),
      ("Verksamhetschef, barnmedicin, Region Stockholm", "member"),
      ("Verksamhetschef, habilitering, Region Stockholm", "member"),
      ("Avdelningschef, Hälso- och sjukvårdsförvaltningen", "member")]),
    ("BUS-sekretariatet", "secretariat", "continuous",
     "Tjänstepersoner från Storsthlm och Hälso- och sjukvårdsförvaltningen. Stöder BUSSAM och de 33 lokala BUS-grupperna.",
     [("Utvecklingsledare, Storsthlm", "secretary"),
      ("Handläggare, Hälso- och sjukvårdsförvaltningen", "member")]),
    ("Presidiegruppen", "presidium", "yearly",
     "Presidierna från Region Stockholms hälso- och sjukvårdsnämnd och Storsthlms beredningar.",
     [("Ordförande, hälso- och sjukvårdsnämnden", "chair"),
      ("Ordförande, Storsthlms beredning för utbildning", "member"),
      ("Ordförande, Storsthlms beredning för socialtjänst", "member")]),
]  # fmt: skip

DEMO_PASSWORD = "samverkan-demo"  # noqa: S105 (printed by seed_demo; only demo data has it)

# (email, first name, last name, flags, unit memberships [(unit, role, title)],
#  body seats [(group name or None, body kind, function)] that the person holds)
DEMO_USERS = [
    ("admin@demo.example", "Alva", "Administratör", {"is_superuser": True, "is_staff": True}, [], []),
    ("sekretariat@demo.example", "Sara", "Sekreterarsson", {"is_secretariat": True}, [],
     [(None, "secretariat", "Utvecklingsledare, Storsthlm")]),
    ("logg@demo.example", "Leo", "Logggranskare", {"is_log_reviewer": True}, [], []),
    ("folkhalsostrateg@demo.example", "Nora", "Norrström", {},
     [("Trygghets- och säkerhetskontoret", "manager", "Folkhälsostrateg")],
     [("Norrtälje", "steering", "Folkhälsostrateg")]),
    ("enhetschef.socialkontoret@demo.example", "Erik", "Ekholm", {},
     [("Socialkontoret, Barn och Vuxna", "manager", "Enhetschef")],
     [("Norrtälje", "working", "Enhetschef, Barn och Vuxna"),
      ("Norrtälje", "individforum", "Enhetschef, Barn och Vuxna (sammankallande)")]),
    ("enhetschef.bup.tiohundra@demo.example", "Berit", "Björklund", {},
     [("Tiohundra, Barn- och ungdomspsykiatrisk mottagning (BUP)", "manager", "Enhetschef")],
     [("Norrtälje", "working", "Enhetschef, Barn- och ungdomspsykiatrisk mottagning (BUP)")]),
    ("kurator.grindskolan@demo.example", "Kim", "Kullberg", {},
     [("Grindskolan", "staff", "Skolkurator")], []),
    ("ordforande.rinkeby@demo.example", "Omar", "Olsson", {},
     [("Socialtjänsten barn och ungdom, Rinkeby-Kista", "manager", "Verksamhetsområdeschef")],
     [("Rinkeby-Kista och Spånga-Tensta", "steering",
       "Verksamhetsområdeschef, socialtjänst barn och ungdom, Rinkeby-Kista")]),
    ("enhetschef.ungdomsenheten@demo.example", "Ulla", "Unger", {},
     [("Ungdomsenheten, Rinkeby-Kista", "manager", "Enhetschef")],
     [("Rinkeby-Kista och Spånga-Tensta", "working", "Enhetschef, Ungdomsenheten Rinkeby-Kista"),
      ("Rinkeby-Kista och Spånga-Tensta", "individforum",
       "Utsedd enhetschef ur arbetsgruppen (sammankallande)")]),
    ("handlaggare.rinkeby@demo.example", "Hanna", "Hassan", {},
     [("Socialtjänsten barn och ungdom, Rinkeby-Kista", "staff", "Socialsekreterare")], []),
    ("enhetschef.primabarn@demo.example", "Maja", "Malmberg", {},
     [("Prima Barn BUP Rinkeby-Kista", "manager", "Enhetschef")],
     [("Rinkeby-Kista och Spånga-Tensta", "steering", "Enhetschef, Prima Barn BUP")]),
    ("socialsekreterare.norrtalje@demo.example", "Sanna", "Sundin", {},
     [("Socialkontoret, Barn och Vuxna", "staff", "Socialsekreterare")], []),
    # Södertälje: a group without a modelled agreement, whose individforum is at work too.
    ("enhetschef.sodertalje@demo.example", "Selma", "Sjöberg", {},
     [("Socialtjänsten barn och unga, Södertälje", "manager", "Enhetschef")],
     [("Södertälje", "working", "Enhetschef, socialtjänst barn och unga"),
      ("Södertälje", "individforum", "Utsedd enhetschef ur arbetsgruppen (sammankallande)")]),
    ("avdelningschef.sodertalje@demo.example", "Dag", "Dahlgren", {},
     [("Socialtjänsten barn och unga, Södertälje", "manager", "Avdelningschef")],
     [("Södertälje", "steering", "Avdelningschef, individ- och familjeomsorg")]),
    ("socialsekreterare.sodertalje@demo.example", "Tilde", "Torstensson", {},
     [("Socialtjänsten barn och unga, Södertälje", "staff", "Socialsekreterare")], []),
]  # fmt: skip

BODY_NAMES = {
    "steering": "BUS lokal styrgrupp",
    "working": "BUS arbetsgrupp",
    "individforum": "BUS individforum",
    "consultation": "Samrådsgrupp",
}
BODY_CADENCE = {
    "steering": "per_term",
    "working": "per_term",
    "individforum": "on_demand",
    "consultation": "yearly",
}

SINCE = datetime.date(2020, 1, 1)


def organisation_number(prefix: str, serial: int) -> str:
    """A number with a valid check digit: six-digit prefix, three-digit serial."""
    body = f"{prefix}{serial:03d}"
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


def group_name(area_names: list[str]) -> str:
    return " och ".join(area_names)


def municipality_slug(name: str) -> str:
    return slugify(name.replace("å", "a").replace("ä", "a").replace("ö", "o"))
