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
from samverkan.organisations.models import Body
from samverkan.organisations.standing import standing
from samverkan.permissions import access


class DeviationAccess:
    """For one user, built once per request (``for_user``); asked by ``accounts/rules.py``
    and by the ladder."""

    def __init__(self, user):
        self.user = user
        self.standing = standing(user)
        self.unit_ids = self.standing.unit_ids
        self.managed_ids = self.standing.managed_unit_ids
        self.seats = self.standing.seats
        self.parties: dict[int, set[int]] = {}

    def prefetch(self, deviations) -> None:
        deviations = [d for d in deviations if d.pk not in self.parties]
        if not deviations:
            return
        for deviation in deviations:
            self.parties[deviation.pk] = {deviation.reporting_unit_id}
        through = Deviation.other_units.through.objects.filter(deviation__in=deviations)
        for deviation_id, unit_id in through.values_list("deviation_id", "unit_id"):
            self.parties[deviation_id].add(unit_id)

    @property
    def is_secretariat(self) -> bool:
        return self.standing.is_secretariat

    def sits_in_bussam(self) -> bool:
        return self.standing.sits_in_kind(Body.Kind.BUSSAM)

    def parties_of(self, deviation) -> set[int]:
        self.prefetch([deviation])
        return self.parties[deviation.pk]

    def in_group(self, deviation) -> bool:
        return any(g == deviation.local_group_id for g, _, _ in self.seats)

    # --- seeing ---------------------------------------------------------------------------
    def may_view(self, deviation) -> bool:
        if deviation.step == Deviation.Step.DRAFT:
            return deviation.reporter_id == self.user.pk
        return bool(
            deviation.reporter_id == self.user.pk
            or self.unit_ids & self.parties_of(deviation)
            or self.in_group(deviation)
            or self.is_secretariat
            or (deviation.step == Deviation.Step.BUSSAM and self.sits_in_bussam())
        )

    def shows_reporter(self, deviation) -> bool:
        """The reporter's name: for the units involved and the group, not the secretariat."""
        return (
            deviation.reporter_id == self.user.pk
            or bool(self.unit_ids & self.parties_of(deviation))
            or self.in_group(deviation)
        )

    # --- acting ---------------------------------------------------------------------------
    def is_supervisor(self, deviation) -> bool:
        return bool(self.managed_ids & self.parties_of(deviation))

    def is_steering_lead(self, deviation) -> bool:
        return self.standing.sits_in(deviation.local_group_id, Body.Kind.STEERING, leading=True)

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


def for_user(user) -> DeviationAccess:
    return access(user, DeviationAccess)
