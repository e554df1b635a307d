"""The governance pages in Chromium, with axe on every page: a steering group's chair records
a meeting with its decision and action item and approves the group's yearly follow-up; the
secretariat opens the county compilation and downloads it; the agreements and the documents
library are read along the way."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samverkan.governance import indicators, reports
from samverkan.governance.models import Meeting, YearlyFollowUp
from samverkan.organisations.models import LocalGroup
from samverkan.organisations.terms import Term
from tests.browser.conftest import XLSX, follow, login, make_file, visit

pytestmark = pytest.mark.browser

CHAIR = "ordforande.rinkeby@demo.example"  # Omar Olsson, chairs the group's steering group
SECRETARIAT = "sekretariat@demo.example"
GROUP = "BUS Rinkeby-Kista och Spånga-Tensta"
GROUP_SLUG = "rinkeby-kista-och-spanga-tensta"
NORRTALJE_AGREEMENT = "Lokal BUS-överenskommelse för Norrtälje"

AGENDA = "1. Föregående protokoll\n2. Remissrutin mellan skola och BUP"
ATTENDEES = "Omar Olsson, ordförande\nMaja Malmberg, Prima Barn BUP"
MINUTES = "Styrgruppen gick igenom höstens individforum och avvikelser."
DECISION = "Arbetsgruppen får i uppdrag att revidera remissrutinen."
ACTION = "Revidera remissrutinen mellan skola och BUP"
OWNER = "Arbetsgruppens sammankallande"
NARRATIVE = "Forumet har mötts inom två veckor i de flesta ärenden. Remissrutinen ska ses över."


def main_nav(page):
    return page.get_by_role("navigation", name="Huvudmeny")


def log_out(page):
    follow(page, page.get_by_role("button", name="Logga ut", exact=True))
    expect(page.locator("input[name=login]")).to_be_visible()


def submit(page, name):
    """Submit the page's form with the button ``name``; axe runs on what comes back."""
    return follow(page, page.get_by_role("button", name=name, exact=True))


def field_error(page, field_id):
    return page.locator(f"#{field_id}_error")


def expect_errors(page, *messages):
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Rätta följande för att gå vidare")
    for message in messages:
        expect(summary).to_contain_text(message)


def download(page, base_url, link):
    """GET the link's target with the page's cookies; returns the response."""
    response = page.request.get(base_url + link.get_attribute("href"))
    assert response.ok, f"{link} answered {response.status}"
    return response


def group_row(page, table):
    return table.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=GROUP, exact=True)
    )


def indicator_row(page, section, label):
    table = page.locator(f"section[aria-labelledby='{section}-heading'] table")
    return table.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=label, exact=True)
    )


def test_meeting_follow_up_and_county_compilation(page, demo_site):
    today = timezone.localdate()
    iso = datetime.date.isoformat
    term = Term.current_or_last(today)
    # A follow-up is approved once its year is over: the year the follow-up pages and the
    # county compilation open on is the last one that has ended.
    year, this_year = today.year - 1, today.year
    group = LocalGroup.objects.get(slug=GROUP_SLUG)

    # --- 1. The chair records a steering group meeting ------------------------------------
    login(page, demo_site, CHAIR)
    follow(page, main_nav(page).get_by_role("link", name="Styrning", exact=True))
    expect(page).to_have_url(f"{demo_site}/styrning/")
    expect(page.locator("h1")).to_have_text("Möten i länets BUS-organ")
    expect(
        page.get_by_role("heading", name="Möten per termin i länets lokala grupper")
    ).to_be_visible()
    overview = page.get_by_role("table", name="Möten per termin")
    expect(overview.locator("thead th")).to_have_text(
        ["Grupp", "Organ", str(term), str(term.previous())]  # "ht 2026", "vt 2026"
    )
    expect(page.locator("main")).to_contain_text(f"under {term.label} och {term.previous().label}")
    rows = overview.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=GROUP, exact=True)
    )
    expect(rows).to_have_count(2)  # its steering group and its working group
    steering_row = rows.filter(has=page.get_by_role("link", name="Styrgrupp", exact=True))
    expect(steering_row).to_have_count(1)
    expect(steering_row.locator("td .ds-tag")).to_have_count(2)
    follow(page, steering_row.get_by_role("link", name="Styrgrupp", exact=True))
    meetings_url = page.url
    assert re.fullmatch(rf"{demo_site}/styrning/organ/\d+/moten/", meetings_url), meetings_url
    expect(page.locator("h1")).to_contain_text("Möten: ")
    meetings_before = Meeting.objects.count()

    follow(page, page.get_by_role("link", name="Nytt möte", exact=True))
    add_url = page.url
    expect(page.locator("h1")).to_contain_text("Nytt möte: ")
    # A meeting next week cannot have minutes yet.
    page.get_by_label("Datum", exact=True).fill(iso(today + datetime.timedelta(days=7)))
    page.get_by_label("Klockslag").fill("13:00")
    page.get_by_label("Plats").fill("Rinkeby stadsdelsförvaltning, rum Järva")
    page.get_by_label("Dagordning").fill(AGENDA)
    page.get_by_label("Protokoll (frivilligt)", exact=True).fill(MINUTES)
    submit(page, "Spara")
    expect(page).to_have_url(add_url)
    too_early = "Protokoll kan inte föras för ett möte som inte har hållits än."
    expect_errors(page, too_early)
    expect(field_error(page, "id_minutes")).to_have_text(too_early)
    expect(page.get_by_label("Protokoll (frivilligt)", exact=True)).to_have_value(MINUTES)
    assert Meeting.objects.count() == meetings_before

    # Held today: minutes and attendees may be kept.
    page.get_by_label("Datum", exact=True).fill(iso(today))
    page.get_by_label("Närvarande").fill(ATTENDEES)
    submit(page, "Spara")
    meeting = Meeting.objects.order_by("-pk").first()
    assert Meeting.objects.count() == meetings_before + 1
    assert meeting.held_on == today and meeting.minutes_recorded_at is not None
    meeting_url = f"{demo_site}/styrning/moten/{meeting.pk}/"
    expect(page).to_have_url(meeting_url)
    expect(page.get_by_role("status")).to_contain_text("Mötet är sparat.")
    expect(page.locator("h1")).to_contain_text(iso(today))
    main = page.locator("main")
    expect(main).to_contain_text("13:00, Rinkeby stadsdelsförvaltning, rum Järva")
    expect(main).to_contain_text("Remissrutin mellan skola och BUP")
    expect(main).to_contain_text("Maja Malmberg, Prima Barn BUP")
    expect(main).to_contain_text(MINUTES)

    follow(page, page.get_by_role("link", name="Lägg till beslut", exact=True))
    expect(page.locator("h1")).to_have_text("Nytt beslut")
    page.get_by_label("Beslut", exact=True).fill(DECISION)
    submit(page, "Spara")
    expect(page).to_have_url(meeting_url)
    expect(page.get_by_role("status")).to_contain_text("Beslutet är sparat.")
    expect(main.locator("ul.ds-list li")).to_contain_text([DECISION])

    follow(page, page.get_by_role("link", name="Lägg till åtgärdspunkt", exact=True))
    items_url = page.url
    expect(page.locator("h1")).to_have_text("Ny åtgärdspunkt")
    due = today + datetime.timedelta(days=45)
    page.get_by_label("Åtgärd", exact=True).fill(ACTION)
    page.get_by_label("Klar senast").fill(iso(due))
    submit(page, "Spara")
    expect(page).to_have_url(items_url)
    no_owner = "Ange vem som ansvarar för åtgärden."
    expect_errors(page, no_owner)
    expect(field_error(page, "id_owner")).to_have_text(no_owner)
    expect(page.get_by_label("Åtgärd", exact=True)).to_have_value(ACTION)
    assert not meeting.action_items.exists()

    page.get_by_label("Ansvarig").fill(OWNER)
    submit(page, "Spara")
    expect(page).to_have_url(meeting_url)
    expect(page.get_by_role("status")).to_contain_text("Åtgärdspunkten är sparad.")
    items = page.get_by_role("table", name="Åtgärdspunkter")
    expect(items.locator("tbody tr")).to_have_count(1)
    expect(items.locator("tbody td")).to_have_text([ACTION, OWNER, iso(due), "Pågår"])

    ics = download(page, demo_site, page.get_by_role("link", name="Ladda ner kallelse (.ics)"))
    assert ics.headers["content-type"].startswith("text/calendar")
    ics_text = ics.text()
    assert "BEGIN:VCALENDAR" in ics_text and "BEGIN:VEVENT" in ics_text
    assert "DTSTART" in ics_text and today.strftime("%Y%m%d") in ics_text
    assert "Rinkeby stadsdelsförvaltning" in ics_text

    # The overview now counts the meeting for this term.
    follow(page, main_nav(page).get_by_role("link", name="Styrning", exact=True))
    expect(steering_row.locator("td").nth(1)).to_have_text("Har mötts")

    # --- 2. The chair approves the group's yearly follow-up -------------------------------
    follow(page, main.get_by_role("link", name="Årlig uppföljning", exact=True))
    expect(page).to_have_url(f"{demo_site}/styrning/uppfoljning/")
    expect(page.locator("h1")).to_have_text(f"Årlig uppföljning {year}")
    listed = page.get_by_role("table", name=f"Uppföljningar {year}").locator("tbody tr")
    expect(listed).to_have_count(1)  # his only group
    expect(listed).to_contain_text("Inte godkänd")

    # This year's page: the numbers so far, with the meeting just recorded, and no approval
    # before the year is over.
    visit(page, f"{demo_site}/styrning/uppfoljning/{GROUP_SLUG}/{this_year}/")
    expect(page.locator("h1")).to_have_text(f"Årlig uppföljning {this_year}, {GROUP}")
    expect(main).to_contain_text(f"Året {this_year} är inte slut")
    live = indicators.compute([group], this_year)[group.pk]
    now = indicators.compute([group], year)[group.pk]
    before = indicators.compute([group], year - 1)[group.pk]
    assert live["forum"]["raised"] > 0, "the demo has forum cases this year"
    expect(indicator_row(page, "forum", "Anmälda ärenden").locator("td")).to_have_text(
        [str(live["forum"]["raised"]), str(now["forum"]["raised"])]
    )
    label = "Styrgruppens möten, " + ("höstterminen" if term.season == "ht" else "vårterminen")
    expect(indicator_row(page, "meetings", label).locator("td").first).to_have_text(
        str(live["meetings"]["steering"][term.season])
    )
    assert live["meetings"]["steering"][term.season] >= 1  # the meeting just recorded
    expect(page.get_by_role("button", name="Godkänn")).to_have_count(0)
    expect(main).to_contain_text(
        f"Uppföljningen kan godkännas när året är slut, från 1 januari {this_year + 1}."
    )

    follow(page, main.get_by_role("link", name=f"Uppföljningen {year}", exact=True))
    follow_up_url = f"{demo_site}/styrning/uppfoljning/{GROUP_SLUG}/{year}/"
    expect(page).to_have_url(follow_up_url)
    expect(page.locator("h1")).to_have_text(f"Årlig uppföljning {year}, {GROUP}")
    expect(main).to_contain_text("Inte godkänd än.")
    # Computed numbers, the year before beside them.
    forum = page.locator("section[aria-labelledby='forum-heading'] table")
    expect(forum.locator("thead th")).to_have_text(["Indikator", str(year), str(year - 1)])
    expect(indicator_row(page, "forum", "Anmälda ärenden").locator("td")).to_have_text(
        [str(now["forum"]["raised"]), str(before["forum"]["raised"])]
    )
    expect(indicator_row(page, "deviations", "Inskickade avvikelser").locator("td")).to_have_text(
        [str(now["deviations"]["total"]), str(before["deviations"]["total"])]
    )
    expect(
        indicator_row(page, "meetings", "Styrgruppens möten, höstterminen").locator("td")
    ).to_have_text(
        [str(now["meetings"]["steering"]["ht"]), str(before["meetings"]["steering"]["ht"])]
    )
    for section in (
        "Individforum",
        "Avvikelser",
        "Möten per termin",
        "Samordnad individuell plan (SIP)",
    ):
        expect(page.get_by_role("heading", name=section, exact=True)).to_be_visible()

    page.get_by_role("textbox", name="Styrgruppens analys").fill(NARRATIVE)
    submit(page, "Godkänn")
    expect(page).to_have_url(follow_up_url)
    expect(page.get_by_role("status")).to_contain_text(f"Uppföljningen för {year} är godkänd.")
    record = YearlyFollowUp.objects.get(local_group=group, year=year)
    assert record.approved_by.email == CHAIR
    assert not reports.differs(record.indicators, now)  # the numbers, frozen as shown
    approved_on = iso(timezone.localtime(record.approved_at).date())
    expect(main.locator(".ds-alert[data-color=success]").last).to_contain_text(
        f"Godkänd {approved_on} av Omar Olsson."
    )
    expect(main).to_contain_text(NARRATIVE)

    # Approved once: no form, no button; a POST all the same changes nothing.
    expect(page.get_by_role("button", name="Godkänn")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Styrgruppens analys")).to_have_count(0)
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    again = page.request.post(
        follow_up_url,
        form={"csrfmiddlewaretoken": token, "narrative": "Ändrad", "action": "approve"},
        headers={"Referer": follow_up_url},
    )
    assert again.ok, again.status
    assert f"Uppföljningen för {year} är redan godkänd. Inget har ändrats." in again.text()
    record.refresh_from_db()
    assert record.narrative == NARRATIVE and record.approved_by.email == CHAIR

    # --- 3. The secretariat's county compilation ------------------------------------------
    log_out(page)
    login(page, demo_site, SECRETARIAT)
    follow(page, main.get_by_role("link", name="Länets årliga uppföljning", exact=True))
    expect(page).to_have_url(f"{demo_site}/styrning/lansuppfoljning/{year}/")
    expect(page.locator("h1")).to_have_text(f"Länets årliga uppföljning av BUS {year}")
    statuses = page.get_by_role("table", name="Godkända uppföljningar")
    expect(statuses.locator("thead th")).to_have_text(["Lokal grupp", str(year), str(year - 1)])
    groups = LocalGroup.objects.count()
    expect(statuses.locator("tbody tr")).to_have_count(groups)
    expect(group_row(page, statuses).locator("td").first).to_have_text(f"Godkänd {approved_on}")
    expect(main).to_contain_text(f"1 av {groups} lokala grupper har godkänt")
    whole = page.get_by_role("table", name=f"Hela länet, {year} och {year - 1}")
    expect(whole.locator("thead th")).to_have_text(["Indikator", str(year), str(year - 1)])

    # The forum's panel: the groups side by side, each year beside the year before; a chart
    # only when there is something to draw.
    forum_panel = page.locator("section[aria-labelledby='forum-heading']")
    expect(forum_panel.locator("figure.chart svg, p.chart-empty")).to_have_count(1)
    forum_table = forum_panel.get_by_role("table", name=f"Anmälda ärenden i individforum {year}")
    expect(forum_table.locator("thead th")).to_have_text(
        [
            "Lokal grupp",
            f"Anmälda {year}",
            f"Anmälda {year - 1}",
            f"Lyfta till styrgruppen {year}",
            f"Lyfta till styrgruppen {year - 1}",
        ]
    )
    expect(forum_table.locator("tbody tr")).to_have_count(groups)
    expect(forum_table.locator("tfoot th")).to_have_text("Hela länet")
    expect(group_row(page, forum_table).locator("td")).to_have_text(
        [
            str(now["forum"]["raised"]),
            str(before["forum"]["raised"]),
            str(now["forum"]["lifted"]),
            str(before["forum"]["lifted"]),
        ]
    )
    # Every group met in the year: the meetings' panel has its chart, an inline SVG.
    title = f"Styr- och arbetsgruppens möten {year}"
    meetings_panel = page.locator("section[aria-labelledby='meetings-heading']")
    expect(meetings_panel.get_by_role("img", name=title)).to_have_count(1)
    expect(meetings_panel.locator("figure.chart > svg")).to_have_count(1)
    meetings_table = meetings_panel.get_by_role("table", name=title)
    total = sum(now["meetings"]["steering"].values()) + sum(now["meetings"]["working"].values())
    expect(group_row(page, meetings_table).locator("td").first).to_have_text(str(total))
    # Every chart sits above its own table.
    charts = main.locator("figure.chart svg")
    assert charts.count() >= 3, charts.count()
    for index in range(charts.count()):
        section = charts.nth(index).locator("xpath=ancestor::section[1]")
        expect(section.get_by_role("table")).to_have_count(1)

    pdf = make_file(page, demo_site, "Skapa PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    xlsx = make_file(page, demo_site, "Skapa kalkylblad (Excel)")
    assert xlsx.headers["content-type"] == XLSX
    assert xlsx.body().startswith(b"PK")

    # --- 4. Agreements and the documents library ------------------------------------------
    follow(page, main_nav(page).get_by_role("link", name="Styrning", exact=True))
    follow(page, main.get_by_role("link", name="Överenskommelser", exact=True))
    expect(page).to_have_url(f"{demo_site}/styrning/overenskommelser/")
    agreements = page.get_by_role("table", name="Överenskommelser, den regionala först")
    norrtalje = agreements.locator("tbody tr").filter(has_text=NORRTALJE_AGREEMENT)
    expect(norrtalje.locator("td")).to_contain_text(["Norrtälje", "2009-12-18", "2014-02-01"])
    follow(page, norrtalje.get_by_role("link", name=NORRTALJE_AGREEMENT, exact=True))
    expect(page.locator("h1")).to_have_text(NORRTALJE_AGREEMENT)
    facts = main.locator("dl.facts")
    expect(facts).to_contain_text("Lokal överenskommelse")
    expect(facts.locator("dt:has-text('Undertecknad') + dd")).to_have_text("2009-12-18")
    revisions = page.get_by_role("table", name="Revideringar")
    expect(revisions.locator("tbody td:first-child")).to_have_text(["2012-05-01", "2014-02-01"])
    expect(revisions).to_contain_text("Reviderad i maj 2012.")
    expect(revisions).to_contain_text("Reviderad i februari 2014")
    signatories = page.get_by_role("table", name="Undertecknare")
    expect(signatories.locator("tbody tr")).to_have_count(4)

    visit(page, f"{demo_site}/styrning/dokument/")
    expect(page.locator("h1")).to_have_text("Dokumentbibliotek")
    library = page.get_by_role("table", name="Dokument efter typ, regionala först")
    headings = library.locator("thead th")
    expect(headings.filter(has_text=re.compile(r"^Uppdaterad$"))).to_have_count(1)
    expect(headings.filter(has_text=re.compile(r"^Faktagranskad$"))).to_have_count(1)
    regional = library.locator("tbody tr").first
    expect(regional.locator("td").nth(3)).to_have_text("2020-10-26")
    expect(regional.locator("td").nth(4)).to_have_text("2020-09-13")


def test_who_convenes_in_a_year(page, demo_site):
    """Issue 11, item 7: the rotation page answers for any year from the rotation's start,
    with the principals' full names; a year out of range is refused at the field."""
    this_year = timezone.localdate().year
    login(page, demo_site, CHAIR)
    follow(page, main_nav(page).get_by_role("link", name="Styrning", exact=True))
    rotations = page.get_by_role("table", name="Roterande sammankallande")
    follow(page, rotations.get_by_role("link", name="Samrådsgrupp (BUS Norrtälje)"))
    expect(page.locator("h1")).to_have_text("Sammankallande: Samrådsgrupp (BUS Norrtälje)")
    expect(page.get_by_label("År", exact=True)).to_have_value("")
    expect(page.locator("#convener")).to_contain_text(f"{this_year} är ")

    page.get_by_label("År", exact=True).fill("2019")
    submit(page, "Visa året")
    before = "Turordningen började 2020, så den säger inget om 2019."
    expect_errors(page, before)
    expect(field_error(page, "id_ar")).to_contain_text(before)
    expect(page.locator("#convener")).to_have_count(0)

    page.get_by_label("År", exact=True).fill("2029")
    submit(page, "Visa året")
    expect(page.locator("#convener")).to_have_text(
        "2029 är Kommunalförbundet Sjukvård och omsorg i Norrtälje (KSON) sammankallande."
    )
    following = page.get_by_role("table", name="Turordningen de följande åren")
    expect(following.locator("tbody th")).to_have_text(["2029", "2030", "2031"])
    expect(following.locator("tbody tr").nth(2).locator("td")).to_have_text(
        ["Norrtälje kommun", "Socialnämnden"]
    )
