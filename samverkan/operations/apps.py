from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What the IT department runs the service with: health and readiness probes, metrics,
    backup and restore, and ``migrate`` under a lock. The lowest app: it imports no other."""

    name = "samverkan.operations"
    verbose_name = _("Drift")
