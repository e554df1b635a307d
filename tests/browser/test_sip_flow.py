"""A samordnad individuell plan from start to print in Chromium, with axe on every page:
started by a social worker, another principal's unit added (it sees only the plan's number,
time and place, and the plan cannot be established, until a written consent for the plan
names it), interventions, the content written, the consent checked and recorded, the plan
established, followed up, revised as a second version with what changed, printed for the
family, and read by the other principal's unit manager."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samverkan.consent.models import Consent
from samverkan.people.models import Child
from samverkan.sip.models import Participant, Plan
from tests.browser.conftest import follow, login

pytestmark = pytest.mark.browser

CASE_WORKER = "handlaggare.rinkeby@demo.example"  # Hanna Hassan, at the initiating unit
PRIMA_BARN = "enhetschef.primabarn@demo.example"  # Maja Malmberg, Region Stockholm

SOCIAL = "Socialtjänsten barn och ungdom, Rinkeby-Kista"
SOCIAL_LABEL = f"{SOCIAL} (Stockholms stad)"
BUP = "Prima Barn BUP Rinkeby-Kista"
BUP_LABEL = f"{BUP} (Region Stockholm)"
# The demo child (Skatteverket's test number, which belongs to no real person).
PERSONAL_NUMBER = "20170101-2393"
GUARDIAN, GUARDIAN_PHONE = "Sara Demosson", "070-123 45 67"
THERAPY = "Samtalsbehandling varannan vecka"
FAMILY_WORK = "Familjebehandling i hemmet"
OLD_GOALS = ["Barnet går i skolan fyra dagar i veckan.", "Barnet sover hela nätter."]
NEW_GOALS = ["Barnet går i skolan alla dagar i veckan.", "Barnet sover hela nätter."]

PARTS = [
    "Behov, barnets och vårdnadshavarnas egna ord",
    "Mål",
    "Insatser med ansvarig huvudman och verksamhet",
    "Vad andra än kommun och region gör",
    "Huvudman med övergripande ansvar",
    "När och hur planen följs upp",
]


def main_nav(page):
    return page.get_by_role("navigation", name="Huvudmeny")


def log_out(page):
    follow(page, page.get_by_role("button", name="Logga ut", exact=True))
    expect(page.locator("input[name=login]")).to_be_visible()


def open_sip(page):
    follow(page, main_nav(page).get_by_role("link", name="SIP", exact=True))
    expect(page.locator("h1")).to_have_text("Samordnade individuella planer (SIP)")


def submit(page, name):
    """Submit the page's form with the button ``name``; axe runs on what comes back."""
    return follow(page, page.get_by_role("button", name=name, exact=True))


def link(page, name):
    return follow(page, page.get_by_role("link", name=name, exact=True))


def field_error(page, field_id):
    return page.locator(f"#{field_id}_error")


def expect_errors(page, *messages):
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Rätta följande för att gå vidare")
    expect(summary.locator("li")).to_have_count(len(messages))
    for message in messages:
        expect(summary).to_contain_text(message)


def status_tag(page):
    return page.locator("main h1 + p .ds-tag").first


def message(page, color):
    """The flash message of one kind (success, warning, danger) at the top of the page."""
    return page.locator(f".messages .ds-alert[data-color={color}]")


def task_states(page):
    return page.get_by_role("list", name="Det här måste planen innehålla").locator("li .ds-tag")


def versions(page):
    return page.locator("main h2:text-is('Versioner') + ul li")


def diff_for(page, label):
    heading = page.locator("main h3", has_text=re.compile(rf"^{label}$"))
    return heading.locator("xpath=following-sibling::ul[1]")


def test_sip_from_start_to_family_copy(page, demo_site):
    today = timezone.localdate()
    iso = datetime.date.isoformat
    # Seeded by the demo at the initiating unit, with an established plan there.
    child = Child.objects.get(personal_number=PERSONAL_NUMBER, owning_unit__name=SOCIAL)
    demo_plan = Plan.objects.get(child=child, initiating_unit__name=SOCIAL)
    plans_before = Plan.objects.count()

    # --- 1. The social worker starts the plan ---------------------------------------------
    login(page, demo_site, CASE_WORKER)
    open_sip(page)
    link(page, "Påbörja en SIP")
    expect(page).to_have_url(f"{demo_site}/sip/ny/")
    expect(page.locator("h1")).to_have_text("Påbörja en samordnad individuell plan")
    expect(page.get_by_label("Initierande verksamhet").locator("option:checked")).to_have_text(
        SOCIAL
    )
    page.get_by_label("Personnummer eller samordningsnummer").fill(PERSONAL_NUMBER)
    page.get_by_label("Anledning till SIP").fill(
        "Barnet behöver stöd från både socialtjänsten och BUP för att klara skolan."
    )
    # The unit already has an open plan for the child: it is pointed to, not copied.
    submit(page, "Påbörja planen")
    expect(page).to_have_url(f"{demo_site}/sip/ny/")
    expect_errors(page, f"Din verksamhet har redan en öppen SIP för barnet: {demo_plan.reference}.")
    assert Plan.objects.count() == plans_before
    link(page, f"Gå till {demo_plan.reference}")
    expect(page).to_have_url(f"{demo_site}/sip/{demo_plan.reference}/")
    expect(page.locator("h1")).to_have_text(f"Samordnad individuell plan {demo_plan.reference}")
    # That plan is closed (one open plan per child and unit); now a new one can start.
    Plan.objects.filter(pk=demo_plan.pk).update(status=Plan.Status.CLOSED)
    open_sip(page)
    link(page, "Påbörja en SIP")
    page.get_by_label("Personnummer eller samordningsnummer").fill(PERSONAL_NUMBER)
    page.get_by_label("Anledning till SIP").fill(
        "Barnet behöver stöd från både socialtjänsten och BUP för att klara skolan."
    )
    submit(page, "Påbörja planen")
    expect(page).to_have_url(re.compile(rf"/sip/SIP-{today.year}-\d{{4}}/$"))
    reference = page.url.rstrip("/").rsplit("/", 1)[1]
    plan = Plan.objects.get(reference=reference)
    assert Plan.objects.count() == plans_before + 1
    assert plan.child == child and plan.initiating_unit.name == SOCIAL
    plan_url = page.url
    expect(page.locator("h1")).to_have_text(f"Samordnad individuell plan {reference}")
    expect(page.get_by_role("status")).to_contain_text(f"Planen {reference} är påbörjad")
    expect(status_tag(page)).to_have_text("Utkast")
    expect(page.locator("main dl.facts")).to_contain_text(f"{child}, {PERSONAL_NUMBER}")
    tasks = page.get_by_role("list", name="Det här måste planen innehålla")
    expect(tasks.locator("li > span:first-child")).to_have_text(PARTS)
    expect(task_states(page)).to_have_text(["Inte påbörjad"] * len(PARTS))
    establish = page.get_by_role("button", name="Fastställ", exact=True)
    expect(establish).to_have_attribute("aria-disabled", "true")
    expect(establish).to_have_accessible_description(re.compile(r"Saknas: .*Mål"))
    expect(page.locator("#establish-reason")).to_contain_text(
        "Planen kan fastställas när alla delar är klara"
    )
    participants = page.get_by_role("list", name="Deltagare")
    expect(participants).to_have_text("Inga deltagare ännu.")

    # --- 2. Another principal's unit joins before any consent, with a warning ----------
    link(page, "Lägg till deltagare")
    expect(page).to_have_url(f"{plan_url}deltagare/ny/")
    page.get_by_role("radio", name="Verksamhet", exact=True).check()
    page.get_by_role("combobox", name="Verksamhet").select_option(label=BUP_LABEL)
    page.get_by_role("combobox", name="Personal").select_option(label="Maja Malmberg")
    page.locator("#id_role").fill("Behandling")
    submit(page, "Spara")
    expect(page).to_have_url(plan_url)
    expect(message(page, "success")).to_have_text("Deltagaren är tillagd.")
    expect(message(page, "warning")).to_have_text(
        f"Samtycke saknas för {BUP}: verksamheten ser bara planens nummer, tid och plats "
        "tills ett skriftligt samtycke för planen omfattar den."
    )
    expect(participants.locator("li")).to_have_text(
        [f"{BUP}, Maja Malmberg – Behandling Samtycke saknas"]
    )
    assert Participant.objects.filter(plan=plan, unit__name=BUP).count() == 1

    link(page, "Lägg till deltagare")
    page.get_by_role("radio", name="Vårdnadshavare", exact=True).check()
    page.locator("#id_name").fill(GUARDIAN)
    page.locator("#id_role").fill("Mamma")
    page.locator("#id_phone").fill(GUARDIAN_PHONE)
    submit(page, "Spara")
    expect(page).to_have_url(plan_url)
    expect(participants.locator("li")).to_have_count(2)
    expect(participants).to_contain_text(f"Vårdnadshavare: {GUARDIAN} – Mamma")

    # --- 3. Interventions, each with a responsible unit -----------------------------------
    interventions = page.get_by_role("table", name="Insatser")
    expect(interventions).to_contain_text("Inga insatser ännu.")
    link(page, "Lägg till insats")
    expect(page).to_have_url(f"{plan_url}insatser/ny/")
    page.get_by_label("Insats", exact=True).fill(THERAPY)
    page.locator("#id_starts_on").fill(iso(today))
    submit(page, "Spara")
    expect(page).to_have_url(f"{plan_url}insatser/ny/")
    no_unit = "Ange vilken verksamhet som ansvarar för insatsen."
    expect_errors(page, no_unit)
    expect(field_error(page, "id_unit")).to_have_text(no_unit)
    expect(page.get_by_label("Insats", exact=True)).to_have_value(THERAPY)
    page.get_by_label("Ansvarig verksamhet").select_option(label=BUP_LABEL)
    submit(page, "Spara")
    expect(page).to_have_url(plan_url)
    expect(page.get_by_role("status")).to_contain_text("Insatsen är sparad.")
    expect(interventions.locator("tbody tr")).to_have_count(1)
    expect(interventions.locator("tbody tr").first).to_contain_text(THERAPY)
    expect(interventions.locator("tbody tr").first).to_contain_text(BUP_LABEL)

    link(page, "Lägg till insats")
    page.get_by_label("Insats", exact=True).fill(FAMILY_WORK)
    page.get_by_label("Ansvarig verksamhet").select_option(label=SOCIAL_LABEL)
    page.locator("#id_starts_on").fill(iso(today))
    submit(page, "Spara")
    expect(page).to_have_url(plan_url)
    expect(interventions.locator("tbody tr")).to_have_count(2)
    expect(interventions).to_contain_text(FAMILY_WORK)
    expect(task_states(page).nth(2)).to_have_text("Klar")

    # --- 4. The content, refused and then established --------------------------------------
    link(page, "Skriv i planen")
    edit_url = f"{plan_url}innehall/"
    expect(page).to_have_url(edit_url)
    expect(page.get_by_label("Ordförande").locator("option:checked")).to_have_text("Hanna Hassan")
    page.locator("#id_meeting_on").fill(iso(today))
    page.locator("#id_meeting_time").fill("13:00")
    page.locator("#id_meeting_place").fill("Rinkeby-Kista stadsdelsförvaltning")
    page.locator("#id_needs").fill("Stöd för att komma till skolan och hantera oro.")
    page.locator("#id_child_voice").fill("Jag vill vara i skolan hela dagen.")
    page.locator("#id_guardians_voice").fill("Vi vill att alla pratar med varandra.")
    page.locator("#id_goals").fill("\n".join(OLD_GOALS))
    page.locator("#id_others_do").fill("Fritidsgården har en aktivitet på onsdagar.")
    page.locator("#id_follow_up_how").fill("Uppföljningsmöte med alla parter.")
    page.locator("#id_next_follow_up_on").fill(iso(today - datetime.timedelta(days=1)))
    submit(page, "Spara och fastställ")
    expect(page).to_have_url(edit_url)
    no_overall = "Huvudman med övergripande ansvar måste finnas innan planen kan fastställas."
    too_early = f"Uppföljningen kan inte ligga före SIP-mötet ({iso(today)})."
    expect_errors(page, no_overall, too_early)
    expect(field_error(page, "id_overall_responsible")).to_have_text(no_overall)
    expect(field_error(page, "id_next_follow_up_on")).to_have_text(too_early)
    expect(page.locator("#id_goals")).to_have_value("\n".join(OLD_GOALS))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and not plan.goals and not plan.versions.exists()

    page.get_by_label("Huvudman med övergripande ansvar").select_option(label="Stockholms stad")
    page.locator("#id_next_follow_up_on").fill(iso(today + datetime.timedelta(days=30)))
    submit(page, "Spara och fastställ")
    # Everything is written, but BUP takes part and no consent covers it yet.
    expect(page).to_have_url(plan_url)
    expect(message(page, "danger")).to_have_text(
        "Planen är sparad men kan inte fastställas. Saknas: samtycke som omfattar alla "
        "deltagande verksamheter."
    )
    expect(status_tag(page)).to_have_text("Utkast")
    expect(task_states(page)).to_have_text(["Klar"] * len(PARTS))
    expect(establish).to_have_attribute("aria-disabled", "true")
    expect(page.locator("#establish-reason")).to_have_text(
        "Planen kan fastställas när alla delar är klara, SIP-mötet har ett datum och ett "
        "gällande samtycke omfattar alla deltagande verksamheter."
    )
    expect(participants).to_contain_text("Samtycke saknas")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.goals and not plan.versions.exists()

    # --- 4b. Without the consent, BUP's manager sees the number, time and place only ------
    hidden = [
        *str(child).split(),
        PERSONAL_NUMBER,
        GUARDIAN,
        "Stöd för att komma till skolan",
        OLD_GOALS[0],
        THERAPY,
    ]
    log_out(page)
    login(page, demo_site, PRIMA_BARN)
    open_sip(page)
    page.get_by_label("Visa", exact=True).select_option(label="Mina verksamheters planer")
    submit(page, "Visa")
    row = page.get_by_role("table", name="Planer").locator("tbody tr").filter(has_text=reference)
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text("Visas inte utan samtycke")
    expect(row.locator("td").nth(1)).to_have_text("–")  # not even the initiating unit
    for secret in hidden:
        expect(row).not_to_contain_text(secret)
    follow(page, row.get_by_role("link", name=reference, exact=True))
    expect(page).to_have_url(plan_url)
    expect(page.locator("main .ds-alert[data-color=info]")).to_have_text(
        re.compile(r"^\s*Du ser planens nummer, tid och plats, men inte barnet eller innehållet")
    )
    facts = page.locator("main dl.facts")
    expect(facts.locator("dt")).to_have_text(["SIP-möte"])
    expect(facts).to_contain_text(f"{iso(today)} 13:00, Rinkeby-Kista stadsdelsförvaltning")
    for secret in hidden:
        expect(page.locator("main")).not_to_contain_text(secret)
    ics_link = page.get_by_role("link", name="Ladda ner kallelse (.ics)", exact=True)
    ics = page.request.get(demo_site + ics_link.get_attribute("href"))
    assert ics.ok and ics.headers["content-type"].startswith("text/calendar"), ics.status
    assert reference in ics.text()
    for secret in hidden:
        assert secret not in ics.text(), f"the invitation shows {secret!r}"
    for heading in ("Det här måste planen innehålla", "Insatser", "Deltagare", "Mål"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Registrera samtycke för planen")).to_have_count(0)
    log_out(page)
    login(page, demo_site, CASE_WORKER)
    open_sip(page)
    follow(
        page,
        page.get_by_role("table", name="Planer").get_by_role("link", name=reference, exact=True),
    )
    expect(page).to_have_url(plan_url)

    # --- 4c. The consent for the plan, checked and then recorded --------------------------
    consents = page.get_by_role("table", name="Samtycken för planen")
    expect(consents).to_contain_text("Inga samtycken är registrerade.")
    link(page, "Registrera samtycke för planen")
    consent_url = f"{demo_site}/samtycken/nytt/sip/{plan.pk}/"
    expect(page).to_have_url(consent_url)
    expect(page.locator("h1")).to_have_text("Registrera samtycke")
    expect(page.locator("main")).to_contain_text(f"Gäller: Samordnad individuell plan {reference}")
    expect(page.get_by_label("Registreras av").locator("option")).to_have_text([SOCIAL_LABEL])
    # Only the plan's unit of another principal is offered, and nothing is chosen.
    expect(page.locator("input[name=units]")).to_have_count(1)
    expect(page.get_by_label(SOCIAL_LABEL, exact=True)).to_have_count(0)
    expect(page.locator("main form input:checked")).to_have_count(0)
    page.get_by_label(BUP_LABEL).check()
    page.get_by_label(GUARDIAN, exact=True).check()
    page.get_by_label("Muntligt, antecknat", exact=True).check()
    page.get_by_label("Lämnat den").fill(iso(today))
    valid_until = today + datetime.timedelta(days=365)
    page.get_by_label("Gäller till och med").fill(iso(valid_until))
    submit(page, "Granska samtycket")
    expect(page).to_have_url(consent_url)
    expect(page.locator("h1")).to_have_text("Kontrollera samtycket")
    summary = page.locator("main dl.facts")
    expect(summary.locator("dd").nth(5)).to_have_text("Muntligt, antecknat")
    # A verbal consent opens nothing: the page says so, and asks for no scanned form.
    expect(page.locator("main .ds-alert[data-color=warning]")).to_contain_text(
        "Ett muntligt samtycke antecknas och visas som muntligt, men öppnar inga uppgifter "
        "mellan huvudmän."
    )
    expect(page.get_by_label("Inskannat samtycke")).to_have_count(0)
    submit(page, "Ändra")
    expect(page).to_have_url(consent_url)
    expect(page.locator("h1")).to_have_text("Registrera samtycke")
    # What was chosen is kept.
    expect(page.get_by_label(BUP_LABEL)).to_be_checked()
    expect(page.get_by_label(GUARDIAN, exact=True)).to_be_checked()
    expect(page.get_by_label("Gäller till och med")).to_have_value(iso(valid_until))
    page.get_by_label("Skriftligt", exact=True).check()
    submit(page, "Granska samtycket")
    expect(page.locator("h1")).to_have_text("Kontrollera samtycket")
    expect(summary.locator("dt")).to_have_text(
        ["Uppgifter från", "Om", "Får lämnas till", "Gäller", "Lämnat av", "Form"]
    )
    expect(summary.locator("dd")).to_have_text(
        [
            f"Stockholms stad (registreras av {SOCIAL})",
            f"Samordnad individuell plan {reference}",
            BUP_LABEL,
            f"{iso(today)} – {iso(valid_until)}",
            GUARDIAN,
            "Skriftligt",
        ]
    )
    expect(page.locator("main .ds-alert[data-color=info]")).to_contain_text(
        "När samtycket sparas får de verksamheter som står ovan ta del av uppgifterna om "
        "barnet från Stockholms stad, för det här tillfället och under perioden"
    )
    expect(page.get_by_label("Inskannat samtycke")).to_be_visible()
    assert not Consent.objects.for_purpose(plan).exists()  # nothing saved before confirming
    submit(page, "Spara samtycket")
    expect(page).to_have_url(plan_url)
    expect(message(page, "success")).to_have_text("Samtycket är registrerat.")
    rows = consents.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator("td").nth(0)).to_have_text(f"{iso(today)} – {iso(valid_until)}")
    expect(rows.locator("td").nth(1)).to_have_text("Gäller")
    expect(rows.locator("td").nth(2)).to_have_text(SOCIAL_LABEL)
    expect(rows.locator("td").nth(3)).to_have_text(BUP_LABEL)  # this one only
    expect(rows.locator("td").nth(5)).to_have_text("Skriftligt")
    assert Consent.objects.for_purpose(plan).get().form == Consent.Form.WRITTEN
    expect(participants).not_to_contain_text("Samtycke saknas")

    # --- 4d. Now the plan is established --------------------------------------------------
    expect(establish).not_to_have_attribute("aria-disabled", "true")
    submit(page, "Fastställ")
    expect(page).to_have_url(plan_url)
    expect(message(page, "success")).to_have_text("Version 1 är fastställd.")
    expect(status_tag(page)).to_have_text("Fastställd")
    expect(page.locator("main h1 + p")).to_contain_text(
        f"Nästa uppföljning {iso(today + datetime.timedelta(days=30))}"
    )
    expect(task_states(page)).to_have_text(["Klar"] * len(PARTS))
    expect(versions(page)).to_have_count(1)
    expect(versions(page).first).to_contain_text("Version 1 – Fastställd")
    expect(page.locator("main dl.facts")).to_contain_text(
        f"{iso(today)} 13:00, Rinkeby-Kista stadsdelsförvaltning"
    )
    expect(page.get_by_role("heading", name="Fastställ en revidering")).to_be_visible()

    # --- 5. The follow-up ------------------------------------------------------------------
    link(page, "Registrera uppföljning")
    expect(page).to_have_url(f"{plan_url}uppfoljning/")
    expect(page.get_by_label("Uppföljningen hölls")).to_have_value(iso(today))
    page.get_by_label("Sammanfattning").fill("Alla parter var med. Barnet är i skolan oftare.")
    page.get_by_label(f"Status: {THERAPY}").select_option(label="Pågår")
    page.get_by_label(f"Vad hände: {THERAPY}").fill("Fyra samtal har hållits.")
    page.get_by_label(f"Status: {FAMILY_WORK}").select_option(label="Pågår")
    page.get_by_label(f"Vad hände: {FAMILY_WORK}").fill("Behandlaren träffar familjen varje vecka.")
    next_follow_up = today + datetime.timedelta(days=60)
    page.get_by_label("Nästa uppföljning").fill(iso(next_follow_up))
    submit(page, "Spara")
    expect(page).to_have_url(plan_url)
    expect(page.get_by_role("status")).to_contain_text("Uppföljningen är registrerad.")
    expect(page.locator("main h1 + p")).to_contain_text(f"Nästa uppföljning {iso(next_follow_up)}")
    record = page.locator("main section.followup")
    expect(record).to_have_count(1)
    expect(record.locator("h3")).to_have_text(iso(today))
    expect(record).to_contain_text("Barnet är i skolan oftare.")
    expect(record).to_contain_text(f"{THERAPY}: Pågår – Fyra samtal har hållits.")
    expect(record).to_contain_text(
        f"{FAMILY_WORK}: Pågår – Behandlaren träffar familjen varje vecka."
    )
    expect(interventions.locator("tbody tr td:nth-child(4)")).to_have_text(["Pågår", "Pågår"])

    # --- 6. A revision, kept as version 2 with what changed --------------------------------
    link(page, "Skriv i planen")
    expect(page.locator("#id_goals")).to_have_value("\n".join(OLD_GOALS))
    page.locator("#id_goals").fill("\n".join(NEW_GOALS))
    submit(page, "Spara")
    expect(page).to_have_url(plan_url)
    expect(page.get_by_role("status")).to_contain_text("Planen är sparad.")
    expect(versions(page)).to_have_count(1)
    page.get_by_label("Vad ändrades (vid revidering)").fill("Nytt mål för skolnärvaron")
    submit(page, "Fastställ")
    expect(page).to_have_url(plan_url)
    expect(page.get_by_role("status")).to_contain_text("Version 2 är fastställd.")
    expect(status_tag(page)).to_have_text("Fastställd")
    expect(versions(page)).to_have_count(2)
    expect(versions(page).nth(1)).to_contain_text("Version 2 – Nytt mål för skolnärvaron")

    link(page, "Version 2")
    expect(page).to_have_url(f"{plan_url}versioner/2/")
    expect(page.locator("h1")).to_have_text(f"{reference}, version 2")
    expect(page.get_by_role("heading", name="Ändrat sedan version 1")).to_be_visible()
    goals = diff_for(page, "Mål")
    expect(goals.locator("li.removed")).to_have_text([f"Borttaget:{OLD_GOALS[0]}"])
    expect(goals.locator("li.added")).to_have_text([f"Tillagt:{NEW_GOALS[0]}"])
    expect(goals.locator("li.removed del")).to_have_text(OLD_GOALS[0])
    expect(goals.locator("li.added ins")).to_have_text(NEW_GOALS[0])
    expect(goals).not_to_contain_text(OLD_GOALS[1])  # unchanged
    expect(diff_for(page, "Nästa uppföljning").locator("li.added")).to_contain_text(
        iso(next_follow_up)
    )
    expect(page.locator("main dl.facts")).to_contain_text(NEW_GOALS[0])

    link(page, reference)
    link(page, "Version 1")
    expect(page.locator("h1")).to_have_text(f"{reference}, version 1")
    expect(page.get_by_role("heading", name="Första versionen")).to_be_visible()
    content = page.locator("main dl.facts")
    expect(content).to_contain_text(OLD_GOALS[0])
    expect(content).not_to_contain_text(NEW_GOALS[0])
    expect(content).to_contain_text(iso(today + datetime.timedelta(days=30)))

    # --- 7. The family's copy --------------------------------------------------------------
    link(page, reference)
    link(page, "Utskrift för familjen")
    expect(page).to_have_url(f"{plan_url}familj/")
    expect(page.locator("h1")).to_have_text(f"Planen för {child.first_name}")
    expect(page.get_by_role("heading", name="Vem gör vad")).to_be_visible()
    who_does_what = page.get_by_role("table", name="Vem gör vad")
    expect(who_does_what.locator("tbody tr")).to_have_count(2)
    expect(who_does_what).to_contain_text(THERAPY)
    expect(who_does_what).to_contain_text(BUP)
    expect(page.locator("main")).to_contain_text(NEW_GOALS[0])
    expect(page.get_by_role("heading", name="Vem du kan ringa")).to_be_visible()
    calls = page.locator("main h2:text-is('Vem du kan ringa') + ul")
    expect(calls).to_contain_text("Hanna Hassan leder planen")
    expect(calls).to_contain_text(f"Vårdnadshavare: {GUARDIAN}, Mamma: {GUARDIAN_PHONE}")
    expect(page.locator("main")).to_contain_text(f"Vi följer upp planen {iso(next_follow_up)}.")
    link(page, "Tillbaka till planen")
    expect(page).to_have_url(plan_url)

    pdf_link = page.get_by_role("link", name="Ladda ner för familjen (PDF)", exact=True)
    pdf = page.request.get(demo_site + pdf_link.get_attribute("href"))
    assert pdf.ok, pdf.status
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == f'attachment; filename="{reference}.pdf"'
    assert pdf.body().startswith(b"%PDF")

    # --- 8. The other principal's unit, covered by the consent, reads the plan ------------
    log_out(page)
    login(page, demo_site, PRIMA_BARN)
    open_sip(page)
    page.get_by_label("Visa", exact=True).select_option(label="Mina verksamheters planer")
    submit(page, "Visa")
    expect(page).to_have_url(re.compile(r"[?&]vy=enhet(&|$)"))
    row = page.get_by_role("table", name="Planer").locator("tbody tr").filter(has_text=reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(str(child))
    expect(row).to_contain_text("Fastställd")
    expect(row).to_contain_text("Stockholms stad")
    expect(row).to_contain_text(iso(next_follow_up))
    follow(page, row.get_by_role("link", name=reference, exact=True))
    expect(page).to_have_url(plan_url)
    expect(page.locator("main .ds-alert[data-color=info]")).to_have_count(0)
    expect(page.locator("main dl.facts")).to_contain_text(f"{child}, {PERSONAL_NUMBER}")
    expect(page.locator("main")).to_contain_text(NEW_GOALS[0])
    expect(page.locator("main")).to_contain_text("Stöd för att komma till skolan och hantera oro.")
    expect(interventions).to_contain_text(THERAPY)
    # She reads the plan but does not lead it, nor work at the initiating unit.
    expect(page.get_by_role("link", name="Skriv i planen")).to_have_count(0)
    expect(page.get_by_role("button", name="Fastställ")).to_have_count(0)
