"""Calendar invitations (.ics). They travel by e-mail into calendars, so callers put in a
reference and a link, never a child's name or number."""

import datetime

from django.utils import timezone
from icalendar import Calendar, Event

# A forum meeting or a SIP meeting, as the invitation books it.
MEETING_LENGTH = datetime.timedelta(hours=1, minutes=30)


def invitation(
    *,
    uid: str,
    start: datetime.datetime,
    length: datetime.timedelta,
    summary: str,
    location: str = "",
    description: str = "",
    organizer_email: str = "",
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Samverkan//BUS//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", start + length)
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if organizer_email:
        event.add("organizer", f"mailto:{organizer_email}")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
