"""Who sees a deviation report and who may move it up the ladder.

- Drafts: only the reporter.
- The reporting unit's staff see its reports; the units named as other parties see them too.
- The nearest supervisors (managers) of those units handle the report locally.
- People with a seat in the local group's bodies see the group's reports; the steering
  group's chair, convener and secretary act on principled ones.
- The secretariat sees every submitted report in the county, without the reporter's name.
- BUSSAM's seat holders and the secretariat act on reports lifted to BUSSAM.
"""

from samverkan.deviations.models import Deviation
from samverkan.organisations.models import Body, Membership, UnitMembership


class DeviationAccess:
    def __init__(self, user, deviations=()):
        self.user = user
        deviations = list(deviations)
        memberships = (
            UnitMembership.objects.current().filter(user=user) if user.is_authenticated else []
        )
        self.unit_ids = {m.unit_id for m in memberships}
        self.managed_ids = {m.unit_id for m in memberships if m.role == UnitMembership.Role.MANAGER}
        self.seats = set()
        if user.is_authenticated:
            seats = Membership.objects.current().filter(user=user).select_related("body")
            self.seats = {(s.body.local_group_id, s.body.kind, s.role) for s in seats}
        self.parties: dict[int, set[int]] = {d.pk: {d.reporting_unit_id} for d in deviations}
        through = Deviation.other_units.through.objects.filter(deviation__in=deviations)
        for deviation_id, unit_id in through.values_list("deviation_id", "unit_id"):
            self.parties[deviation_id].add(unit_id)

    @property
    def is_secretariat(self) -> bool:
        return self.user.is_authenticated and self.user.is_secretariat

    def _sits(self, group_id, kind, leading=False) -> bool:
        return any(
            g == group_id and k == kind and (not leading or r in Membership.LEADING_ROLES)
            for g, k, r in self.seats
        )

    def sits_in_bussam(self) -> bool:
        return any(k == Body.Kind.BUSSAM for _, k, _ in self.seats)

    def parties_of(self, deviation) -> set[int]:
        if deviation.pk not in self.parties:
            units = {
                deviation.reporting_unit_id,
                *deviation.other_units.values_list("pk", flat=True),
            }
            self.parties[deviation.pk] = units
        return self.parties[deviation.pk]

    # --- seeing ---------------------------------------------------------------------------
    def may_view(self, deviation) -> bool:
        if deviation.step == Deviation.Step.DRAFT:
            return deviation.reporter_id == self.user.pk
        return bool(
            deviation.reporter_id == self.user.pk
            or self.unit_ids & self.parties_of(deviation)
            or any(g == deviation.local_group_id for g, _, _ in self.seats)
            or self.is_secretariat
            or (deviation.step == Deviation.Step.BUSSAM and self.sits_in_bussam())
        )

    def shows_reporter(self, deviation) -> bool:
        """The reporter's name: for the units involved and the group, not the secretariat."""
        return (
            deviation.reporter_id == self.user.pk
            or bool(self.unit_ids & self.parties_of(deviation))
            or any(g == deviation.local_group_id for g, _, _ in self.seats)
        )

    # --- acting ---------------------------------------------------------------------------
    def is_supervisor(self, deviation) -> bool:
        return bool(self.managed_ids & self.parties_of(deviation))

    def is_steering_lead(self, deviation) -> bool:
        return self._sits(deviation.local_group_id, Body.Kind.STEERING, leading=True)

    def acts_for_bussam(self) -> bool:
        return self.is_secretariat or self.sits_in_bussam()

    def may_act(self, deviation, role: str) -> bool:
        return {
            "supervisor": self.is_supervisor,
            "steering": self.is_steering_lead,
            "bussam": lambda d: self.acts_for_bussam(),
        }[role](deviation)

    def may_edit_draft(self, deviation) -> bool:
        return deviation.step == Deviation.Step.DRAFT and deviation.reporter_id == self.user.pk
