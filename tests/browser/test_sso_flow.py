"""Single sign-on in Chromium against a real OpenID Connect provider (issue 10), with
Samverkan's Content-Security-Policy enforced and axe on every page, the provider's too.

The provider is panva's oidc-provider run by node (``tests/oidc_provider.py``), on a free
port of 127.0.0.1; Samverkan is the live server on localhost. A person logs in with a
SITHS card and is in without a TOTP code; logs out, which ends the session at the provider
too (the next login asks again); a replayed callback is refused; someone without an account
is told whom to write to; a wrong client secret is refused and the cause logged; a login
with only a password at the provider must set TOTP up, without being asked for a password
Samverkan never gave them.
"""

import logging

import pytest
from playwright.sync_api import expect

from samverkan.accounts.models import User
from tests.browser.conftest import check_axe, follow, visit
from tests.oidc_provider import OIDCProvider

pytestmark = pytest.mark.browser

SECRET = "testhemlighet-for-klienten"
EMAIL = "sara.siths@example.se"
ACCOUNTS = {
    "sara": {"email": EMAIL, "email_verified": True, "name": "Sara Siths"},
    "okand": {"email": "okand@example.se", "email_verified": True, "name": "Olle Okänd"},
}


@pytest.fixture(scope="module")
def provider(live_server):
    client = {
        "client_id": "samverkan",
        "client_secret": SECRET,
        "redirect_uris": [f"{live_server.url}/konto/oidc/sso/login/callback/"],
        "post_logout_redirect_uris": [f"{live_server.url}/konto/login/"],
        "token_endpoint_auth_method": "client_secret_basic",
    }
    with OIDCProvider(clients=[client], accounts=ACCOUNTS) as op:
        yield op


@pytest.fixture
def sso(settings, provider, transactional_db):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "SITHS-kort",
                    "client_id": "samverkan",
                    "secret": SECRET,
                    "settings": {
                        "server_url": provider.issuer,
                        "token_auth_method": "client_secret_basic",
                        "fetch_userinfo": True,
                        "oauth_pkce_enabled": True,
                    },
                }
            ]
        }
    }
    settings.SUPPORT_EMAIL = "bus.support@example.se"
    return provider


@pytest.fixture
def staff_member(transactional_db):
    """Sara works at a school: her role lets her see children's data (REQUIRE_MFA applies)."""
    from samverkan.organisations.models import Area, Principal, Unit
    from tests.helpers import employ

    principal = Principal.objects.create(
        name="Testby kommun", kind=Principal.Kind.MUNICIPALITY, organisation_number="2120000142"
    )
    area = Area.objects.create(name="Testby", kind=Area.Kind.MUNICIPALITY, municipality=principal)
    school = Unit.objects.create(
        principal=principal, name="Testskolan", kind=Unit.Kind.COMPULSORY_SCHOOL, area=area
    )
    user = User.objects.create_user(email=EMAIL, first_name="Sara", last_name="Siths")
    employ(user, school)
    return user


@pytest.fixture
def csp_violations(page):
    """Everything Chromium says about the Content-Security-Policy: must stay empty."""
    said = []
    page.on(
        "console",
        lambda message: (
            said.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return said


def press_sso(page, base_url):
    visit(page, f"{base_url}/konto/login/")
    follow(page, page.get_by_role("button", name="Logga in med SITHS-kort"))


def log_in_at_provider(page, login, method="SITHS-kort"):
    """On the provider's login page: name, way of logging in, submit. Returns the response
    of the page the browser ends at, back in Samverkan."""
    expect(page.get_by_role("heading", name="Logga in hos testleverantören")).to_be_visible()
    page.get_by_label("Användarnamn").fill(login)
    page.get_by_label(method, exact=True).check()
    return follow(page, page.get_by_role("button", name="Logga in", exact=True))


def test_login_with_siths_and_logout_at_the_provider(
    page, live_server, sso, staff_member, csp_violations
):
    callbacks = []
    page.on("request", lambda r: callbacks.append(r.url) if "/login/callback/" in r.url else None)
    press_sso(page, live_server.url)
    assert page.url.startswith(sso.issuer)  # CSP let the form's redirect through
    check_axe(page)
    log_in_at_provider(page, "sara")
    assert page.url == f"{live_server.url}/"
    expect(page.get_by_text("Sara Siths").first).to_be_visible()

    # A SITHS card is two factors: with REQUIRE_MFA on, no TOTP is asked either.
    # (Checked in test_strong_and_weak_logins_with_mfa_required.)

    # Log out: Samverkan, then the provider, then back at Samverkan's log-in page.
    follow(page, page.get_by_role("button", name="Logga ut"))
    assert page.url.startswith(sso.issuer)
    follow(page, page.get_by_role("button", name="Ja, logga ut"))
    assert page.url.startswith(f"{live_server.url}/konto/login/")

    # The provider's session ended: logging in again asks who one is.
    press_sso(page, live_server.url)
    expect(page.get_by_label("Användarnamn")).to_be_visible()

    # The callback that logged Sara in, replayed, logs nobody in.
    assert callbacks
    response = visit(page, callbacks[0], status=401)
    assert response.status == 401
    expect(page.get_by_text("hörde inte till en inloggning", exact=False)).to_be_visible()
    visit(page, f"{live_server.url}/", status=200)
    assert page.url.startswith(f"{live_server.url}/konto/login/")
    assert not csp_violations, csp_violations


def test_someone_without_an_account_is_told_whom_to_contact(page, live_server, sso, csp_violations):
    press_sso(page, live_server.url)
    check_axe(page)
    page.get_by_label("Användarnamn").fill("okand")
    page.get_by_label("SITHS-kort", exact=True).check()
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Logga in", exact=True).click()
    assert navigation.value.status == 403
    check_axe(page)
    expect(
        page.get_by_role("heading", name="Ditt konto i Samverkan är inte öppnat")
    ).to_be_visible()
    expect(page.get_by_role("link", name="bus.support@example.se")).to_be_visible()
    expect(page.get_by_role("textbox")).to_have_count(0)  # nothing to type an address into
    follow(page, page.get_by_role("link", name="Tillbaka till inloggningen"))
    assert not User.objects.filter(email="okand@example.se").exists()
    assert not csp_violations, csp_violations


def test_a_wrong_client_secret_is_refused_and_logged(
    page, live_server, sso, settings, staff_member, caplog
):
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["secret"] = "fel"
    press_sso(page, live_server.url)
    check_axe(page)
    page.get_by_label("Användarnamn").fill("sara")
    with caplog.at_level(logging.ERROR, logger="samverkan.sso"):
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Logga in", exact=True).click()
        assert navigation.value.status == 401
    check_axe(page)
    expect(page.get_by_text("kunde inte godta inloggningen", exact=False)).to_be_visible()
    assert "invalid_client" in caplog.text and "OIDC_CLIENT_SECRET" in caplog.text
    visit(page, f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/konto/login/")


def test_strong_and_weak_logins_with_mfa_required(
    page, browser, live_server, sso, settings, staff_member, csp_violations
):
    settings.REQUIRE_MFA = True
    # With a SITHS card (acr loa3, amr hwk + pin): straight to the start page.
    press_sso(page, live_server.url)
    log_in_at_provider(page, "sara", method="SITHS-kort")
    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # In another browser, with only a password at the provider: TOTP must be set up, and
    # setting it up asks for no password (Sara has none in Samverkan).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    other = context.new_page()
    try:
        press_sso(other, live_server.url)
        log_in_at_provider(other, "sara", method="Lösenord")
        assert "/konto/2fa/totp/activate/" in other.url
        expect(other.get_by_label("Lösenord")).to_have_count(0)
        expect(other.get_by_text("Autentiseringskod", exact=False).first).to_be_visible()
    finally:
        context.close()
    assert not csp_violations, csp_violations
