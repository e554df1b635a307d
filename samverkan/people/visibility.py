"""Who may see a child, and whether they see its name and contact details.

A user sees a child through the units they work at: the unit that owns the child's record
always; a unit that takes part in the child's matters (an ``Involvement``) if it belongs to
the same principal, or, across principals, while a valid consent covers sharing from the
owning unit to it. Protected identity hides name and contact details from everyone outside
the owning unit, whatever else holds.
"""

from samverkan.consent.sharing import SharingCheck
from samverkan.organisations.models import Unit
from samverkan.people.models import Involvement


def current_units(user) -> list[Unit]:
    if not user.is_authenticated:
        return []
    return list(Unit.objects.filter(memberships__in=user.unit_memberships.current()).distinct())


class ChildAccess:
    """Decides for one user and a batch of children, in a fixed number of queries.

    The children must come with ``owning_unit`` loaded (``select_related("owning_unit")``).
    """

    def __init__(self, user, children, units: list[Unit] | None = None):
        children = list(children)
        self.units = current_units(user) if units is None else units
        unit_ids = [unit.pk for unit in self.units]
        self.involved = set(
            Involvement.objects.filter(
                child__in=[c.pk for c in children], unit_id__in=unit_ids
            ).values_list("child_id", "unit_id")
        )
        self.sharing = SharingCheck(children)

    def units_seeing(self, child) -> list[Unit]:
        """The user's units through which the child is visible."""
        return [
            unit
            for unit in self.units
            if unit.pk == child.owning_unit_id
            or (
                (child.pk, unit.pk) in self.involved
                and self.sharing.may_share(child.owning_unit, unit, child)
            )
        ]

    def may_see(self, child) -> bool:
        return bool(self.units_seeing(child))

    def shows_identity(self, child) -> bool:
        """Name and contact details: hidden for protected identity outside the owning unit."""
        if not self.may_see(child):
            return False
        if not child.protected_identity:
            return True
        return any(unit.pk == child.owning_unit_id for unit in self.units)


def may_see_child(user, child) -> bool:
    return ChildAccess(user, [child]).may_see(child)
