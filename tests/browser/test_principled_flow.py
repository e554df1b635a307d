"""A deviation report of a principled nature climbs the ladder in Chromium, with axe on every
page: a social worker at Rinkeby-Kista's social services reports a collaboration failure with
Prima Barn BUP (another principal); the BUP's manager finds it on her start page's to-do list
and lifts it to the local steering group with a principled question; the steering group's
chair is told, finds it in the group's inbox, puts it on a planned meeting and sends it on to
BUSSAM; the secretariat puts it on BUSSAM's meeting and records BUSSAM's decision; and the
reporter reads, in her notifications and on the report, how it ended."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from playwright.sync_api import expect

from samverkan.agenda.models import AgendaItem
from samverkan.deviations.models import Deviation
from samverkan.forum.models import ForumCase
from samverkan.governance.models import Meeting
from samverkan.notifications.models import Notification
from samverkan.notifications.service import about_key
from samverkan.organisations.models import Body, Unit, UnitMembership
from samverkan.references.numbers import peek_reference
from tests.browser.conftest import follow, login, visit

pytestmark = pytest.mark.browser

# Hanna Hassan, social worker (staff) at Socialtjänsten barn och ungdom, Rinkeby-Kista.
REPORTER = "handlaggare.rinkeby@demo.example"
REPORTER_NAME = "Hanna Hassan"
# Maja Malmberg, manager of Prima Barn BUP: the other party's nearest supervisor.
SUPERVISOR = "enhetschef.primabarn@demo.example"
SUPERVISOR_NAME = "Maja Malmberg"
# Omar Olsson, chair of the group's steering group.
CHAIR = "ordforande.rinkeby@demo.example"
CHAIR_NAME = "Omar Olsson"
# Sara Sekreterarsson: the secretariat, who acts for BUSSAM (deviations/ladder.py).
SECRETARIAT = "sekretariat@demo.example"
SECRETARIAT_NAME = "Sara Sekreterarsson"

REPORTING_UNIT = "Socialtjänsten barn och ungdom, Rinkeby-Kista"
OTHER_UNIT = "Prima Barn BUP Rinkeby-Kista"  # Region Stockholm's
GROUP = "BUS Rinkeby-Kista och Spånga-Tensta"
GROUP_SLUG = "rinkeby-kista-och-spanga-tensta"
CATEGORY = "Oklart ansvar"
AGREEMENT_PART = "Ansvarsfördelning mellan huvudmännen"

TITLE = "Ingen part tog ansvar för samordningen efter utskrivning"
HAPPENED = (
    "Efter utskrivningen från BUP hänvisade mottagningen till socialtjänsten och "
    "socialtjänsten till mottagningen. Ingen kallade till SIP."
)
CONSEQUENCE = "Barnet stod utan samordnade insatser i sex veckor."
LIFT_NOTE = "Samma oklarhet har återkommit; cheferna kan inte lösa den på egen hand."
QUESTION = "Vem ansvarar för att kalla till SIP när ett barn skrivs ut från BUP?"
STEERING_DECISION = "Frågan gäller flera huvudmän i länet och skickas vidare till BUSSAM."
BUSSAM_DECISION = "BUSSAM ger sekretariatet i uppdrag att förtydliga ansvaret i riktlinjen."

S = Deviation.Step


def main_nav(page):
    return page.get_by_role("navigation", name="Huvudmeny")


def log_out(page):
    follow(page, page.get_by_role("button", name="Logga ut", exact=True))
    expect(page.locator("input[name=login]")).to_be_visible()


def log_in(page, base_url, email):
    login(page, base_url, email)
    expect(page).to_have_url(f"{base_url}/")
    expect(page.get_by_role("heading", name="Att göra", exact=True)).to_be_visible()


def submit(page, name):
    """Submit the page's form with the button ``name``; axe runs on what comes back."""
    return follow(page, page.get_by_role("button", name=name, exact=True))


def step_tag(page):
    return page.locator("main h1 + p .ds-tag").first


def unread(email) -> int:
    return Notification.objects.filter(user__email=email, read_at__isnull=True).count()


def notifications_link(page):
    return page.get_by_role("banner").locator("a.notification-link")


def expect_unread_in_header(page, email, deviation):
    """The header's "Meddelanden" link shows the unread count: a badge for the eye and
    "(N oläst/olästa)" for screen readers, and among them news of ``deviation``."""
    assert Notification.objects.filter(
        user__email=email, read_at__isnull=True, about=about_key(deviation)
    ).exists(), f"{email} has no unread notification about {deviation.reference}"
    count = unread(email)
    spoken = f"({count} oläst)" if count == 1 else f"({count} olästa)"
    link = page.get_by_role("banner").get_by_role("link", name=f"Meddelanden {spoken}", exact=True)
    expect(link).to_be_visible()
    badge = link.locator(".notification-count")
    expect(badge).to_have_text(str(count))
    expect(badge).to_have_attribute("aria-hidden", "true")
    expect(link.locator(".ds-sr-only")).to_have_text(spoken)
    return link


def todo_item(page, title):
    """The start page's to-do item whose heading links to ``title``."""
    todo = page.get_by_role("region", name="Att göra", exact=True)
    return todo.locator("li.todo-item").filter(
        has=page.get_by_role("heading").get_by_role("link", name=title, exact=True)
    )


def reports_table(page):
    return page.get_by_role("table", name="Avvikelser av principiell karaktär", exact=True)


def report_row(page, reference):
    return page.locator("main table tbody tr").filter(has_text=reference)


def put_on_meeting(page, body, reference, day):
    """In ``body``'s inbox: the question's row offers the body's planned meetings; put it on
    the one held on ``day``."""
    row = report_row(page, reference)
    expect(row).to_have_count(1)
    choose = row.get_by_label(f"Möte för {reference}", exact=True)
    expect(choose.locator("option", has_text=day.isoformat())).to_have_count(1)
    choose.select_option(label=day.isoformat())
    follow(page, row.get_by_role("button", name="Sätt på dagordningen", exact=True))
    expect(page).to_have_url(re.compile(rf"/inkorg/{body.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text(
        f"{reference} står på dagordningen för mötet {day.isoformat()}."
    )
    row = report_row(page, reference)
    expect(row.locator("td").last).to_have_text(f"På mötet {day.isoformat()} · Registrera beslut")
    expect(row.get_by_label(f"Möte för {reference}")).to_have_count(0)
    return row


def test_principled_deviation_from_unit_to_bussam_and_back(page, demo_site):
    User = get_user_model()
    today = timezone.localdate()
    occurred = today - datetime.timedelta(days=3)
    meeting_day = today + datetime.timedelta(days=7)
    reference = peek_reference(Deviation, "AV", today.year)  # after the demo's own reports
    other = Unit.objects.select_related("principal").get(name=OTHER_UNIT)
    reporting = Unit.objects.select_related("principal").get(name=REPORTING_UNIT)
    assert other.principal_id != reporting.principal_id  # a collaboration between principals
    other_label = f"{other.name} ({other.principal.name})"  # as the form renders it
    steering = Body.objects.get(kind=Body.Kind.STEERING, local_group__slug=GROUP_SLUG)
    bussam = Body.objects.get(kind=Body.Kind.BUSSAM)
    secretariat = User.objects.get(email=SECRETARIAT)

    # --- 1. A planned meeting for the steering group and one for BUSSAM ---------------------
    steering_meeting = Meeting.objects.create(
        body=steering,
        held_on=meeting_day,
        time=datetime.time(13, 0),
        place="Rinkeby-Kista stadsdelsförvaltning, sammanträdesrum",
        created_by=secretariat,
    )
    bussam_meeting = Meeting.objects.create(
        body=bussam,
        held_on=meeting_day,
        time=datetime.time(9, 30),
        place="Storsthlm, sammanträdesrum",
        created_by=secretariat,
    )

    # --- 2. The social worker reports a failure with the BUP -------------------------------
    log_in(page, demo_site, REPORTER)
    cards = page.get_by_role("region", name="Avvikelser", exact=True)
    follow(page, cards.get_by_role("link", name="Rapportera en avvikelse", exact=True))
    expect(page).to_have_url(f"{demo_site}/avvikelser/ny/")
    expect(page.get_by_label("Rapporterande verksamhet").locator("option:checked")).to_have_text(
        REPORTING_UNIT
    )
    expect(page.get_by_label("Lokal BUS-grupp").locator("option:checked")).to_have_text(GROUP)
    page.get_by_label("Kort rubrik").fill(TITLE)
    page.get_by_label("Datum för händelsen").fill(occurred.isoformat())
    others = page.get_by_role("group", name="Andra parter (verksamheter)")
    others.get_by_role("checkbox", name=other_label, exact=True).check()
    page.get_by_label("Vad hände").fill(HAPPENED)
    page.get_by_label("Konsekvens för barnet").fill(CONSEQUENCE)
    page.get_by_label("Kategori", exact=True).select_option(label=CATEGORY)
    page.get_by_label("Del av BUS-överenskommelsen").select_option(label=AGREEMENT_PART)
    submit(page, "Granska och skicka")
    expect(page.locator("h1")).to_have_text("Granska innan du skickar")
    expect(page.locator("main dl.facts")).to_contain_text(other_label)
    submit(page, "Skicka rapporten")
    expect(page.get_by_role("status")).to_contain_text(f"Ditt nummer är {reference}.")
    deviation = Deviation.objects.get(title=TITLE)
    assert deviation.reference == reference
    assert deviation.step == S.SUPERVISORS
    assert not deviation.is_principled
    detail_url = f"{demo_site}/avvikelser/{deviation.pk}/"
    reporter_unread = unread(REPORTER)  # what she had before anyone acted on the report

    # --- 3. The BUP's manager finds it on her to-do list and lifts it -----------------------
    log_out(page)
    log_in(page, demo_site, SUPERVISOR)
    managed = UnitMembership.objects.filter(
        user__email=SUPERVISOR, role=UnitMembership.Role.MANAGER
    ).values("unit")
    waiting = (
        Deviation.objects.filter(step=S.SUPERVISORS)
        .filter(Q(reporting_unit__in=managed) | Q(other_units__in=managed))
        .distinct()
        .count()
    )
    item = todo_item(page, "Avvikelser som väntar på dig som närmaste chef")
    expect(item).to_have_count(1)
    expect(item.locator(".todo-count")).to_have_text(str(waiting))
    row = item.get_by_role("listitem").filter(has_text=reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(re.compile(r"väntat \d+ dag"))
    follow(page, row.get_by_role("link", name=f"{reference}: {TITLE}", exact=True))
    expect(page).to_have_url(detail_url)
    expect(page.locator("h1")).to_have_text(f"{reference}: {TITLE}")
    expect(step_tag(page)).to_have_text("Hos närmaste chefer")
    expect(page.get_by_role("heading", name="Hantera rapporten", exact=True)).to_be_visible()
    page.get_by_label("Principiell: lyft till lokala styrgruppen", exact=True).check()
    page.get_by_label("Hur det hanterades / varför det går vidare").fill(LIFT_NOTE)
    page.get_by_label("Den principiella frågan").fill(QUESTION)
    submit(page, "Spara")
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("status")).to_contain_text("Rapporten har gått vidare.")
    expect(step_tag(page)).to_have_text("Hos lokala styrgruppen")
    expect(page.locator("main h1 + p")).to_contain_text("Principiell")
    expect(page.get_by_role("heading", name="Principiell fråga", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text(QUESTION)
    # The next step is the steering group's, not hers.
    expect(page.get_by_role("heading", name="Hantera rapporten")).to_have_count(0)
    deviation.refresh_from_db()
    assert deviation.step == S.STEERING
    assert deviation.is_principled
    assert deviation.principled_question == QUESTION

    # --- 4. The steering group's chair puts it on a meeting and sends it on to BUSSAM --------
    log_out(page)
    log_in(page, demo_site, CHAIR)
    expect_unread_in_header(page, CHAIR, deviation)
    waiting = (
        Deviation.objects.filter(step=S.STEERING, local_group=steering.local_group).count()
        + ForumCase.objects.filter(
            status=ForumCase.Status.LIFTED, local_group=steering.local_group
        ).count()
    )
    item = todo_item(page, f"Frågor som väntar på {steering}")
    expect(item).to_have_count(1)
    expect(item.locator(".todo-count")).to_have_text(str(waiting))
    expect(item.get_by_role("link", name=f"{reference}: {TITLE}", exact=True)).to_have_attribute(
        "href", f"/avvikelser/{deviation.pk}/"
    )
    follow(page, item.get_by_role("link", name=f"Frågor som väntar på {steering}", exact=True))
    expect(page).to_have_url(f"{demo_site}/inkorg/{steering.pk}/")
    expect(page.locator("h1")).to_have_text(f"Frågor som väntar på {steering}")
    table = reports_table(page)
    expect(table.get_by_role("columnheader", name="Dagordning", exact=True)).to_be_visible()
    row = report_row(page, reference)
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name=reference, exact=True)).to_be_visible()
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text(QUESTION)
    expect(row).to_contain_text(CATEGORY)
    row = put_on_meeting(page, steering, reference, meeting_day)
    steering_item = AgendaItem.objects.get(meeting=steering_meeting, deviation=deviation)
    assert not steering_item.is_decided

    follow(page, row.get_by_role("link", name="Registrera beslut", exact=True))
    expect(page).to_have_url(f"{demo_site}/inkorg/fraga/{steering_item.pk}/beslut/")
    expect(page.locator("h1")).to_have_text(f"Beslut i {reference}")
    facts = page.locator("main dl.facts")
    expect(facts).to_contain_text(str(steering))
    expect(facts).to_contain_text(meeting_day.isoformat())
    expect(facts).to_contain_text(QUESTION)
    expect(page.get_by_label("Beslutad här: frågan avslutas", exact=True)).to_be_checked()
    page.get_by_label("Beslut", exact=True).fill(STEERING_DECISION)
    page.get_by_label("Skickas vidare till BUSSAM", exact=True).check()
    submit(page, "Registrera beslutet")
    expect(page).to_have_url(f"{demo_site}/inkorg/{steering.pk}/")
    expect(page.get_by_role("status")).to_contain_text(f"Beslutet i {reference} är registrerat.")
    expect(report_row(page, reference)).to_have_count(0)
    deviation.refresh_from_db()
    assert deviation.step == S.BUSSAM

    # --- 5. The secretariat, for BUSSAM, puts it on BUSSAM's meeting and records the decision
    log_out(page)
    log_in(page, demo_site, SECRETARIAT)
    visit(page, f"{demo_site}/inkorg/{bussam.pk}/")
    expect(page.locator("h1")).to_have_text(f"Frågor som väntar på {bussam}")
    expect(report_row(page, reference)).to_contain_text(QUESTION)
    row = put_on_meeting(page, bussam, reference, meeting_day)
    bussam_item = AgendaItem.objects.get(meeting=bussam_meeting, deviation=deviation)
    follow(page, row.get_by_role("link", name="Registrera beslut", exact=True))
    expect(page).to_have_url(f"{demo_site}/inkorg/fraga/{bussam_item.pk}/beslut/")
    expect(page.locator("h1")).to_have_text(f"Beslut i {reference}")
    expect(page.locator("main dl.facts")).to_contain_text(QUESTION)
    # BUSSAM's decision is the last step: nothing to send it on to.
    expect(page.get_by_label("Skickas vidare till BUSSAM")).to_have_count(0)
    page.get_by_label("Beslut", exact=True).fill(BUSSAM_DECISION)
    page.get_by_label("Beslutad här: frågan avslutas", exact=True).check()
    submit(page, "Registrera beslutet")
    expect(page).to_have_url(f"{demo_site}/inkorg/{bussam.pk}/")
    expect(page.get_by_role("status")).to_contain_text(f"Beslutet i {reference} är registrerat.")
    expect(report_row(page, reference)).to_have_count(0)

    # --- 6. The reporter learns how it ended ------------------------------------------------
    log_out(page)
    log_in(page, demo_site, REPORTER)
    # Told of each step up the ladder, of each meeting it was put on and of the decision:
    # five more, none read yet.
    assert unread(REPORTER) == reporter_unread + 5
    header_link = expect_unread_in_header(page, REPORTER, deviation)
    resolved_text = f"{reference} är avslutad: {BUSSAM_DECISION}"
    news = todo_item(page, "Nytt om mina avvikelserapporter")
    expect(news.get_by_role("link", name=resolved_text, exact=True)).to_be_visible()

    follow(page, header_link)
    expect(page).to_have_url(f"{demo_site}/meddelanden/")
    expect(page.locator("h1")).to_have_text("Meddelanden")
    mine = page.locator("main .notification-list > li").filter(has_text=reference)
    expect(mine.get_by_role("link")).to_have_text(
        [
            resolved_text,
            f"{reference} har lagts på dagordningen för {bussam}, mötet {meeting_day}.",
            f"{reference} har gått vidare: Hos BUSSAM.",
            f"{reference} har lagts på dagordningen för {steering}, mötet {meeting_day}.",
            f"{reference} har gått vidare: Hos lokala styrgruppen.",
        ]
    )
    for i in range(5):
        expect(mine.nth(i)).to_contain_text("Oläst")

    follow(page, mine.get_by_role("link", name=resolved_text, exact=True))
    expect(page).to_have_url(detail_url)
    expect(page.locator("h1")).to_have_text(f"{reference}: {TITLE}")
    expect(step_tag(page)).to_have_text("Avslutad")
    expect(page.locator("main h1 + p")).to_contain_text("Principiell")
    expect(page.locator("main")).to_contain_text(QUESTION)
    expect(page.get_by_role("heading", name="Hur det hanterades", exact=True)).to_be_visible()
    outcome = page.get_by_role("heading", name="Hur det hanterades", exact=True).locator(
        "xpath=following-sibling::p[1]"
    )
    expect(outcome).to_have_text(BUSSAM_DECISION)
    expect(page.get_by_role("heading", name="Hantera rapporten")).to_have_count(0)
    history = page.get_by_role("table", name="Steg", exact=True)
    expect(history.locator("tbody td:nth-child(2)")).to_have_text(
        ["Utkast", "Hos närmaste chefer", "Hos lokala styrgruppen", "Hos BUSSAM"]
    )
    expect(history.locator("tbody td:nth-child(3)")).to_have_text(
        ["Hos närmaste chefer", "Hos lokala styrgruppen", "Hos BUSSAM", "Avslutad"]
    )
    expect(history.locator("tbody td:nth-child(4)")).to_have_text(
        [REPORTER_NAME, SUPERVISOR_NAME, CHAIR_NAME, SECRETARIAT_NAME]
    )
    expect(history.locator("tbody td:nth-child(5)")).to_have_text(
        ["–", LIFT_NOTE, STEERING_DECISION, BUSSAM_DECISION]
    )
    # Opening the report read its notifications; the header counts only the rest.
    assert not Notification.objects.filter(
        user__email=REPORTER, read_at__isnull=True, about=about_key(deviation)
    ).exists()
    left = unread(REPORTER)
    assert left == reporter_unread
    expect(notifications_link(page)).to_have_text(
        "Meddelanden" if not left else re.compile(rf"^Meddelanden\s*{left}\s*\({left} olästa?\)$")
    )

    # --- The ladder and the agenda, as stored -----------------------------------------------
    deviation.refresh_from_db()
    assert deviation.step == S.RESOLVED
    assert deviation.outcome == BUSSAM_DECISION
    assert deviation.resolved_at is not None
    events = list(deviation.events.select_related("by"))
    assert [(e.from_step, e.to_step) for e in events] == [
        (S.DRAFT, S.SUPERVISORS),
        (S.SUPERVISORS, S.STEERING),
        (S.STEERING, S.BUSSAM),
        (S.BUSSAM, S.RESOLVED),
    ]
    assert [e.by.email for e in events] == [REPORTER, SUPERVISOR, CHAIR, SECRETARIAT]
    items = list(AgendaItem.objects.filter(deviation=deviation).select_related("meeting"))
    assert [(i.meeting_id, i.outcome, i.decision) for i in items] == [
        (steering_meeting.pk, AgendaItem.Outcome.SENT_ON, STEERING_DECISION),
        (bussam_meeting.pk, AgendaItem.Outcome.DECIDED, BUSSAM_DECISION),
    ]
    assert all(i.is_decided for i in items)
    assert [i.decided_by.email for i in items] == [CHAIR, SECRETARIAT]
