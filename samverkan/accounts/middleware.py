import csp.middleware
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect

from samverkan.accounts import sso
from samverkan.accounts.rules import may_see_personal_data

# Pages a user without MFA may still reach: setting MFA up, logging out, language, static.
ALLOWED_PREFIXES = ("/konto/", "/i18n/", "/static/", "/healthz")


class RequireMFAMiddleware:
    """With REQUIRE_MFA=1, roles that can see a child's data must set up TOTP first, unless
    they logged in through an identity provider that says the login was two-factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.REQUIRE_MFA and self._must_set_up(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(ALLOWED_PREFIXES):
            return False
        if sso.strong_sso_session(request) or not may_see_personal_data(user):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, letting forms lead to the identity provider.

    Chromium applies ``form-action`` to where a form's answer redirects, so the log-in form
    (which posts here and is redirected to the provider) and the log-out form (redirected to
    the provider's end-session endpoint) need the provider's origin there. It is added to
    HTML pages when single sign-on is configured, for visitors not yet logged in and for
    sessions that logged in through SSO; nothing else is loosened."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or not sso.configured_apps():
            return parts
        if not response.get("Content-Type", "").startswith("text/html"):
            return parts
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (
            user is not None
            and user.is_authenticated
            and not (session is not None and sso.SESSION_KEY in session)
        ):
            return parts
        origins = sso.form_action_origins()
        if origins:  # added to the setting's 'self'
            parts.update = {**(parts.update or {}), "form-action": origins}
        return parts
