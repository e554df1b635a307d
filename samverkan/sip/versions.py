"""What changed between two versions of a plan, field by field, as people read it."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "needs": _("Behov"),
    "child_voice": _("Barnets egna ord"),
    "guardians_voice": _("Vårdnadshavarnas egna ord"),
    "goals": _("Mål"),
    "others_do": _("Vad andra än kommun och region gör"),
    "overall_responsible": _("Huvudman med övergripande ansvar"),
    "follow_up_how": _("Hur planen följs upp"),
    "next_follow_up_on": _("Nästa uppföljning"),
    "interventions": _("Insatser"),
    "participants": _("Deltagare"),
}


def _lines(value) -> list[str]:
    if isinstance(value, list):
        return [
            ", ".join(f"{v}" for v in item.values() if v) if isinstance(item, dict) else str(item)
            for item in value
        ]
    return [line for line in str(value or "").splitlines() if line.strip()]


def changes(before: dict, after: dict) -> list[dict]:
    """[{label, removed: [...], added: [...]}] for each part that differs."""
    result = []
    for key, label in LABELS.items():
        old, new = _lines(before.get(key)), _lines(after.get(key))
        if old != new:
            result.append(
                {
                    "label": label,
                    "removed": [line for line in old if line not in new],
                    "added": [line for line in new if line not in old],
                }
            )
    return result
