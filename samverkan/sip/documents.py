"""The plan's documents: the meeting invitation and the family's plain-language copy."""

from django.template.loader import render_to_string

from samverkan import calendar, pdf


def invitation_ics(request, plan) -> bytes:
    """Carries the plan's number and a link, never the child's name or number."""
    return calendar.invitation(
        uid=f"{plan.reference}@{request.get_host()}",
        start=plan.meeting_start(),
        length=calendar.MEETING_LENGTH,
        summary=f"SIP-möte {plan.reference}",
        location=plan.meeting_place,
        description=request.build_absolute_uri(plan.get_absolute_url()),
        organizer_email=plan.chair.email,
    )


def family_context(plan, version, identity: bool) -> dict:
    return {
        "plan": plan,
        "version": version,
        "content": version.content,
        "identity": identity,
        "contacts": plan.participants.exclude(phone="").select_related("unit"),
    }


def family_pdf(request, plan, version, identity: bool) -> bytes:
    html = render_to_string(
        "sip/family_pdf.html", family_context(plan, version, identity), request=request
    )
    return pdf.render_pdf(html, base_url=request.build_absolute_uri("/"))
