"""The plan's documents: the meeting invitation and the family's plain-language copy."""

from django.template.loader import render_to_string
from django.utils import timezone
from icalendar import Calendar, Event

from samverkan.forum.documents import MEETING_LENGTH


def invitation_ics(request, plan) -> bytes:
    """Carries the plan's number and a link, never the child's name or number."""
    calendar = Calendar()
    calendar.add("prodid", "-//Samverkan//SIP//SV")
    calendar.add("version", "2.0")
    event = Event()
    start = plan.meeting_start()
    event.add("uid", f"{plan.reference}@{request.get_host()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", start + MEETING_LENGTH)
    event.add("summary", f"SIP-möte {plan.reference}")
    event.add("location", plan.meeting_place)
    event.add("description", request.build_absolute_uri(plan.get_absolute_url()))
    event.add("organizer", f"mailto:{plan.chair.email}")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def family_context(plan, version, identity: bool) -> dict:
    return {
        "plan": plan,
        "version": version,
        "content": version.content,
        "identity": identity,
        "contacts": plan.participants.exclude(phone="").select_related("unit"),
    }


def family_pdf(request, plan, version, identity: bool) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "sip/family_pdf.html", family_context(plan, version, identity), request=request
    )
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
