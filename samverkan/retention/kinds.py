"""The kinds of record retention removes, and what makes each one old enough and no longer
needed.

A record kind says which of its records are *closed* (a resolved or decided forum case, a
closed SIP, a resolved deviation report), when each closed (the last thing that happened to
it), and what still needs it although it is closed. Beyond that, for every kind, a record is
kept while a consent for it is in force, or while something kept refers to it with
``on_delete=PROTECT`` (a question on a meeting's agenda, an assignment): the deletion rules of
the models decide that, through Django's collector (``gallring.review``).

The periods and their floors are settings (``RETENTION_*``, ``RETENTION_MINIMUMS``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from samverkan.audit import partitions
from samverkan.deviations.models import Action, Deviation
from samverkan.forum.models import Decision, ForumCase
from samverkan.sip.models import Intervention, Plan


def _moment(value) -> datetime.datetime | None:
    """A date (as midnight, local time) or a moment; None stays None."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def _latest(*values) -> datetime.datetime:
    return max(m for m in map(_moment, values) if m is not None)


def years_before(today: datetime.date, years: int) -> datetime.datetime:
    """Midnight, local time, on the same day ``years`` years before (28 February for 29)."""
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = today.replace(year=today.year - years, day=28)
    return _moment(day)


@dataclass(frozen=True)
class Kind:
    key: str  # as --kind names it
    setting: str
    unit: str  # "months" or "years"
    name: str  # in the command's output
    log_name: str  # in the access log's note, Swedish as the log is

    @property
    def period(self) -> int | None:
        return getattr(settings, self.setting, None)

    @property
    def minimum(self) -> int:
        return settings.RETENTION_MINIMUMS[self.setting]

    def cutoff(self, today: datetime.date) -> datetime.datetime:
        return years_before(today, self.period)


class RecordKind(Kind):
    """A kind of closed record; subclasses say which and when it closed."""

    model = None

    def candidates(self, cutoff: datetime.datetime):
        """Closed records that may have closed before ``cutoff`` (a coarse filter)."""
        raise NotImplementedError

    def closed_at(self, record) -> datetime.datetime:
        raise NotImplementedError

    def still_needed(self, record, today: datetime.date) -> str | None:
        """Why the record must stay although it is closed and old, or None."""
        return None

    def parts(self, record) -> dict[str, int]:
        """What goes with it, counted for the report: {"protocols": 2}."""
        return {}


class ForumCases(RecordKind):
    model = ForumCase

    def candidates(self, cutoff):
        return (
            ForumCase.objects.filter(
                status__in=[ForumCase.Status.RESOLVED, ForumCase.Status.DECIDED],
                raised_on__lt=cutoff.date(),
            )
            .annotate(
                last_change=Max("history__at"),
                last_protocol=Max("protocols__created_at"),
                last_signed=Max("protocols__signed_at"),
            )
            .order_by("raised_on", "id")
        )

    def closed_at(self, case):
        return _latest(
            case.raised_on,
            case.meeting_on,
            case.steering_decided_on,
            case.last_change,
            case.last_protocol,
            case.last_signed,
        )

    def still_needed(self, case, today):
        due = (
            Decision.objects.filter(protocol__case=case, due_on__gte=today)
            .order_by("due_on")
            .values_list("due_on", flat=True)
            .first()
        )
        return f"a decision in its protocol is due {due:%Y-%m-%d}" if due else None

    def parts(self, case):
        return {"protocols": case.protocols.count()}


class Plans(RecordKind):
    model = Plan

    def candidates(self, cutoff):
        return (
            Plan.objects.filter(status=Plan.Status.CLOSED, created_at__lt=cutoff)
            .annotate(last_follow_up=Max("follow_ups__held_on"))
            .order_by("created_at", "id")
        )

    def closed_at(self, plan):
        return _latest(plan.closed_at or plan.updated_at, plan.last_follow_up)

    def still_needed(self, plan, today):
        ahead = [plan.next_follow_up_on] + list(
            plan.follow_ups.filter(next_on__gte=today).values_list("next_on", flat=True)
        )
        ahead = sorted(d for d in ahead if d is not None and d >= today)
        if ahead:
            return f"a follow-up is ahead ({ahead[0]:%Y-%m-%d})"
        running = plan.interventions.filter(
            status__in=[Intervention.Status.PLANNED, Intervention.Status.ONGOING],
            ends_on__gte=today,
        ).exists()
        return "an intervention in it still runs" if running else None

    def parts(self, plan):
        return {"versions": plan.versions.count()}


class Deviations(RecordKind):
    model = Deviation

    def candidates(self, cutoff):
        return (
            Deviation.objects.filter(step=Deviation.Step.RESOLVED, resolved_at__lt=cutoff)
            .annotate(last_event=Max("events__at"), last_done=Max("actions__done_at"))
            .order_by("resolved_at", "id")
        )

    def closed_at(self, deviation):
        return _latest(deviation.resolved_at, deviation.last_event, deviation.last_done)

    def still_needed(self, deviation, today):
        if deviation.actions.filter(status=Action.Status.OPEN).exists():
            return "an action decided in it is still open"
        return None


class AccessLogKind(Kind):
    def cutoff(self, today):
        """The first of the month ``period`` months back: whole months go, and every entry
        that goes is older than the period."""
        return partitions.month_start(partitions.add_months(today, -self.period))


ACCESS_LOG = AccessLogKind(
    "access-log", "RETENTION_ACCESS_LOG_MONTHS", "months", "access-log entries", "poster"
)
RECORDS = [
    ForumCases(
        "forum", "RETENTION_FORUM_YEARS", "years", "closed forum cases", "individforumärenden"
    ),
    Plans("sip", "RETENTION_SIP_YEARS", "years", "closed SIPs", "samordnade individuella planer"),
    Deviations(
        "deviations",
        "RETENTION_DEVIATION_YEARS",
        "years",
        "resolved deviation reports",
        "avvikelser",
    ),  # fmt: skip
]
KINDS = [*RECORDS, ACCESS_LOG]
