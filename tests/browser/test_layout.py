"""The everyday layout in Chromium with the demo county, axe on every page: the main lists,
forms and record pages reflow at 320 CSS px (WCAG 2.1, 1.4.10) with wide tables scrolling
in their own box, and a form that failed says so in the title and puts the focus on its
error summary."""

import re

import pytest
from playwright.sync_api import expect

from samverkan.organisations.models import Body
from samverkan.sip.models import Plan
from tests.browser.conftest import _axe, expect_reflow, follow, login, screenshot, visit

pytestmark = pytest.mark.browser

CASE_WORKER = "handlaggare.rinkeby@demo.example"  # Hanna Hassan, social services Rinkeby-Kista
LOG_REVIEWER = "logg@demo.example"
COUNSELLOR = "kurator.grindskolan@demo.example"  # Kim Kullberg, Grindskolan (Norrtälje)
SECRETARIAT = "sekretariat@demo.example"
SOCIAL = "Socialtjänsten barn och ungdom, Rinkeby-Kista"
PERSONAL_NUMBER = "20170101-2393"  # the demo's Alva Demosson (Skatteverket's test number)


def log_out(page):
    follow(page, page.get_by_role("button", name="Logga ut", exact=True))


def visit_narrow(page, url):
    """Visit ``url`` (axe runs) and check that it reflows at 320 px."""
    visit(page, url)
    expect_reflow(page)


def first_record(page):
    """The first record linked from the list's table."""
    return page.locator("main table tbody a").first


def test_the_main_pages_reflow_at_320_px(page, demo_site):
    plan = Plan.objects.get(child__personal_number=PERSONAL_NUMBER, initiating_unit__name=SOCIAL)
    login(page, demo_site, CASE_WORKER)
    expect_reflow(page)  # the start page
    for path in ["/avvikelser/ny/", "/avvikelser/", "/sip/", "/meddelanden/"]:
        visit_narrow(page, f"{demo_site}{path}")
    visit_narrow(page, f"{demo_site}{plan.get_absolute_url()}")
    expect(page.locator(".table-scroll table").first).to_be_visible()
    visit_narrow(page, f"{demo_site}/individforum/")
    follow(page, first_record(page))
    expect(page.locator("h1")).to_contain_text("IF-")
    expect_reflow(page)
    visit_narrow(page, f"{demo_site}/katalog/verksamheter/")
    visit_narrow(page, f"{demo_site}/katalog/")
    log_out(page)

    login(page, demo_site, LOG_REVIEWER)
    visit_narrow(page, f"{demo_site}/logg/")
    log_out(page)

    login(page, demo_site, SECRETARIAT)
    visit_narrow(page, f"{demo_site}/avvikelser/sekretariat/")
    follow(page, first_record(page))
    expect_reflow(page)
    bussam = Body.objects.get(kind=Body.Kind.BUSSAM)
    visit_narrow(page, f"{demo_site}/inkorg/{bussam.pk}/")


def test_a_wide_table_scrolls_in_its_own_box_by_keyboard(page, demo_site):
    """The units directory at 320 px: the page keeps its width, the table's box scrolls, and
    the box is a tab stop so that the keyboard can scroll it."""
    login(page, demo_site, CASE_WORKER)
    page.set_viewport_size({"width": 320, "height": 720})
    visit(page, f"{demo_site}/katalog/verksamheter/")
    box = page.locator(".table-scroll").first
    assert box.evaluate("(el) => el.scrollWidth > el.clientWidth"), "the table fits; no test"
    assert box.get_attribute("tabindex") == "0"
    box.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-scroll').scrollLeft > 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_refused_form_says_so_in_the_title_and_focuses_its_summary(page, demo_site):
    login(page, demo_site, COUNSELLOR)
    visit(page, f"{demo_site}/individforum/nytt/")
    assert not page.title().startswith("Fel:")
    follow(page, page.get_by_role("button", name="Anmäl ärendet", exact=True))
    expect(page).to_have_url(f"{demo_site}/individforum/nytt/")
    assert page.title().startswith("Fel: Anmäl ärende"), page.title()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.evaluate(
        "document.activeElement === document.querySelector('[data-error-summary]')"
    )
    # Each message says what to do, at the field and in the summary, which links to it.
    expect(summary).to_contain_text("Fyll i skäl till att individforum behövs.")
    expect(summary).to_contain_text("Välj sammankallande.")
    expect(page.locator("#id_convener_error")).to_have_text("Välj sammankallande.")
    expect(page.locator("body")).not_to_contain_text("Detta fält måste fyllas i")
    expect(page.get_by_label("Sammankallande")).to_contain_text("Välj sammankallande")


def test_the_demo_banner_sits_in_a_landmark(page, demo_site, settings):
    """axe's "region" rule (all text inside a landmark) holds with the demo banner shown."""
    settings.DEMO_MODE = True
    login(page, demo_site, CASE_WORKER)
    banner = page.get_by_role("banner").locator(".demo-banner")
    expect(banner).to_contain_text("Demoversion")
    results = _axe.run(page).response
    assert not [v["id"] for v in results["violations"] if v["id"] == "region"]
    assert "region" in {rule["id"] for rule in results["passes"]}


# The colour behind an element: its own, or the first ancestor's that is not transparent.
BACKGROUND = """(el) => {
  for (let node = el; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour && colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") return colour;
  }
  return "rgb(255, 255, 255)";
}"""


def luminance(css_colour: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", css_colour)[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def expect_tags_stand_out(page):
    """Every status tag in a zebra-striped table has an outline of 3:1 or more against its
    row, whichever stripe it is on (WCAG 1.4.11)."""
    tags = page.locator("table[data-zebra] .ds-tag")
    assert tags.count(), f"no tag in a striped table on {page.url}"
    for tag in tags.all():
        border = tag.evaluate("(el) => getComputedStyle(el).borderTopColor")
        width = tag.evaluate("(el) => getComputedStyle(el).borderTopWidth")
        assert width != "0px" and not border.startswith("rgba"), (width, border)
        row = tag.evaluate(BACKGROUND.replace("(el) => {", "(el) => { el = el.closest('td');"))
        assert contrast(border, row) >= 3, (border, row, tag.text_content())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_pages_follow_the_colour_scheme_and_tags_stand_out(browser, demo_site, scheme):
    """The page follows the browser's colour scheme (data-color-scheme="auto"); axe checks
    the contrast of the start page, a striped list with status tags and a chart page."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE", color_scheme=scheme
    )
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        login(page, demo_site, CASE_WORKER)
        assert page.locator("html").get_attribute("data-color-scheme") == "auto"
        body = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert (luminance(body) < 0.1) == (scheme == "dark"), body
        visit(page, f"{demo_site}/sip/")
        expect_tags_stand_out(page)
        log_out(page)
        login(page, demo_site, SECRETARIAT)
        visit(page, f"{demo_site}/avvikelser/monster/")
        expect(page.locator(".chart svg").first).to_be_visible()
        visit(page, f"{demo_site}/styrning/")
        expect_tags_stand_out(page)
        screenshot(page)
    finally:
        context.close()
