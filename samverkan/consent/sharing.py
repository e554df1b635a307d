import datetime

from django.contrib.contenttypes.models import ContentType

from samverkan.consent.models import Consent


class SharingCheck:
    """Answers ``may_share`` for many children with one query (for lists)."""

    def __init__(self, children, on: datetime.date | None = None):
        child_ids = {getattr(child, "pk", child) for child in children}
        self.grants: dict[int, list[tuple[set[int], int | None, int | None]]] = {}
        if not child_ids:
            return
        consents = (
            Consent.objects.valid(on)
            .filter(child_id__in=child_ids)
            .prefetch_related("units")
            .only("id", "child_id", "purpose_type_id", "purpose_id")
        )
        for consent in consents:
            units = {unit.pk for unit in consent.units.all()}
            self.grants.setdefault(consent.child_id, []).append(
                (units, consent.purpose_type_id, consent.purpose_id)
            )

    def may_share(self, from_unit, to_unit, child, purpose=None) -> bool:
        if from_unit is None or to_unit is None:
            return False
        if from_unit.pk == to_unit.pk or from_unit.principal_id == to_unit.principal_id:
            return True
        purpose_key = None
        if purpose is not None:
            purpose_key = (ContentType.objects.get_for_model(purpose).pk, purpose.pk)
        for units, type_id, object_id in self.grants.get(getattr(child, "pk", child), []):
            covers_units = from_unit.pk in units and to_unit.pk in units
            if covers_units and purpose_key in (None, (type_id, object_id)):
                return True
        return False
