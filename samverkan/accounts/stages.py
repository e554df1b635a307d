from allauth.mfa import stages

from samverkan.accounts import sso


class AuthenticateStage(stages.AuthenticateStage):
    """allauth's TOTP step, skipped when the identity provider says the login was already
    two-factor (a SITHS card and its PIN, Freja eID+): see sso.is_multi_factor."""

    def _should_handle(self, request) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if sociallogin is not None and sso.is_multi_factor(sso.id_token_claims(sociallogin)):
            return False
        return super()._should_handle(request)
