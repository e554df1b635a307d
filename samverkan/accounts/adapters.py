from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.utils.translation import gettext_lazy as _


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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # By default SSO only logs in people who already have an account (matched on the
        # verified e-mail address); SSO_AUTO_SIGNUP=1 lets new people in as plain users.
        return settings.SSO_AUTO_SIGNUP
