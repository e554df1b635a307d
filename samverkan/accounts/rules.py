"""Who may do what: every role and object rule in one place.

Views reach a person's record through ``samverkan.permissions.load`` (which asks these
rules and logs), ask ``permissions.allowed(user, "<app>.<action>", obj)`` for what a page
offers, or use ``permissions.permission_required``; templates use ``{% allowed %}`` from
the ``access`` tag library, which asks the same rules. This file is the only place a role
becomes a right: a superuser gets no right that is not written here.

What a user *is* comes from ``organisations.standing`` (units, seats, flags, worked out once
per request); what a record's parties are comes from each app's access module (also built
once per request): ``consent.access``, ``forum.access``, ``sip.access``,
``deviations.access``.

Roles:
- unit staff / unit manager: from ``organisations.UnitMembership`` (current ones);
- body chair / convener / secretary / member: from ``organisations.Membership``;
- secretariat, log reviewer: flags on the user;
- system admin: ``is_superuser`` (the admin site only: no children, no access log).
"""

import rules

from samverkan.assignments.models import Assignment
from samverkan.consent.access import ChildAccess, ConsentAccess
from samverkan.consent.models import Consent
from samverkan.deviations.access import DeviationAccess
from samverkan.deviations.ladder import next_steps
from samverkan.deviations.models import Deviation
from samverkan.exports.models import Export
from samverkan.forum.access import CaseAccess
from samverkan.forum.models import ForumCase, Protocol
from samverkan.organisations.models import Body, LocalGroup, Membership
from samverkan.organisations.standing import standing
from samverkan.people.models import Child
from samverkan.permissions import access, knows
from samverkan.sip.access import PlanAccess
from samverkan.sip.models import Plan


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
    return bool(standing(user).unit_ids)


@rules.predicate
def works_at_unit(user, unit):
    return unit is not None and unit.pk in standing(user).unit_ids


@rules.predicate
def manages_unit(user, unit):
    return unit is not None and unit.pk in standing(user).managed_unit_ids


@rules.predicate
def leads_body(user, body):
    """Chair, convener or secretary of the body."""
    return body is not None and any(
        m.body_id == body.pk for m in standing(user).body_memberships if m.role in LEADING
    )


@rules.predicate
def holds_a_seat(user):
    return bool(standing(user).body_memberships)


LEADING = Membership.LEADING_ROLES


@rules.predicate
def sits_in_bussam(user):
    return standing(user).sits_in_kind(Body.Kind.BUSSAM)


def may_see_personal_data(user) -> bool:
    """Roles whose work can show them a child's data; REQUIRE_MFA applies to these."""
    return user.is_superuser or user.is_log_reviewer or works_at_a_unit(user)


def _asks(access_class, method, *, through=None):
    """A predicate asking ``access_class``'s ``method`` about the object (or, with
    ``through``, about the record it hangs on: a protocol's case)."""

    @rules.predicate(name=f"{access_class.__name__}.{method}")
    def predicate(user, obj):
        if obj is None or not user.is_authenticated:
            return False
        target = getattr(obj, through) if through else obj
        return getattr(access(user, access_class), method)(target)

    return predicate


# --- The directory --------------------------------------------------------------------------
# The structure, bodies and members by function are open to every signed-in user.
rules.add_perm("organisations.view_directory", rules.is_authenticated)
rules.add_perm("organisations.view_unit", rules.is_authenticated)
rules.add_perm(
    "organisations.view_unit_staff",
    rules.is_authenticated & (works_at_unit | is_secretariat | is_system_admin),
)
rules.add_perm(
    "organisations.add_principal", rules.is_authenticated & (is_secretariat | is_system_admin)
)
rules.add_perm(
    "organisations.change_principal", rules.is_authenticated & (is_secretariat | is_system_admin)
)
rules.add_perm("admin.use_admin", rules.is_authenticated & is_system_admin)

# --- The access log: only log reviewers read it (system admins cannot, by design) ------------
rules.add_perm("audit.view_accesslog", rules.is_authenticated & is_log_reviewer)


# --- Children -------------------------------------------------------------------------------
rules.add_perm("people.search_child", rules.is_authenticated & works_at_a_unit)
rules.add_perm("people.view_child", _asks(ChildAccess, "may_see"))
rules.add_perm("people.view_identity", _asks(ChildAccess, "shows_identity"))
rules.add_perm("people.change_child", _asks(ChildAccess, "owns"))
knows(Child, "people.view_child")


# --- Consent --------------------------------------------------------------------------------
# What a consent may be for, and the rule that says the user may see it.
SEES_PURPOSE = {
    Child: "people.view_child",
    ForumCase: "forum.view_case_content",
    Plan: "sip.view_plan_content",
}


@rules.predicate
def may_record_consent_for(user, purpose):
    """Someone who sees what the consent is for, at a unit of the principal whose
    information it opens (the case's raising unit's, the plan's initiating unit's, the
    record's owning unit's): a consent never opens another principal's information."""
    perm = SEES_PURPOSE.get(type(purpose))
    if perm is None or not rules.has_perm(perm, user, purpose):
        return False
    return bool(access(user, ConsentAccess).recorder_units(purpose.sharing_owner))


rules.add_perm("consent.view_consent", _asks(ConsentAccess, "may_view"))
rules.add_perm("consent.add_consent", rules.is_authenticated & may_record_consent_for)
rules.add_perm("consent.revoke_consent", _asks(ConsentAccess, "may_revoke"))
rules.add_perm("consent.open_document", _asks(ConsentAccess, "may_open_document"))
knows(Consent, "consent.view_consent")


# --- Individforum ---------------------------------------------------------------------------
rules.add_perm("forum.raise_case", rules.is_authenticated & works_at_a_unit)
rules.add_perm("forum.list_cases", rules.is_authenticated & (works_at_a_unit | holds_a_seat))
rules.add_perm("forum.view_case", _asks(CaseAccess, "may_view"))
rules.add_perm("forum.view_case_content", _asks(CaseAccess, "may_view_content"))
rules.add_perm("forum.view_case_identity", _asks(CaseAccess, "shows_identity"))
rules.add_perm("forum.view_question", _asks(CaseAccess, "may_view_question"))
rules.add_perm("forum.manage_case", _asks(CaseAccess, "may_manage"))
rules.add_perm(
    "forum.write_protocol",
    _asks(CaseAccess, "may_manage") & _asks(CaseAccess, "may_view_content"),
)
rules.add_perm("forum.sign_protocol", _asks(CaseAccess, "may_sign"))
rules.add_perm("forum.decide_case", _asks(CaseAccess, "may_decide"))
rules.add_perm("forum.view_protocol", _asks(CaseAccess, "may_view_content", through="case"))
knows(ForumCase, "forum.view_case")
knows(Protocol, "forum.view_protocol")


# --- SIP ------------------------------------------------------------------------------------
rules.add_perm("sip.create_plan", rules.is_authenticated & works_at_a_unit)
rules.add_perm("sip.list_plans", rules.is_authenticated & works_at_a_unit)
rules.add_perm("sip.view_plan", _asks(PlanAccess, "may_view"))
rules.add_perm("sip.view_plan_content", _asks(PlanAccess, "may_view_content"))
rules.add_perm("sip.view_plan_identity", _asks(PlanAccess, "shows_identity"))
rules.add_perm("sip.edit_plan", _asks(PlanAccess, "may_edit"))
knows(Plan, "sip.view_plan")


# --- Deviation reports ----------------------------------------------------------------------
rules.add_perm("deviations.report", rules.is_authenticated & works_at_a_unit)
rules.add_perm("deviations.secretariat", rules.is_authenticated & is_secretariat)
# The county's compilation and patterns (numbers, no identity) are returned to BUSSAM.
rules.add_perm(
    "deviations.view_county_reports", rules.is_authenticated & (is_secretariat | sits_in_bussam)
)
rules.add_perm("deviations.view_deviation", _asks(DeviationAccess, "may_view"))
rules.add_perm("deviations.edit_draft", _asks(DeviationAccess, "may_edit_draft"))
rules.add_perm("deviations.view_reporter", _asks(DeviationAccess, "shows_reporter"))
rules.add_perm("deviations.supervise", _asks(DeviationAccess, "is_supervisor"))
knows(Deviation, "deviations.view_deviation")


# --- Files made in the background: only for the person who asked ---------------------------
@rules.predicate
def asked_for(user, export):
    return export is not None and export.requested_by_id == user.pk


rules.add_perm("exports.view_export", rules.is_authenticated & asked_for)
knows(Export, "exports.view_export")


# --- Governance -----------------------------------------------------------------------------
rules.add_perm(
    "governance.manage_meetings",
    rules.is_authenticated & (leads_body | is_secretariat),
)


# --- Agreements and the documents library ---------------------------------------------------
@rules.predicate
def leads_steering_group_of(user, obj):
    """Chair, convener or secretary of the steering group of the agreement's local group (or
    of the local group itself). Without an object: of any local steering group, which is who
    may start a new local agreement; a regional agreement is the secretariat's alone."""
    seats = [
        m
        for m in standing(user).body_memberships
        if m.role in LEADING and m.body.kind == Body.Kind.STEERING
    ]
    if obj is None:
        return any(m.body.local_group_id is not None for m in seats)
    group_id = obj.pk if isinstance(obj, LocalGroup) else obj.local_group_id
    return group_id is not None and any(m.body.local_group_id == group_id for m in seats)


@rules.predicate
def edits_document(user, document):
    return document is not None and document.editor_id == user.pk


rules.add_perm(
    "governance.manage_agreements",
    rules.is_authenticated & (is_secretariat | leads_steering_group_of),
)
# The regional agreement and every local one (the others: their own group's).
rules.add_perm("governance.manage_every_agreement", rules.is_authenticated & is_secretariat)
rules.add_perm(
    "governance.manage_documents", rules.is_authenticated & (is_secretariat | edits_document)
)


# --- The yearly follow-up and the county compilation ----------------------------------------
@rules.predicate
def has_seat_in_group(user, group):
    """A current seat in one of the local group's bodies. Without a group: in any local
    group's body, which is who may open the list of follow-ups."""
    groups = {m.body.local_group_id for m in standing(user).body_memberships} - {None}
    return bool(groups) if group is None else group.pk in groups


rules.add_perm(
    "governance.view_follow_up", rules.is_authenticated & (is_secretariat | has_seat_in_group)
)
# The deviation compilation and its patterns: the county's for the secretariat and BUSSAM's
# members (to whom the agreement returns them); a local group's also for those who hold a
# seat in one of the group's bodies. Without a group: may open the pages at all.
rules.add_perm(
    "deviations.view_reports",
    rules.is_authenticated & (is_secretariat | sits_in_bussam | has_seat_in_group),
)
# The steering group's chair, convener or secretary approves the group's own follow-up.
rules.add_perm("governance.approve_follow_up", rules.is_authenticated & leads_steering_group_of)


@rules.predicate
def sits_in_body(user, body):
    return body is not None and any(m.body_id == body.pk for m in standing(user).body_memberships)


# What waits for a steering group or BUSSAM: its members, and the secretariat.
rules.add_perm("governance.view_inbox", rules.is_authenticated & (is_secretariat | sits_in_body))
rules.add_perm("governance.view_county", rules.is_authenticated & (is_secretariat | sits_in_bussam))


# --- Assignments (uppdrag) ------------------------------------------------------------------
# Each rule takes an assignment. Before one is given, the view asks about an unsaved one that
# carries only its giver: a body (a meeting's body) or a deviation report.
def _seat_body_ids(user) -> set[int]:
    return {m.body_id for m in standing(user).body_memberships}


@rules.predicate
def gives_assignment(user, assignment):
    """May give for the assignment's giver: the giving body's chair, convener or secretary;
    for a deviation report, whoever may act on the report's current step."""
    if assignment is None:
        return False
    if assignment.deviation_id is not None:
        return bool(next_steps(assignment.deviation, user))
    return any(
        m.body_id == assignment.given_by_body_id and m.role in LEADING
        for m in standing(user).body_memberships
    )


@rules.predicate
def given_by_a_body(user, assignment):
    return assignment is not None and assignment.given_by_body_id is not None


@rules.predicate
def is_assignee(user, assignment):
    """The person it was given to, or a current seat holder of the body it was given to."""
    return assignment is not None and (
        assignment.assignee_user_id == user.pk
        or assignment.assignee_body_id in _seat_body_ids(user)
    )


@rules.predicate
def sits_in_giving_body(user, assignment):
    return assignment is not None and assignment.given_by_body_id in _seat_body_ids(user)


@rules.predicate
def gave_assignment(user, assignment):
    return assignment is not None and assignment.created_by_id == user.pk


# The secretariat gives for any body, not for a deviation report (it acts on one only when
# the report is at BUSSAM, which ``next_steps`` says).
gives = gives_assignment | (given_by_a_body & is_secretariat)
# "Mina uppdrag": one's own, so every signed-in user has the page (an empty one without any).
rules.add_perm("assignments.list_mine", rules.is_authenticated)
# A body's list (given by it or to it): its members and the secretariat.
rules.add_perm("assignments.view_body", rules.is_authenticated & (is_secretariat | sits_in_body))
rules.add_perm(
    "assignments.view_assignment",
    rules.is_authenticated
    & (is_secretariat | gave_assignment | is_assignee | sits_in_giving_body | gives_assignment),
)
rules.add_perm("assignments.give", rules.is_authenticated & gives)
# The assignee marks it done; whoever may give it may close it too, or cancel it.
rules.add_perm("assignments.close", rules.is_authenticated & (is_assignee | gives))
rules.add_perm("assignments.cancel", rules.is_authenticated & gives)
knows(Assignment, "assignments.view_assignment")


# --- The public pages -----------------------------------------------------------------------
# Anyone reads them without logging in; the secretariat writes them (every save a kept
# version) and reads the barrier reports visitors send.
rules.add_perm("public.edit_pages", rules.is_authenticated & is_secretariat)
rules.add_perm("public.read_barrier_reports", rules.is_authenticated & is_secretariat)
