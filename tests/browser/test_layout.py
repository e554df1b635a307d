"""The everyday layout in Chromium with the demo county, axe on every page: the main lists,
forms and record pages reflow at 320 CSS px (WCAG 2.1, 1.4.10) with wide tables scrolling
in their own box, and a form that failed says so in the title and puts the focus on its
error summary."""

import pytest
from playwright.sync_api import expect

from samverkan.organisations.models import Body
from samverkan.sip.models import Plan
from tests.browser.conftest import expect_reflow, follow, login, visit

pytestmark = pytest.mark.browser

CASE_WORKER = "handlaggare.rinkeby@demo.example"  # Hanna Hassan, social services Rinkeby-Kista
LOG_REVIEWER = "logg@demo.example"
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
