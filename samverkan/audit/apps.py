from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_chain_heads(sender, using="default", apps=None, **kwargs):
    """Every chain the writers may pick (``ACCESS_LOG_CHAINS``) has its head from the start,
    so that a request's log write is always the same few queries. Runs after every
    ``migrate`` (and after the test runner's flush); a writer still creates a missing head."""
    from django.conf import settings

    from samverkan.audit.chain import Sealer

    try:
        AccessLogChain = (apps or sender.apps).get_model("audit", "AccessLogChain")
    except LookupError:  # migrated back to before the chains
        return
    have = set(AccessLogChain.objects.using(using).values_list("chain", flat=True))
    sealer = Sealer()
    missing = []
    for number in range(settings.ACCESS_LOG_CHAINS):
        if number not in have:
            head = AccessLogChain(chain=number, seq=0, hash="", anchor_seq=0, anchor_hash="")
            head.mac = sealer.head(number, 0, "", 0, "")
            missing.append(head)
    AccessLogChain.objects.using(using).bulk_create(missing, ignore_conflicts=True)


class AuditConfig(AppConfig):
    name = "samverkan.audit"
    verbose_name = _("Åtkomstlogg")

    def ready(self):
        post_migrate.connect(create_chain_heads, sender=self)
        # The log extract's builders, for the background worker (samverkan.exports).
        from samverkan.audit import extract  # noqa: F401
