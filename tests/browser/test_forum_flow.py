"""An individforum case from start to end in Chromium, as the people involved handle it,
with axe on every page: raised by a social worker, convened and minuted by the convener,
hidden from another principal's unit until a consent covers it, lifted to the local
steering group and decided there."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samverkan.consent.models import Consent
from samverkan.forum.models import ForumCase
from samverkan.people.models import Child
from samverkan.references.numbers import peek_reference
from tests.browser.conftest import follow, login

pytestmark = pytest.mark.browser

CASE_WORKER = "handlaggare.rinkeby@demo.example"  # Hanna Hassan, at the raising unit
CONVENER = "enhetschef.ungdomsenheten@demo.example"  # Ulla Unger
PRIMA_BARN = "enhetschef.primabarn@demo.example"  # Maja Malmberg, Region Stockholm
CHAIR = "ordforande.rinkeby@demo.example"  # Omar Olsson, chairs the steering group

GROUP = "BUS Rinkeby-Kista och Spånga-Tensta"
RAISING_UNIT = "Socialtjänsten barn och ungdom, Rinkeby-Kista"
INVITED_UNIT = "Prima Barn BUP Rinkeby-Kista"
CONVENER_UNIT = "Ungdomsenheten, Rinkeby-Kista"  # Stockholms stad, like the raising unit
# Skatteverket's test number, which belongs to no real person. The demo registers Alva
# Demosson with it at the raising unit; a case raised there is about her, and the names
# typed are not used (another unit's record of the same number would never be reused).
PERSONAL_NUMBER = "20170101-2393"
FIRST, LAST = "Ebba", "Exempelsson"  # invented
GUARDIAN = "Sara Demosson"  # the demo child's guardian
QUESTION = "Vem bekostar den gemensamma insatsen när båda huvudmännen har ansvar?"
DECISION = "Huvudmännen delar kostnaden lika; socialtjänsten samordnar insatsen."


def main_nav(page):
    return page.get_by_role("navigation", name="Huvudmeny")


def log_out(page):
    follow(page, page.get_by_role("button", name="Logga ut", exact=True))
    expect(page.locator("input[name=login]")).to_be_visible()


def open_forum(page):
    follow(page, main_nav(page).get_by_role("link", name="Individforum", exact=True))
    expect(page.locator("h1")).to_have_text("Individforum")


def cases_table(page):
    return page.get_by_role("table", name="Ärenden")


def submit(page, name):
    """Submit the page's form with the button ``name``; axe runs on what comes back."""
    return follow(page, page.get_by_role("button", name=name, exact=True))


def field_error(page, field_id):
    return page.locator(f"#{field_id}_error")


def expect_errors(page, *messages):
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Rätta följande för att gå vidare")
    for message in messages:
        expect(summary).to_contain_text(message)


def status_tag(page):
    return page.locator("main h1 + p .ds-tag")


def consents_for(case):
    return Consent.objects.for_purpose(case).count()


def test_individforum_from_raising_to_steering_decision(page, demo_site):
    today = timezone.localdate()
    iso = datetime.date.isoformat
    reference = peek_reference(ForumCase, "IF", today.year)  # after the demo's own cases
    assert re.fullmatch(rf"IF-{today.year}-\d{{4}}", reference), reference
    cases_before, children_before = ForumCase.objects.count(), Child.objects.count()
    # The raising unit's own record of the child, seeded by the demo.
    registered = Child.objects.get(personal_number=PERSONAL_NUMBER, owning_unit__name=RAISING_UNIT)
    child_name = str(registered)
    assert child_name == "Alva Demosson"
    hidden = [*child_name.split(), PERSONAL_NUMBER, PERSONAL_NUMBER.replace("-", "")]

    # --- 1. The social worker raises the case ---------------------------------------------
    login(page, demo_site, CASE_WORKER)
    open_forum(page)
    follow(page, page.get_by_role("link", name="Anmäl ett ärende", exact=True))
    raise_url = f"{demo_site}/individforum/nytt/"
    expect(page).to_have_url(raise_url)
    expect(page.locator("h1")).to_have_text("Anmäl ärende till individforum")
    # Her only unit and its group are chosen already.
    expect(page.get_by_label("Anmälande verksamhet").locator("option:checked")).to_have_text(
        RAISING_UNIT
    )
    expect(page.get_by_label("Lokal BUS-grupp").locator("option:checked")).to_have_text(GROUP)

    # A wrong check digit and a date in the future.
    page.get_by_label("Personnummer eller samordningsnummer").fill("20170101-2394")
    page.get_by_label("Barnets förnamn").fill(FIRST)
    page.get_by_label("Barnets efternamn").fill(LAST)
    page.get_by_label("Datum då behovet uppmärksammades").fill(
        iso(today + datetime.timedelta(days=5))
    )
    page.get_by_label("Skäl till att individforum behövs").fill(
        "Skolan, BUP och socialtjänsten är oeniga om vem som ansvarar för stödet i hemmet."
    )
    page.get_by_label("Sammankallande").select_option(label="Ulla Unger")
    submit(page, "Anmäl ärendet")
    expect(page).to_have_url(raise_url)
    bad_number = "Ange ett giltigt personnummer eller samordningsnummer"
    future = "Datumet kan inte ligga i framtiden."
    expect_errors(page, bad_number, future)
    expect(field_error(page, "id_personal_number")).to_contain_text(bad_number)
    expect(field_error(page, "id_noticed_on")).to_have_text(future)
    expect(page.get_by_label("Personnummer eller samordningsnummer")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_personal_number_error\b")
    )
    # What was typed is kept.
    expect(page.get_by_label("Barnets förnamn")).to_have_value(FIRST)
    assert ForumCase.objects.count() == cases_before
    assert Child.objects.count() == children_before

    # Now properly.
    page.get_by_label("Personnummer eller samordningsnummer").fill(PERSONAL_NUMBER)
    noticed = today - datetime.timedelta(days=2)
    page.get_by_label("Datum då behovet uppmärksammades").fill(iso(noticed))
    submit(page, "Anmäl ärendet")
    case_url = f"{demo_site}/individforum/{reference}/"
    expect(page).to_have_url(case_url)
    expect(page.locator("h1")).to_have_text(f"Individforum {reference}")
    expect(page.get_by_role("status")).to_contain_text(f"Ärendet {reference} är anmält")
    expect(status_tag(page)).to_have_text("Anmält")
    expect(page.locator("main .deadline .ds-tag")).to_have_text("12 dagar kvar")
    expect(page.locator("main .deadline")).to_contain_text(
        f"senast {iso(noticed + datetime.timedelta(days=14))}"
    )
    expect(page.locator("main dl.facts")).to_contain_text(f"{child_name}, {PERSONAL_NUMBER}")
    # The unit's own record is reused: the names typed are neither shown nor stored.
    for typed in (FIRST, LAST):
        expect(page.locator("main")).not_to_contain_text(typed)
    case = ForumCase.objects.get(reference=reference)
    assert case.convener.email == CONVENER
    assert case.child == registered
    assert ForumCase.objects.count() == cases_before + 1
    assert Child.objects.count() == children_before

    # --- 2. The convener finds the case and books the meeting ------------------------------
    log_out(page)
    login(page, demo_site, CONVENER)
    open_forum(page)
    page.get_by_label("Visa", exact=True).select_option(label="Ärenden jag sammankallar")
    submit(page, "Visa")
    expect(page).to_have_url(re.compile(r"[?&]vy=sammankallar(&|$)"))
    row = cases_table(page).locator("tbody tr").filter(has_text=reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(child_name)
    expect(row).to_contain_text("Anmält")
    follow(page, row.get_by_role("link", name=reference, exact=True))
    expect(page).to_have_url(case_url)

    follow(page, page.get_by_role("link", name="Sammankalla", exact=True))
    convene_url = f"{demo_site}/individforum/{reference}/sammankalla/"
    expect(page).to_have_url(convene_url)
    expect(page.locator("h1")).to_have_text(f"Sammankalla {reference}")
    expect(page.get_by_label("Sammankallande").locator("option:checked")).to_have_text("Ulla Unger")
    # A day before the case was raised.
    page.get_by_label("Mötesdag").fill(iso(today - datetime.timedelta(days=1)))
    page.get_by_label("Klockslag").fill("10:00")
    page.get_by_label("Plats").fill("Rinkeby stadsdelsförvaltning, rum Järva")
    page.get_by_label(f"{INVITED_UNIT} (Region Stockholm)").check()
    submit(page, "Spara mötet")
    expect(page).to_have_url(convene_url)
    too_early = f"Mötet kan inte ligga före {iso(today)}, då ärendet anmäldes."
    expect_errors(page, too_early)
    expect(field_error(page, "id_meeting_on")).to_have_text(too_early)
    expect(page.get_by_label(f"{INVITED_UNIT} (Region Stockholm)")).to_be_checked()
    assert ForumCase.objects.get(reference=reference).meeting_on is None

    meeting = today + datetime.timedelta(days=3)
    page.get_by_label("Mötesdag").fill(iso(meeting))
    submit(page, "Spara mötet")
    expect(page).to_have_url(case_url)
    expect(status_tag(page)).to_have_text("Sammankallat")
    facts = page.locator("main dl.facts")
    expect(facts).to_contain_text(f"{iso(meeting)} 10:00, Rinkeby stadsdelsförvaltning, rum Järva")
    expect(page.locator("main .deadline .ds-tag")).to_have_text("Inom två veckor")
    invitees = page.get_by_role("table", name="Kallade")
    expect(invitees).to_contain_text(f"{INVITED_UNIT} (Region Stockholm)")
    expect(invitees).to_contain_text("Maja Malmberg")
    # The invited unit is of another principal and no consent covers it yet.
    lacking = page.get_by_role("list", name="Samtycke saknas")
    expect(lacking.locator("li")).to_have_text(
        [
            f"Att göra Samtycke saknas för {INVITED_UNIT} (Region Stockholm): verksamheten "
            "ser bara ärendets nummer, tid och plats."
        ]
    )
    ics_link = page.get_by_role("link", name="Ladda ner kallelse (.ics)", exact=True)
    ics = page.request.get(demo_site + ics_link.get_attribute("href"))
    assert ics.ok, ics.status
    assert ics.headers["content-type"].startswith("text/calendar")
    ics_text = ics.text()
    assert "BEGIN:VCALENDAR" in ics_text
    assert reference in ics_text
    for secret in hidden:
        assert secret not in ics_text, f"the invitation shows {secret!r}"

    # --- 3. The protocol, written, signed and locked ---------------------------------------
    follow(page, page.get_by_role("link", name="Skriv protokoll", exact=True))
    expect(page).to_have_url(f"{demo_site}/individforum/{reference}/protokoll/")
    expect(page.locator("h1")).to_have_text(f"Protokoll {reference}, version 1")
    page.locator("#id_narvarande-0-name").fill("Hanna Hassan")
    page.locator("#id_narvarande-0-function").fill("Socialsekreterare")
    page.locator("#id_narvarande-0-unit").select_option(label=RAISING_UNIT)
    page.locator("#id_background").fill("Stödet i hemmet har inte kommit i gång.")
    # One row per party, each with its unit chosen already.
    expect(page.locator("#id_syn-0-unit option:checked")).to_have_text(INVITED_UNIT)
    expect(page.locator("#id_syn-1-unit option:checked")).to_have_text(RAISING_UNIT)
    page.locator("#id_syn-0-view").fill("BUP kan ta emot barnet inom fyra veckor.")
    page.locator("#id_syn-1-view").fill("Socialtjänsten beviljar stöd i hemmet.")
    page.locator("#id_beslut-0-text").fill("Samordnad individuell plan upprättas.")
    page.locator("#id_beslut-0-responsible_unit").select_option(label=RAISING_UNIT)
    due = today + datetime.timedelta(days=21)
    page.locator("#id_beslut-0-due_on").fill(iso(due))
    page.locator("#id_follow_up").fill("Uppföljning om en månad, den sammankallande kallar.")
    submit(page, "Spara utkast")
    protocol_url = f"{demo_site}/individforum/{reference}/protokoll/1/"
    expect(page).to_have_url(protocol_url)
    expect(page.get_by_text("Utkast: inte justerat.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Hanna Hassan, Socialsekreterare")
    decisions = page.get_by_role("table", name="Beslut")
    expect(decisions.locator("tbody tr")).to_have_count(1)
    expect(decisions).to_contain_text(iso(due))
    expect(page.get_by_role("link", name="Fortsätt redigera", exact=True)).to_be_visible()

    page.get_by_label("Jag har läst protokollet och justerar det.").check()
    submit(page, "Justera och lås")
    expect(page).to_have_url(protocol_url)
    expect(page.get_by_role("status")).to_contain_text("Protokollet är justerat och låst.")
    expect(page.locator("main .ds-alert[data-color=success]").last).to_contain_text("Justerat")
    expect(page.locator("main")).to_contain_text("av Ulla Unger")
    expect(page.get_by_role("link", name="Fortsätt redigera")).to_have_count(0)
    expect(page.get_by_role("button", name="Justera och lås")).to_have_count(0)
    pdf_link = page.get_by_role("link", name="Ladda ner som PDF", exact=True)
    pdf = page.request.get(demo_site + pdf_link.get_attribute("href"))
    assert pdf.ok, pdf.status
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # --- 6a. The invited unit of the other principal: no consent, no content ---------------
    log_out(page)
    login(page, demo_site, PRIMA_BARN)
    open_forum(page)
    row = cases_table(page).locator("tbody tr").filter(has_text=reference)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("Visas inte utan samtycke")
    expect(row.locator("td").nth(1)).to_have_text("–")  # nor the raising unit
    expect(row.locator("td").nth(2)).to_have_text(GROUP)
    expect(row.locator("td").nth(3)).to_have_text("Sammankallat")
    for secret in hidden:
        expect(row).not_to_contain_text(secret)
    follow(page, row.get_by_role("link", name=reference, exact=True))
    expect(page).to_have_url(case_url)
    expect(page.locator("main .ds-alert[data-color=info]")).to_have_text(
        re.compile(
            r"^\s*Du ser ärendets nummer, tid och plats, men inte barnet, parterna eller "
            r"innehållet"
        )
    )
    # Number, status, group, deadline, convener, time and place, and the invitation.
    expect(page.locator("h1")).to_have_text(f"Individforum {reference}")
    expect(status_tag(page)).to_have_text("Sammankallat")
    expect(page.locator("main h1 + p")).to_contain_text(GROUP)
    expect(page.locator("main .deadline .ds-tag")).to_have_text("Inom två veckor")
    facts = page.locator("main dl.facts")
    expect(facts.locator("dt")).to_have_text(["Sammankallande", "Möte"])
    expect(facts).to_contain_text("Ulla Unger")
    expect(facts).to_contain_text(f"{iso(meeting)} 10:00, Rinkeby stadsdelsförvaltning, rum Järva")
    expect(page.get_by_role("link", name="Ladda ner kallelse (.ics)", exact=True)).to_be_visible()
    for secret in [*hidden, RAISING_UNIT, INVITED_UNIT, "Stödet i hemmet", "Skolan, BUP"]:
        expect(page.locator("main")).not_to_contain_text(secret)
    for heading in ("Skäl", "Kallade", "Protokoll", "Samtycken för ärendet", "Samtycke saknas"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Registrera samtycke för ärendet")).to_have_count(0)

    # --- 6b. The convener registers the consent for the case -------------------------------
    log_out(page)
    login(page, demo_site, CONVENER)
    open_forum(page)
    page.get_by_label("Visa", exact=True).select_option(label="Ärenden jag sammankallar")
    submit(page, "Visa")
    follow(page, cases_table(page).get_by_role("link", name=reference, exact=True))
    consents = page.get_by_role("table", name="Samtycken för ärendet")
    expect(consents).to_contain_text("Inga samtycken är registrerade.")
    follow(page, page.get_by_role("link", name="Registrera samtycke för ärendet", exact=True))
    consent_url = f"{demo_site}/samtycken/nytt/individforum/{case.pk}/"
    expect(page).to_have_url(consent_url)
    expect(page.locator("h1")).to_have_text("Registrera samtycke")
    expect(page.locator("main")).to_contain_text(f"Gäller: Individforumärende {reference}")
    # Recorded by the convener's unit, of the raising unit's principal; only the party of
    # the other principal can be named; nothing is chosen for her.
    expect(page.get_by_label("Registreras av").locator("option")).to_have_text(
        [f"{CONVENER_UNIT} (Stockholms stad)"]
    )
    units = page.locator("input[name=units]")
    expect(units).to_have_count(1)
    expect(page.get_by_label(f"{INVITED_UNIT} (Region Stockholm)")).not_to_be_checked()
    expect(page.get_by_label(f"{RAISING_UNIT} (Stockholms stad)")).to_have_count(0)
    expect(page.locator("main form input:checked")).to_have_count(0)
    expect(page.get_by_label("För tillfället")).to_have_value(reference)

    # The nine-year-old alone, and a period that has already ended: refused at the fields.
    page.get_by_label("Lämnat av den unge själv (från 15 år)").check()
    page.get_by_label("Skriftligt", exact=True).check()
    page.get_by_label(f"{INVITED_UNIT} (Region Stockholm)").check()
    page.get_by_label("Lämnat den").fill(iso(today - datetime.timedelta(days=10)))
    page.get_by_label("Gäller till och med").fill(iso(today - datetime.timedelta(days=1)))
    submit(page, "Granska samtycket")
    expect(page).to_have_url(consent_url)
    under_15 = "Barnet var under 15 år när samtycket lämnades: det ska lämnas av vårdnadshavare."
    ended = "Samtyckets period har redan gått ut."
    expect_errors(page, under_15, ended)
    expect(field_error(page, "id_given_by_guardians")).to_have_text(under_15)
    expect(field_error(page, "id_valid_until")).to_contain_text(ended)
    expect(page.get_by_label(f"{INVITED_UNIT} (Region Stockholm)")).to_be_checked()
    assert consents_for(case) == 0

    page.get_by_label("Lämnat av den unge själv (från 15 år)").uncheck()
    page.get_by_label(GUARDIAN, exact=True).check()
    page.get_by_label("Lämnat den").fill(iso(today))
    valid_until = today + datetime.timedelta(days=30)
    page.get_by_label("Gäller till och med").fill(iso(valid_until))
    submit(page, "Granska samtycket")
    expect(page).to_have_url(consent_url)
    expect(page.locator("h1")).to_have_text("Kontrollera samtycket")
    expect(page.get_by_role("heading", name="Vem får dela vad med vem")).to_be_visible()
    summary = page.locator("main dl.facts")
    expect(summary.locator("dt")).to_have_text(
        ["Uppgifter från", "Om", "Får lämnas till", "Gäller", "Lämnat av", "Form"]
    )
    expect(summary.locator("dd")).to_have_text(
        [
            f"Stockholms stad (registreras av {CONVENER_UNIT})",
            f"Individforumärende {reference}",
            f"{INVITED_UNIT} (Region Stockholm)",
            f"{iso(today)} – {iso(valid_until)}",
            GUARDIAN,
            "Skriftligt",
        ]
    )
    expect(page.get_by_label("Inskannat samtycke")).to_be_visible()
    assert consents_for(case) == 0  # nothing is saved before it is confirmed
    submit(page, "Spara samtycket")
    expect(page).to_have_url(case_url)
    expect(page.get_by_role("status")).to_contain_text("Samtycket är registrerat.")
    consents = page.get_by_role("table", name="Samtycken för ärendet")
    expect(consents.locator("tbody tr")).to_have_count(1)
    row = consents.locator("tbody tr")
    expect(row.locator("td").nth(0)).to_have_text(f"{iso(today)} – {iso(valid_until)}")
    expect(row.locator("td").nth(1)).to_have_text("Gäller")
    expect(row.locator("td").nth(2)).to_have_text(f"{CONVENER_UNIT} (Stockholms stad)")
    expect(row.locator("td").nth(3)).to_have_text(f"{INVITED_UNIT} (Region Stockholm)")
    expect(row.locator("td").nth(5)).to_have_text("Skriftligt")
    expect(page.get_by_role("heading", name="Samtycke saknas")).to_have_count(0)
    assert consents_for(case) == 1

    # --- 4. The outcome: not solved, lifted to the steering group --------------------------
    follow(page, page.get_by_role("link", name="Registrera utfall", exact=True))
    outcome_url = f"{demo_site}/individforum/{reference}/utfall/"
    expect(page).to_have_url(outcome_url)
    page.get_by_label("Inte löst: lyfts till den lokala styrgruppen").check()
    submit(page, "Registrera utfallet")
    expect(page).to_have_url(outcome_url)
    no_question = "Ange frågan styrgruppen ska ta ställning till."
    expect_errors(page, no_question)
    expect(field_error(page, "id_principled_question")).to_have_text(no_question)
    expect(page.get_by_label("Inte löst: lyfts till den lokala styrgruppen")).to_be_checked()
    assert ForumCase.objects.get(reference=reference).status == ForumCase.Status.CONVENED

    page.get_by_label("Den principiella frågan till styrgruppen").fill(QUESTION)
    submit(page, "Registrera utfallet")
    expect(page).to_have_url(case_url)
    expect(status_tag(page)).to_have_text("Lyft till styrgruppen")
    expect(page.locator("main")).to_contain_text(QUESTION)
    expect(page.get_by_role("link", name="Registrera utfall", exact=True)).to_have_count(0)

    # --- 6c. With the consent, Prima Barn's manager sees the child -------------------------
    log_out(page)
    login(page, demo_site, PRIMA_BARN)
    open_forum(page)
    row = cases_table(page).locator("tbody tr").filter(has_text=reference)
    expect(row).to_contain_text(child_name)
    follow(page, row.get_by_role("link", name=reference, exact=True))
    expect(page.locator("main dl.facts")).to_contain_text(f"{child_name}, {PERSONAL_NUMBER}")
    expect(page.locator("main .ds-alert[data-color=info]")).to_have_count(0)
    # A seat in the steering group, but as a member: she cannot record its decision.
    expect(page.get_by_role("link", name="Registrera styrgruppens beslut")).to_have_count(0)

    # --- 5. The steering group's chair records the decision --------------------------------
    log_out(page)
    login(page, demo_site, CHAIR)
    open_forum(page)
    page.get_by_label("Visa", exact=True).select_option(label="Gruppens ärenden")
    submit(page, "Visa")
    follow(page, cases_table(page).get_by_role("link", name=reference, exact=True))
    expect(page).to_have_url(case_url)
    expect(page.get_by_role("heading", name="Principiell fråga till styrgruppen")).to_be_visible()
    expect(page.locator("main")).to_contain_text(QUESTION)
    # The chair works at the raising unit, which is a party and the child's own principal;
    # so he, unlike a chair from another unit, sees the child.
    expect(page.locator("main dl.facts")).to_contain_text(child_name)
    follow(page, page.get_by_role("link", name="Registrera styrgruppens beslut", exact=True))
    expect(page).to_have_url(f"{demo_site}/individforum/{reference}/styrgruppsbeslut/")
    expect(page.locator("main")).to_contain_text(QUESTION)
    for secret in hidden:
        expect(page.locator("main")).not_to_contain_text(secret)
    page.get_by_label("Styrgruppens beslut").fill(DECISION)
    page.get_by_label("Beslutsdatum").fill(iso(today))
    submit(page, "Registrera beslutet")
    expect(page).to_have_url(case_url)
    expect(status_tag(page)).to_have_text("Avgjort av styrgruppen")
    expect(page.locator("main")).to_contain_text(DECISION)
    expect(page.locator("main")).to_contain_text(
        f"Beslutat {iso(today)}, registrerat av Omar Olsson."
    )
    history = page.get_by_role("table", name="Händelser")
    expect(history.locator("tbody td:nth-child(2)")).to_have_text(
        ["Anmält", "Sammankallat", "Lyft till styrgruppen", "Avgjort av styrgruppen"]
    )
    expect(history.locator("tbody td:nth-child(3)")).to_have_text(
        ["Hanna Hassan", "Ulla Unger", "Ulla Unger", "Omar Olsson"]
    )
    expect(page.get_by_role("link", name="Registrera styrgruppens beslut")).to_have_count(0)
