"""Who may do what with forum cases, for one user, built once per request.

Parties to a case are the raising unit and the invited units. A user may know that a case
exists (reference, status, deadline, time and place) if they work at a party unit, convene
it, or hold a seat in the group's working or steering group. The content (the child, the
reason, the invitees, the protocol) is shown only through a party unit (or any unit of the
convener's), and only where ``Sharing.opens`` holds: the raising unit's own principal, or
a written consent for this case recorded by a unit of the raising unit's principal that
names the unit. Protected identity hides the child's name outside the child's owning unit.

The rules in ``accounts/rules.py`` ask this; list views call ``prefetch`` first so that a
page of cases costs a fixed number of queries.
"""

from samverkan.consent.access import sharing
from samverkan.forum.models import Invitee
from samverkan.organisations.models import Body
from samverkan.organisations.standing import standing


class CaseAccess:
    def __init__(self, user):
        self.user = user
        self.standing = standing(user)
        self.sharing = sharing(user)
        self._parties: dict[int, set[int]] = {}

    def prefetch(self, cases) -> None:
        cases = [case for case in cases if case.pk not in self._parties]
        if not cases:
            return
        for case in cases:
            self._parties[case.pk] = {case.raised_by_unit_id}
        for case_id, unit_id in Invitee.objects.filter(case__in=cases).values_list(
            "case_id", "unit_id"
        ):
            self._parties[case_id].add(unit_id)
        self.sharing.prefetch({case.child_id for case in cases})

    def parties(self, case) -> set[int]:
        self.prefetch([case])
        return self._parties[case.pk]

    # --- who the user is to the case ------------------------------------------------------
    def is_convener(self, case) -> bool:
        return self.user.is_authenticated and case.convener_id == self.user.pk

    def sits_in(self, case, kind: str, leading: bool = False) -> bool:
        return self.standing.sits_in(case.local_group_id, kind, leading)

    def party_units(self, case) -> list:
        parties = self.parties(case)
        return [unit for unit in self.standing.units if unit.pk in parties]

    # --- seeing ---------------------------------------------------------------------------
    def may_view(self, case) -> bool:
        return bool(
            self.party_units(case)
            or self.is_convener(case)
            or self.sits_in(case, Body.Kind.WORKING)
            or self.sits_in(case, Body.Kind.STEERING)
        )

    def content_units(self, case) -> list:
        """The user's units through which the case's content may be shown."""
        reach = self.standing.units if self.is_convener(case) else self.party_units(case)
        return [
            unit
            for unit in reach
            if self.sharing.opens(case.raised_by_unit, unit, case.child_id, case)
        ]

    def may_view_content(self, case) -> bool:
        return bool(self.content_units(case))

    def shows_identity(self, case) -> bool:
        if not self.may_view_content(case):
            return False
        child = case.child
        return not child.protected_identity or child.owning_unit_id in self.standing.unit_ids

    def may_view_question(self, case) -> bool:
        """The principled question and the steering group's decision carry no identity:
        the group's working and steering groups read them too."""
        return self.may_view_content(case) or (
            self.sits_in(case, Body.Kind.WORKING) or self.sits_in(case, Body.Kind.STEERING)
        )

    def lacks_consent(self, case, units) -> list:
        """Of ``units`` (the case's parties), those the raising unit's information may not
        reach yet: a consent for the case naming them is missing."""
        return [
            unit
            for unit in units
            if not self.sharing.opens(case.raised_by_unit, unit, case.child_id, case)
        ]

    # --- acting ---------------------------------------------------------------------------
    def may_manage(self, case) -> bool:
        """Convene, invite, write the protocol draft: the convener or the working group's
        chair, convener or secretary."""
        return self.is_convener(case) or self.sits_in(case, Body.Kind.WORKING, leading=True)

    def may_sign(self, case) -> bool:
        return self.is_convener(case)

    def may_decide(self, case) -> bool:
        """Record the steering group's decision on a lifted case."""
        return self.sits_in(case, Body.Kind.STEERING, leading=True)
