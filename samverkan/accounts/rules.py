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

from samverkan.forum.access import CaseAccess
from samverkan.organisations.models import Body, LocalGroup, Membership, UnitMembership
from samverkan.people.models import Involvement
from samverkan.people.visibility import ChildAccess, current_units


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


# --- Children (people) ----------------------------------------------------------------------
@rules.predicate
def sees_child(user, child):
    return ChildAccess(user, [child]).may_see(child)


@rules.predicate
def works_where_child_is_involved(user, child):
    """The owning unit or a unit taking part in the child's matters: they hold the forms."""
    unit_ids = [unit.pk for unit in current_units(user)]
    return child.owning_unit_id in unit_ids or (
        Involvement.objects.filter(child=child, unit_id__in=unit_ids).exists()
    )


rules.add_perm("people.search_child", rules.is_authenticated & works_at_a_unit)
rules.add_perm("people.view_child", rules.is_authenticated & sees_child)
rules.add_perm("consent.add_consent", rules.is_authenticated & works_where_child_is_involved)
rules.add_perm("consent.revoke_consent", rules.is_authenticated & works_where_child_is_involved)


# --- Individforum ---------------------------------------------------------------------------
def _case_predicate(method):
    @rules.predicate(name=method)
    def predicate(user, case):
        return case is not None and getattr(CaseAccess(user, [case]), method)(case)

    return predicate


@rules.predicate
def holds_a_seat(user):
    return Membership.objects.current().filter(user=user).exists()


rules.add_perm("forum.raise_case", rules.is_authenticated & works_at_a_unit)
rules.add_perm("forum.list_cases", rules.is_authenticated & (works_at_a_unit | holds_a_seat))
rules.add_perm("forum.view_case", rules.is_authenticated & _case_predicate("may_view"))
rules.add_perm(
    "forum.view_case_content", rules.is_authenticated & _case_predicate("may_view_content")
)
rules.add_perm("forum.manage_case", rules.is_authenticated & _case_predicate("may_manage"))
rules.add_perm("forum.sign_protocol", rules.is_authenticated & _case_predicate("may_sign"))
rules.add_perm("forum.decide_case", rules.is_authenticated & _case_predicate("may_decide"))


# --- Deviation reports ----------------------------------------------------------------------
rules.add_perm("deviations.report", rules.is_authenticated & works_at_a_unit)
rules.add_perm("deviations.secretariat", rules.is_authenticated & is_secretariat)


# --- SIP --------------------------------------------------------------------------------------
rules.add_perm("sip.create_plan", rules.is_authenticated & works_at_a_unit)
rules.add_perm("sip.list_plans", rules.is_authenticated & works_at_a_unit)


# --- Governance -------------------------------------------------------------------------------
rules.add_perm(
    "governance.manage_meetings",
    rules.is_authenticated & (leads_body | is_secretariat),
)


# --- Agreements and the documents library -----------------------------------------------------
@rules.predicate
def leads_steering_group_of(user, obj):
    """Chair, convener or secretary of the steering group of the agreement's local group (or
    of the local group itself). Without an object: of any local steering group, which is who
    may start a new local agreement; a regional agreement is the secretariat's alone."""
    seats = Membership.objects.current().filter(
        user=user, role__in=Membership.LEADING_ROLES, body__kind=Body.Kind.STEERING
    )
    if obj is None:
        return seats.filter(body__local_group__isnull=False).exists()
    group_id = obj.pk if isinstance(obj, LocalGroup) else obj.local_group_id
    return group_id is not None and seats.filter(body__local_group_id=group_id).exists()


@rules.predicate
def edits_document(user, document):
    return document is not None and document.editor_id == user.pk


rules.add_perm(
    "governance.manage_agreements",
    rules.is_authenticated & (is_secretariat | leads_steering_group_of),
)
rules.add_perm(
    "governance.manage_documents", rules.is_authenticated & (is_secretariat | edits_document)
)


# --- The yearly follow-up and the county compilation ------------------------------------------
@rules.predicate
def has_seat_in_group(user, group):
    """A current seat in one of the local group's bodies. Without a group: in any local
    group's body, which is who may open the list of follow-ups."""
    seats = Membership.objects.current().filter(user=user, body__local_group__isnull=False)
    if group is not None:
        seats = seats.filter(body__local_group=group)
    return seats.exists()


rules.add_perm(
    "governance.view_follow_up", rules.is_authenticated & (is_secretariat | has_seat_in_group)
)
# The steering group's chair, convener or secretary approves the group's own follow-up.
rules.add_perm("governance.approve_follow_up", rules.is_authenticated & leads_steering_group_of)
rules.add_perm("governance.view_county", rules.is_authenticated & is_secretariat)
