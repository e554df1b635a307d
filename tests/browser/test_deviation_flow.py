"""A deviation report from the form to the yearly compilation in Chromium, with axe on every
page: written by a school counsellor (refused while it names a child, saved as a draft, then
sent), handled and closed by the other party's nearest supervisor, its outcome seen by the
reporter, and read, tagged and judged by the secretariat, who then looks at the patterns and
downloads the compilation."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samverkan.deviations import stats
from samverkan.deviations.models import Action, Deviation, Tag
from samverkan.notifications.models import Notification
from samverkan.organisations.models import Unit
from samverkan.references.numbers import peek_reference
from tests.browser.conftest import XLSX, follow, login, make_file

pytestmark = pytest.mark.browser

REPORTER = "kurator.grindskolan@demo.example"  # Kim Kullberg, staff at Grindskolan
REPORTER_NAME = "Kim Kullberg"
SUPERVISOR = "enhetschef.bup.tiohundra@demo.example"  # Berit Björklund, manager at the BUP
SUPERVISOR_NAME = "Berit Björklund"
SECRETARIAT = "sekretariat@demo.example"  # Sara Sekreterarsson, no unit

REPORTING_UNIT = "Grindskolan"
OTHER_UNIT = "Tiohundra, Barn- och ungdomspsykiatrisk mottagning (BUP)"
GROUP = "BUS Norrtälje"
CATEGORY = "Remiss avvisad"
AGREEMENT_PART = "Ansvarsfördelning mellan huvudmännen"

TITLE = "Remiss om neuropsykiatrisk utredning avvisades utan motivering"
# Skatteverket's test number (no real person) and an invented mobile number.
PERSONAL_NUMBER = "20170101-2393"
PHONE = "070-123 45 67"
HAPPENED = (
    "Skolan skickade en remiss till BUP om utredning. Remissen kom tillbaka utan "
    "motivering och utan förslag på vem som i stället skulle ta emot den."
)
CONSEQUENCE = "Eleven väntade i två månader på stöd i skolan."
ACTION = "Gemensam genomgång av remissrutinen mellan skolan och BUP"
REFUSED_NOTE = "Vi har gått igenom remissen och är överens om rutinen."
OUTCOME = "Remissen är tagen på nytt och rutinen för avvisade remisser är förtydligad."
NEW_TAG = "Avvisade remisser"
JUDGEMENT = "Behov av samverkansrutin"
JUDGEMENT_NOTE = "Återkommer i flera grupper; en länsgemensam rutin för remisser behövs."


def main_nav(page):
    return page.get_by_role("navigation", name="Huvudmeny")


def log_out(page):
    follow(page, page.get_by_role("button", name="Logga ut", exact=True))
    expect(page.locator("input[name=login]")).to_be_visible()


def open_deviations(page):
    follow(page, main_nav(page).get_by_role("link", name="Avvikelser", exact=True))
    expect(page.locator("h1")).to_have_text("Avvikelser i samverkan")


def submit(page, name):
    """Submit the page's form with the button ``name``; axe runs on what comes back."""
    return follow(page, page.get_by_role("button", name=name, exact=True))


def expect_errors(page, *messages):
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Rätta följande för att gå vidare")
    for message in messages:
        expect(summary).to_contain_text(message)


def step_tag(page):
    return page.locator("main h1 + p .ds-tag").first


def report_row(page, text):
    return page.locator("main table tbody tr").filter(has_text=text)


def test_deviation_from_report_to_compilation(page, demo_site):
    today = timezone.localdate()
    iso = datetime.date.isoformat
    year_start, year_end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    # A few days ago, but this year, so that the report is in this year's compilation.
    occurred = max(today - datetime.timedelta(days=3), year_start)
    reference = peek_reference(Deviation, "AV", today.year)  # after the demo's own reports
    assert re.fullmatch(rf"AV-{today.year}-\d{{4}}", reference), reference
    other = Unit.objects.select_related("principal").get(name=OTHER_UNIT)
    other_label = f"{other.name} ({other.principal.name})"  # as the form renders it

    # --- 1. The counsellor writes the report -------------------------------------------------
    login(page, demo_site, REPORTER)
    open_deviations(page)
    follow(page, page.get_by_role("link", name="Rapportera en avvikelse", exact=True))
    new_url = f"{demo_site}/avvikelser/ny/"
    expect(page).to_have_url(new_url)
    expect(page.locator("h1")).to_have_text("Rapportera en avvikelse")
    # Her only unit and its group are chosen already.
    expect(page.get_by_label("Rapporterande verksamhet").locator("option:checked")).to_have_text(
        REPORTING_UNIT
    )
    expect(page.get_by_label("Lokal BUS-grupp").locator("option:checked")).to_have_text(GROUP)

    page.get_by_label("Kort rubrik").fill(TITLE)
    page.get_by_label("Datum för händelsen").fill(iso(occurred))
    # The ~190 units are checkboxes with a filter above them; checked ones stay in sight.
    others = page.get_by_role("group", name="Andra parter (verksamheter)")
    every = others.locator(".choice-group .ds-field")
    total = every.count()
    others.get_by_label("Filtrera listan").fill(OTHER_UNIT.split(",")[0])
    expect(others.get_by_role("checkbox", name=other_label, exact=True)).to_be_visible()
    assert 0 < every.filter(visible=True).count() < total
    status = others.locator(".choice-filter__status")
    expect(status).to_have_text(re.compile(rf"^Visar \d+ av {total}\.$"))
    others.get_by_role("checkbox", name=other_label, exact=True).check()
    others.get_by_label("Filtrera listan").fill("")
    assert every.filter(visible=True).count() == total
    page.get_by_label("Vad hände").fill(
        f"{HAPPENED} Det gäller eleven {PERSONAL_NUMBER}; mamman nås på {PHONE}."
    )
    page.get_by_label("Konsekvens för barnet").fill(CONSEQUENCE)
    page.get_by_label("Kategori", exact=True).select_option(label=CATEGORY)
    page.get_by_label("Del av BUS-överenskommelsen").select_option(label=AGREEMENT_PART)
    submit(page, "Granska och skicka")
    expect(page).to_have_url(new_url)
    remove_number = f"Ta bort personnummer eller samordningsnummer: ”{PERSONAL_NUMBER}”"
    remove_phone = f"Ta bort telefonnummer: ”{PHONE}”"
    expect_errors(page, remove_number, remove_phone)
    happened_error = page.locator("#id_what_happened_error")
    expect(happened_error).to_contain_text(remove_number)
    expect(happened_error).to_contain_text(remove_phone)
    expect(page.get_by_label("Vad hände")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_what_happened_error\b")
    )
    # What was typed is kept; nothing is saved.
    expect(page.get_by_label("Kort rubrik")).to_have_value(TITLE)
    others = page.get_by_role("group", name="Andra parter (verksamheter)")
    expect(others.get_by_role("checkbox", checked=True)).to_have_count(1)
    expect(others.get_by_role("checkbox", name=other_label, exact=True)).to_be_checked()
    assert not Deviation.objects.filter(title=TITLE).exists()

    # Without the identity, first as a draft.
    page.get_by_label("Vad hände").fill(HAPPENED)
    submit(page, "Spara utkast")
    expect(page).to_have_url(f"{demo_site}/avvikelser/")
    expect(page.get_by_role("status")).to_contain_text("Utkastet är sparat.")
    row = report_row(page, TITLE)
    expect(row).to_have_count(1)
    draft = Deviation.objects.get(title=TITLE)
    assert draft.step == Deviation.Step.DRAFT
    assert draft.reference is None
    follow(page, row.get_by_role("link", name="Utkast", exact=True))
    expect(page).to_have_url(f"{demo_site}/avvikelser/{draft.pk}/andra/")
    expect(page.locator("h1")).to_have_text("Fortsätt med utkastet")
    expect(page.get_by_label("Kort rubrik")).to_have_value(TITLE)
    expect(page.get_by_label("Vad hände")).to_have_value(HAPPENED)
    expect(page.get_by_label("Datum för händelsen")).to_have_value(iso(occurred))
    expect(page.get_by_label("Kategori", exact=True).locator("option:checked")).to_have_text(
        CATEGORY
    )

    submit(page, "Granska och skicka")
    expect(page).to_have_url(f"{demo_site}/avvikelser/{draft.pk}/granska/")
    expect(page.locator("h1")).to_have_text("Granska innan du skickar")
    facts = page.locator("main dl.facts")
    for answer in (TITLE, REPORTING_UNIT, REPORTER_NAME, other_label, GROUP, iso(occurred)):
        expect(facts).to_contain_text(answer)
    expect(facts).to_contain_text(CATEGORY)
    expect(facts).to_contain_text(AGREEMENT_PART)
    expect(page.locator("main")).to_contain_text(HAPPENED)
    expect(page.locator("main")).to_contain_text(CONSEQUENCE)
    assert Deviation.objects.get(pk=draft.pk).step == Deviation.Step.DRAFT

    submit(page, "Skicka rapporten")
    expect(page).to_have_url(f"{demo_site}/avvikelser/{draft.pk}/skickad/")
    expect(page.get_by_role("status")).to_contain_text(f"Ditt nummer är {reference}.")
    expect(page.get_by_role("heading", name="Vad händer nu", exact=True)).to_be_visible()
    deviation = Deviation.objects.get(pk=draft.pk)
    assert deviation.reference == reference
    assert deviation.step == Deviation.Step.SUPERVISORS
    detail_url = f"{demo_site}/avvikelser/{deviation.pk}/"

    # --- 2. The BUP's manager, the other party's nearest supervisor, handles it -------------
    log_out(page)
    login(page, demo_site, SUPERVISOR)
    open_deviations(page)
    follow(page, page.get_by_role("link", name="Att hantera som chef", exact=True))
    expect(page).to_have_url(re.compile(r"[?&]vy=hantera(&|$)"))
    row = report_row(page, reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("Hos närmaste chefer")
    follow(page, row.get_by_role("link", name=reference, exact=True))
    expect(page).to_have_url(detail_url)
    expect(page.locator("h1")).to_have_text(f"{reference}: {TITLE}")
    expect(step_tag(page)).to_have_text("Hos närmaste chefer")
    # A party's own people see who reported.
    expect(page.locator("main dl.facts")).to_contain_text(REPORTER_NAME)

    follow(page, page.get_by_role("link", name="Lägg till åtgärd", exact=True))
    expect(page).to_have_url(f"{demo_site}/avvikelser/{deviation.pk}/atgarder/ny/")
    expect(page.locator("h1")).to_have_text("Lägg till åtgärd")
    due = today + datetime.timedelta(days=14)
    page.get_by_label("Åtgärd", exact=True).fill(ACTION)
    page.get_by_label("Ansvarig verksamhet").select_option(label=OTHER_UNIT)
    page.get_by_label("Klar senast").fill(iso(due))
    submit(page, "Spara")
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("status")).to_contain_text("Åtgärden är sparad.")
    actions = page.get_by_role("table", name="Åtgärder")
    action_row = actions.locator("tbody tr").filter(has_text=ACTION)
    expect(action_row).to_have_count(1)
    expect(action_row).to_contain_text(OTHER_UNIT)
    expect(action_row).to_contain_text(iso(due))
    expect(action_row).to_contain_text("Pågår")

    # Closing while the action is open is refused, and nothing moves.
    page.get_by_label("Avsluta: löst").check()
    page.get_by_label("Hur det hanterades / varför det går vidare").fill(REFUSED_NOTE)
    submit(page, "Spara")
    expect(page).to_have_url(f"{demo_site}/avvikelser/{deviation.pk}/steg/")
    expect(page.locator("h1")).to_have_text("Hantera rapporten")
    open_action = "Rapporten kan inte avslutas medan en åtgärd pågår."
    expect_errors(page, open_action)
    expect(page.get_by_label("Avsluta: löst")).to_be_checked()
    expect(page.get_by_label("Hur det hanterades / varför det går vidare")).to_have_value(
        REFUSED_NOTE
    )
    deviation.refresh_from_db()
    assert deviation.step == Deviation.Step.SUPERVISORS
    assert deviation.events.count() == 1
    # The refused step told the reporter nothing (the supervisors were told it arrived).
    reporter = deviation.reporter
    assert not Notification.objects.filter(
        user=reporter, about=f"deviations.deviation:{deviation.pk}"
    ).exists()

    follow(page, page.get_by_role("link", name="Avbryt", exact=True))
    expect(page).to_have_url(detail_url)
    expect(step_tag(page)).to_have_text("Hos närmaste chefer")
    follow(page, action_row.get_by_role("button", name="Markera som klar", exact=True))
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("status")).to_contain_text("Åtgärden är markerad som klar.")
    expect(action_row).to_contain_text("Klar")
    expect(action_row.get_by_role("button", name="Markera som klar")).to_have_count(0)
    assert Action.objects.get(deviation=deviation).status == Action.Status.DONE

    page.get_by_label("Avsluta: löst").check()
    page.get_by_label("Hur det hanterades / varför det går vidare").fill(OUTCOME)
    submit(page, "Spara")
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("status")).to_contain_text("Rapporten har gått vidare.")
    expect(step_tag(page)).to_have_text("Avslutad")
    expect(page.get_by_role("heading", name="Hur det hanterades", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text(OUTCOME)
    # Closed: no more moves and no more actions.
    expect(page.get_by_role("heading", name="Hantera rapporten")).to_have_count(0)
    expect(page.get_by_role("link", name="Lägg till åtgärd")).to_have_count(0)
    history = page.get_by_role("table", name="Steg", exact=True)
    expect(history.locator("tbody td:nth-child(2)")).to_have_text(["Utkast", "Hos närmaste chefer"])
    expect(history.locator("tbody td:nth-child(3)")).to_have_text(
        ["Hos närmaste chefer", "Avslutad"]
    )
    expect(history.locator("tbody td:nth-child(4)")).to_have_text([REPORTER_NAME, SUPERVISOR_NAME])
    expect(history.locator("tbody tr").last.locator("td").last).to_have_text(OUTCOME)
    deviation.refresh_from_db()
    assert deviation.step == Deviation.Step.RESOLVED
    assert deviation.outcome == OUTCOME
    assert deviation.resolved_at is not None

    # --- 3. The counsellor learns how it was handled ----------------------------------------
    log_out(page)
    login(page, demo_site, REPORTER)
    open_deviations(page)
    notices = page.get_by_role("region", name="Nytt om dina rapporter")
    expect(notices).to_be_visible()
    notice = notices.get_by_role("link", name=f"{reference} är avslutad: {OUTCOME}")
    expect(notice).to_have_count(1)
    expect(report_row(page, reference)).to_contain_text("Avslutad")
    follow(page, notice)
    expect(page).to_have_url(detail_url)
    expect(step_tag(page)).to_have_text("Avslutad")
    expect(page.get_by_role("heading", name="Hur det hanterades", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text(OUTCOME)
    expect(page.get_by_role("table", name="Åtgärder")).to_contain_text("Klar")
    # Opening the report read the notice.
    open_deviations(page)
    expect(page.get_by_role("region", name="Nytt om dina rapporter")).to_have_count(0)

    # --- 4. The secretariat reads, tags and judges it, then compiles the year --------------
    log_out(page)
    login(page, demo_site, SECRETARIAT)
    expect(main_nav(page).get_by_role("link", name="Avvikelser", exact=True)).to_have_count(0)
    follow(page, main_nav(page).get_by_role("link", name="Avvikelser i länet", exact=True))
    expect(page).to_have_url(f"{demo_site}/avvikelser/sekretariat/")
    expect(page.locator("h1")).to_have_text("Avvikelser i länet")
    page.get_by_label("Lokal BUS-grupp").select_option(label=GROUP)
    page.get_by_label("Steg", exact=True).select_option(label="Avslutad")
    submit(page, "Visa")
    expect(page).to_have_url(re.compile(r"[?&]steg=resolved(&|$)"))
    table = page.get_by_role("table", name="Avvikelser, senast inskickade först")
    rows = table.locator("tbody tr")
    expect(rows.first).to_contain_text(reference)  # the newest first
    expect(rows.filter(has_text="Hos närmaste chefer")).to_have_count(0)
    row = rows.filter(has_text=reference)
    expect(row).to_contain_text(GROUP)
    expect(row).to_contain_text("Oläst")
    follow(page, row.get_by_role("link", name=reference, exact=True))
    review_url = f"{demo_site}/avvikelser/sekretariat/{deviation.pk}/"
    expect(page).to_have_url(review_url)
    expect(page.locator("h1")).to_have_text(f"{reference}: {TITLE}")
    expect(page.locator("main")).to_contain_text(OUTCOME)
    for name in (REPORTER_NAME, *REPORTER_NAME.split()):
        assert name not in page.content(), f"the review page shows {name!r}"

    page.get_by_label("Markera som läst").check()
    page.get_by_label("Ny tagg").fill(NEW_TAG)
    page.get_by_label(JUDGEMENT, exact=True).check()
    page.get_by_label("Kommentar till bedömningen").fill(JUDGEMENT_NOTE)
    submit(page, "Spara")
    expect(page).to_have_url(review_url)
    expect(page.get_by_role("status")).to_contain_text(f"Granskningen av {reference} är sparad.")
    expect(page.locator("main h1 + p")).to_contain_text(f"Läst {iso(today)}")
    expect(page.get_by_label(NEW_TAG, exact=True)).to_be_checked()
    expect(page.get_by_label(JUDGEMENT, exact=True)).to_be_checked()
    expect(page.get_by_label("Kommentar till bedömningen")).to_have_value(JUDGEMENT_NOTE)
    expect(page.get_by_label("Markera som läst")).to_have_count(0)
    for name in (REPORTER_NAME, *REPORTER_NAME.split()):
        assert name not in page.content(), f"the review page shows {name!r}"
    deviation.refresh_from_db()
    assert deviation.read_by_secretariat_at is not None
    assert deviation.judgement == Deviation.Judgement.ROUTINE
    assert list(deviation.tags.values_list("name", flat=True)) == [NEW_TAG]
    assert Tag.objects.filter(name=NEW_TAG).count() == 1

    # Patterns, from the start page's card.
    follow(page, main_nav(page).get_by_role("link", name="Start", exact=True))
    card = page.get_by_role("region", name="BUS-sekretariatet")
    follow(page, card.get_by_role("link", name="Mönster i avvikelser", exact=True))
    expect(page).to_have_url(f"{demo_site}/avvikelser/monster/")
    expect(page.locator("h1")).to_have_text("Mönster i avvikelser")
    expect(page.locator("main")).to_contain_text(
        f"Hela länet, perioden {iso(year_start)} till {iso(year_end)}"
    )
    numbers = stats.compute(year_start, year_end)
    assert numbers.total > 0
    charts = page.locator("main figure.chart > svg")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 3
    for title in ("Kategorier", "Lokala BUS-grupper", "Steg"):
        section = page.get_by_role("region", name=title, exact=True)
        expect(section.locator("figure.chart > svg")).to_have_count(1)
        expect(section.get_by_role("table", name=f"{title}, antal rapporter")).to_be_visible()
    steps = page.get_by_role("table", name="Steg, antal rapporter")
    expect(steps.locator("tbody tr").filter(has_text="Avslutad")).to_have_count(1)
    groups = page.get_by_role("table", name="Lokala BUS-grupper, antal rapporter")
    expect(groups).to_contain_text(GROUP)

    # The yearly compilation, for this calendar year (the default period).
    follow(page, main_nav(page).get_by_role("link", name="Start", exact=True))
    card = page.get_by_role("region", name="BUS-sekretariatet")
    follow(page, card.get_by_role("link", name="Årlig sammanställning", exact=True))
    expect(page).to_have_url(f"{demo_site}/avvikelser/sammanstallning/")
    title = (
        "Redovisning av BUS-avvikelser inkomna under perioden "
        f"{iso(year_start)} till {iso(year_end)}"
    )
    expect(page.locator("h1")).to_have_text(title)
    summary = page.get_by_role("region", name="Sammanfattning")
    expect(summary.locator("dt:text-is('Antal rapporter') + dd")).to_have_text(str(numbers.total))
    totals = page.get_by_role("table", name="Steg, antal rapporter")
    expect(totals.locator("thead")).to_contain_text("Antal")
    closed = totals.locator("tbody tr").filter(has_text="Avslutad")
    expect(closed.locator("td.numeric")).to_have_text(str(numbers.by_step.as_dict()["Avslutad"]))
    judgements = page.get_by_role("table", name="Rapporter som sekretariatet har bedömt")
    expect(judgements.locator("tbody tr").filter(has_text=reference)).to_contain_text(
        JUDGEMENT_NOTE
    )
    assert REPORTER_NAME not in page.content()

    pdf = make_file(page, demo_site, "Skapa PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    xlsx = make_file(page, demo_site, "Skapa kalkylblad (Excel)")
    assert xlsx.headers["content-type"] == XLSX
    assert xlsx.body().startswith(b"PK")
    for response in (pdf, xlsx):
        assert (
            f"bus-avvikelser-{iso(year_start)}-{iso(year_end)}"
            in (response.headers["content-disposition"])
        )


def test_a_steering_chair_reads_the_own_groups_compilation_only(page, demo_site):
    """From the start page's card to the group's compilation and patterns; another group's
    name typed into the address gives a field error and no numbers."""
    login(page, demo_site, "ordforande.rinkeby@demo.example")
    card = page.get_by_role("region", name="Min grupps rapporter")
    follow(page, card.get_by_role("link", name="Sammanställning av gruppens avvikelser"))
    expect(page.locator("h1")).to_contain_text("för BUS Rinkeby-Kista och Spånga-Tensta")
    choice = page.get_by_label("Lokal BUS-grupp")
    expect(choice.locator("option")).to_have_count(1)  # no other group, not the county
    expect(page.get_by_role("button", name="Skapa PDF")).to_be_visible()
    follow(page, page.get_by_role("link", name="Mönster i avvikelser för samma period"))
    expect(page.locator("main h2").first).to_contain_text("BUS Rinkeby-Kista och Spånga-Tensta")

    follow(page, page.locator("a", has_text="Sammanställning för samma period"))
    page.goto(f"{demo_site}/avvikelser/sammanstallning/?grupp=norrtalje")
    expect(page.locator("main")).to_contain_text("Välj ett giltigt alternativ")
    expect(page.locator("main")).not_to_contain_text("Sammanfattning")
