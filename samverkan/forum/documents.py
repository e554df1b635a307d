"""The case's documents: the calendar invitation, the protocol as PDF, correction copies."""

from urllib.parse import urlsplit

from django.template.loader import render_to_string

from samverkan import calendar, pdf
from samverkan.forum.models import Protocol


def invitation_ics(case, base_url: str) -> bytes:
    """The case's reference and a link, never the child's name or number. ``base_url``: the
    service's address (``https://host``), for the link and the invitation's id."""
    base_url = base_url.rstrip("/")
    return calendar.invitation(
        uid=f"{case.reference}@{urlsplit(base_url).netloc}",
        start=case.meeting_start(),
        length=calendar.MEETING_LENGTH,
        summary=f"BUS individforum {case.reference}",
        location=case.meeting_place,
        description=(
            f"BUS individforum, {case.local_group}. Ärendet: {base_url}{case.get_absolute_url()}"
        ),
        organizer_email=case.convener.email if case.convener_id else "",
    )


def protocol_parts(protocol) -> dict:
    return {
        "attendees": protocol.attendees.select_related("unit"),
        "views": protocol.views.select_related("unit"),
        "decisions": protocol.decisions.select_related("responsible_unit"),
    }


def protocol_pdf(request, protocol, *, identity: bool) -> bytes:
    html = render_to_string(
        "forum/protocol_pdf.html",
        {
            "protocol": protocol,
            "case": protocol.case,
            "identity": identity,
            **protocol_parts(protocol),
        },
        request=request,
    )
    return pdf.render_pdf(html, base_url=request.build_absolute_uri("/"))


def copy_protocol(protocol, user, note: str) -> Protocol:
    """A new draft with the signed version's content; the signed one stays untouched."""
    draft = Protocol.objects.create(
        case=protocol.case,
        version=protocol.version + 1,
        background=protocol.background,
        follow_up=protocol.follow_up,
        correction_note=note,
        created_by=user,
    )
    for attendee in protocol.attendees.all():
        draft.attendees.create(name=attendee.name, function=attendee.function, unit=attendee.unit)
    for view in protocol.views.all():
        draft.views.create(unit=view.unit, view=view.view)
    for decision in protocol.decisions.all():
        draft.decisions.create(
            text=decision.text, responsible_unit=decision.responsible_unit, due_on=decision.due_on
        )
    return draft
