"""Who must act next: the people behind a role, worked out from the directory."""

from django.contrib.auth import get_user_model

from samverkan.organisations.models import Body, Membership, UnitMembership


def seat_holders(kind: str, local_group=None) -> list:
    """Everyone holding a current seat in the bodies of ``kind`` (of ``local_group`` for a
    local body; the county's for BUSSAM and the presidium)."""
    seats = Membership.objects.current().filter(body__kind=kind, user__isnull=False)
    if kind not in Body.COUNTY_KINDS:
        seats = seats.filter(body__local_group=local_group)
    return list(get_user_model().objects.filter(pk__in=seats.values("user")))


def unit_managers(units) -> list:
    """The current managers (nearest supervisors) of ``units``."""
    managers = UnitMembership.objects.current().filter(
        unit__in=units, role=UnitMembership.Role.MANAGER
    )
    return list(get_user_model().objects.filter(pk__in=managers.values("user")))
