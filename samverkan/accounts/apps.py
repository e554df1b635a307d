from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samverkan.accounts"
    verbose_name = _("Konton")

    def ready(self):
        # Every change to someone's roles is logged, and nobody changes their own.
        from samverkan.accounts import signals

        signals.connect()
