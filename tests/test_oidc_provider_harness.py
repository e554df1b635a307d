"""The OIDC test provider (tests/oidc/provider.mjs) works: discovery, a whole code flow
with PKCE and the login form, and the token endpoint's refusal of a wrong secret."""

import base64
import hashlib
import json
import re
import secrets
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests

from tests.oidc_provider import OIDCProvider

CLIENT_ID = "samverkan"
CLIENT_SECRET = "s3cret"
REDIRECT_URI = "http://localhost:8001/konto/oidc/sso/login/callback/"
TIMEOUT = 30

CLIENTS = [
    {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [REDIRECT_URI],
        "post_logout_redirect_uris": ["http://localhost:8001/konto/login/"],
        "token_endpoint_auth_method": "client_secret_basic",
    }
]
ACCOUNTS = {
    "anna": {"email": "anna@example.se", "email_verified": True, "name": "Anna Andersson"},
    "noemail": {"name": "Utan Epost"},
    "unverified": {"email": "x@example.se", "email_verified": False},
}


@pytest.fixture(scope="module")
def op():
    with OIDCProvider(clients=CLIENTS, accounts=ACCOUNTS) as provider:
        yield provider


@pytest.fixture(scope="module")
def discovery(op):
    response = requests.get(op.discovery_url, timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwt_payload(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def login_page(discovery):
    """Start a code flow with PKCE; return (session, login page response, state, verifier)."""
    verifier = b64url(secrets.token_bytes(32))
    challenge = b64url(hashlib.sha256(verifier.encode("ascii")).digest())
    state = secrets.token_urlsafe(16)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "scope": "openid email profile",
            "state": state,
            "nonce": secrets.token_urlsafe(16),
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    session = requests.Session()
    url = f"{discovery['authorization_endpoint']}?{query}"
    response = session.get(url, allow_redirects=False, timeout=TIMEOUT)
    # The provider sends the browser to its login page.
    while response.is_redirect:
        url = urljoin(url, response.headers["Location"])
        response = session.get(url, allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    assert '<html lang="sv">' in response.text
    assert "<h1>Logga in hos testleverantören</h1>" in response.text
    return session, response, state, verifier


def submit_login(session, page, login, method):
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    assert re.fullmatch(r"/interaction/[^/]+/login", action)
    return session.post(
        urljoin(page.url, action),
        data={"login": login, "method": method},
        allow_redirects=False,
        timeout=TIMEOUT,
    )


def authorization_code(discovery, login="anna", method="siths"):
    """Run the browser's part of the code flow with requests; return (code, verifier)."""
    session, page, state, verifier = login_page(discovery)
    response = submit_login(session, page, login, method)
    url = page.url
    # Back through the provider (login, then consent granted on its own) to the client.
    for _ in range(10):
        assert response.status_code in (302, 303), response.text
        url = urljoin(url, response.headers["Location"])
        if url.startswith(REDIRECT_URI):
            break
        response = session.get(url, allow_redirects=False, timeout=TIMEOUT)
    else:
        pytest.fail("the provider never redirected back to the client")
    params = parse_qs(urlsplit(url).query)
    assert params["state"] == [state]
    return params["code"][0], verifier


def test_discovery_and_code_flow_with_pkce(op, discovery):
    assert discovery["issuer"] == op.issuer
    assert discovery["authorization_endpoint"] == f"{op.issuer}/auth"
    assert discovery["token_endpoint"] == f"{op.issuer}/token"
    assert discovery["end_session_endpoint"] == f"{op.issuer}/session/end"
    assert "S256" in discovery["code_challenge_methods_supported"]

    code, verifier = authorization_code(discovery, login="anna", method="siths")
    response = requests.post(
        discovery["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        },
        auth=(CLIENT_ID, CLIENT_SECRET),
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    claims = jwt_payload(response.json()["id_token"])
    assert claims["iss"] == op.issuer
    assert claims["aud"] == CLIENT_ID
    assert claims["sub"] == "anna"
    assert claims["email"] == "anna@example.se"
    assert claims["email_verified"] is True
    assert claims["name"] == "Anna Andersson"
    assert claims["acr"] == "http://id.sambi.se/loa/loa3"
    assert claims["amr"] == ["hwk", "pin"]

    userinfo = requests.get(
        discovery["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {response.json()['access_token']}"},
        timeout=TIMEOUT,
    )
    assert userinfo.status_code == 200, userinfo.text
    assert userinfo.json() == {
        "sub": "anna",
        "email": "anna@example.se",
        "email_verified": True,
        "name": "Anna Andersson",
    }


def test_wrong_client_secret_is_refused_and_logged(op, discovery):
    code, verifier = authorization_code(discovery, login="anna", method="password")
    response = requests.post(
        discovery["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        },
        auth=(CLIENT_ID, "fel-hemlighet"),
        timeout=TIMEOUT,
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert op.wait_for_log("grant.error", "invalid_client")


def test_unknown_login_shows_the_form_again_with_an_error(op, discovery):
    session, page, _state, _verifier = login_page(discovery)
    response = submit_login(session, page, "okand", "password")
    assert response.status_code == 200
    assert "<h1>Logga in hos testleverantören</h1>" in response.text
    assert "Det finns inget konto med användarnamnet ”okand”" in response.text
    assert 'value="okand"' in response.text
