"""Who must act when a deviation report reaches a step (every step is an ``Event`` row):
the nearest supervisors of the units involved when it arrives, the local steering group when
it is lifted there, BUSSAM when it reaches BUSSAM. The reporter is told of every step by the
ladder itself (``ladder.tell_reporter``). Texts carry the reference, never a person."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from samverkan.deviations import ladder
from samverkan.deviations.models import Deviation, Event
from samverkan.forum.models import ForumCase, StatusChange
from samverkan.notifications.recipients import seat_holders, unit_managers
from samverkan.notifications.service import in_service_language, notify
from samverkan.organisations.models import Body

S = Deviation.Step


@in_service_language
def step_taken(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    deviation = instance.deviation
    ref, url = deviation.reference, deviation.get_absolute_url()
    if instance.to_step == S.SUPERVISORS:
        units = [deviation.reporting_unit, *deviation.other_units.all()]
        people = [u for u in unit_managers(units) if u.pk != deviation.reporter_id]
        text = _("Avvikelse %(ref)s väntar på dig som närmaste chef.")
    elif instance.to_step == S.STEERING:
        people = seat_holders(Body.Kind.STEERING, deviation.local_group)
        text = _("Avvikelse %(ref)s har lyfts till styrgruppen som en principiell fråga.")
    elif instance.to_step == S.BUSSAM:
        # BUSSAM's members, and the secretariat, which prepares BUSSAM's questions.
        secretariat = get_user_model().objects.filter(is_secretariat=True)
        people = [*seat_holders(Body.Kind.BUSSAM), *secretariat]
        text = _("Avvikelse %(ref)s har lyfts till BUSSAM som en principiell fråga.")
    else:
        return
    notify([p for p in people if p.pk != instance.by_id], text % {"ref": ref}, url, about=deviation)


@in_service_language
def case_moved(sender, instance, created, raw=False, **kwargs):
    """A report lifted to the individforum follows its case (``ladder.follow_case``). The
    principled question moves with it: the forum wrote it without the child's identity, as
    its form requires."""
    if not created or raw:
        return
    case = instance.case
    C = ForumCase.Status
    for deviation in Deviation.objects.filter(forum_case=case).exclude(step=S.RESOLVED):
        if instance.status == C.LIFTED:
            ladder.follow_case(
                deviation,
                S.STEERING,
                instance.by,
                _("Individforum %(ref)s lyfte frågan till styrgruppen.") % {"ref": case.reference},
                principled_question=case.principled_question,
            )
        elif instance.status == C.RESOLVED:
            ladder.follow_case(
                deviation,
                S.RESOLVED,
                instance.by,
                _("Löst i individforum %(ref)s.") % {"ref": case.reference},
            )
        elif instance.status == C.DECIDED:
            ladder.follow_case(
                deviation,
                S.RESOLVED,
                instance.by,
                # The decision itself stays in the case (it may speak of the child).
                _("Styrgruppen har beslutat i individforum %(ref)s.") % {"ref": case.reference},
            )


def connect():
    post_save.connect(step_taken, sender=Event, dispatch_uid="deviations.notify")
    post_save.connect(case_moved, sender=StatusChange, dispatch_uid="deviations.follow_case")
