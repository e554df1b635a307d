"""What waits for a steering group's or BUSSAM's decision."""

from django.db.models import Max, OuterRef, Subquery

from samverkan.deviations.models import Deviation, Event
from samverkan.forum.models import ForumCase, StatusChange
from samverkan.organisations.models import Body

# The bodies questions wait for.
INBOX_KINDS = (Body.Kind.STEERING, Body.Kind.BUSSAM)


def waiting_for(body):
    """(forum cases, deviation reports) waiting for ``body``'s decision, each annotated with
    ``waiting_since``: lifted cases and principled reports of a steering group's local group;
    reports lifted to BUSSAM for BUSSAM."""
    lifted_at = (
        StatusChange.objects.filter(case=OuterRef("pk"), status=ForumCase.Status.LIFTED)
        .values("case")
        .annotate(at=Max("at"))
        .values("at")
    )
    step = Deviation.Step.STEERING if body.kind == Body.Kind.STEERING else Deviation.Step.BUSSAM
    arrived_at = (
        Event.objects.filter(deviation=OuterRef("pk"), to_step=step)
        .values("deviation")
        .annotate(at=Max("at"))
        .values("at")
    )
    reports = Deviation.objects.filter(step=step)
    if body.kind == Body.Kind.STEERING:
        cases = ForumCase.objects.filter(
            status=ForumCase.Status.LIFTED, local_group_id=body.local_group_id
        )
        reports = reports.filter(local_group_id=body.local_group_id)
    else:
        cases = ForumCase.objects.none()
    cases = cases.annotate(waiting_since=Subquery(lifted_at)).order_by("waiting_since", "id")
    reports = reports.annotate(waiting_since=Subquery(arrived_at)).order_by("waiting_since", "id")
    return cases, reports
