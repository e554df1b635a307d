from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect

from samverkan.accounts.rules import may_see_personal_data

# Pages a user without MFA may still reach: setting MFA up, logging out, language, static.
ALLOWED_PREFIXES = ("/konto/", "/i18n/", "/static/", "/healthz")


class RequireMFAMiddleware:
    """With REQUIRE_MFA=1, roles that can see a child's data must set up TOTP first."""

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
        if not may_see_personal_data(user):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
