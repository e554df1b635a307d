"""Who sees a child record and its consents, for one user, built once per request.

- A child record (name, number, guardians, consents) is seen by the unit that registered
  it, and by a unit named in a written consent for the whole record that a unit of the
  owning unit's principal recorded. Taking part in a case or plan shows the child there,
  not the record.
- Protected identity hides name and contact details from everyone but the owning unit.
- A consent is seen, and its revocation recorded, by the unit that recorded it and the
  units it names. Its scanned form carries names and signatures: only for those who may
  also see the child's identity.
- A consent is recorded by a unit of the principal whose information it opens, by someone
  who may see what it is for (see ``accounts/rules.py``).

The rules in ``accounts/rules.py`` ask these; views never do directly.
"""

from samverkan.consent.sharing import Sharing
from samverkan.organisations.standing import standing
from samverkan.permissions import cached


def sharing(user) -> Sharing:
    """The request's one ``Sharing`` (consents read once per child)."""
    return cached(user, Sharing, Sharing)


class ChildAccess:
    def __init__(self, user):
        self.standing = standing(user)
        self.sharing = sharing(user)

    def units_seeing(self, child) -> list:
        return [
            unit
            for unit in self.standing.units
            if unit.pk == child.owning_unit_id
            or self.sharing.consented(child.owning_unit, unit, child.pk, child)
        ]

    def may_see(self, child) -> bool:
        return bool(self.units_seeing(child))

    def owns(self, child) -> bool:
        return child.owning_unit_id in self.standing.unit_ids

    def shows_identity(self, child) -> bool:
        return self.may_see(child) and (not child.protected_identity or self.owns(child))


class ConsentAccess:
    def __init__(self, user):
        self.standing = standing(user)
        self._covered: dict[int, set[int]] = {}

    def covered_unit_ids(self, consent) -> set[int]:
        if consent.pk not in self._covered:
            self._covered[consent.pk] = {
                consent.recorded_by_unit_id,
                *(unit.pk for unit in consent.units.all()),  # prefetched on list pages
            }
        return self._covered[consent.pk]

    def may_view(self, consent) -> bool:
        return bool(self.standing.unit_ids & self.covered_unit_ids(consent))

    def may_revoke(self, consent) -> bool:
        """Record a revocation (an already revoked consent just says so)."""
        return self.may_view(consent)

    def may_open_document(self, consent) -> bool:
        child = consent.child
        return (
            bool(consent.document)
            and self.may_view(consent)
            and (not child.protected_identity or child.owning_unit_id in self.standing.unit_ids)
        )

    def recorder_units(self, holder) -> list:
        """The user's units that may record a consent opening ``holder``'s information:
        those of the same principal."""
        if holder is None:
            return []
        return [u for u in self.standing.units if u.principal_id == holder.principal_id]
