"""The start page's to-do list: what waits for this person, wherever it is, each item with
a count, the most urgent rows with days left or overdue, and a link to where one acts.

Every item is one or two queries whatever the amount of data (a count, and the first few
rows), and the user's units and seats come from the request's standing, so the page's
query count stays flat as the county's data grows. Rows name references and titles, never
a child: the person meets the door when they follow the link.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.agenda.inbox import INBOX_KINDS, waiting_for
from samverkan.assignments.models import Assignment
from samverkan.deviations.models import Deviation
from samverkan.forum.models import ForumCase
from samverkan.governance import cadence
from samverkan.governance.models import Agreement, Document, Meeting
from samverkan.notifications.models import Notification
from samverkan.organisations.models import Body
from samverkan.organisations.standing import standing
from samverkan.permissions import allowed
from samverkan.sip.models import Plan

ROWS = 5  # the most urgent rows shown under an item
SOON = datetime.timedelta(days=14)  # follow-ups and reviews this close are shown


@dataclass
class Row:
    label: str
    url: str
    due: datetime.date | None = None  # a deadline: days left, or overdue
    since: datetime.date | None = None  # waiting since: days waiting, overdue after a limit
    today: datetime.date = field(default_factory=timezone.localdate)

    @property
    def days_left(self) -> int | None:
        return None if self.due is None else (self.due - self.today).days

    @property
    def days_overdue(self) -> int:
        left = self.days_left
        return -left if left is not None and left < 0 else 0

    @property
    def days_waiting(self) -> int | None:
        return None if self.since is None else (self.today - self.since).days

    @property
    def overdue(self) -> bool:
        if self.due is not None:
            return self.due < self.today
        waiting = self.days_waiting
        return waiting is not None and waiting > settings.INBOX_OVERDUE_DAYS


@dataclass
class Item:
    key: str
    title: str
    count: int
    url: str
    rows: list[Row] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.rows)


def _collect(found: list, key, title, things, url, row=None) -> None:
    """Add an item to ``found`` if ``things`` (a queryset or a list) holds anything: its
    count, and rows for the first few."""
    count = len(things) if isinstance(things, list) else things.count()
    if count:
        rows = [row(thing) for thing in things[:ROWS]] if row else []
        found.append(Item(key, str(title), count, url, rows))


def _my_reports(user):
    """The notification keys ("deviations.deviation:12") of the user's own reports."""
    return (
        Deviation.objects.filter(reporter=user)
        .annotate(key=Concat(Value("deviations.deviation:"), Cast("pk", CharField())))
        .values("key")
    )


def _day(moment) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def items(user, today: datetime.date | None = None) -> list[Item]:
    """Everything waiting for ``user``, in the order the start page shows it."""
    today = today or timezone.localdate()
    me = standing(user)
    found: list[Item] = []

    def add(key, title, queryset, url, row=None):
        _collect(found, key, title, queryset, url, row)

    deviations_url = reverse("deviations:list")
    if allowed(user, "deviations.report"):
        add(
            "drafts",
            _("Mina utkast till avvikelserapporter"),
            Deviation.objects.filter(reporter=user, step=Deviation.Step.DRAFT).order_by("-id"),
            deviations_url,
            lambda d: Row(d.title, reverse("deviations:edit", args=[d.pk]), today=today),
        )
        add(
            "feedback",
            _("Nytt om mina avvikelserapporter"),
            Notification.objects.filter(
                user=user, read_at__isnull=True, about__in=_my_reports(user)
            ),
            deviations_url,
            lambda n: Row(n.text, reverse("notifications:open", args=[n.pk]), today=today),
        )
    if me.managed_unit_ids:
        waiting = (
            Deviation.objects.filter(step=Deviation.Step.SUPERVISORS)
            .filter(
                Q(reporting_unit__in=me.managed_unit_ids) | Q(other_units__in=me.managed_unit_ids)
            )
            .distinct()
            .order_by("submitted_at")
        )
        add(
            "supervise",
            _("Avvikelser som väntar på dig som närmaste chef"),
            waiting,
            deviations_url + "?vy=hantera",
            lambda d: Row(
                f"{d.reference}: {d.title}",
                d.get_absolute_url(),
                since=_day(d.submitted_at),
                today=today,
            ),
        )
    cases = (
        ForumCase.objects.open()
        .filter(Q(raised_by=user) | Q(convener=user))
        .order_by("deadline", "id")
    )
    add(
        "cases",
        _("Ärenden i individforum som du anmält eller sammankallar"),
        cases,
        reverse("forum:list"),
        lambda c: Row(
            c.reference + ("" if c.meeting_on else f" – {_('möte ej bokat')}"),
            c.get_absolute_url(),
            due=None if c.meeting_on else c.deadline,
            today=today,
        ),
    )
    follow_ups = Plan.objects.filter(
        chair=user, status=Plan.Status.ESTABLISHED, next_follow_up_on__lte=today + SOON
    ).order_by("next_follow_up_on")
    add(
        "follow_ups",
        _("SIP-uppföljningar som du leder"),
        follow_ups,
        reverse("sip:list"),
        lambda p: Row(p.reference, p.get_absolute_url(), due=p.next_follow_up_on, today=today),
    )
    found += _bodies(user, me, today)
    add(
        "assignments",
        _("Mina uppdrag"),
        Assignment.objects.open()
        .given_to(user, {m.body_id for m in me.body_memberships})
        .order_by("due_on", "id"),
        reverse("assignments:mine"),
        lambda a: Row(a.title, a.get_absolute_url(), due=a.due_on, today=today),
    )
    add(
        "reviews",
        _("Dokument att granska"),
        Document.objects.filter(editor=user, review_due_on__lte=today + SOON).order_by(
            "review_due_on"
        ),
        reverse("governance:my_reviews"),
        lambda d: Row(d.title, reverse("governance:my_reviews"), due=d.review_due_on, today=today),
    )
    if allowed(user, "deviations.secretariat"):
        # The secretariat acts for BUSSAM on the ladder: BUSSAM's questions are its work too.
        if not me.sits_in_kind(Body.Kind.BUSSAM):
            for body in Body.objects.filter(kind=Body.Kind.BUSSAM):
                waiting = inbox(body, today)
                if waiting.count:
                    found.append(waiting)
        add(
            "groups_not_met",
            _("Grupper och organ som inte har mötts som de ska den här perioden"),
            _not_met(
                list(
                    Body.objects.filter(cadence__in=cadence.CHECKED).select_related("local_group")
                ),
                today,
            ),
            reverse("governance:overview"),
            lambda b: Row(str(b), b.get_absolute_url(), today=today),
        )
        add(
            "unread",
            _("Olästa avvikelserapporter i länet"),
            Deviation.objects.exclude(step=Deviation.Step.DRAFT).filter(
                read_by_secretariat_at__isnull=True
            ),
            reverse("deviations:inbox") + "?last=olasta",
        )
        add(
            "past_review",
            _("Dokument som passerat granskningsdatum"),
            Document.objects.filter(review_due_on__lt=today).order_by("review_due_on"),
            reverse("governance:overview"),
            lambda d: Row(
                d.title, reverse("governance:overview"), due=d.review_due_on, today=today
            ),
        )
    return found


def _not_met(bodies, today) -> list:
    """Of ``bodies``, those that have not yet met as their cadence asks in the period that
    is running (this term, or this year); in one query. Between the terms (July) the
    per-term bodies are not asked about."""
    periods = {body.pk: cadence.period_of(body.cadence, today) for body in bodies}
    checked = [body for body in bodies if periods[body.pk] is not None]
    if not checked:
        return []
    first = min(periods[body.pk].start for body in checked)
    held = Counter(
        body_id
        for body_id, held_on in Meeting.objects.filter(
            body__in=checked, held_on__range=(first, today)
        ).values_list("body_id", "held_on")
        if held_on >= periods[body_id].start
    )
    return [body for body in checked if held[body.pk] < cadence.required(body.cadence)]


def _bodies(user, me, today) -> list[Item]:
    """For seat holders: the questions waiting for their bodies (the inbox), meetings
    without minutes, and their groups' agreements due for the yearly follow-up."""
    seats = me.body_memberships
    if not seats:
        return []
    found = []
    with_inbox = {m.body.pk: m.body for m in seats if m.body.kind in INBOX_KINDS}
    for body in sorted(with_inbox.values(), key=lambda body: body.pk):
        waiting = inbox(body, today)
        if waiting.count:
            found.append(waiting)
    overview = reverse("governance:overview")
    _collect(
        found,
        "minutes",
        _("Möten utan protokoll"),
        Meeting.objects.filter(
            body_id__in=[m.body_id for m in seats], held_on__lt=today, minutes=""
        )
        .select_related("body__local_group")
        .order_by("held_on"),
        overview,
        lambda m: Row(str(m), m.get_absolute_url(), since=m.held_on, today=today),
    )
    _collect(
        found,
        "not_met",
        _("Organ som inte har mötts som de ska den här perioden"),
        _not_met([m.body for m in seats], today),
        overview,
        lambda b: Row(str(b), b.get_absolute_url(), today=today),
    )
    _collect(
        found,
        "agreements",
        _("Överenskommelser att följa upp"),
        Agreement.objects.filter(
            local_group__in={m.body.local_group_id for m in seats} - {None},
            next_follow_up_on__lte=today + SOON,
        ).order_by("next_follow_up_on"),
        overview,
        lambda a: Row(a.title, a.get_absolute_url(), due=a.next_follow_up_on, today=today),
    )
    return found


# --- the inbox of a steering group or BUSSAM ----------------------------------------------------
def inbox(body, today) -> Item:
    cases, reports = waiting_for(body)
    count = cases.count() + reports.count()
    rows = [
        Row(c.reference, c.get_absolute_url(), since=_day(c.waiting_since), today=today)
        for c in cases[:ROWS]
    ] + [
        Row(
            f"{d.reference}: {d.title}",
            d.get_absolute_url(),
            since=_day(d.waiting_since),
            today=today,
        )
        for d in reports[:ROWS]
    ]
    return Item(
        f"inbox-{body.pk}",
        str(_("Frågor som väntar på %(body)s") % {"body": body}),
        count,
        reverse("agenda:inbox", args=[body.pk]),
        sorted(rows, key=lambda r: r.since or today)[:ROWS],
    )
