"""The one sharing decision: may information about a child, held by one unit, be shown to
another unit for an occasion?

- to the same unit, or a unit of the same principal: yes (the confidentiality the BUS
  agreement deals with is between principals);
- across principals: only while a written consent is in force that was recorded by a unit
  of the *holding* unit's principal, names the receiving unit, and is for this occasion or
  for the whole child record.

A consent recorded by one unit therefore never opens another principal's information to
the unit that recorded it, and a consent for one forum case never opens a plan or the
child record.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from samverkan.consent.models import Consent
from samverkan.people.models import Child


@dataclass(frozen=True)
class Grant:
    principal_id: int
    unit_ids: frozenset[int]
    purpose: tuple[int | None, int | None]


def occasion_key(occasion) -> tuple[int, int]:
    return (ContentType.objects.get_for_model(occasion).pk, occasion.pk)


class Sharing:
    """Answers ``opens()`` for many children; consents are read once per child (or once for
    a whole page with ``prefetch``). Built once per request through ``permissions.cached``.
    """

    def __init__(self, on: datetime.date | None = None):
        self.on = on
        self.grants: dict[int, list[Grant]] = {}

    def prefetch(self, child_ids) -> None:
        missing = {pk for pk in child_ids if pk is not None} - self.grants.keys()
        if not missing:
            return
        for child_id in missing:
            self.grants[child_id] = []
        consents = (
            Consent.objects.opening(self.on)
            .filter(child_id__in=missing)
            .select_related("recorded_by_unit")
            .prefetch_related("units")
        )
        for consent in consents:
            self.grants[consent.child_id].append(
                Grant(
                    principal_id=consent.recorded_by_unit.principal_id,
                    unit_ids=frozenset(unit.pk for unit in consent.units.all()),
                    purpose=(consent.purpose_type_id, consent.purpose_id),
                )
            )

    def opens(self, holder, to_unit, child_id: int, occasion) -> bool:
        """May ``holder``'s information about the child, for ``occasion`` (a forum case, a
        plan, or the child record itself), be shown to ``to_unit``?"""
        if holder is None or to_unit is None:
            return False
        if holder.principal_id == to_unit.principal_id:
            return True
        return self.consented(holder, to_unit, child_id, occasion)

    def consented(self, holder, to_unit, child_id: int, occasion) -> bool:
        """A written consent in force, recorded by a unit of ``holder``'s principal, names
        ``to_unit`` for this occasion or for the whole child record."""
        self.prefetch([child_id])
        wanted = {occasion_key(occasion), (ContentType.objects.get_for_model(Child).pk, child_id)}
        return any(
            grant.principal_id == holder.principal_id
            and to_unit.pk in grant.unit_ids
            and grant.purpose in wanted
            for grant in self.grants.get(child_id, ())
        )
