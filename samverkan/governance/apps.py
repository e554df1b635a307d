from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "samverkan.governance"
    verbose_name = _("Styrning och uppföljning")

    def ready(self):
        from samverkan.governance import freshness

        freshness.connect()
        # The county follow-up's builders, for the background worker (samverkan.exports).
        from samverkan.governance import report_exports  # noqa: F401
