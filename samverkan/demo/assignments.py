"""Assignments (uppdrag) for ``seed_demo``: given by the steering groups of Rinkeby-Kista
and Spånga-Tensta, Norrtälje and Södertälje and by BUSSAM, to people and to bodies (the
working groups, a steering group), at the body's last meeting; some overdue (their
reminder gone out), one done and closed. Titles and notes name no one. Safe to run again:
an assignment is found by its title and giving body first."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from samverkan.assignments.models import Assignment
from samverkan.demo.history import days, moment
from samverkan.governance.models import Meeting
from samverkan.organisations.models import Body

RINKEBY, NORRTALJE, SODERTALJE = "rinkeby-kista-och-spanga-tensta", "norrtalje", "sodertalje"


@dataclass(frozen=True)
class Given:
    title: str
    giver: tuple  # (group slug or None for BUSSAM, body kind)
    by: str  # who gave it, for the body
    due_in: int  # days from today; negative: overdue
    to_user: str = ""
    to_body: tuple = ()  # (group slug, body kind)
    description: str = ""
    closed: tuple = ()  # (days ago, by, note): done


GIVEN = [
    Given("Ta fram en rutin för samordning vid skolbyten", (RINKEBY, "steering"),
          "ordforande.rinkeby@demo.example", 30, to_body=(RINKEBY, "working"),
          description="Rutinen beskriver vem som kallar till SIP när ett barn med insatser "
          "byter skola, och hur informationen följer med."),
    Given("Sammanställ terminens ärenden i individforum", (RINKEBY, "steering"),
          "ordforande.rinkeby@demo.example", -5, to_user="enhetschef.ungdomsenheten@demo.example",
          description="Antal ärenden, tid till möte och hur många som lyfts till styrgruppen."),
    Given("Uppdatera kontaktlistan för BUS-gruppen", (RINKEBY, "steering"),
          "ordforande.rinkeby@demo.example", -20, to_body=(RINKEBY, "working"),
          closed=(12, "enhetschef.ungdomsenheten@demo.example",
                  "Kontaktlistan är uppdaterad och skickad till gruppens medlemmar.")),
    Given("Revidera rutinen för remisser mellan skola och BUP", (NORRTALJE, "steering"),
          "folkhalsostrateg@demo.example", -20, to_body=(NORRTALJE, "working")),
    Given("Kartlägg väntetiderna till barnhabiliteringen", (NORRTALJE, "steering"),
          "folkhalsostrateg@demo.example", 21, to_user="enhetschef.socialkontoret@demo.example"),
    Given("Ta fram gemensam information om remissvägar till BUP", (NORRTALJE, "steering"),
          "folkhalsostrateg@demo.example", 25, to_user="enhetschef.bup.tiohundra@demo.example"),
    Given("Följ upp väntetiden till första mötet i individforum", (SODERTALJE, "steering"),
          "avdelningschef.sodertalje@demo.example", 14,
          to_user="enhetschef.sodertalje@demo.example"),
    Given("Sammanställ årets avvikelser om remisser inför BUSSAM", (None, "bussam"),
          "sekretariat@demo.example", 45, to_user="sekretariat@demo.example",
          description="Mönster, antal per grupp och förslag på regionala förtydliganden."),
    Given("Redovisa hur den lokala överenskommelsen följs upp", (None, "bussam"),
          "sekretariat@demo.example", -10, to_body=(NORRTALJE, "steering")),
    Given("Beskriv gruppens samordning kring nyanlända barn", (None, "bussam"),
          "sekretariat@demo.example", 40, to_body=(RINKEBY, "steering")),
]  # fmt: skip


def seed() -> None:
    today = timezone.localdate()
    User = get_user_model()
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.example")}
    bodies = {
        (b.local_group.slug if b.local_group_id else None, b.kind): b
        for b in Body.objects.select_related("local_group").filter(
            Q(
                kind__in=["steering", "working"],
                local_group__slug__in=[RINKEBY, NORRTALJE, SODERTALJE],
            )
            | Q(kind="bussam")
        )
    }
    found = set(Assignment.objects.values_list("title", "given_by_body_id"))
    for given in GIVEN:
        body = bodies[given.giver]
        if (given.title, body.pk) in found or given.by not in users:
            continue
        meeting = (
            Meeting.objects.filter(body=body, held_on__lte=today - days(14))
            .order_by("-held_on")
            .first()
        )
        when = meeting.held_on if meeting else today - days(30)
        due = today + days(given.due_in)
        assignment = Assignment(
            title=given.title, description=given.description, given_by_body=body,
            meeting=meeting, due_on=due, created_by=users[given.by],
            created_at=moment(when, 16), assignee_user=users.get(given.to_user),
            assignee_body=bodies[given.to_body] if given.to_body else None,
        )  # fmt: skip
        if given.closed:
            ago, by, note = given.closed
            assignment.status = Assignment.Status.DONE
            assignment.closed_at = moment(today - days(ago), 14)
            assignment.closed_by = users[by]
            assignment.closing_note = note
        elif due < today:
            assignment.reminded_on = due + datetime.timedelta(days=1)  # the reminder went out
        assignment.save()
