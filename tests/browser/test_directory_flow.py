"""Walks through Samverkan in Chromium the way people use it, with axe on every page."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from samverkan.accounts.adapters import AccountAdapter
from samverkan.organisations.models import Unit
from tests.browser.conftest import check_axe, follow, login, visit

pytestmark = pytest.mark.browser

CHAIR = "ordforande.rinkeby@demo.example"
LOG_REVIEWER = "logg@demo.example"
GROUP = "BUS Rinkeby-Kista och Spånga-Tensta"
STEERING = "BUS lokal styrgrupp"
CHAIR_UNIT = "Socialtjänsten barn och ungdom, Rinkeby-Kista"


def main_nav(page):
    return page.get_by_role("navigation", name="Huvudmeny")


def body_rows(table):
    return table.locator("tbody tr")


def test_directory_from_start_page_to_units(page, demo_site):
    login(page, demo_site, CHAIR)
    expect(page).to_have_url(f"{demo_site}/")
    expect(page.locator("h1")).to_contain_text("Välkommen")

    # The directory, through the main navigation.
    follow(page, main_nav(page).get_by_role("link", name="Lokala grupper", exact=True))
    expect(page).to_have_url(f"{demo_site}/katalog/")
    expect(page.get_by_role("link", name="Lokala grupper", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("heading", level=2, name="33 lokala BUS-grupper")).to_be_visible()
    groups = page.get_by_role("table", name="33 lokala BUS-grupper")
    expect(body_rows(groups)).to_have_count(33)

    # A local group: its steering group, with the chair in it.
    follow(page, groups.get_by_role("link", name=GROUP, exact=True))
    expect(page.locator("h1")).to_have_text(GROUP)
    steering_heading = page.get_by_role("heading", level=2, name=STEERING, exact=True)
    expect(steering_heading).to_be_visible()
    steering_members = page.get_by_role("table", name=f"Medlemmar i {STEERING}")
    expect(steering_members).to_contain_text("Omar Olsson")

    # The body's own page, reached from its heading; breadcrumbs show where we are.
    follow(page, steering_heading.get_by_role("link", name=STEERING, exact=True))
    expect(page.locator("h1")).to_have_text(STEERING)
    crumbs = page.get_by_role("navigation", name="Du är här").get_by_role("link")
    expect(crumbs).to_have_text(["Länet", GROUP, STEERING])
    expect(crumbs.last).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("table", name="Nuvarande medlemmar")).to_contain_text("Omar Olsson")

    # A unit with a seat in the body.
    members = page.get_by_role("table", name="Nuvarande medlemmar")
    follow(page, members.get_by_role("link", name=CHAIR_UNIT, exact=True))
    expect(page).to_have_url(re.compile(r"/katalog/verksamheter/\d+/$"))
    expect(page.locator("h1")).to_have_text(CHAIR_UNIT)

    # All units, filtered by name.
    follow(page, main_nav(page).get_by_role("link", name="Verksamheter", exact=True))
    expect(page).to_have_url(f"{demo_site}/katalog/verksamheter/")
    all_units = Unit.objects.filter(is_active=True).count()
    bup_units = Unit.objects.filter(is_active=True, name__icontains="BUP").count()
    assert 0 < bup_units < all_units
    page.get_by_label("Namn innehåller").fill("BUP")
    follow(page, page.get_by_role("button", name="Filtrera", exact=True))
    expect(page).to_have_url(re.compile(r"[?&]q=BUP(&|$)"))
    expect(page.get_by_label("Namn innehåller")).to_have_value("BUP")
    rows = body_rows(page.get_by_role("table", name="Verksamheter"))
    expect(rows).to_have_count(bup_units)
    for name in rows.locator("th").all_inner_texts():
        assert "bup" in name.lower(), f"{name!r} does not match the filter BUP"


def wrong_login_message():
    """The Swedish text for a wrong e-mail address or password: allauth's, or the project's
    own wording where its adapter replaces it."""
    with translation.override("sv"):
        message = str(AccountAdapter(None).error_messages["email_password_mismatch"])
    assert "lösenord" in message, f"not a Swedish message: {message!r}"
    return message


def test_wrong_password_shows_swedish_error(page, demo_site):
    message = wrong_login_message()
    login(page, demo_site, CHAIR, password="fel-lösenord-123")
    expect(page).to_have_url(f"{demo_site}/konto/login/")
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(message)
    expect(page.get_by_role("alert").filter(has_text=message).first).to_be_visible()
    # Still a login form, with what the person typed kept.
    expect(page.locator("input[name=login]")).to_have_value(CHAIR)
    expect(page.locator("main button[type=submit]")).to_have_text("Logga in")


def test_log_reviewer_filters_denied_and_sees_404(page, demo_site):
    login(page, demo_site, LOG_REVIEWER)
    expect(page.locator("h1")).to_contain_text("Välkommen")

    # An address that does not exist: the Swedish 404 page. It is also logged as denied,
    # which gives the log below an entry to find.
    visit(page, f"{demo_site}/finns-inte/", status=404)
    expect(page.locator("h1")).to_have_text("Sidan finns inte")
    expect(page.locator("html")).to_have_attribute("lang", "sv")

    follow(page, main_nav(page).get_by_role("link", name="Logggranskning", exact=True))
    expect(page).to_have_url(f"{demo_site}/logg/")
    expect(page.locator("h1")).to_have_text("Åtkomstlogg")
    log = page.get_by_role("table", name="Loggposter, nyast först")
    expect(log).to_be_visible()
    expect(body_rows(log).filter(has_text="/finns-inte/")).to_have_count(1)

    page.get_by_label("Händelse").select_option(label="Nekades")
    follow(page, page.get_by_role("button", name="Visa", exact=True))
    expect(page).to_have_url(re.compile(r"[?&]action=denied(&|$)"))
    expect(page.get_by_label("Händelse")).to_have_value("denied")
    rows = body_rows(page.get_by_role("table", name="Loggposter, nyast först"))
    expect(rows.filter(has_text="/finns-inte/")).to_have_count(1)
    actions = rows.locator("td:nth-child(4)").all_inner_texts()
    assert actions, "the filtered log is empty"
    assert all(a.startswith("Nekades") for a in actions), actions


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page, live_server):
    visit(page, f"{live_server.url}/konto/login/")
    page.keyboard.press("Tab")
    skip_link = page.locator("a.ds-skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_text("Hoppa till huvudinnehållet")
    expect(skip_link).to_be_in_viewport()
    check_axe(page)  # the page with the skip link shown

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    expect(page).to_have_url(f"{live_server.url}/konto/login/#main")


@pytest.mark.parametrize("width", [1280, 390])
def test_log_reviewer_pages_older_and_back(page, demo_site, width):
    """The log's page links (keyset pages, newest first): older, the oldest, newer, the
    newest, with a filter kept; at desktop and phone width."""
    from samverkan.accounts.models import User
    from samverkan.audit.models import AccessLog

    staff = User.objects.get(email=CHAIR)
    AccessLog.objects.bulk_create(
        AccessLog(user=staff, user_label=staff.email, action="view", reason=f"Bläddring {i}")
        for i in range(120)
    )
    page.set_viewport_size({"width": width, "height": 900})
    login(page, demo_site, LOG_REVIEWER)
    visit(page, f"{demo_site}/logg/?user={CHAIR}")
    nav = page.get_by_role("navigation", name="Sidor, nyast först").first
    expect(page.locator("main")).to_contain_text("120 träffar")
    expect(nav.get_by_role("link", name="Nyare")).to_have_count(0)
    follow(page, nav.get_by_role("link", name="Äldre"))
    expect(page).to_have_url(re.compile(r"[?&]fore=.*&?user=|[?&]user=.*[?&]fore="))
    log = page.get_by_role("table", name="Loggposter, nyast först")
    expect(body_rows(log).first).to_contain_text("Bläddring 69")
    follow(page, nav.get_by_role("link", name="Sista sidan (äldst)"))
    expect(body_rows(log).last).to_contain_text("Bläddring 0")
    expect(nav.get_by_role("link", name="Äldre")).to_have_count(0)
    follow(page, nav.get_by_role("link", name="Nyare"))
    follow(page, nav.get_by_role("link", name="Första sidan (nyast)"))
    expect(body_rows(log).first).to_contain_text("Bläddring 119")
    expect(page.get_by_label("Användare")).to_have_value(CHAIR)
