from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samverkan.accounts"
    verbose_name = _("Konton")

    def ready(self):
        # Every change to someone's roles is logged, and nobody changes their own.
        from samverkan.accounts import signals

        signals.connect()

        # What the session keeps about a login through the identity provider.
        from allauth.account.signals import user_logged_in

        from samverkan.accounts import sso

        user_logged_in.connect(sso.remember_login, dispatch_uid="samverkan.sso")
