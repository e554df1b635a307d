"""Putting a waiting question on one of its body's meetings, and recording the decision
taken there, which is written back to the case or report and moves it on:

- a forum case at the steering group: its decision is the case's (``steering_decision``),
  the case is decided, and a report that followed the case follows it again;
- a deviation report at the steering group: decided there (resolved), or sent on to BUSSAM;
- a deviation report at BUSSAM: decided (resolved), and the decision returns to the local
  group's steering group and to the secretariat.

Whoever records it must be entitled to take that step (the forum rules and the deviation
ladder say who). A question is decided once; everything happens in one transaction.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samverkan.agenda.inbox import waiting_for
from samverkan.agenda.models import AgendaItem
from samverkan.deviations import ladder
from samverkan.deviations.models import Deviation
from samverkan.forum.models import ForumCase
from samverkan.governance.models import Meeting
from samverkan.notifications.recipients import seat_holders
from samverkan.notifications.service import in_service_language, notify
from samverkan.organisations.models import Body
from samverkan.permissions import allowed


class AgendaError(Exception):
    """A step that cannot be taken; its message says why, in Swedish."""


def waiting_question(body, kind: str, pk: int):
    """The forum case or deviation report ``pk`` if it waits for ``body``."""
    cases, reports = waiting_for(body)
    queryset = cases if kind == "case" else reports
    question = queryset.filter(pk=pk).first()
    if question is None:
        raise AgendaError(_("Frågan väntar inte på %(body)s.") % {"body": body})
    return question


def planned_meetings(body):
    return Meeting.objects.filter(body=body, held_on__gte=timezone.localdate()).order_by("held_on")


def put_on(meeting, question, user) -> AgendaItem:
    if not planned_meetings(meeting.body).filter(pk=meeting.pk).exists():
        raise AgendaError(_("Välj ett av organets planerade möten."))
    field = "forum_case" if isinstance(question, ForumCase) else "deviation"
    try:
        with transaction.atomic():
            item = AgendaItem.objects.create(meeting=meeting, added_by=user, **{field: question})
            _tell_put_on(meeting, question, user)
            return item
    except IntegrityError as clash:
        raise AgendaError(
            _("%(ref)s står redan på dagordningen för det mötet.") % {"ref": question.reference}
        ) from clash


@in_service_language
def _tell_put_on(meeting, question, user) -> None:
    """The body's members, to prepare; and whoever waits for the answer: the reporter of a
    report, the raiser and the convener of a case."""
    body = meeting.body
    text = _("%(ref)s har lagts på dagordningen för %(body)s, mötet %(date)s.") % {
        "ref": question.reference,
        "body": body,
        "date": meeting.held_on.isoformat(),
    }
    members = [m for m in seat_holders(body.kind, body.local_group) if m.pk != user.pk]
    notify(members, text, reverse("agenda:inbox", args=[body.pk]), about=question)
    if isinstance(question, ForumCase):
        waiting = {question.raised_by, question.convener}
    else:
        waiting = {question.reporter}
    waiting = [p for p in waiting if p is not None and p.pk != user.pk and p not in members]
    notify(waiting, text, question.get_absolute_url(), about=question)


def decide(item: AgendaItem, user, decision: str, outcome: str) -> AgendaItem:
    with transaction.atomic():
        item = (
            AgendaItem.objects.select_for_update().select_related("meeting__body").get(pk=item.pk)
        )
        if item.is_decided:
            raise AgendaError(
                _("Frågan är redan avgjord: beslutet registrerades %(when)s.")
                % {"when": formats.date_format(timezone.localtime(item.decided_at), "Y-m-d H:i")}
            )
        body = item.meeting.body
        if item.forum_case_id:
            _decide_case(item, user, decision, outcome)
        else:
            _decide_report(item, body, user, decision, outcome)
        item.decision = decision
        item.outcome = outcome
        item.decided_by = user
        item.decided_at = timezone.now()
        item.save()
    return item


def _decide_case(item, user, decision, outcome):
    case = ForumCase.objects.select_for_update().get(pk=item.forum_case_id)
    if outcome != AgendaItem.Outcome.DECIDED:
        raise AgendaError(_("Ett ärende från individforum avgörs av styrgruppen."))
    if case.status != ForumCase.Status.LIFTED:
        raise AgendaError(_("Ärendet väntar inte längre på styrgruppens beslut."))
    if not allowed(user, "forum.decide_case", case):
        raise AgendaError(
            _(
                "Styrgruppens beslut registreras av dess ordförande, sammankallande eller "
                "sekreterare."
            )
        )
    case.steering_decision = decision
    case.steering_decided_on = item.meeting.held_on
    case.steering_decided_by = user
    case.save(update_fields=["steering_decision", "steering_decided_on", "steering_decided_by"])
    case.change_status(
        ForumCase.Status.DECIDED,
        user,
        _("Styrgruppen beslutade på mötet %(date)s") % {"date": item.meeting.held_on.isoformat()},
    )


def _decide_report(item, body, user, decision, outcome):
    deviation = item.deviation
    S = Deviation.Step
    if body.kind == Body.Kind.BUSSAM and outcome != AgendaItem.Outcome.DECIDED:
        raise AgendaError(_("BUSSAM:s beslut är det sista steget; frågan kan inte skickas vidare."))
    to_step = S.BUSSAM if outcome == AgendaItem.Outcome.SENT_ON else S.RESOLVED
    try:
        ladder.move(deviation, to_step, user, decision)
    except ladder.LadderError as refused:
        raise AgendaError(str(refused)) from refused
    if body.kind == Body.Kind.BUSSAM:
        _tell_bussam_decided(deviation)


@in_service_language
def _tell_bussam_decided(deviation) -> None:
    """BUSSAM's decision returns to the local group and to the secretariat."""
    secretariat = get_user_model().objects.filter(is_secretariat=True, is_active=True)
    notify(
        [*seat_holders(Body.Kind.STEERING, deviation.local_group), *secretariat],
        _("BUSSAM har beslutat i avvikelse %(ref)s.") % {"ref": deviation.reference},
        deviation.get_absolute_url(),
        about=deviation,
    )
