"""Who sees a plan and who works on it, for one user, built once per request.

A user may know a plan exists (number, status, meeting time and place) through a unit that
takes part in it (the initiating unit, a participant unit, a unit responsible for an
intervention), or as its chair or secretary. The content and the child only through such a
unit (or any unit of the chair's or secretary's) where ``Sharing.opens`` holds: the
initiating unit's own principal, or a written consent for this plan, recorded by a unit of
the initiating unit's principal, that names the unit. Protected identity hides the child's
name outside the child's owning unit. The chair, the secretary and the initiating unit's
staff edit the plan.

The rules in ``accounts/rules.py`` ask this; list views call ``prefetch`` first.
"""

from samverkan.consent.access import sharing
from samverkan.organisations.standing import standing
from samverkan.sip.models import Intervention, Participant, Plan


class PlanAccess:
    def __init__(self, user):
        self.user = user
        self.standing = standing(user)
        self.sharing = sharing(user)
        self._parties: dict[int, set[int]] = {}

    def prefetch(self, plans) -> None:
        plans = [plan for plan in plans if plan.pk not in self._parties]
        if not plans:
            return
        for plan in plans:
            self._parties[plan.pk] = {plan.initiating_unit_id}
        for plan_id, unit_id in (
            Participant.objects.filter(plan__in=plans)
            .exclude(unit=None)
            .values_list("plan_id", "unit_id")
        ):
            self._parties[plan_id].add(unit_id)
        for plan_id, unit_id in Intervention.objects.filter(plan__in=plans).values_list(
            "plan_id", "unit_id"
        ):
            self._parties[plan_id].add(unit_id)
        self.sharing.prefetch({plan.child_id for plan in plans})

    def leads(self, plan) -> bool:
        return self.user.pk in (plan.chair_id, plan.secretary_id)

    def party_units(self, plan) -> list:
        self.prefetch([plan])
        parties = self._parties[plan.pk]
        return [unit for unit in self.standing.units if unit.pk in parties]

    def may_view(self, plan) -> bool:
        return bool(self.party_units(plan)) or self.leads(plan)

    def content_units(self, plan) -> list:
        reach = self.standing.units if self.leads(plan) else self.party_units(plan)
        return [
            unit
            for unit in reach
            if self.sharing.opens(plan.initiating_unit, unit, plan.child_id, plan)
        ]

    def may_view_content(self, plan) -> bool:
        return bool(self.content_units(plan))

    def shows_identity(self, plan) -> bool:
        if not self.may_view_content(plan):
            return False
        child = plan.child
        return not child.protected_identity or child.owning_unit_id in self.standing.unit_ids

    def may_edit(self, plan) -> bool:
        """A closed plan is kept as it is: read, never changed."""
        return (
            plan.status != Plan.Status.CLOSED
            and self.may_view_content(plan)
            and (self.leads(plan) or plan.initiating_unit_id in self.standing.unit_ids)
        )
