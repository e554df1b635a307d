"""Issue 9's "one door to a child's data" in Chromium, with the demo county and axe on
every page.

- A school counsellor in Norrtälje raises a forum case with the number of a child that a
  social-services unit in Stockholm registered: without names she is asked for them and
  learns nothing of that record; with names the case is about the child as her unit typed
  it, and the other unit's record answers 404.
- The log reviewer takes the child's log extract, finds the counsellor's refused attempt in
  it, has the PDF for the guardian made and downloads it, and reads the role changes.
- The error summary of a form that failed takes the focus; the extract and the consent
  summary fit a 320 px wide screen without scrolling sideways, and the extract's table
  scrolls in a region the keyboard reaches.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samverkan.exports.models import Export
from samverkan.forum.models import ForumCase
from samverkan.organisations.models import LocalGroup, Unit
from samverkan.people.models import Child
from samverkan.sip.models import Plan
from tests.browser.conftest import (
    NARROW,
    check_axe,
    expect_no_sideways_scroll,
    follow,
    login,
    screenshot,
    serious_violations,
    visit,
)

pytestmark = pytest.mark.browser

COUNSELLOR = "kurator.grindskolan@demo.example"  # Kim Kullberg, Grindskolan (Norrtälje)
LOG_REVIEWER = "logg@demo.example"  # Leo Logggranskare
CASE_WORKER = "handlaggare.rinkeby@demo.example"  # Hanna Hassan, registered the demo child

SCHOOL = "Grindskolan"
SOCIAL = "Socialtjänsten barn och ungdom, Rinkeby-Kista"
BUP = "Prima Barn BUP Rinkeby-Kista"
# Skatteverket's test number (no real person): the demo's Alva Demosson, registered by SOCIAL.
PERSONAL_NUMBER = "20170101-2393"
# What SOCIAL's record holds; none of it may reach the counsellor.
REAL_RECORD = ["Alva", "Demosson", "Sara Demosson", "070-000 00 00", "Exempelgränd"]
FIRST, LAST = "Anna", "Skrivensdotter"  # invented, as the counsellor types them
NAME_NEEDED = (
    "Ange barnets för- och efternamn. Din verksamhet har inte registrerat barnet tidigare; "
    "varje verksamhet registrerar barnet med de uppgifter den själv har."
)


def main_nav(page):
    return page.get_by_role("navigation", name="Huvudmeny")


def submit(page, name):
    """Submit the page's form with the button ``name``; axe runs on what comes back."""
    return follow(page, page.get_by_role("button", name=name, exact=True))


def link(page, name):
    return follow(page, page.get_by_role("link", name=name, exact=True))


def log_out(page):
    submit(page, "Logga ut")
    expect(page.locator("input[name=login]")).to_be_visible()


def expect_nothing_of_the_real_record(page):
    body = page.locator("body")
    for secret in REAL_RECORD:
        expect(body).not_to_contain_text(secret)
    html = page.content()
    for secret in REAL_RECORD:
        assert secret not in html, f"{page.url} carries {secret!r} in its HTML"


def open_raise_form(page, base_url):
    follow(page, main_nav(page).get_by_role("link", name="Individforum", exact=True))
    link(page, "Anmäl ett ärende")
    expect(page).to_have_url(f"{base_url}/individforum/nytt/")
    expect(page.locator("h1")).to_have_text("Anmäl ärende till individforum")


def raise_without_names(page, base_url):
    """On the raise form: the known number and no names, sent."""
    page.get_by_label("Personnummer eller samordningsnummer").fill(PERSONAL_NUMBER)
    page.get_by_label("Datum då behovet uppmärksammades").fill(
        (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    )
    page.get_by_label("Skäl till att individforum behövs").fill(
        "Skolan behöver samordning med socialtjänsten och BUP kring stödet i skolan."
    )
    page.get_by_label("Sammankallande").select_option(label="Erik Ekholm")
    submit(page, "Anmäl ärendet")
    expect(page).to_have_url(f"{base_url}/individforum/nytt/")


def test_an_outsider_learns_nothing_and_the_log_shows_it(page, demo_site):
    today = timezone.localdate()
    iso = datetime.date.isoformat
    real = Child.objects.get(personal_number=PERSONAL_NUMBER, owning_unit__name=SOCIAL)
    school = Unit.objects.select_related("principal").get(name=SCHOOL)
    group = LocalGroup.objects.get(areas__name="Norrtälje")
    cases_before = ForumCase.objects.count()

    # --- a. The counsellor raises a case with a number another unit registered -----------
    login(page, demo_site, COUNSELLOR)
    open_raise_form(page, demo_site)
    expect(page.get_by_label("Anmälande verksamhet").locator("option:checked")).to_have_text(SCHOOL)
    expect(page.get_by_label("Lokal BUS-grupp").locator("option:checked")).to_have_text(group.name)
    raise_without_names(page, demo_site)
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("li")).to_have_text([f"Barnets förnamn: {NAME_NEEDED}"])
    expect(page.locator("#id_first_name_error")).to_have_text(NAME_NEEDED)
    expect(page.get_by_label("Barnets förnamn")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_first_name_error\b")
    )
    # The number typed is kept; nothing of the other unit's record is shown or sent.
    expect(page.get_by_label("Personnummer eller samordningsnummer")).to_have_value(PERSONAL_NUMBER)
    expect(page.get_by_label("Barnets förnamn")).to_have_value("")
    expect_nothing_of_the_real_record(page)
    assert ForumCase.objects.count() == cases_before
    assert Child.objects.filter(personal_number=PERSONAL_NUMBER).count() == 1

    page.get_by_label("Barnets förnamn").fill(FIRST)
    page.get_by_label("Barnets efternamn").fill(LAST)
    submit(page, "Anmäl ärendet")
    expect(page).to_have_url(re.compile(rf"/individforum/IF-{today.year}-\d{{4}}/$"))
    reference = page.url.rstrip("/").rsplit("/", 1)[1]
    case_url = page.url
    expect(page.get_by_role("status")).to_contain_text(f"Ärendet {reference} är anmält")
    facts = page.locator("main dl.facts")
    expect(facts.locator("dt").first).to_have_text("Barn")
    expect(facts.locator("dd").first).to_have_text(f"{FIRST} {LAST}, {PERSONAL_NUMBER}")
    expect(facts).to_contain_text(f"{SCHOOL} ({school.principal})")
    expect_nothing_of_the_real_record(page)
    case = ForumCase.objects.get(reference=reference)
    own = case.child
    assert own != real and own.owning_unit == school
    assert (own.first_name, own.last_name) == (FIRST, LAST)
    assert ForumCase.objects.count() == cases_before + 1

    # Her unit's own record of the child: what she typed, and no one else's.
    follow(page, facts.get_by_role("link", name=f"{FIRST} {LAST}", exact=True))
    expect(page).to_have_url(f"{demo_site}/barn/{own.pk}/")
    expect(page.locator("h1")).to_contain_text(f"{FIRST} {LAST}")
    expect(page.get_by_role("link", name="Lägg till vårdnadshavare")).to_be_visible()
    expect_nothing_of_the_real_record(page)

    # The other unit's record answers as if it did not exist.
    visit(page, f"{demo_site}/barn/{real.pk}/", status=404)
    expect(page.locator("h1")).to_have_text("Sidan finns inte")
    expect(page.locator("main")).to_contain_text("Försöket har loggats.")
    expect_nothing_of_the_real_record(page)
    visit(page, case_url)
    log_out(page)

    # --- b. The log reviewer takes the child's log extract --------------------------------
    login(page, demo_site, LOG_REVIEWER)
    follow(page, main_nav(page).get_by_role("link", name="Logggranskning", exact=True))
    expect(page.locator("h1")).to_have_text("Åtkomstlogg")
    link(page, "Logguttdrag för ett barn")
    expect(page).to_have_url(f"{demo_site}/logg/barn/")
    expect(page.locator("h1")).to_have_text("Logguttdrag för ett barn")
    page.get_by_label("Personnummer eller samordningsnummer").fill(PERSONAL_NUMBER)
    submit(page, "Visa uttaget")
    expect(page).to_have_url(re.compile(r"/logg/barn/\?.*personal_number=20170101-2393"))
    expect(page.get_by_role("heading", name=f"Uttag för {PERSONAL_NUMBER}")).to_be_visible()
    records = page.locator("main p:text-is('Barnet är registrerat hos:') + ul li")
    expect(records).to_have_count(2)
    expect(records.nth(0)).to_contain_text(f"{SOCIAL} (Stockholms stad)")
    expect(records.nth(1)).to_contain_text(f"{SCHOOL} ({school.principal}), {iso(today)}")
    accesses = page.get_by_role("table", name="Åtkomster, nyast först")
    refused = accesses.locator("tbody tr").filter(has_text="Kim Kullberg")
    refused = refused.filter(has=page.locator("td:nth-child(4)", has_text="Nekades (404)"))
    expect(refused.first).to_be_visible()
    expect(refused.first.locator("td").nth(1)).to_contain_text(COUNSELLOR)

    # The PDF for the guardian, made in the background.
    day_before = timezone.localdate()
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Skapa PDF för vårdnadshavaren", exact=True).click()
    assert navigation.value is not None and navigation.value.ok, navigation.value
    expect(page).to_have_url(re.compile(r"/exporter/[^/]+/$"))
    expect(page.locator("h1")).to_have_text("Logguttdrag (PDF)")
    # The task runs once the request's transaction has committed (at once in the tests'
    # ImmediateBackend). Should it still be queued, the page refreshes itself (meta
    # refresh) until the file is ready; axe runs on the page once it has settled.
    expect(page.get_by_role("status")).to_contain_text("Filen är klar", timeout=120_000)
    check_axe(page)
    download_link = page.get_by_role(
        "link", name=re.compile(r"^Ladda ner logguttdrag-\d{4}-\d{2}-\d{2}\.pdf$")
    )
    with page.expect_download() as waiting:
        download_link.click()
    download = waiting.value
    day_after = timezone.localdate()
    names = {f"logguttdrag-{iso(day)}.pdf" for day in (day_before, day_after)}
    assert download.suggested_filename in names, download.suggested_filename
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    export = Export.objects.get(requested_by__email=LOG_REVIEWER, kind="audit.child_extract.pdf")
    assert export.status == Export.Status.READY
    assert export.file_name == download.suggested_filename
    assert export.child_id == real.pk

    # The role changes, from the log review page.
    follow(page, main_nav(page).get_by_role("link", name="Logggranskning", exact=True))
    link(page, "Rolländringar")
    expect(page).to_have_url(f"{demo_site}/logg/roller/")
    expect(page.locator("h1")).to_have_text("Rolländringar")
    changes = page.get_by_role("table", name="Rolländringar, nyast först")
    expect(changes).not_to_contain_text("Inga rolländringar matchar filtret.")
    # Among them the reviewer's own role, given when the demo was loaded.
    own = changes.locator("tbody tr").filter(has_text=LOG_REVIEWER).filter(has_text="Systemroll")
    expect(own).to_have_count(1)
    expect(own.locator("td").nth(3)).to_have_text("Logggranskare: nej → ja")
    expect(own.locator("td").nth(5)).to_contain_text("Kommando")


def test_the_error_summary_takes_the_focus(page, demo_site):
    login(page, demo_site, COUNSELLOR)
    open_raise_form(page, demo_site)
    raise_without_names(page, demo_site)
    summary = page.locator(".ds-error-summary")
    expect(summary).to_contain_text(NAME_NEEDED)
    expect_nothing_of_the_real_record(page)
    expect(summary).to_be_focused()
    assert page.evaluate(
        "document.activeElement === document.querySelector('.ds-error-summary')"
    ), "document.activeElement is not the error summary"


def test_the_log_extract_fits_a_narrow_screen(page, demo_site):
    """The log extract at 320 px: the page itself does not scroll sideways; its table
    scrolls inside its own region, which axe requires to be reachable by keyboard."""
    page.set_viewport_size(NARROW)
    login(page, demo_site, LOG_REVIEWER)
    expect_no_sideways_scroll(page)
    extract_url = f"{demo_site}/logg/barn/?personal_number={PERSONAL_NUMBER}"
    response = page.goto(extract_url)
    assert response is not None and response.ok, extract_url
    screenshot(page)
    expect(page.get_by_role("heading", name=f"Uttag för {PERSONAL_NUMBER}")).to_be_visible()
    expect(page.get_by_role("table", name="Åtkomster, nyast först")).to_be_visible()
    expect_no_sideways_scroll(page)
    violations = [f"{v['id']}: {v['help']}" for v in serious_violations(page)]
    assert not violations, f"axe found serious/critical violations on {page.url}: {violations}"


def test_the_consent_summary_fits_a_narrow_screen(page, demo_site):
    """The consent form and its summary at 320 px: read and checked on a phone."""
    today = timezone.localdate()
    iso = datetime.date.isoformat
    plan = Plan.objects.get(
        child__personal_number=PERSONAL_NUMBER, initiating_unit__name=SOCIAL
    )  # the demo's established plan
    consents_before = plan.consents().count()
    page.set_viewport_size(NARROW)
    login(page, demo_site, CASE_WORKER)
    expect_no_sideways_scroll(page)
    visit(page, f"{demo_site}{plan.get_absolute_url()}")
    link(page, "Registrera samtycke för planen")
    expect(page).to_have_url(f"{demo_site}/samtycken/nytt/sip/{plan.pk}/")
    expect(page.locator("h1")).to_have_text("Registrera samtycke")
    expect_no_sideways_scroll(page)
    page.get_by_label(f"{BUP} (Region Stockholm)").check()
    page.get_by_label("Sara Demosson", exact=True).check()
    page.get_by_label("Skriftligt", exact=True).check()
    page.get_by_label("Lämnat den").fill(iso(today))
    valid_until = today + datetime.timedelta(days=90)
    page.get_by_label("Gäller till och med").fill(iso(valid_until))
    submit(page, "Granska samtycket")
    expect(page.locator("h1")).to_have_text("Kontrollera samtycket")
    expect(page.get_by_role("heading", name="Vem får dela vad med vem")).to_be_visible()
    summary = page.locator("main dl.facts")
    expect(summary).to_contain_text(f"{BUP} (Region Stockholm)")
    expect(summary).to_contain_text(f"{iso(today)} – {iso(valid_until)}")
    expect(page.get_by_role("button", name="Spara samtycket", exact=True)).to_be_visible()
    expect_no_sideways_scroll(page)
    # Nothing is saved until it is confirmed; leaving keeps it that way.
    link(page, "Avbryt")
    expect(page).to_have_url(f"{demo_site}{plan.get_absolute_url()}")
    assert plan.consents().count() == consents_before
