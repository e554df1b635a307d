"""Fixtures and helpers for the browser tests: Chromium through Playwright, axe on every page.

Every page a test reaches goes through ``check_axe`` (serious and critical violations fail
the test) and is saved as a full-page screenshot in ``test-artifacts/`` for people to look at.
"""

import os
import re
from pathlib import Path

# Playwright's sync API runs an event loop in this thread; without this Django's ORM (used
# by the fixtures below) refuses to run.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import override_settings  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FAILING_IMPACTS = {"serious", "critical"}
DEMO_PASSWORD = "samverkan-demo"  # samverkan.demo.county.DEMO_PASSWORD
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_axe = Axe()
# Page -> [test name, screenshots taken so far]; filled by the ``page`` fixture.
_shots: dict[object, list] = {}


# --- fixtures -------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium was not found at {CHROMIUM}. The browser tests need Debian's chromium "
            "package (apt-get install chromium); they do not use Playwright's downloads.",
            pytrace=False,
        )
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    # Generous: the tests run two at a time on a busy two-core machine, where a page that
    # builds a PDF (or a file fetched with page.request) can take well over ten seconds.
    # Nothing waits for this long unless something is slow; a failure just shows later.
    context.set_default_timeout(60_000)
    page = context.new_page()
    _shots[page] = [re.sub(r"[^\w.-]+", "_", request.node.name), 0]
    yield page
    _shots.pop(page, None)
    context.close()


@pytest.fixture(scope="session")
def _plain_http():
    """Switches SECURE_SSL_REDIRECT off until ``restore()`` is called (see live_server)."""
    if os.environ.get("HTTPS") in ("yes", "on", "1"):
        # wsgiref copies the process environment into every request's WSGI environ and
        # takes HTTPS=1 there to mean the request came over TLS, so Django would reject
        # every form POST from http://localhost as cross-origin.
        pytest.fail(
            "Run the browser tests without HTTPS=1 in the environment: the live server is "
            "plain HTTP.",
            pytrace=False,
        )
    override = override_settings(SECURE_SSL_REDIRECT=False)
    override.enable()
    active = [True]

    def restore():
        if active:
            active.clear()
            override.disable()

    yield restore
    restore()


@pytest.fixture(scope="session")
def live_server(_plain_http, live_server):
    """pytest-django's live server, reachable over plain HTTP.

    Whenever HTTPS is on in the settings (DEBUG off), SECURE_SSL_REDIRECT would send the
    browser to an https:// address the live server does not answer. SecurityMiddleware
    reads that setting once, when the server thread builds its handler, and pytest-django's
    ``live_server`` waits for that; so the override is lifted again right here and the rest
    of the session (other tests included) sees the real setting.
    """
    _plain_http()
    return live_server


@pytest.fixture
def demo_site(live_server, transactional_db):
    """The live server with the demo county loaded; returns its base URL."""
    call_command("seed_demo", quiet=True)
    return live_server.url


# --- helpers --------------------------------------------------------------------------------
def screenshot(page):
    """Save a full-page screenshot as test-artifacts/<test name>-<n>.png."""
    name, count = _shots.setdefault(page, ["page", 0])
    count += 1
    _shots[page][1] = count
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{count}.png"), full_page=True)


def serious_violations(page) -> list[dict]:
    """Run axe on the page; its serious and critical violations, as axe reports them."""
    results = _axe.run(page)
    return [v for v in results.response["violations"] if v.get("impact") in FAILING_IMPACTS]


def check_axe(page):
    """Screenshot the page, run axe on it and fail on serious or critical violations."""
    screenshot(page)
    them = serious_violations(page)
    lines = []
    for v in them:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"][:3]]
        more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
        lines.append(
            f"- {v['id']} [{v['impact']}]: {v['help']}\n    on: {', '.join(targets)}{more}"
        )
    assert not them, f"axe found serious/critical violations on {page.url}:\n" + "\n".join(lines)


# --- reflow (WCAG 2.1, 1.4.10) -------------------------------------------------------------
# 320 CSS px is a 1280 px wide screen at 400 % zoom (and less than 640 px at 200 %): nothing
# may scroll sideways there except a wide table inside its own scrolling box (.table-scroll).
NARROW = {"width": 320, "height": 720}

# The elements reaching past the right edge of the viewport (leaving out what sits inside a
# .table-scroll box, which scrolls on its own), for the failure message.
OVERFLOWING = """(limit) => Array.from(document.querySelectorAll("body *"))
  .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
  .filter((el) => !(el.parentElement && el.parentElement.closest(".table-scroll")))
  .slice(0, 8)
  .map((el) => {
    const classes = typeof el.className === "string" ? el.className.trim() : "";
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (classes ? "." + classes.split(/\\s+/).join(".") : "");
    return `${name} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`;
  })"""


class SidewaysScroll(AssertionError):
    """A page is wider than the narrow viewport (WCAG 2.1, 1.4.10 Reflow)."""


def expect_no_sideways_scroll(page, limit=NARROW["width"]):
    """The page, as it is now, is no wider than ``limit`` CSS px."""
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > limit:
        culprits = page.evaluate(OVERFLOWING, limit)
        raise SidewaysScroll(
            f"{page.url} scrolls sideways at {limit} px: it is {width} px wide. "
            f"Reaching past the edge: {'; '.join(culprits) or 'nothing visible (positioned?)'}"
        )


def expect_reflow(page):
    """The current page at 320 CSS px wide does not scroll sideways (a wide table scrolls
    inside its .table-scroll box, which does not count); the viewport is put back after."""
    before = page.viewport_size
    page.set_viewport_size(NARROW)
    try:
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")
        expect_no_sideways_scroll(page)
    finally:
        if before and before != NARROW:
            page.set_viewport_size(before)


def visit(page, url, status=None):
    """Go to ``url``, check the response's status (below 400 unless given) and run axe."""
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    if status is None:
        assert response.status < 400, f"{url} answered {response.status}"
    else:
        assert response.status == status, f"{url} answered {response.status}, not {status}"
    check_axe(page)
    return response


def follow(page, locator):
    """Click ``locator``, wait for the page it leads to, check its status and run axe."""
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None, f"no response after clicking {locator}"
    assert response.status < 400, f"{response.url} answered {response.status}"
    page.wait_for_load_state()
    check_axe(page)
    return response


def make_file(page, base_url, button):
    """Press one of the page's "Skapa …" buttons: the file is made in the background (at once
    in the tests, once the request has committed); on its status page, fetch it with the
    page's cookies and go back. Returns the download's response."""
    back = page.url
    follow(page, page.get_by_role("button", name=button, exact=True))
    expect(page).to_have_url(re.compile(r"/exporter/[^/]+/$"))
    expect(page.get_by_role("status")).to_contain_text("Filen är klar", timeout=120_000)
    link = page.get_by_role("link", name=re.compile(r"^Ladda ner "))
    response = page.request.get(base_url + link.get_attribute("href"))
    assert response.ok, response.status
    page.goto(back)
    return response


def login(page, base_url, email, password=DEMO_PASSWORD):
    """Log in through the form on /konto/login/; axe runs on both the form and where it
    leads (the start page, or the form again with errors). Returns the POST's response."""
    visit(page, f"{base_url}/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    return follow(page, page.locator("main button[type=submit]"))
