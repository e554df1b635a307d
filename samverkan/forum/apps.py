from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "samverkan.forum"
    verbose_name = _("Individforum")

    def ready(self):
        # Whoever must act next is told when a case changes status.
        from samverkan.forum import notify

        notify.connect()
