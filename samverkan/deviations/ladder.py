"""The escalation ladder: which step may follow which, and whose move it is.

    supervisors -> resolved | forum | steering
    forum       -> resolved | steering
    steering    -> resolved | bussam
    bussam      -> resolved (BUSSAM's answer, recorded by the secretariat or a seat holder)

Anything else is out of order and refused with a message; nothing is saved.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.deviations.access import for_user
from samverkan.deviations.models import Action, Deviation, Event
from samverkan.notifications.service import in_service_language, notify

S = Deviation.Step
TRANSITIONS = {
    (S.SUPERVISORS, S.RESOLVED): "supervisor",
    (S.SUPERVISORS, S.FORUM): "supervisor",
    (S.SUPERVISORS, S.STEERING): "supervisor",
    (S.FORUM, S.RESOLVED): "supervisor",
    (S.FORUM, S.STEERING): "supervisor",
    (S.STEERING, S.RESOLVED): "steering",
    (S.STEERING, S.BUSSAM): "steering",
    (S.BUSSAM, S.RESOLVED): "bussam",
}
ROLE_NAMES = {
    "supervisor": _("närmaste chef för någon av de berörda verksamheterna"),
    "steering": _("ordförande, sammankallande eller sekreterare i den lokala styrgruppen"),
    "bussam": _("BUS-sekretariatet eller ledamot i BUSSAM"),
}


class LadderError(Exception):
    pass


def next_steps(deviation, user) -> list[str]:
    """The steps this user may move the report to now."""
    access = for_user(user)
    return [
        to
        for (frm, to), role in TRANSITIONS.items()
        if frm == deviation.step and access.may_act(deviation, role)
    ]


def check_move(deviation, to_step: str, user) -> None:
    role = TRANSITIONS.get((deviation.step, to_step))
    if role is None:
        raise LadderError(
            _("Rapporten kan inte gå från ”%(from)s” till ”%(to)s”.")
            % {"from": Deviation.Step(deviation.step).label, "to": Deviation.Step(to_step).label}
        )
    if not for_user(user).may_act(deviation, role):
        raise LadderError(_("Det steget tas av %(role)s.") % {"role": ROLE_NAMES[role]})
    if to_step == S.RESOLVED and deviation.actions.filter(status=Action.Status.OPEN).exists():
        raise LadderError(_("Rapporten kan inte avslutas medan en åtgärd pågår."))


@transaction.atomic
def move(deviation, to_step: str, user, note: str = "", **fields) -> Event:
    deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
    check_move(deviation, to_step, user)
    return _take(deviation, to_step, user, note, fields)


def follow_case(deviation, to_step: str, user, note: str, **fields) -> Event | None:
    """The report moves with its forum case (lifted there: to the steering group with the
    case's principled question; resolved or decided there: resolved), without anyone
    retyping it. No role check: the forum's or the steering group's step is the decision.
    A report with an open action is not resolved this way; its supervisors close it when
    the action is done."""
    with transaction.atomic():
        deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
        if (deviation.step, to_step) not in TRANSITIONS:
            return None
        if to_step == S.RESOLVED and deviation.actions.filter(status=Action.Status.OPEN).exists():
            return None
        return _take(deviation, to_step, user, note, fields)


def _take(deviation, to_step, user, note, fields) -> Event:
    """The step itself, on a report locked and checked by the caller: the event, the
    fields the step sets, and the reporter told."""
    event = Event.objects.create(
        deviation=deviation, from_step=deviation.step, to_step=to_step, by=user, note=note
    )
    for name, value in fields.items():
        setattr(deviation, name, value)
    deviation.step = to_step
    if to_step in (S.STEERING, S.BUSSAM):
        deviation.is_principled = True
    if to_step == S.RESOLVED:
        deviation.resolved_at = timezone.now()
        deviation.outcome = note
    deviation.save()
    tell_reporter(deviation, to_step, note)
    return event


def submit(deviation, user) -> Event:
    with transaction.atomic():
        deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
        if deviation.step != S.DRAFT or deviation.reporter_id != user.pk:
            raise LadderError(_("Bara ett eget utkast kan skickas in."))
        deviation.step = S.SUPERVISORS
        deviation.submitted_at = timezone.now()
        deviation.reference = Deviation.next_reference(timezone.localdate().year)
        deviation.save()
        return Event.objects.create(
            deviation=deviation, from_step=S.DRAFT, to_step=S.SUPERVISORS, by=user
        )


@in_service_language
def tell_reporter(deviation, to_step, note) -> None:
    """In the app, and by e-mail once the step has committed: the reporter learns how the
    report was handled."""
    text = _("%(ref)s har gått vidare: %(step)s.") % {
        "ref": deviation.reference,
        "step": Deviation.Step(to_step).label,
    }
    if to_step == S.RESOLVED:
        text = _("%(ref)s är avslutad: %(note)s") % {"ref": deviation.reference, "note": note}
    notify([deviation.reporter], text, deviation.get_absolute_url(), about=deviation)
