"""Single sign-on against a real OpenID Connect provider (issue 10).

The provider is panva's oidc-provider, run by node (``tests/oidc_provider.py``). Samverkan
is driven with Django's test client and the person at the provider with ``requests``: the
browser's part is only following redirects and filling in the provider's login form, so
these tests can check what Samverkan saved, logged and answered; the same flows in Chromium
with the Content-Security-Policy enforced are in ``tests/browser/test_sso_flow.py``.
"""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from urllib.parse import parse_qs, urljoin, urlsplit

import jwt
import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.urls import reverse

from samverkan.accounts import sso
from samverkan.accounts.models import User
from samverkan.organisations.models import UnitMembership
from tests.oidc_provider import OIDCProvider

pytestmark = pytest.mark.django_db

SERVER = "http://testserver"
CALLBACK = f"{SERVER}/konto/oidc/sso/login/callback/"
AFTER_LOGOUT = f"{SERVER}/konto/login/"
SECRET = "testhemlighet-for-klienten"
STAFF_EMAIL = "kurator@testskolan.example"  # the ``staff`` fixture

ACCOUNTS = {
    "kim": {"email": STAFF_EMAIL, "email_verified": True, "name": "Kim Kurator"},
    "ny": {"email": "ny.kollega@example.se", "email_verified": True, "name": "Ny Kollega"},
    "overifierad": {"email": "hittepa@example.se", "email_verified": False},
    "kapning": {"email": STAFF_EMAIL, "email_verified": False},
    "utanepost": {"name": "Utan Epost"},
}


def client_config(**overrides) -> dict:
    return {
        "client_id": "samverkan",
        "client_secret": SECRET,
        "redirect_uris": [CALLBACK],
        "post_logout_redirect_uris": [AFTER_LOGOUT],
        "token_endpoint_auth_method": "client_secret_basic",
        **overrides,
    }


def app_settings(server_url: str, secret: str = SECRET) -> dict:
    return {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "SITHS-kort",
                    "client_id": "samverkan",
                    "secret": secret,
                    "settings": {
                        "server_url": server_url,
                        "token_auth_method": "client_secret_basic",
                        "fetch_userinfo": True,
                        "oauth_pkce_enabled": True,
                    },
                }
            ]
        }
    }


@pytest.fixture(scope="module")
def provider():
    with OIDCProvider(clients=[client_config()], accounts=ACCOUNTS) as op:
        yield op


@pytest.fixture
def sso_on(settings, provider):
    settings.SOCIALACCOUNT_PROVIDERS = app_settings(provider.issuer)
    settings.SUPPORT_EMAIL = "bus.support@example.se"
    return provider


def start(client) -> str:
    """Press "Logga in med …": Samverkan's answer must send the browser to the provider."""
    response = client.post(reverse("openid_connect_login", args=["sso"]))
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def at_provider(authorize_url: str, login: str, method: str = "siths") -> str:
    """The person at the provider: follow its redirects to the login form, log in, and
    return where the provider sends the browser back to (Samverkan's callback)."""
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=False, timeout=30)
    while response.is_redirect:
        response = browser.get(
            urljoin(response.url, response.headers["Location"]), allow_redirects=False, timeout=30
        )
    assert response.status_code == 200, response.text[:500]
    uid = re.search(r"/interaction/([\w-]+)", response.url).group(1)
    response = browser.post(
        urljoin(response.url, f"/interaction/{uid}/login"),
        data={"login": login, "method": method},
        allow_redirects=False,
        timeout=30,
    )
    while response.is_redirect:
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(SERVER):
            return location.removeprefix(SERVER)
        response = browser.get(location, allow_redirects=False, timeout=30)
    raise AssertionError(f"the provider did not send the browser back: {response.text[:500]}")


def log_in(client, login: str, method: str = "siths"):
    return client.get(at_provider(start(client), login, method))


def main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def signed_in(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


# --- logging in -----------------------------------------------------------------------------
def test_the_login_goes_to_the_provider_with_state_and_pkce(client, sso_on):
    location = start(client)
    assert location.startswith(f"{sso_on.issuer}/")
    query = parse_qs(urlsplit(location).query)
    assert query["client_id"] == ["samverkan"]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert query["state"] and set(query["scope"][0].split()) == {"openid", "profile", "email"}


def test_an_existing_account_logs_in(client, staff, sso_on):
    response = log_in(client, "kim")
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in(client) == staff.pk
    assert SocialAccount.objects.get(user=staff).uid == "kim"
    # Connected by its address, which nobody had confirmed: allauth turns the password off,
    # so that whoever might have set the account up with another's address is locked out.
    staff.refresh_from_db()
    assert not staff.has_usable_password()
    record = client.session[sso.SESSION_KEY]
    assert record["provider"] == "sso" and record["strong"] is True and record["id_token"]
    assert client.get("/").status_code == 200


def test_a_replayed_callback_is_refused(client, staff, sso_on, caplog):
    callback = at_provider(start(client), "kim")
    assert client.get(callback).status_code == 302
    client.logout()
    with caplog.at_level(logging.WARNING, logger="samverkan.sso"):
        response = client.get(callback)
    assert response.status_code == 401
    assert "hörde inte till en inloggning" in response.text
    assert signed_in(client) is None
    assert "belongs to no login in progress" in caplog.text


def test_a_callback_from_another_browser_is_refused(client, django_app_client, staff, sso_on):
    callback = at_provider(start(client), "kim")
    response = django_app_client.get(callback)  # someone else's browser, with that address
    assert response.status_code == 401
    assert signed_in(django_app_client) is None
    # The browser that started the login still can finish it.
    assert client.get(callback).status_code == 302 and signed_in(client) == staff.pk


@pytest.fixture
def django_app_client():
    from django.test import Client

    return Client()


# --- people the service does not know --------------------------------------------------------
def test_an_unknown_person_is_told_whom_to_contact(client, sso_on, caplog):
    with caplog.at_level(logging.WARNING, logger="samverkan.sso"):
        response = log_in(client, "ny")
    assert response.status_code == 403
    text = response.text
    assert "Ditt konto i Samverkan är inte öppnat" in text
    assert "mailto:bus.support@example.se" in text
    assert reverse("account_login") in text
    assert 'name="email"' not in text
    assert signed_in(client) is None
    assert not User.objects.filter(email="ny.kollega@example.se").exists()
    assert "no account opened for subject ny" in caplog.text


def test_auto_signup_takes_only_a_verified_address(client, settings, sso_on):
    settings.SSO_AUTO_SIGNUP = True
    response = log_in(client, "ny")
    assert response.status_code == 302
    user = User.objects.get(email="ny.kollega@example.se")
    assert signed_in(client) == user.pk
    assert (
        not user.is_secretariat
        and not user.is_staff
        and not UnitMembership.objects.filter(user=user).exists()
    )


@pytest.mark.parametrize("login", ["overifierad", "utanepost"])
def test_without_a_verified_address_nobody_gets_an_account(client, settings, sso_on, login):
    settings.SSO_AUTO_SIGNUP = True
    response = log_in(client, login)
    assert response.status_code == 403 and "inte öppnat" in response.text
    assert 'name="email"' not in response.text
    assert signed_in(client) is None
    assert not User.objects.exists()


def test_an_unverified_claim_of_an_existing_address_reveals_nothing(
    client, settings, staff, sso_on
):
    """The same page as for an unknown person: whether an account has the address is not
    told, and the account is neither logged in nor connected."""
    settings.SSO_AUTO_SIGNUP = True
    unknown = log_in(client, "overifierad")
    client.logout()
    known = log_in(client, "kapning")
    assert known.status_code == unknown.status_code == 403
    assert main(known.text) == main(unknown.text)
    assert signed_in(client) is None
    assert not SocialAccount.objects.exists()
    assert staff.has_usable_password()


def test_the_sign_up_form_is_never_shown(client, sso_on):
    response = client.get(reverse("socialaccount_signup"))
    assert response.status_code == 403
    assert "<input" not in main(response.text)


# --- what goes wrong, said clearly ------------------------------------------------------------
def test_a_wrong_client_secret_is_refused_with_its_cause_logged(
    client, settings, staff, sso_on, caplog
):
    settings.SOCIALACCOUNT_PROVIDERS = app_settings(sso_on.issuer, secret="fel-hemlighet")
    with caplog.at_level(logging.ERROR, logger="samverkan.sso"):
        response = log_in(client, "kim")
    assert response.status_code == 401
    assert "kunde inte godta inloggningen" in response.text
    assert signed_in(client) is None
    assert "invalid_client" in caplog.text and "OIDC_CLIENT_SECRET" in caplog.text


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_provider_that_is_down(client, settings, caplog):
    settings.SOCIALACCOUNT_PROVIDERS = app_settings(f"http://127.0.0.1:{closed_port()}")
    with caplog.at_level(logging.ERROR, logger="samverkan.sso"):
        response = client.post(reverse("openid_connect_login", args=["sso"]))
    assert response.status_code == 503
    assert "svarar inte just nu" in response.text
    assert "discovery document" in caplog.text and "could not be read" in caplog.text
    # The log-in page itself still works, with the provider's server URL in form-action.
    assert client.get(reverse("account_login")).status_code == 200


def test_a_discovery_document_that_does_not_answer(client, settings, caplog):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held = []
    stop = threading.Event()

    def accept_and_say_nothing():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_say_nothing, daemon=True)
    thread.start()
    settings.SOCIALACCOUNT_REQUESTS_TIMEOUT = 1
    settings.SOCIALACCOUNT_PROVIDERS = app_settings(f"http://127.0.0.1:{listener.getsockname()[1]}")
    try:
        with caplog.at_level(logging.ERROR, logger="samverkan.sso"):
            response = client.post(reverse("openid_connect_login", args=["sso"]))
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()
    assert response.status_code == 503
    assert "svarar inte just nu" in response.text
    assert "timed out" in caplog.text.lower()


def test_an_id_token_for_another_client_is_refused(rf, settings, provider):
    settings.SOCIALACCOUNT_PROVIDERS = app_settings(provider.issuer)
    request = rf.get("/")
    adapter = sso.Adapter(request, "sso")
    adapter.did_fetch_access_token = True  # straight from the token endpoint: no signature
    app = adapter.get_provider().app
    claims = {"iss": provider.issuer, "sub": "kim", "exp": int(time.time()) + 60}
    other = jwt.encode({**claims, "aud": "en-annan-klient"}, "k" * 32, algorithm="HS256")
    with pytest.raises(OAuth2Error) as refused:
        adapter._decode_id_token(app, other)
    kind, cause, level = sso.explain(None, refused.value, {"state": {}})
    assert kind == "refused" and level == logging.ERROR
    assert "Audience" in cause and "another client" in cause
    mine = jwt.encode({**claims, "aud": "samverkan"}, "k" * 32, algorithm="HS256")
    assert adapter._decode_id_token(app, mine)["sub"] == "kim"


# --- two factors ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("claims", "strong"),
    [
        ({"acr": "http://id.sambi.se/loa/loa3"}, True),
        ({"acr": "http://id.elegnamnden.se/loa/1.0/loa3"}, True),
        ({"acr": "http://id.elegnamnden.se/loa/1.0/loa2", "amr": ["pwd"]}, False),
        ({"amr": ["hwk", "pin"]}, True),
        ({"amr": ["sc", "pin"]}, True),
        ({"amr": ["mfa"]}, True),
        ({"amr": ["pwd", "pin"]}, False),  # two things one knows
        ({"amr": ["hwk"]}, False),
        ({"amr": "pwd"}, False),
        ({}, False),
    ],
)
def test_what_counts_as_two_factors(settings, claims, strong):
    assert sso.is_multi_factor(claims) is strong


def test_a_strong_login_needs_no_totp(client, settings, staff, sso_on):
    settings.REQUIRE_MFA = True
    log_in(client, "kim", method="siths")
    assert client.get("/").status_code == 200


def test_a_weak_login_must_set_up_totp_without_a_password(client, settings, staff, sso_on):
    settings.REQUIRE_MFA = True
    staff.set_unusable_password()
    staff.save()
    log_in(client, "kim", method="password")
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200  # just logged in at the provider: no password asked
    assert 'name="password"' not in page.text


def test_later_the_provider_confirms_who_one_is(client, settings, staff, sso_on, monkeypatch):
    staff.set_unusable_password()
    staff.save()
    log_in(client, "kim", method="password")
    later = time.time() + 3600
    monkeypatch.setattr("samverkan.accounts.adapters.time.time", lambda: later)
    monkeypatch.setattr("allauth.account.internal.flows.reauthentication.time.time", lambda: later)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sso_reauthenticate"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Logga in igen med SITHS-kort" in page.text and 'name="password"' not in page.text


def test_totp_is_not_asked_after_a_strong_login(client, staff, sso_on):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert log_in(client, "kim", method="siths")["Location"] == "/"
    assert signed_in(client) == staff.pk


def test_totp_is_asked_after_a_weak_login(client, staff, sso_on):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    response = log_in(client, "kim", method="password")
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in(client) is None


# --- logging out ------------------------------------------------------------------------------
def test_logging_out_ends_the_providers_session_too(client, staff, sso_on):
    log_in(client, "kim")
    id_token = client.session[sso.SESSION_KEY]["id_token"]
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    location = response["Location"]
    document = requests.get(sso_on.discovery_url, timeout=30).json()
    assert location.startswith(document["end_session_endpoint"] + "?")
    query = parse_qs(urlsplit(location).query)
    assert query["client_id"] == ["samverkan"]
    assert query["post_logout_redirect_uri"] == [AFTER_LOGOUT]
    assert query["id_token_hint"] == [id_token]
    assert signed_in(client) is None


def test_a_password_login_logs_out_here_only(client_for, staff, sso_on):
    response = client_for(staff).post(reverse("account_logout"))
    assert response["Location"] == reverse("account_login")


# --- the Content-Security-Policy ----------------------------------------------------------------
def form_action(response) -> list[str]:
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return policy["form-action"].split()


def test_forms_may_lead_to_the_provider_and_nowhere_else(
    client, client_for, settings, staff, sso_on
):
    settings.OIDC_FORM_ACTION_HOSTS = ["https://login.example.se"]
    page = client.get(reverse("account_login"))
    assert form_action(page) == ["'self'", sso_on.issuer, "https://login.example.se"]
    others = page["Content-Security-Policy"].replace(
        f" {sso_on.issuer} https://login.example.se", ""
    )
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    assert client.get(reverse("account_login"))["Content-Security-Policy"] == others
    settings.SOCIALACCOUNT_PROVIDERS = app_settings(sso_on.issuer)
    # Logged in by SSO, the log-out form leads to the provider; by password, it does not.
    log_in(client, "kim")
    assert sso_on.issuer in form_action(client.get("/"))
    client.logout()
    staff.refresh_from_db()  # the SSO login turned the password off (see above)
    page = client_for(staff).get("/")
    assert page.status_code == 200, page
    assert sso.SESSION_KEY not in client.session
    assert form_action(page) == ["'self'"]
