import logging
import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthError
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samverkan.accounts import sso

logger = logging.getLogger("samverkan.sso")

ALLAUTH_MFA_STAGE = "allauth.mfa.stages.AuthenticateStage"


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _(
            "E-postadressen eller lösenordet stämmer inte. Kontrollera stavningen och försök igen."
        ),
        "too_many_login_attempts": _(
            "För många misslyckade inloggningsförsök. Vänta några minuter och försök igen, "
            "eller återställ ditt lösenord."
        ),
        "account_inactive": _("Kontot är avstängt. Kontakta systemadministratören."),
    }

    def is_open_for_signup(self, request):
        # Accounts are created by a system administrator or arrive through SSO.
        return False

    def get_login_stages(self):
        # The TOTP step is skipped when the identity provider's login was already two-factor.
        return [
            "samverkan.accounts.stages.AuthenticateStage" if stage == ALLAUTH_MFA_STAGE else stage
            for stage in super().get_login_stages()
        ]

    def get_logout_redirect_url(self, request):
        # After an SSO login, logging out here ends the provider's session too: on a shared
        # computer the next person must not be logged straight back in.
        return sso.logout_url(request) or super().get_logout_redirect_url(request)

    def is_reauthentication_required(self, *, app: str) -> bool:
        # A login through the identity provider in the last few minutes counts as having
        # just typed one's password (SSO users have none).
        request = self.request
        if request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            recent = [
                r
                for r in records
                if r.get("method") == "socialaccount"
                and time.time() - r.get("at", 0) < account_settings.REAUTHENTICATION_TIMEOUT
            ]
            if recent:
                return False
        return super().is_reauthentication_required(app=app)

    def get_reauthentication_methods(self, user):
        methods = super().get_reauthentication_methods(user)
        if user.is_authenticated and sso.configured_apps() and user.socialaccount_set.exists():
            again = {
                "id": "sso",
                "description": _("Logga in igen med e-legitimation"),
                "url": reverse("sso_reauthenticate"),
            }
            # Someone without a password can only confirm who they are at the provider.
            methods = [again, *methods] if not user.has_usable_password() else [*methods, again]
        return methods


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # By default SSO only logs in people who already have an account (matched on a
        # verified e-mail address); SSO_AUTO_SIGNUP=1 lets new people in as plain users, but
        # only with an address the provider says it has verified: nobody types their own.
        verified = any(address.verified for address in sociallogin.email_addresses)
        if settings.SSO_AUTO_SIGNUP and verified:
            return True
        logger.warning(
            "SSO %s: no account opened for subject %s: %s",
            sociallogin.account.provider,
            sociallogin.account.uid,
            "SSO_AUTO_SIGNUP is off and no account has its verified e-mail address"
            if verified
            else "the provider gave no verified e-mail address (email/email_verified)",
        )
        raise ImmediateHttpResponse(sso.no_account(request))

    def is_auto_signup_allowed(self, request, sociallogin):
        # Never the form where an address could be typed (the signup view is replaced too).
        return True

    def pre_social_login(self, request, sociallogin):
        # The raw ID token, for id_token_hint when the person logs out (sso.logout_url).
        sociallogin.state["id_token"] = getattr(request, "sso_id_token", None)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        if error == AuthError.CANCELLED:
            return  # allauth says "Inloggningen avbröts" on its own page
        kind, cause, level = sso.explain(error, exception, extra_context or {})
        logger.log(level, "SSO %s: login refused: %s", provider.sub_id, cause)
        raise ImmediateHttpResponse(sso.failure_page(request, kind))
