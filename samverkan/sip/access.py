"""Who sees a plan and who works on it.

A user sees that a plan exists through a unit that takes part in it (the initiating unit, a
participant unit, a unit responsible for an intervention), or as its chair or secretary.
The content, and the child, only through such a unit and, across principals, while a valid
consent for the plan covers sharing from the initiating unit to it. Protected identity
hides the child's name outside the child's owning unit. The chair, the secretary and the
initiating unit's staff edit the plan.
"""

from samverkan.consent.sharing import SharingCheck
from samverkan.people.visibility import current_units


class PlanAccess:
    def __init__(self, user, plans, units=None):
        from samverkan.sip.models import Intervention, Participant

        plans = list(plans)
        self.user = user
        self.units = current_units(user) if units is None else units
        self.unit_ids = {u.pk for u in self.units}
        self.parties = {p.pk: {p.initiating_unit_id} for p in plans}
        for plan_id, unit_id in (
            Participant.objects.filter(plan__in=plans)
            .exclude(unit=None)
            .values_list("plan_id", "unit_id")
        ):
            self.parties[plan_id].add(unit_id)
        for plan_id, unit_id in Intervention.objects.filter(plan__in=plans).values_list(
            "plan_id", "unit_id"
        ):
            self.parties[plan_id].add(unit_id)
        self.sharing = SharingCheck([p.child_id for p in plans])

    def leads(self, plan) -> bool:
        return self.user.pk in (plan.chair_id, plan.secretary_id)

    def party_units(self, plan):
        return [u for u in self.units if u.pk in self.parties.get(plan.pk, ())]

    def may_view(self, plan) -> bool:
        return bool(self.party_units(plan)) or self.leads(plan)

    def content_units(self, plan):
        reach = self.units if self.leads(plan) else self.party_units(plan)
        return [
            u
            for u in reach
            if self.sharing.may_share(plan.initiating_unit, u, plan.child_id, purpose=plan)
        ]

    def may_view_content(self, plan) -> bool:
        return bool(self.content_units(plan))

    def shows_identity(self, plan) -> bool:
        if not self.may_view_content(plan):
            return False
        return not plan.child.protected_identity or plan.child.owning_unit_id in self.unit_ids

    def may_edit(self, plan) -> bool:
        return self.may_view_content(plan) and (
            self.leads(plan) or plan.initiating_unit_id in self.unit_ids
        )
