from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "samverkan.governance"
    verbose_name = _("Styrning och uppföljning")
