"""Who may do what: every role and object rule in one place.

Views ask ``allowed(request.user, "<app>.<action>", obj)`` or use the ``permission_required``
decorator (both in ``samverkan.accounts.decorators``); templates ask ``{% has_perm %}`` from
``rules``. A rule here is the only place a role is turned into a right: a superuser gets no
right that is not written here.

Roles:
- unit staff / unit manager: from ``organisations.UnitMembership`` (current ones);
- body chair / convener / secretary / member: from ``organisations.Membership``;
- secretariat, log reviewer: flags on the user;
- system admin: ``is_superuser``.
"""

import rules

from samverkan.organisations.models import Membership, UnitMembership


@rules.predicate
def is_system_admin(user):
    return user.is_superuser


@rules.predicate
def is_secretariat(user):
    return user.is_secretariat


@rules.predicate
def is_log_reviewer(user):
    return user.is_log_reviewer


@rules.predicate
def works_at_a_unit(user):
    return UnitMembership.objects.current().filter(user=user).exists()


@rules.predicate
def works_at_unit(user, unit):
    if unit is None:
        return False
    return UnitMembership.objects.current().filter(user=user, unit=unit).exists()


@rules.predicate
def manages_unit(user, unit):
    if unit is None:
        return False
    return (
        UnitMembership.objects.current()
        .filter(user=user, unit=unit, role=UnitMembership.Role.MANAGER)
        .exists()
    )


@rules.predicate
def leads_body(user, body):
    """Chair, convener or secretary of the body."""
    if body is None:
        return False
    return (
        Membership.objects.current()
        .filter(user=user, body=body, role__in=Membership.LEADING_ROLES)
        .exists()
    )


@rules.predicate
def may_see_personal_data(user):
    """Roles whose work can show them a child's data; REQUIRE_MFA applies to these."""
    return user.is_superuser or user.is_log_reviewer or works_at_a_unit(user)


# The directory (structure, bodies, members by function) is open to every signed-in user.
rules.add_perm("organisations.view_directory", rules.is_authenticated)
rules.add_perm("organisations.view_unit", rules.is_authenticated)
rules.add_perm(
    "organisations.change_unit", rules.is_authenticated & (manages_unit | is_system_admin)
)
rules.add_perm(
    "organisations.view_unit_staff",
    rules.is_authenticated & (works_at_unit | is_secretariat | is_system_admin),
)
rules.add_perm(
    "organisations.change_body",
    rules.is_authenticated & (leads_body | is_secretariat | is_system_admin),
)
rules.add_perm(
    "organisations.add_principal", rules.is_authenticated & (is_secretariat | is_system_admin)
)
rules.add_perm(
    "organisations.change_principal", rules.is_authenticated & (is_secretariat | is_system_admin)
)

# The access log: only log reviewers read it (system admins cannot, by design: separation).
rules.add_perm("audit.view_accesslog", rules.is_authenticated & is_log_reviewer)
