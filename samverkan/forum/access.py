"""Who may do what with forum cases, for one user and a batch of cases.

Parties to a case are the raising unit and the invited units. A user sees that a case
exists (reference, status, dates, units) if they work at a party unit, convene it, or hold a
seat in the group's working or steering group. They see its content (the child, the reason,
the protocol) only through a unit that is a party, or as convener, and across principals
only while ``may_share(raising unit -> their unit, child, purpose=case)`` holds. Protected
identity hides the child's name outside the child's owning unit.

The rules in ``samverkan.accounts.rules`` call these for single objects; list views use
``CaseAccess`` directly to decide for a whole page in a fixed number of queries.
"""

from samverkan.consent.sharing import SharingCheck
from samverkan.organisations.models import Body, Membership
from samverkan.people.visibility import current_units


class CaseAccess:
    def __init__(self, user, cases, units=None):
        from samverkan.forum.models import Invitee

        self.user = user
        cases = list(cases)
        self.units = current_units(user) if units is None else units
        self.unit_ids = {unit.pk for unit in self.units}
        self.parties: dict[int, set[int]] = {case.pk: {case.raised_by_unit_id} for case in cases}
        for case_id, unit_id in Invitee.objects.filter(case__in=cases).values_list(
            "case_id", "unit_id"
        ):
            self.parties[case_id].add(unit_id)
        self.seats: set[tuple[int, str, str]] = set()
        if user.is_authenticated:
            seats = Membership.objects.current().filter(user=user).select_related("body")
            self.seats = {(s.body.local_group_id, s.body.kind, s.role) for s in seats}
        self.sharing = SharingCheck([case.child_id for case in cases])

    # --- seats in the group's bodies ------------------------------------------------------
    def sits_in(self, case, kind: str, leading_only=False) -> bool:
        return any(
            group == case.local_group_id
            and body_kind == kind
            and (not leading_only or role in Membership.LEADING_ROLES)
            for group, body_kind, role in self.seats
        )

    def is_convener(self, case) -> bool:
        return self.user.is_authenticated and case.convener_id == self.user.pk

    # --- seeing ---------------------------------------------------------------------------
    def party_units(self, case):
        """The user's units that are parties to the case."""
        return [unit for unit in self.units if unit.pk in self.parties.get(case.pk, ())]

    def may_view(self, case) -> bool:
        return bool(
            self.party_units(case)
            or self.is_convener(case)
            or self.sits_in(case, Body.Kind.WORKING)
            or self.sits_in(case, Body.Kind.STEERING)
        )

    def content_units(self, case):
        """The user's units through which the case's content may be shown."""
        reach = self.units if self.is_convener(case) else self.party_units(case)
        return [
            unit
            for unit in reach
            if self.sharing.may_share(case.raised_by_unit, unit, case.child_id, purpose=case)
        ]

    def may_view_content(self, case) -> bool:
        return bool(self.content_units(case))

    def shows_identity(self, case) -> bool:
        if not self.may_view_content(case):
            return False
        return not case.child.protected_identity or case.child.owning_unit_id in self.unit_ids

    # --- acting ---------------------------------------------------------------------------
    def may_manage(self, case) -> bool:
        """Convene, invite, write the protocol draft: the convener or the working group's
        chair, convener or secretary."""
        return self.is_convener(case) or self.sits_in(case, Body.Kind.WORKING, leading_only=True)

    def may_sign(self, case) -> bool:
        return self.is_convener(case)

    def may_decide(self, case) -> bool:
        """Record the steering group's decision on a lifted case."""
        return self.sits_in(case, Body.Kind.STEERING, leading_only=True)
