"""Demo meetings for ``seed_demo``: three years of steering- and working-group meetings, with
a few groups that missed a term so the county overview has something to show; and the
bodies that meet by the year: BUSSAM four times a year, the presidium and the consultation
groups once."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from samverkan.governance.models import ActionItem, Decision, Meeting
from samverkan.organisations.models import Body
from samverkan.organisations.terms import Term


def seed():
    if Meeting.objects.exists():
        return
    author = get_user_model().objects.filter(is_secretariat=True).first()
    if author is None:
        return
    today = timezone.localdate()
    term = Term.current_or_last(today)
    terms = [term]
    for _ in range(5):
        terms.append(terms[-1].previous())
    bodies = Body.objects.filter(kind__in=["steering", "working"], level="local").select_related(
        "local_group"
    )
    meetings = []
    for index, body in enumerate(bodies.order_by("local_group__name", "kind")):
        for age, t in enumerate(terms):
            # Every seventh body skipped the current term, every eleventh the one before.
            if (age == 0 and index % 7 == 3) or (age == 1 and index % 11 == 5):
                continue
            day = t.start + datetime.timedelta(days=30 + (index * 3) % 60)
            if day > today:
                continue
            meetings.append(
                Meeting(
                    body=body,
                    held_on=day,
                    time=datetime.time(13, 0),
                    place=f"{body.local_group.name}, sammanträdesrum",
                    agenda="1. Föregående protokoll\n2. Individforum och avvikelser\n3. Övrigt",
                    attendees="Enligt närvarolista",
                    minutes="Gruppen gick igenom terminens ärenden och avvikelser.",
                    minutes_recorded_at=timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(16, 0))
                    ),
                    created_by=author,
                )  # fmt: skip
            )
    meetings += yearly_meetings(author, today)
    Meeting.objects.bulk_create(meetings)
    latest = Meeting.objects.filter(body__kind="steering").order_by("-held_on").first()
    if latest:
        Decision.objects.create(
            meeting=latest, text="Arbetsgruppen tar fram en rutin för remisser."
        )
        ActionItem.objects.create(
            meeting=latest, text="Rutin för remisser mellan skola och BUP", owner="Arbetsgruppen",
            due_on=today + datetime.timedelta(days=60),
        )  # fmt: skip


# (month, day) of the yearly bodies' meetings: BUSSAM's four, and the others' one.
SEVERAL_A_YEAR = [(2, 12), (4, 22), (9, 16), (11, 18)]
ONCE_A_YEAR = [(3, 24)]
YEARLY_AGENDA = "1. Föregående protokoll\n2. Uppföljning av överenskommelsen\n3. Övrigt"


def yearly_meetings(author, today):
    """Meetings of the bodies that meet by the year, for this year so far and the two
    before. BUSSAM skipped its September meeting the year before last."""
    bodies = Body.objects.filter(cadence__in=["yearly", "several_per_year"]).select_related(
        "local_group"
    )
    meetings = []
    for body in bodies:
        several = body.cadence == "several_per_year"
        place = body.local_group.name if body.local_group else "Storsthlm"
        for year in range(today.year - 2, today.year + 1):
            for month, day in SEVERAL_A_YEAR if several else ONCE_A_YEAR:
                held_on = datetime.date(year, month, day)
                if held_on > today or (several and year == today.year - 2 and month == 9):
                    continue
                meetings.append(
                    Meeting(
                        body=body,
                        held_on=held_on,
                        time=datetime.time(9, 30),
                        place=f"{place}, sammanträdesrum",
                        agenda=YEARLY_AGENDA,
                        attendees="Enligt närvarolista",
                        minutes="Mötet följde upp samverkan enligt överenskommelsen.",
                        minutes_recorded_at=timezone.make_aware(
                            datetime.datetime.combine(held_on, datetime.time(12, 0))
                        ),
                        created_by=author,
                    )
                )
    return meetings
