"""Single sign-on through OpenID Connect: SITHS (Inera), Freja eID or a municipality's own
identity provider.

allauth's ``openid_connect`` provider speaks the protocol: the authorisation request with
state and PKCE (S256), the code exchange with the client secret, the ID token's issuer,
audience and expiry, the userinfo call. Around it this module adds what the service needs:

- **discovery**, fetched once an hour per process with a short timeout, so that a provider
  that is down costs one slow request, not every login; its origins are what the
  Content-Security-Policy lets a form lead to (``form_action_origins``);
- **strength**: whether the provider says the login used two factors (``acr``/``amr`` in the
  ID token), in which case no TOTP code is asked on top (``is_multi_factor``);
- **the session's SSO record** (``SESSION_KEY``): which provider, whether the login was
  strong, and the ID token for the logout at the provider (``logout_url``);
- **clear words on failure**: each way a login can fail gets a Swedish message for the
  person and a log line naming the cause for the administrator (``explain``).
"""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode, urlsplit

import requests
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base.constants import AuthError
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("samverkan.sso")

# What the session keeps about an SSO login: {"provider", "strong", "id_token"}.
SESSION_KEY = "samverkan_sso"

DISCOVERY_PATH = "/.well-known/openid-configuration"
DISCOVERY_FOR = 3600  # seconds a fetched discovery document is used
RETRY_AFTER = 15  # seconds before a discovery document that failed is fetched again

# RFC 8176's authentication method references, by kind of factor: something one has,
# knows or is. Two kinds in one login is multi-factor (a SITHS card and its PIN: hwk + pin).
FACTOR_KINDS = {
    **dict.fromkeys(["hwk", "swk", "sc", "otp", "sms", "tel", "pop"], "has"),
    **dict.fromkeys(["pin", "pwd", "kba"], "knows"),
    **dict.fromkeys(["fpt", "face", "iris", "retina", "vbm"], "is"),
}


class ProviderUnavailable(requests.RequestException):
    """The provider's discovery document could not be fetched or read."""


# --- discovery -------------------------------------------------------------------------------
_discovery: dict[str, tuple[float, dict | None, str]] = {}


def discovery_url(server_url: str) -> str:
    return server_url if "/.well-known/" in server_url else server_url.rstrip("/") + DISCOVERY_PATH


def discovery(server_url: str) -> dict:
    """The provider's discovery document, fetched at most once an hour per process (and,
    after a failure, not again for ``RETRY_AFTER`` seconds). Raises ProviderUnavailable."""
    url = discovery_url(server_url)
    now = time.monotonic()
    known = _discovery.get(url)
    if known and known[0] > now:
        if known[1] is None:
            raise ProviderUnavailable(known[2])
        return known[1]
    try:
        with get_adapter().get_requests_session() as session:
            response = session.get(url)
            response.raise_for_status()
            document = response.json()
        missing = [
            key
            for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
            if not isinstance(document, dict) or not document.get(key)
        ]
        if missing:
            raise ValueError(f"it lacks {', '.join(missing)}")
    except (requests.RequestException, ValueError) as error:
        cause = f"the discovery document {url} could not be read: {error}"
        _discovery[url] = (now + RETRY_AFTER, None, cause)
        logger.error("SSO: %s", cause)
        raise ProviderUnavailable(cause) from error
    _discovery[url] = (now + DISCOVERY_FOR, document, "")
    return document


def configured_apps() -> list[dict]:
    """The OpenID Connect apps of the settings (the only place Samverkan configures them)."""
    return settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])


def origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def form_action_origins() -> list[str]:
    """Where a form of ours may lead the browser besides our own origin: each provider's
    authorisation and end-session endpoints (from its discovery document; the server URL's
    origin while that cannot be read) and the hosts ``OIDC_FORM_ACTION_HOSTS`` names."""
    origins = list(settings.OIDC_FORM_ACTION_HOSTS)
    for app in configured_apps():
        server_url = app["settings"]["server_url"]
        try:
            document = discovery(server_url)
            urls = [document["authorization_endpoint"], document.get("end_session_endpoint", "")]
        except ProviderUnavailable:
            urls = [server_url]
        origins += [o for o in map(origin, urls) if o]
    return sorted(set(origins))


# --- strength --------------------------------------------------------------------------------
def is_multi_factor(claims: dict) -> bool:
    """Whether the provider's ID token says the login used two factors: an ``acr`` value of
    ``OIDC_MFA_ACR``, an ``amr`` value of ``OIDC_MFA_AMR``, or ``amr`` values of two kinds
    of factor (RFC 8176: something one has, knows or is)."""
    acr = claims.get("acr")
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if isinstance(acr, str) and acr in settings.OIDC_MFA_ACR:
        return True
    if set(amr) & set(settings.OIDC_MFA_AMR):
        return True
    return len({FACTOR_KINDS[value] for value in amr if value in FACTOR_KINDS}) >= 2


def id_token_claims(sociallogin) -> dict:
    return (sociallogin.account.extra_data or {}).get("id_token") or {}


def strong_sso_session(request) -> bool:
    return bool(request.session.get(SESSION_KEY, {}).get("strong"))


# --- logout ----------------------------------------------------------------------------------
def logout_url(request) -> str | None:
    """The provider's end-session URL for this session's SSO login, or None (a password
    login, a provider without one, or one that cannot be reached now)."""
    record = request.session.get(SESSION_KEY)
    if not record:
        return None
    app = next((a for a in configured_apps() if a["provider_id"] == record["provider"]), None)
    if app is None:
        return None
    try:
        endpoint = discovery(app["settings"]["server_url"]).get("end_session_endpoint")
    except ProviderUnavailable:
        return None
    if not endpoint:
        return None
    params = {
        "client_id": app["client_id"],
        "post_logout_redirect_uri": request.build_absolute_uri(
            reverse(settings.LOGOUT_REDIRECT_URL)
        ),
    }
    if record.get("id_token"):
        params["id_token_hint"] = record["id_token"]
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


# --- failures --------------------------------------------------------------------------------
# What the person reads, by what went wrong.
MESSAGES = {
    "state": _(
        "Inloggningen kunde inte slutföras. Svaret från e-legitimationen hörde inte till en "
        "inloggning som pågår i den här webbläsaren: det kan ha använts redan, eller så tog "
        "inloggningen för lång tid. Börja om från inloggningssidan."
    ),
    "unavailable": _(
        "Tjänsten för e-legitimation svarar inte just nu, så ingen har loggats in. Försök igen "
        "om en stund. Har du ett lösenord till Samverkan kan du logga in med det under tiden."
    ),
    "denied": _("Inloggningen avbröts hos e-legitimationen. Ingen har loggats in."),
    "refused": _(
        "Samverkan kunde inte godta inloggningen från e-legitimationen, så ingen har loggats "
        "in. Försök igen. Kvarstår felet, berätta det för den som administrerar Samverkan: "
        "orsaken står i Samverkans logg."
    ),
}


def explain(error, exception, context) -> tuple[str, str, int]:
    """Why an SSO login failed, from what allauth passes to ``on_authentication_error``:
    (the kind of failure, the cause for the log, the log level)."""
    if exception is None and "state_id" in context:
        state_id = (context.get("state_id") or "")[:8]
        return (
            "state",
            f"a callback with state {state_id or '(none)'}… that belongs to no login in "
            "progress in this session (replayed, from another browser, or expired)",
            logging.WARNING,
        )
    if isinstance(exception, ProviderUnavailable):
        return "unavailable", str(exception), logging.ERROR
    if isinstance(exception, requests.RequestException):
        return "unavailable", f"the provider could not be reached: {exception}", logging.ERROR
    if isinstance(exception, OAuth2Error):
        return "refused", _oauth2_cause(exception), logging.ERROR
    if exception is not None:
        return "refused", f"{type(exception).__name__}: {exception}", logging.ERROR
    view = context.get("callback_view")
    params = view.request.GET if view is not None else {}
    if error == AuthError.DENIED or params.get("error") == "access_denied":
        return "denied", "the person cancelled or was refused at the provider", logging.INFO
    return (
        "refused",
        "the provider answered error={} ({})".format(
            params.get("error", "?"), params.get("error_description", "no description")
        ),
        logging.WARNING,
    )


def _oauth2_cause(exception: OAuth2Error) -> str:
    text = str(exception)
    cause = exception.__cause__
    if text.startswith("Invalid id_token"):
        return (
            f"the ID token was refused: {cause or text} (its issuer, audience (the client id) "
            "and expiry are checked; an ID token for another client or from another issuer "
            "ends here)"
        )
    prefix = "Error retrieving access token: "
    if text.startswith(prefix):
        body = text[len(prefix) :]
        if body.startswith(("b'", 'b"')):
            body = body[2:-1]
        try:
            answer = json.loads(body)
        except ValueError:
            answer = {}
        code = answer.get("error") if isinstance(answer, dict) else None
        hint = ""
        if code == "invalid_client":
            hint = (
                ": the provider did not accept the client's credentials; check OIDC_CLIENT_ID, "
                "OIDC_CLIENT_SECRET and OIDC_TOKEN_AUTH_METHOD against the registration"
            )
        elif code == "invalid_grant":
            hint = ": the code was already used, expired, or issued for another redirect URI"
        return f"the token endpoint refused the code exchange with {code or body[:200]}{hint}"
    return text


# --- views -----------------------------------------------------------------------------------
class Adapter(OpenIDConnectOAuth2Adapter):
    """allauth's adapter, with discovery memoised and the ID token kept for the logout."""

    @property
    def openid_config(self):
        if not hasattr(self, "_openid_config"):
            provider = self.get_provider()
            config = dict(discovery(provider.app.settings["server_url"]))
            config.update(provider.app.settings.get("openid_configuration_overrides", {}))
            self._openid_config = config
        return self._openid_config

    def complete_login(self, request, app, token, **kwargs):
        # Read by SocialAccountAdapter.pre_social_login, in this same request.
        request.sso_id_token = kwargs["response"].get("id_token")
        return super().complete_login(request, app, token, **kwargs)


@login_not_required
def login(request, provider_id):
    """allauth's login view (a GET asks to confirm, a POST redirects to the provider),
    answering in Swedish when the provider cannot be reached. The discovery document is
    checked first (memoised, so a provider that is down costs one timeout a while, not one
    per person); allauth then reads it again itself to build the redirect."""
    try:
        app = next(a for a in configured_apps() if a["provider_id"] == provider_id)
    except StopIteration as missing:
        raise Http404 from missing
    try:
        if request.method == "POST":
            discovery(app["settings"]["server_url"])
        return OAuth2LoginView.adapter_view(Adapter(request, provider_id))(request)
    except requests.RequestException as error:
        logger.error("SSO %s: login could not start: %s", provider_id, error)
        return failure_page(request, "unavailable", status=503)


@login_not_required
def callback(request, provider_id):
    try:
        return OAuth2CallbackView.adapter_view(Adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as missing:
        raise Http404 from missing


@login_not_required
def no_account(request):
    """Nobody types their own identity: an SSO login that matched no account (and may not
    open one) ends here, never at a form where an address could be typed. The same page
    whether or not an account has the address, so it tells nobody which addresses exist."""
    return render(request, "socialaccount/no_account.html", status=403)


def failure_page(request, kind: str, status: int = 401):
    return render(
        request,
        "socialaccount/authentication_error.html",
        {"sso_failure": MESSAGES[kind]},
        status=status,
    )


def reauthenticate(request):
    """Confirming who one is by logging in at the provider again, for the pages that ask for
    a recent login (setting up two-factor authentication) when one has no password."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    return render(request, "account/sso_reauthenticate.html", {"next_url": next_url})


def remember_login(sender, request, user, sociallogin=None, **kwargs):
    """On every login (allauth's user_logged_in): what the session keeps about SSO."""
    if sociallogin is None:
        request.session.pop(SESSION_KEY, None)
        return
    request.session[SESSION_KEY] = {
        "provider": sociallogin.account.provider,
        "strong": is_multi_factor(id_token_claims(sociallogin)),
        "id_token": sociallogin.state.get("id_token"),
    }
