from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeviationsConfig(AppConfig):
    name = "samverkan.deviations"
    verbose_name = _("Avvikelser")

    def ready(self):
        # Whoever must act next is told when a report reaches a step.
        from samverkan.deviations import notify

        notify.connect()
        # The compilation's builders, for the background worker (samverkan.exports).
        from samverkan.deviations import report_exports  # noqa: F401
