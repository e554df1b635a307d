"""Who is told when a forum case changes status (every change is a ``StatusChange`` row):

- raised: the convener, who must book the meeting within the deadline;
- convened: the invited managers, with the invitation (.ics) attached;
- lifted: the local steering group, whose question it now is;
- decided or resolved: whoever raised the case, and the convener.

Texts carry the case's reference, never the child."""

from django.conf import settings
from django.db.models.signals import post_save
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samverkan.forum import documents
from samverkan.forum.models import ForumCase, Invitee, StatusChange
from samverkan.notifications.recipients import seat_holders
from samverkan.notifications.service import in_service_language, notify
from samverkan.organisations.models import Body

S = ForumCase.Status


@in_service_language
def send_invitation(case):
    """The invited managers get the meeting's invitation, with its .ics (again when the
    meeting is moved)."""
    managers = [
        i.person
        for i in case.invitees.filter(
            role=Invitee.Role.MANAGER, person__isnull=False
        ).select_related("person")
    ]
    when = formats.date_format(case.meeting_on, "Y-m-d")
    if case.meeting_time:
        when += " " + formats.time_format(case.meeting_time, "H:i")
    notify(
        managers,
        _("Kallelse till BUS individforum %(ref)s %(when)s, %(place)s.")
        % {"ref": case.reference, "when": when, "place": case.meeting_place or _("plats meddelas")},
        case.get_absolute_url(),
        about=case,
        attachment=(
            f"{case.reference}.ics",
            documents.invitation_ics(case, settings.SITE_URL).decode(),
            "text/calendar",
        ),
    )


@in_service_language
def status_changed(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    case = instance.case
    url = case.get_absolute_url()
    ref = case.reference
    if instance.status == S.RAISED:
        deadline = formats.date_format(case.deadline, "Y-m-d")
        text = (
            _(
                "Nytt ärende i BUS individforum, %(ref)s: du är sammankallande. Tidsgränsen "
                "passerades redan %(date)s: sammankalla forumet så snart som möjligt."
            )
            if case.deadline < timezone.localdate()
            else _(
                "Nytt ärende i BUS individforum, %(ref)s: du är sammankallande. Forumet ska "
                "sammanträda senast %(date)s."
            )
        )
        notify([case.convener], text % {"ref": ref, "date": deadline}, url, about=case)
    elif instance.status == S.CONVENED:
        send_invitation(case)
    elif instance.status == S.LIFTED:
        notify(
            seat_holders(Body.Kind.STEERING, case.local_group),
            _("Individforum %(ref)s har lyfts till styrgruppen med en principiell fråga.")
            % {"ref": ref},
            url,
            about=case,
        )
    elif instance.status in (S.DECIDED, S.RESOLVED):
        text = (
            _("Styrgruppen har beslutat i individforum %(ref)s.")
            if instance.status == S.DECIDED
            else _("Individforum %(ref)s är löst.")
        ) % {"ref": ref}
        notify([case.raised_by, case.convener], text, url, about=case)


def connect():
    post_save.connect(status_changed, sender=StatusChange, dispatch_uid="forum.notify")
