"""What a user is: the units they work at, the seats they hold, and the system roles.

Worked out once per request (``standing(user)``) and shared by every access object and by
the access log's role label. Rights are not decided here: ``accounts/rules.py`` turns these
facts into rights.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from samverkan.organisations.models import Membership, UnitMembership
from samverkan.permissions import cached


@dataclass
class Standing:
    unit_memberships: list = field(default_factory=list)
    body_memberships: list = field(default_factory=list)
    is_secretariat: bool = False
    is_log_reviewer: bool = False
    is_system_admin: bool = False

    @cached_property
    def units(self) -> list:
        """The units the user works at now (each with its principal), without repeats."""
        seen: dict = {}
        for m in self.unit_memberships:
            seen.setdefault(m.unit_id, m.unit)
        return list(seen.values())

    @cached_property
    def unit_ids(self) -> set[int]:
        return {m.unit_id for m in self.unit_memberships}

    @cached_property
    def managed_unit_ids(self) -> set[int]:
        return {m.unit_id for m in self.unit_memberships if m.role == UnitMembership.Role.MANAGER}

    @property
    def managed_units(self) -> list:
        return [unit for unit in self.units if unit.pk in self.managed_unit_ids]

    @cached_property
    def principal_ids(self) -> set[int]:
        return {unit.principal_id for unit in self.units}

    @cached_property
    def seats(self) -> set[tuple[int | None, str, str]]:
        """(local group id, body kind, role) for every current seat."""
        return {(m.body.local_group_id, m.body.kind, m.role) for m in self.body_memberships}

    @property
    def led_bodies(self) -> list:
        return [m.body for m in self.body_memberships if m.role in Membership.LEADING_ROLES]

    def sits_in(self, group_id, kind: str, leading: bool = False) -> bool:
        return any(
            g == group_id and k == kind and (not leading or r in Membership.LEADING_ROLES)
            for g, k, r in self.seats
        )

    def sits_in_kind(self, kind: str, leading: bool = False) -> bool:
        return any(
            k == kind and (not leading or r in Membership.LEADING_ROLES) for _g, k, r in self.seats
        )

    def labels(self) -> list[str]:
        labels = []
        if self.is_system_admin:
            labels.append(str(_("Systemadministratör")))
        if self.is_log_reviewer:
            labels.append(str(_("Logggranskare")))
        if self.is_secretariat:
            labels.append(str(_("BUS-sekretariatet")))
        for m in self.body_memberships:
            if m.role in Membership.LEADING_ROLES:
                labels.append(f"{m.get_role_display()}, {m.body}")
        for m in self.unit_memberships:
            labels.append(f"{m.get_role_display()}, {m.unit}")
        return labels

    @cached_property
    def label(self) -> str:
        """The roles as the access log keeps them."""
        return "; ".join(self.labels())[:300]


def _build(user) -> Standing:
    if not user.is_authenticated:
        return Standing()
    return Standing(
        unit_memberships=list(
            UnitMembership.objects.current().filter(user=user).select_related("unit__principal")
        ),
        body_memberships=list(
            Membership.objects.current()
            .filter(user=user)
            .select_related("body__local_group", "unit")
        ),
        is_secretariat=user.is_secretariat,
        is_log_reviewer=user.is_log_reviewer,
        is_system_admin=user.is_superuser,
    )


def standing(user) -> Standing:
    """Everything the user is, in two queries, once per request."""
    return cached(user, Standing, lambda: _build(user))


def current_units(user) -> list:
    return standing(user).units
