"""The roles a user holds, as people read them: for the start page and the access log."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from samverkan.organisations.models import Membership, UnitMembership


@dataclass
class Roles:
    unit_memberships: list = field(default_factory=list)
    body_memberships: list = field(default_factory=list)
    is_secretariat: bool = False
    is_log_reviewer: bool = False
    is_system_admin: bool = False

    @property
    def managed_units(self):
        return [m.unit for m in self.unit_memberships if m.role == UnitMembership.Role.MANAGER]

    @property
    def led_bodies(self):
        return [m.body for m in self.body_memberships if m.role in Membership.LEADING_ROLES]

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


def roles_of(user) -> Roles:
    """Everything the user is, in two queries."""
    if not user.is_authenticated:
        return Roles()
    return Roles(
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
