"""The public pages in Chromium: an anonymous visitor reads every page (axe on each, and
reflow at 320 px), switches to English and reports a barrier; the secretariat edits a page
with a preview and publishes a new version."""

import re

import pytest
from playwright.sync_api import expect

from samverkan.public.content import PAGES
from samverkan.public.models import BarrierReport, Page
from tests.browser.conftest import check_axe, follow, login, visit

pytestmark = pytest.mark.browser

SECRETARIAT = "sekretariat@demo.example"


def reflows_at_320(page):
    """The page fits 320 CSS pixels without scrolling sideways (WCAG 1.4.10)."""
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= 320, f"{page.url} is {width} px wide at 320 px"


def test_an_anonymous_visitor_reads_every_page_and_reports_a_barrier(page, demo_site):
    paths = ["/om-bus/", "/om-bus/kontakt/", "/om-bus/tillganglighet/rapportera/"]
    paths += [f"/om-bus/{spec['slug']}/" for spec in PAGES]
    for path in paths:
        visit(page, demo_site + path, status=200)
        expect(page).to_have_url(demo_site + path)  # not sent to the log-in page
        expect(page.locator("h1")).to_have_count(1)
        reflows_at_320(page)

    # The log-in page leads here, and the start page leads on to each page.
    visit(page, demo_site + "/konto/login/")
    follow(page, page.get_by_role("link", name=re.compile("^Läs om BUS")))
    expect(page).to_have_url(demo_site + "/om-bus/")
    follow(page, page.locator("main .public-cards").get_by_role("link", name="Vad är BUS?"))
    expect(page.locator(".page-meta")).to_contain_text(re.compile(r"Uppdaterad \d{4}-\d\d-\d\d"))

    # The contacts come from the directory: all 33 groups, and the search narrows them.
    visit(page, demo_site + "/om-bus/kontakt/")
    expect(page.locator(".contact-grid > li")).to_have_count(33)
    page.get_by_label("Kommun eller stadsdel").fill("Bromma")
    follow(page, page.get_by_role("button", name="Sök"))
    expect(page.locator(".contact-grid > li")).to_have_count(1)
    expect(page.locator(".contact-grid")).to_contain_text("@demo.example")

    # English, through the footer's switch, as a visitor who is not logged in.
    visit(page, demo_site + "/om-bus/for-familjer/")
    page.get_by_label("Språk").select_option("en")
    follow(page, page.get_by_role("button", name="Byt språk"))
    expect(page.locator("h1")).to_have_text("For guardians and young people")
    page.get_by_label("Language").select_option("sv")
    follow(page, page.get_by_role("button", name="Change language"))

    # A barrier report from the accessibility statement: a personnummer is refused ...
    visit(page, demo_site + "/om-bus/tillganglighet/")
    follow(
        page,
        page.locator(".public-main").get_by_role(
            "link", name="Rapportera en brist i tillgängligheten"
        ),
    )
    page.get_by_label("Vilken sida gäller det?").fill("/om-bus/kontakt/")
    page.get_by_label("Vad fungerar inte?").fill("Gäller mitt barn 19121212-1212.")
    follow(page, page.get_by_role("button", name="Skicka rapporten"))
    expect(page.locator("#error-summary")).to_contain_text("Ta bort personnummer")
    assert not BarrierReport.objects.exists()
    # ... and without it the report is sent.
    page.get_by_label("Vad fungerar inte?").fill("Sökknappen syns inte vid 400 % förstoring.")
    page.get_by_label("Din e-postadress (frivilligt)").fill("besokare@example.org")
    follow(page, page.get_by_role("button", name="Skicka rapporten"))
    expect(page.locator("h1")).to_have_text("Tack för din rapport")
    reference = BarrierReport.objects.get().reference
    expect(page.get_by_role("status")).to_contain_text(reference)
    reflows_at_320(page)


def test_the_secretariat_edits_a_page_with_a_preview(page, demo_site):
    login(page, demo_site, SECRETARIAT)
    follow(
        page,
        page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Öppna sidor"),
    )
    follow(page, page.get_by_role("link", name="Redigera for-personal"))
    body = page.get_by_label("Text på svenska")
    body.fill(body.input_value() + "\n\n## Nytt om SIP\n\nMallen är uppdaterad.")
    follow(page, page.get_by_role("button", name="Förhandsgranska"))
    expect(page.locator(".preview")).to_contain_text("Nytt om SIP")
    assert Page.objects.get(slug="for-personal").current.number == 1
    follow(page, page.get_by_role("button", name="Publicera"))
    expect(page.locator("h1")).to_have_text("För dig som arbetar med barn")
    expect(page.locator(".page-body")).to_contain_text("Mallen är uppdaterad.")
    expect(page.locator(".page-meta")).to_contain_text("Version 2")
    follow(page, page.get_by_role("link", name="Alla versioner"))
    expect(page.locator("tbody tr")).to_have_count(2)
    check_axe(page)
