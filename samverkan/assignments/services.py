"""Giving and closing assignments, and who they may go to.

Where an assignment may go follows its giver: a local body (or its meeting), or a deviation
report at a local step, gives within its local group (the group's bodies, and the people
holding a current seat in them); a county body (BUSSAM), or a report lifted to BUSSAM,
gives to the county's bodies and every local steering group, and to the people holding a
seat in a county body.

Notifications name the assignment's title and date, never a person (the title has passed
the no-identity check of ``forms.py``).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.assignments.models import Assignment
from samverkan.deviations.models import Deviation
from samverkan.notifications.service import in_service_language, notify
from samverkan.organisations.models import Body, Membership


class AssignmentError(Exception):
    pass


# --- where an assignment may go ---------------------------------------------------------------
def scope(assignment) -> int | None:
    """The local group the giver belongs to; None for the county."""
    if assignment.given_by_body_id is not None:
        return assignment.given_by_body.local_group_id
    deviation = assignment.deviation
    return None if deviation.step == Deviation.Step.BUSSAM else deviation.local_group_id


def _seats(group_id: int | None):
    seats = Membership.objects.filter(user__isnull=False)
    if group_id is None:
        return seats.filter(body__level=Body.Level.COUNTY)
    return seats.filter(body__local_group_id=group_id)


def assignable_bodies(group_id: int | None):
    bodies = Body.objects.select_related("local_group")
    if group_id is None:
        return bodies.filter(Q(level=Body.Level.COUNTY) | Q(kind=Body.Kind.STEERING))
    return bodies.filter(local_group_id=group_id)


def assignable_people(group_id: int | None):
    """Active people with a current seat where the giver gives."""
    seats = _seats(group_id).current()
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=seats.values("user"))
        .order_by("last_name", "first_name", "pk")
    )


def former_members(group_id: int | None):
    """People who held a seat there, but hold none now."""
    return (
        get_user_model()
        .objects.filter(pk__in=_seats(group_id).values("user"))
        .exclude(pk__in=_seats(group_id).current().values("user"))
    )


def seat_holders(body) -> list:
    """The people holding a current seat in ``body``."""
    seats = Membership.objects.current().filter(body=body, user__isnull=False)
    return list(get_user_model().objects.filter(pk__in=seats.values("user")))


def assignees(assignment) -> list:
    """The person the assignment was given to, or the current seat holders of the body."""
    if assignment.assignee_user_id is not None:
        return [assignment.assignee_user]
    return seat_holders(assignment.assignee_body)


# --- giving and closing -----------------------------------------------------------------------
@in_service_language
def give(assignment, by) -> Assignment:
    """Save ``assignment`` (validated by ``AssignmentForm``) as given by ``by`` and tell the
    assignee, once the transaction has committed (``notify``)."""
    with transaction.atomic():
        if assignment.meeting_id is not None:
            assignment.given_by_body_id = assignment.meeting.body_id
        assignment.created_by = by
        assignment.save()
        if assignment.assignee_user_id is not None:
            text = _("Du har fått ett uppdrag: ”%(title)s”, klart senast %(due)s.")
        else:
            text = _("%(body)s har fått ett uppdrag: ”%(title)s”, klart senast %(due)s.")
        notify(
            [person for person in assignees(assignment) if person.pk != by.pk],
            text
            % {
                "title": assignment.title,
                "due": assignment.due_on.isoformat(),
                "body": assignment.assignee_body,
            },
            assignment.get_absolute_url(),
            about=assignment,
        )
    return assignment


CLOSED_TEXT = {
    Assignment.Status.DONE: gettext_lazy("Uppdraget ”%(title)s” är klart."),
    Assignment.Status.CANCELLED: gettext_lazy("Uppdraget ”%(title)s” är avbrutet."),
}


def close(assignment, by, note: str, status=Assignment.Status.DONE) -> Assignment:
    """Mark the assignment done (or cancelled) with its closing note, and tell the person
    who gave it. An assignment already closed is refused and left as it is."""
    if status not in CLOSED_TEXT:
        raise AssignmentError(_("Ett uppdrag kan bara avslutas som klart eller avbrutet."))
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if not locked.is_open:
            raise AssignmentError(_("Uppdraget är redan avslutat."))
        locked.status = status
        locked.closing_note = note
        locked.closed_at = timezone.now()
        locked.closed_by = by
        locked.save(update_fields=["status", "closing_note", "closed_at", "closed_by"])
        if locked.created_by_id != by.pk:
            _tell_closed(locked, status)
    return locked


@in_service_language
def _tell_closed(assignment, status) -> None:
    notify(
        [assignment.created_by],
        str(CLOSED_TEXT[status]) % {"title": assignment.title},
        assignment.get_absolute_url(),
        about=assignment,
    )
