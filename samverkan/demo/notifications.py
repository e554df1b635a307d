"""Current notifications for the demo's people, for ``seed_demo``.

The demo's history is loaded with notifications muted (nobody is told of history). This
module then writes, for every demo account, the notifications it would have now for what
waits for it, with the texts the app itself sends (``TEXTS`` names each one's source):

- a convener, of each raised case to convene; invited managers, of meetings to come;
- the steering group's seat holders, of the cases and reports lifted to it; the secretariat,
  of the reports at BUSSAM; nearest supervisors, of the reports at their step;
- raisers and conveners, of cases resolved or decided lately; reporters, of the latest
  steps their reports took;
- SIP chairs, of follow-ups within a week or passed (the reminder, which is also recorded
  as sent, ``sip.Reminder``);
- assignees, of their assignments and of those overdue; givers, of one done.

Each is written directly as a ``Notification`` with ``emailed_at`` set, so no e-mail goes
out; those older than two weeks are read, but for a person's newest if it is from the last
two months. The counsellor at Grindskolan has read hers (the
deviation flow starts from a reporter with no news). The administrator and the log
reviewer have nothing waiting, so nothing. Texts carry references, titles and dates, never a
person; a text the app's identity check refuses is not written, as the app would not send
it. (As this is written, that check takes "IF-2026-0046 2026-12-06" for a phone number,
"0046" and the digits after it, so it refuses the invitation of every case numbered from
0010 on, and the invited managers get no "Kallelse" here.) Safe to run again: a
notification is found by its person, record and text first.
"""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from samverkan.assignments.models import Assignment
from samverkan.demo.history import days, moment
from samverkan.deviations.models import Deviation, Event
from samverkan.forum.models import ForumCase, Invitee, StatusChange
from samverkan.identity import find_identity
from samverkan.notifications.models import Notification
from samverkan.notifications.service import about_key
from samverkan.organisations.models import Body, Membership, UnitMembership
from samverkan.sip.models import Plan, Reminder

# The app's texts (its Swedish source strings), and where each is sent from.
TEXTS = {
    "raised": (
        "Nytt ärende i BUS individforum, %(ref)s: du är sammankallande. Forumet ska "
        "sammanträda senast %(date)s.",
        "samverkan/forum/notify.py",
    ),
    "raised_late": (
        "Nytt ärende i BUS individforum, %(ref)s: du är sammankallande. Tidsgränsen "
        "passerades redan %(date)s: sammankalla forumet så snart som möjligt.",
        "samverkan/forum/notify.py",
    ),
    "convened": (
        "Kallelse till BUS individforum %(ref)s %(when)s, %(place)s.",
        "samverkan/forum/notify.py",
    ),
    "case_lifted": (
        "Individforum %(ref)s har lyfts till styrgruppen med en principiell fråga.",
        "samverkan/forum/notify.py",
    ),
    "case_decided": (
        "Styrgruppen har beslutat i individforum %(ref)s.",
        "samverkan/forum/notify.py",
    ),
    "case_resolved": ("Individforum %(ref)s är löst.", "samverkan/forum/notify.py"),
    "supervisors": (
        "Avvikelse %(ref)s väntar på dig som närmaste chef.",
        "samverkan/deviations/notify.py",
    ),
    "steering": (
        "Avvikelse %(ref)s har lyfts till styrgruppen som en principiell fråga.",
        "samverkan/deviations/notify.py",
    ),
    "bussam": (
        "Avvikelse %(ref)s har lyfts till BUSSAM som en principiell fråga.",
        "samverkan/deviations/notify.py",
    ),
    "report_moved": ("%(ref)s har gått vidare: %(step)s.", "samverkan/deviations/ladder.py"),
    "report_resolved": ("%(ref)s är avslutad: %(note)s", "samverkan/deviations/ladder.py"),
    "follow_up_soon": (
        "%(ref)s: uppföljning %(date)s",
        "samverkan/templates/sip/email/reminder_subject.txt",
    ),
    "follow_up_passed": (
        "%(ref)s: uppföljningen har passerat",
        "samverkan/templates/sip/email/reminder_subject.txt",
    ),
    "assigned_person": (
        "Du har fått ett uppdrag: ”%(title)s”, klart senast %(due)s.",
        "samverkan/assignments/services.py",
    ),
    "assigned_body": (
        "%(body)s har fått ett uppdrag: ”%(title)s”, klart senast %(due)s.",
        "samverkan/assignments/services.py",
    ),
    "assignment_late": (
        "Uppdraget ”%(title)s” skulle ha varit klart %(due)s.",
        "samverkan/assignments/reminders.py",
    ),
    "assignment_done": ("Uppdraget ”%(title)s” är klart.", "samverkan/assignments/services.py"),
}

RECENT = datetime.timedelta(days=45)  # cases resolved or decided this lately are news
READ_AFTER = datetime.timedelta(days=14)  # older notifications have been read,
NEWEST_UNREAD = datetime.timedelta(days=60)  # but for a person's newest, up to this old
NEWS_READ = {"kurator.grindskolan@demo.example"}
REPORTER_NEWS = 3  # the latest steps of a reporter's reports that are told


def text(name: str, **values) -> str:
    return TEXTS[name][0] % values


class Outbox:
    """The notifications to write: one per person, record and text."""

    def __init__(self, people):
        self.people = people  # {user id: user}: the demo accounts
        self.rows: dict[tuple, tuple] = {}

    def tell(self, users, message: str, obj, at: datetime.datetime, exclude=()) -> None:
        if find_identity(message):
            return  # ``notify`` refuses it
        for user in users:
            pk = getattr(user, "pk", user)
            if pk in self.people and pk not in exclude:
                key = (pk, about_key(obj), message[:300])
                if key not in self.rows or at > self.rows[key][1]:
                    self.rows[key] = (obj.get_absolute_url(), at)


def seed() -> None:
    today = timezone.localdate()
    User = get_user_model()
    people = {
        u.pk: u
        for u in User.objects.filter(email__endswith="@demo.example", is_active=True)
        if u.has_usable_password()
    }
    outbox = Outbox(people)
    steering = defaultdict(list)  # local group id: its steering group's seat holders
    bussam = []
    for seat in (
        Membership.objects.current()
        .filter(user__isnull=False, body__kind__in=[Body.Kind.STEERING, Body.Kind.BUSSAM])
        .select_related("body")
    ):
        if seat.body.kind == Body.Kind.BUSSAM:
            bussam.append(seat.user_id)
        else:
            steering[seat.body.local_group_id].append(seat.user_id)
    secretariat = list(User.objects.filter(is_secretariat=True).values_list("pk", flat=True))
    forum(outbox, today, steering)
    deviations(outbox, today, steering, [*bussam, *secretariat])
    follow_ups(outbox, today)
    assignments(outbox, today)
    write(outbox)


def forum(outbox, today, steering) -> None:
    recent = timezone.now() - RECENT
    cases = list(
        ForumCase.objects.filter(
            Q(status__in=[ForumCase.Status.RAISED, ForumCase.Status.LIFTED])
            | Q(status=ForumCase.Status.CONVENED, meeting_on__gte=today)
            | Q(
                status__in=[ForumCase.Status.RESOLVED, ForumCase.Status.DECIDED],
                history__at__gte=recent,
                history__status__in=[ForumCase.Status.RESOLVED, ForumCase.Status.DECIDED],
            )
        ).distinct()
    )
    changed = {
        (case_id, status): at
        for case_id, status, at in StatusChange.objects.filter(case__in=cases)
        .order_by("at")
        .values_list("case_id", "status", "at")
    }
    invited = defaultdict(list)
    for case_id, person_id in Invitee.objects.filter(
        case__in=cases, role=Invitee.Role.MANAGER, person__isnull=False
    ).values_list("case_id", "person_id"):
        invited[case_id].append(person_id)
    S = ForumCase.Status
    for case in cases:
        ref = case.reference
        at = changed.get((case.pk, case.status)) or moment(case.raised_on)
        if case.status == S.RAISED:
            name = "raised_late" if case.deadline < case.raised_on else "raised"
            outbox.tell([case.convener_id], text(name, ref=ref, date=case.deadline.isoformat()),
                        case, at)  # fmt: skip
        elif case.status == S.CONVENED:
            when = case.meeting_on.isoformat()
            if case.meeting_time:
                when += f" {case.meeting_time:%H:%M}"
            message = text(
                "convened", ref=ref, when=when, place=case.meeting_place or "plats meddelas"
            )
            outbox.tell(invited[case.pk], message, case, at)
        elif case.status == S.LIFTED:
            outbox.tell(steering[case.local_group_id], text("case_lifted", ref=ref), case, at)
        else:
            name = "case_decided" if case.status == S.DECIDED else "case_resolved"
            outbox.tell([case.raised_by_id, case.convener_id], text(name, ref=ref), case, at)


def deviations(outbox, today, steering, bussam) -> None:
    reports = list(
        Deviation.objects.exclude(step=Deviation.Step.DRAFT).prefetch_related("other_units")
    )
    events = defaultdict(list)
    for event in Event.objects.filter(deviation__in=reports).order_by("at", "id"):
        events[event.deviation_id].append(event)
    managers = defaultdict(list)
    for unit_id, user_id in (
        UnitMembership.objects.current()
        .filter(role=UnitMembership.Role.MANAGER)
        .values_list("unit_id", "user_id")
    ):
        managers[unit_id].append(user_id)
    S = Deviation.Step
    news = defaultdict(list)  # reporter: (when, report, event)
    for report in reports:
        history = events[report.pk]
        if not history:
            continue
        last = history[-1]
        ref = report.reference
        if report.step == S.SUPERVISORS:
            units = [report.reporting_unit_id, *(u.pk for u in report.other_units.all())]
            people = [m for unit in units for m in managers[unit]]
            outbox.tell(people, text("supervisors", ref=ref), report, last.at,
                        exclude={report.reporter_id})  # fmt: skip
        elif report.step == S.STEERING:
            outbox.tell(steering[report.local_group_id], text("steering", ref=ref), report,
                        last.at, exclude={last.by_id})  # fmt: skip
        elif report.step == S.BUSSAM:
            outbox.tell(bussam, text("bussam", ref=ref), report, last.at, exclude={last.by_id})
        if last.from_step != S.DRAFT:  # the ladder tells the reporter of every step taken
            news[report.reporter_id].append((last.at, report, last))
    for told in news.values():
        for at, report, event in sorted(told, key=lambda t: t[0], reverse=True)[:REPORTER_NEWS]:
            if event.to_step == S.RESOLVED:
                message = text("report_resolved", ref=report.reference,
                               note=report.outcome or event.note)  # fmt: skip
            else:
                message = text("report_moved", ref=report.reference,
                               step=str(S(event.to_step).label))  # fmt: skip
            outbox.tell([report.reporter_id], message, report, at)


def follow_ups(outbox, today) -> None:
    """The reminders a chair gets: a week before the follow-up, and the day after it has
    passed (``sip/reminders.py``), here as notifications, and recorded as sent."""
    plans = Plan.objects.filter(
        status=Plan.Status.ESTABLISHED, next_follow_up_on__lte=today + days(7)
    )
    sent = set(Reminder.objects.filter(plan__in=plans).values_list("plan_id", "kind", "due_on"))
    reminders = []
    for plan in plans:
        due = plan.next_follow_up_on
        if due < today:
            kind, at = Reminder.Kind.PASSED, moment(due + days(1), 7)
            message = text("follow_up_passed", ref=plan.reference)
        else:
            kind, at = Reminder.Kind.SOON, moment(max(due - days(7), today - days(1)), 7)
            message = text("follow_up_soon", ref=plan.reference, date=due.isoformat())
        outbox.tell([plan.chair_id], message, plan, at)
        if (plan.pk, kind, due) not in sent:
            reminders.append(Reminder(plan=plan, kind=kind, due_on=due))
    Reminder.objects.bulk_create(reminders)


def assignments(outbox, today) -> None:
    seats = defaultdict(list)
    for body_id, user_id in (
        Membership.objects.current().filter(user__isnull=False).values_list("body_id", "user_id")
    ):
        seats[body_id].append(user_id)
    for assignment in Assignment.objects.select_related("assignee_body__local_group"):
        title, due = assignment.title, assignment.due_on.isoformat()
        if assignment.assignee_user_id:
            assignees = [assignment.assignee_user_id]
            given = text("assigned_person", title=title, due=due)
        else:
            assignees = seats[assignment.assignee_body_id]
            given = text("assigned_body", body=assignment.assignee_body, title=title, due=due)
        if assignment.is_open:
            outbox.tell(assignees, given, assignment, assignment.created_at,
                        exclude={assignment.created_by_id})  # fmt: skip
            if assignment.reminded_on:
                outbox.tell(assignees, text("assignment_late", title=title, due=due), assignment,
                            moment(assignment.reminded_on, 7))  # fmt: skip
        elif assignment.status == Assignment.Status.DONE and assignment.closed_at:
            outbox.tell(
                [assignment.created_by_id], text("assignment_done", title=title), assignment,
                assignment.closed_at, exclude={assignment.closed_by_id},
            )  # fmt: skip


def write(outbox) -> None:
    now = timezone.now()
    found = set(
        Notification.objects.filter(user__in=list(outbox.people)).values_list(
            "user_id", "about", "text"
        )
    )
    newest = {}  # each person's newest notification is unread if it is not old
    for (user_id, *_key), (_url, at) in outbox.rows.items():
        newest[user_id] = max(at, newest.get(user_id, at))
    rows = []
    for (user_id, about, message), (url, at) in sorted(outbox.rows.items(), key=lambda r: r[1][1]):
        if (user_id, about, message) in found:
            continue
        fresh = now - at <= READ_AFTER or (at == newest[user_id] and now - at <= NEWEST_UNREAD)
        read = not fresh or outbox.people[user_id].email in NEWS_READ
        at = min(at, now - datetime.timedelta(minutes=1))
        rows.append(
            Notification(
                user_id=user_id,
                text=message,
                url=url,
                about=about,
                created_at=at,
                emailed_at=at + datetime.timedelta(seconds=30),
                read_at=min(at + datetime.timedelta(days=1), now) if read else None,
            )  # fmt: skip
        )
    Notification.objects.bulk_create(rows)
