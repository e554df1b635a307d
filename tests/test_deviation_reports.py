"""Deviation statistics, charts and the yearly compilation: every number checked against a
count done by hand, the recurrence flag, the page, the PDF, the spreadsheet, who may see
them, the access log and a query count that does not grow with the data."""

import datetime
import io
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from samverkan import charts
from samverkan.audit.models import AccessLog
from samverkan.deviations import compilation, stats
from samverkan.deviations.models import Category, Deviation
from samverkan.exports.models import Export
from samverkan.organisations.models import LocalGroup, Unit
from tests.helpers import count_queries
from tests.tagged_pdf import assert_accessible

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
PERIOD = "?fran=2025-01-01&till=2025-12-31"
TITLE = "Redovisning av BUS-avvikelser inkomna under perioden 2025-01-01 till 2025-12-31"
PERIOD_DATA = {"fran": "2025-01-01", "till": "2025-12-31"}
URLS = ["patterns", "compilation", "compilation_pdf", "compilation_xlsx"]
EXPORTS = ["compilation_pdf", "compilation_xlsx"]

SCHOOL_BUP = "Grundskola ↔ Barn- och ungdomspsykiatri (BUP)"
SCHOOL_SOCIAL = "Grundskola ↔ Socialtjänst, barn och unga"
SOCIAL_BVC = "Socialtjänst, barn och unga ↔ Barnhälsovård (BVC)"
BVC_MUNICIPALITY = "Barnhälsovård (BVC) ↔ Kommun"
SOCIAL_REGION = "Socialtjänst, barn och unga ↔ Region"


# --- the hand-counted county ------------------------------------------------------------------
@pytest.fixture
def county(staff, municipality, region, area, school, bup, group):
    """Seven reports in 2025 that count, one draft and one from 2024 that must not.

    #     reporting -> other parties         group   category  occurred    step        P  judgement
    0001  school -> bup                      Testby  Oklart    2025-02-10  supervisors y  guideline
    0002  school -> bup, bup2, social        Testby  Oklart    2025-03-05  forum       n  -
    0003  bup -> school                      Testby  Väntetid  2025-05-20  resolved    n  no_action
    0004  social -> bvc                      Norrby  Remiss    2025-04-02  steering    y  -
    0005  bvc -> (principal) municipality    Norrby  Väntetid  2025-06-30  supervisors n  -
    0006  school2 -> bup                     Norrby  Oklart    2025-01-01  bussam      n  -
    0007  social -> bvc, (principal) region  Testby  Remiss    2025-02-28  resolved    n  clarif.
    draft school2 -> bup                     Norrby  Oklart    2025-03-01  draft       y  guideline
    2024  school2 -> bup                     Norrby  Väntetid  2024-12-31  supervisors y  guideline

    (P: of a principled nature.)
    """
    social = Unit.objects.create(
        principal=municipality, name="Socialtjänsten Testby", kind=Unit.Kind.SOCIAL_SERVICES
    )
    bvc = Unit.objects.create(principal=region, name="BVC Testby", kind=Unit.Kind.CHILD_HEALTH_CARE)
    bup2 = Unit.objects.create(principal=region, name="BUP Norrby", kind=Unit.Kind.BUP)
    school2 = Unit.objects.create(
        principal=municipality, name="Andra skolan", kind=Unit.Kind.COMPULSORY_SCHOOL
    )
    norrby = LocalGroup.objects.create(name="BUS Norrby", slug="norrby")
    unclear = Category.objects.get(name="Oklart ansvar")
    waiting = Category.objects.get(name="Väntetid")
    referral = Category.objects.get(name="Remiss avvisad")

    def report(number, unit, others, grp, category, day, step, principals=(), **fields):
        deviation = Deviation.objects.create(
            reference=f"AV-{day.year}-{number:04d}" if step != "draft" else None,
            title=fields.pop("title", f"Rapport {number}"),
            reporting_unit=unit,
            reporter=staff,
            local_group=grp,
            occurred_on=day,
            what_happened="Det som hände.",
            consequence="Barnet fick vänta.",
            category=category,
            agreement_part="responsibility",
            step=step,
            submitted_at=None if step == "draft" else timezone.now(),
            **fields,
        )
        deviation.other_units.set(others)
        deviation.other_principals.set(principals)
        return deviation

    d = datetime.date
    reports = [
        report(1, school, [bup], group, unclear, d(2025, 2, 10), "supervisors",
               is_principled=True, principled_question="Vem ansvarar för utredningen?",
               judgement="guideline", judgement_note="Regional riktlinje behövs."),
        report(2, school, [bup, bup2, social], group, unclear, d(2025, 3, 5), "forum"),
        report(3, bup, [school], group, waiting, d(2025, 5, 20), "resolved",
               judgement="no_action", judgement_note="Löst lokalt."),
        report(4, social, [bvc], norrby, referral, d(2025, 4, 2), "steering",
               title="=1+1 remiss", is_principled=True,
               principled_question="Får BVC avvisa en remiss från socialtjänsten?"),
        report(5, bvc, [], norrby, waiting, d(2025, 6, 30), "supervisors",
               principals=[municipality]),
        report(6, school2, [bup], norrby, unclear, d(2025, 1, 1), "bussam"),
        report(7, social, [bvc], group, referral, d(2025, 2, 28), "resolved",
               principals=[region], judgement="clarification",
               judgement_note="Ansvaret behöver förtydligas."),
    ]  # fmt: skip
    report(8, school2, [bup], norrby, unclear, d(2025, 3, 1), "draft",
           is_principled=True, principled_question="Utkast", judgement="guideline")  # fmt: skip
    report(9, school2, [bup], norrby, waiting, d(2024, 12, 31), "supervisors",
           is_principled=True, principled_question="Förra året", judgement="guideline")  # fmt: skip
    units = {"school": school, "bup": bup, "bup2": bup2, "social": social, "bvc": bvc,
             "school2": school2}  # fmt: skip
    return {"reports": reports, "units": units, "norrby": norrby}


@pytest.fixture
def numbers(county):
    return stats.compute(START, END)


# --- stats: every number against a hand count -------------------------------------------------
def test_total_and_principled(numbers):
    assert numbers.total == 7
    assert numbers.principled == 2
    assert (numbers.date_from, numbers.date_to) == (START, END)


def test_by_category(numbers):
    assert numbers.by_category.as_dict() == {
        "Remiss avvisad": 2,
        "Oklart ansvar": 3,
        "Väntetid": 2,
        "Information delades inte": 0,
        "SIP hölls inte": 0,
        "Annat": 0,
    }
    # In the secretariat's order of the list.
    assert [row.label for row in numbers.by_category.rows][:3] == [
        "Remiss avvisad", "Oklart ansvar", "Väntetid"
    ]  # fmt: skip


def test_by_pair_of_unit_kinds(numbers):
    rows = [(row.label, row.count) for row in numbers.by_kind_pair.rows]
    # Report 2 has two BUP clinics: its school ↔ BUP pair counts once. Report 3 is BUP
    # reporting the school: the same unordered pair. Principals count by their own kind.
    assert rows == [
        (SCHOOL_BUP, 4),  # 1, 2, 3, 6
        (SOCIAL_BVC, 2),  # 4, 7
        (BVC_MUNICIPALITY, 1),  # 5
        (SCHOOL_SOCIAL, 1),  # 2
        (SOCIAL_REGION, 1),  # 7
    ]


def test_by_local_group(numbers):
    assert [(row.label, row.count) for row in numbers.by_group.rows] == [
        ("BUS Norrby", 3),  # 4, 5, 6
        ("BUS Testby", 4),  # 1, 2, 3, 7
    ]


def test_by_quarter(numbers):
    assert [(row.label, row.count) for row in numbers.by_quarter.rows] == [
        ("2025 Q1", 4),  # 1 (Feb 10), 2 (Mar 5), 6 (Jan 1), 7 (Feb 28)
        ("2025 Q2", 3),  # 3 (May 20), 4 (Apr 2), 5 (Jun 30)
        ("2025 Q3", 0),
        ("2025 Q4", 0),
    ]


def test_by_step(numbers):
    assert numbers.by_step.as_dict() == {
        "Hos närmaste chefer": 2,  # 1, 5
        "Lyft till individforum": 1,  # 2
        "Hos lokala styrgruppen": 1,  # 4
        "Hos BUSSAM": 1,  # 6
        "Avslutad": 2,  # 3, 7
    }
    assert "Utkast" not in numbers.by_step.as_dict()


def test_principled_questions(numbers):
    assert [
        (q["reference"], q["title"], q["principled_question"]) for q in numbers.principled_questions
    ] == [
        ("AV-2025-0001", "Rapport 1", "Vem ansvarar för utredningen?"),
        ("AV-2025-0004", "=1+1 remiss", "Får BVC avvisa en remiss från socialtjänsten?"),
    ]


def test_judgements(numbers):
    assert numbers.by_judgement.as_dict() == {
        "Ingen bedömning ännu": 4,  # 2, 4, 5, 6
        "Behov av regional riktlinje": 1,  # 1
        "Behov av förtydligande": 1,  # 7
        "Behov av samverkansrutin": 0,
        "Ingen regional åtgärd": 1,  # 3
    }
    listed = [
        (j["reference"], j["judgement_label"], j["judgement_note"]) for j in numbers.judgements
    ]
    assert listed == [
        ("AV-2025-0001", "Behov av regional riktlinje", "Regional riktlinje behövs."),
        ("AV-2025-0003", "Ingen regional åtgärd", "Löst lokalt."),
        ("AV-2025-0007", "Behov av förtydligande", "Ansvaret behöver förtydligas."),
    ]
    assert numbers.judged == 3


def test_recurring_pairs(numbers, county):
    # school–bup: 1, 2 and 3 (3 the other way round); social–bvc: 4 and 7. school2–bup has
    # only report 6 in the period: the draft and the 2024 report do not count.
    pairs = {frozenset(pair.units): (pair.count, pair.references) for pair in numbers.recurring}
    assert pairs == {
        frozenset({"Testskolan, Testby kommun", "BUP Testby, Region Test"}): (
            3, ("AV-2025-0001", "AV-2025-0002", "AV-2025-0003")
        ),
        frozenset({"Socialtjänsten Testby, Testby kommun", "BVC Testby, Region Test"}): (
            2, ("AV-2025-0004", "AV-2025-0007")
        ),
    }  # fmt: skip
    assert [pair.count for pair in numbers.recurring] == [3, 2]


def test_recurring_pair_ids_for_other_views(county):
    units, reports = county["units"], county["reports"]
    submitted = stats.submitted(START, END)
    assert stats.recurring_pair_ids(submitted) == {
        stats.pair_key(units["school"].pk, units["bup"].pk),
        stats.pair_key(units["social"].pk, units["bvc"].pk),
    }
    assert stats.recurring_deviation_ids(submitted) == {reports[i].pk for i in (0, 1, 2, 3, 6)}
    # Over every report ever (drafts included) school2–bup recurs too; with three required,
    # only school–bup is left.
    everything = Deviation.objects.all()
    assert stats.pair_key(units["school2"].pk, units["bup"].pk) in stats.recurring_pair_ids(
        everything
    )
    assert stats.recurring_pair_ids(submitted, minimum=3) == {
        stats.pair_key(units["school"].pk, units["bup"].pk)
    }
    assert stats.recurring_deviation_ids(Deviation.objects.none()) == set()


def test_an_empty_period(county):
    numbers = stats.compute(datetime.date(2030, 1, 1), datetime.date(2030, 6, 30))
    assert numbers.total == numbers.principled == 0
    assert numbers.recurring == [] and numbers.by_kind_pair.rows == []
    assert [row.label for row in numbers.by_quarter.rows] == ["2030 Q1", "2030 Q2"]
    assert all(breakdown.is_empty for breakdown in numbers.breakdowns)


def test_a_period_is_inclusive_at_both_ends(county):
    assert stats.compute(datetime.date(2024, 12, 31), datetime.date(2025, 1, 1)).total == 2
    assert stats.compute(datetime.date(2025, 6, 30), datetime.date(2025, 6, 30)).total == 1


def test_stats_run_a_fixed_number_of_queries(county):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            stats.compute(START, END)
        return len(captured)

    before = queries()
    grow(county, 12)
    assert queries() == before


# --- charts -----------------------------------------------------------------------------------
def test_a_chart_is_accessible_svg_without_inline_style(numbers):
    svg = charts.bar_chart("chart-category", "Kategorier", numbers.by_category.rows)
    labelled_by = 'aria-labelledby="chart-category-title chart-category-desc"'
    assert svg.startswith(f'<svg role="img" {labelled_by}')
    assert '<title id="chart-category-title">Kategorier</title>' in svg
    assert "Oklart ansvar: 3" in re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
    assert " style=" not in svg and "<style" not in svg
    # Every id is the chart's own, so several charts can share a page.
    assert all(i.startswith("chart-category-") for i in re.findall(r' id="([^"]+)"', svg))
    assert ">Oklart ansvar<" in svg  # real text, not glyph outlines


def test_nothing_to_draw_gives_no_chart(county):
    empty = stats.compute(datetime.date(2030, 1, 1), datetime.date(2030, 12, 31))
    assert charts.bar_chart("x", "Kategorier", empty.by_category.rows) is None


def bars(*pairs):
    return [SimpleNamespace(label=label, count=count) for label, count in pairs]


SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own markup, made in the test)


def test_a_chart_is_well_formed_xml_with_a_bar_and_a_number_per_row():
    rows = bars(("Grundskola", 3), ("BUP", 0), ("Socialtjänst, barn och unga", 12))
    svg = charts.bar_chart("chart-x", "Par", rows)
    root = parse(svg)
    assert root.tag == f"{SVG}svg" and root.get("class") == "chart__svg"
    assert root.get("viewBox").startswith("0 0 ")
    texts = ["".join(text.itertext()) for text in root.iter(f"{SVG}text")]
    assert texts[0] == "Par"  # the title, drawn, bold, at the top
    assert {"Grundskola", "BUP", "Socialtjänst, barn och unga", "3", "0", "12"} <= set(texts)
    assert len(root.findall(f".//{SVG}rect")) == 2  # no bar for a zero
    assert charts.bar_chart("chart-x", "Par", rows) == svg  # the same bytes every time


def test_the_description_lists_every_bar():
    rows = bars(("Grundskola", 3), ("BUP", 0), ("Socialtjänst, barn och unga", 12))
    svg = charts.bar_chart("chart-x", "Par", rows)
    description = parse(svg).find(f"{SVG}desc").text
    assert description == "Grundskola: 3; BUP: 0; Socialtjänst, barn och unga: 12"
    given = charts.bar_chart("chart-x", "Par", rows, description="Tre par.")
    assert parse(given).find(f"{SVG}desc").text == "Tre par."


def test_text_in_a_chart_is_escaped():
    svg = charts.bar_chart("chart-x", 'Titel <b>&"', bars(('<script>&"x"', 2)))
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;&amp;&quot;x&quot;" in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == 'Titel <b>&"'
    assert '<script>&"x"' in ["".join(text.itertext()) for text in root.iter(f"{SVG}text")]


def test_two_charts_on_a_page_share_no_id():
    rows = bars(("A", 1), ("B", 2))
    first = charts.bar_chart("chart-category", "Kategorier", rows)
    second = charts.bar_chart("chart-kind_pair", "Par", rows)
    ids = [re.findall(r' id="([^"]+)"', svg) for svg in (first, second)]
    assert ids[0] and ids[1] and not set(ids[0]) & set(ids[1])
    assert charts.bar_chart('x" onload="alert(1)', "T", rows).startswith(
        '<svg role="img" aria-labelledby="x--onload--alert-1--title x--onload--alert-1--desc"'
    )


def test_three_hundred_rows_give_three_hundred_bars_and_long_labels_wrap():
    long = "Barn- och ungdomspsykiatri (BUP) ↔ Socialtjänst, barn och unga, lokal grupp"
    rows = bars(*[(f"{long} {i}", i + 1) for i in range(300)])
    root = parse(charts.bar_chart("chart-many", "Många", rows))
    assert len(root.findall(f".//{SVG}rect")) == 300
    spans = [span.text for span in root.iter(f"{SVG}tspan")]
    assert "Barn- och ungdomspsykiatri (BUP) ↔" in spans
    assert max(len(span) for span in spans) <= charts.LABEL_WIDTH
    # The chart grows with the label lines (two a row here), and its axis has round steps.
    assert float(root.get("height")) > 300 * 2 * charts.FONT_SIZE
    axis = root.find(f".//{SVG}g[@text-anchor='middle']")
    assert [text.text for text in axis] == ["0", "100", "200", "300"]


def test_axis_steps_are_round():
    assert [charts._step(n) for n in (1, 3, 4, 5, 7, 33, 100, 300, 4000)] == [
        1, 1, 1, 2, 2, 10, 50, 100, 1000
    ]  # fmt: skip


# --- the pages --------------------------------------------------------------------------------
def test_compilation_page_shows_the_title_and_the_numbers(client_for, secretariat, county):
    response = client_for(secretariat).get(reverse("deviations:compilation") + PERIOD)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="ds-heading" data-size="lg">{TITLE}</h1>' in html
    assert html.count("<h1") == 1
    assert "<dt>Antal rapporter</dt><dd>7</dd>" in html
    assert "<dt>Varav av principiell karaktär</dt><dd>2</dd>" in html
    for label, count in [
        ("Oklart ansvar", 3),
        (SCHOOL_BUP, 4),
        ("BUS Testby", 4),
        ("2025 Q1", 4),
        ("Avslutad", 2),
        ("Behov av förtydligande", 1),
    ]:
        assert f'<th scope="row">{label}</th><td class="numeric">{count}</td>' in html, label
    # A chart for each breakdown, each beside its table; nothing the CSP would block.
    assert html.count('role="img"') == 6
    assert html.count('<figure class="chart">') == 6
    assert " style=" not in html and "<style" not in html
    assert "Vem ansvarar för utredningen?" in html and "Regional riktlinje behövs." in html
    assert "AV-2024-0009" not in html and "Utkast" not in html
    # Pseudonymised: the reporter is nowhere.
    assert "Kurator" not in html and secretariat.email in html  # the header names the viewer
    assert "kurator@testskolan.example" not in html
    # The files are asked for with a POST carrying the period; made in the background.
    form = html.split(f'action="{reverse("deviations:compilation_pdf")}"', 1)[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="fran" value="2025-01-01">' in form
    assert '<input type="hidden" name="till" value="2025-12-31">' in form
    assert 'name="grupp"' not in form  # the whole county
    assert ">Skapa PDF</button>" in form
    assert f'formaction="{reverse("deviations:compilation_xlsx")}"' in form
    assert ">Skapa kalkylblad (Excel)</button>" in form
    assert " download>" not in html


def test_patterns_page_flags_recurring_pairs(client_for, secretariat, county):
    response = client_for(secretariat).get(reverse("deviations:patterns") + PERIOD)
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<h1") == 1
    assert "Hela länet, perioden 2025-01-01 till 2025-12-31" in html
    assert "2 par av verksamheter har två eller fler rapporter" in html
    assert "Testskolan, Testby kommun ↔ BUP Testby, Region Test" in html or (
        "BUP Testby, Region Test ↔ Testskolan, Testby kommun" in html
    )
    review = reverse("deviations:review", args=[county["reports"][2].pk])
    assert f'href="{review}">AV-2025-0003</a>' in html
    assert html.count('<figure class="chart">') == 6
    assert "Kurator" not in html


def test_default_period_is_this_calendar_year(client_for, secretariat, county):
    response = client_for(secretariat).get(reverse("deviations:patterns"))
    year = timezone.localdate().year
    numbers = response.context["stats"]
    assert (numbers.date_from, numbers.date_to) == (
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
    )
    assert f'value="{year}-01-01"' in response.content.decode()


def test_one_end_of_the_period_fills_in_the_other(client_for, secretariat, county):
    response = client_for(secretariat).get(reverse("deviations:compilation") + "?fran=2025-03-01")
    assert response.context["stats"].date_to == END
    response = client_for(secretariat).get(reverse("deviations:compilation") + "?till=2025-03-31")
    assert response.context["stats"].date_from == START
    assert response.context["stats"].total == 4


def test_a_reversed_period_is_a_field_error(client_for, secretariat, county):
    client = client_for(secretariat)
    for name in ["patterns", "compilation"]:
        response = client.get(reverse(f"deviations:{name}") + "?fran=2025-12-31&till=2025-01-01")
        assert response.status_code == 200
        assert response.context["form"].errors["till"] == [
            "Slutdatum kan inte ligga före startdatum."
        ]
        assert "stats" not in response.context
        assert 'id="error-summary"' in response.content.decode()
    reversed_period = {"fran": "2025-12-31", "till": "2025-01-01"}
    response = client.post(reverse("deviations:compilation_pdf"), reversed_period)
    assert response.status_code == 302
    assert response.url == reverse("deviations:compilation") + "?fran=2025-12-31&till=2025-01-01"
    assert not Export.objects.exists()


def ask(client, name, capture, data=PERIOD_DATA):
    """Press the page's button: the file is made in the background (at once in the tests,
    once the request has committed); returns the answer and the export."""
    with capture(execute=True):
        response = client.post(reverse(f"deviations:{name}"), data)
    export = Export.objects.order_by("-created_at").first()
    return response, export


def fetch(client, export):
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200
    return response


def test_pdf(client_for, secretariat, county, django_capture_on_commit_callbacks):
    client = client_for(secretariat)
    response, export = ask(client, "compilation_pdf", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response.url == export.get_absolute_url()
    assert export.kind == "deviations.compilation.pdf" and export.status == "ready"
    assert export.requested_by == secretariat
    assert export.params == {
        "fran": "2025-01-01", "till": "2025-12-31", "grupp": None, "user": secretariat.pk
    }  # fmt: skip
    assert (
        export.title == "Sammanställning av avvikelser som PDF, hela länet, 2025-01-01 – 2025-12-31"
    )
    response = fetch(client, export)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="bus-avvikelser-2025-01-01-2025-12-31.pdf"' in response["Content-Disposition"]
    pdf = assert_accessible(
        response.content,
        title=TITLE,
        reading_order=[
            "Redovisning av BUS-avvikelser", "Sammanfattning", "Antal rapporter", "Kategorier",
            "Kategori", "Remiss avvisad", "Principiella frågor", "Vem ansvarar för",
        ],
    )  # fmt: skip
    # Each chart is a figure read out by its title; its numbers are in the table after it.
    assert [str(figure["/Alt"]) for figure in pdf.of_kind("Figure")] == [
        "Kategorier", "Par av verksamhetstyper", "Lokala BUS-grupper", "Kvartal", "Steg",
        "Sekretariatets bedömningar",
    ]  # fmt: skip


def test_the_pdf_is_made_without_a_request(secretariat, county):
    """The worker has no request: the builder renders from the export alone. The PDF's
    styling is inline in its template (no static file to fetch, so no base URL)."""
    from samverkan.deviations import report_exports

    export = Export(
        requested_by=secretariat, kind=report_exports.PDF,
        params=report_exports.params((START, END), None, secretariat),
    )  # fmt: skip
    built = report_exports.build_pdf(export)
    assert built.content.startswith(b"%PDF")
    assert built.file_name == "bus-avvikelser-2025-01-01-2025-12-31.pdf"


def test_pdf_markup_embeds_the_charts_and_names_no_reporter(rf, secretariat, numbers):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = secretariat
    context = compilation.context(numbers)
    html = render_to_string("deviations/compilation_pdf.html", context, request)
    assert f"<h1>{TITLE}</h1>" in html
    assert html.count("<svg") == 6
    assert "Kurator" not in html and "kurator@" not in html


def test_xlsx(client_for, secretariat, county, django_capture_on_commit_callbacks):
    client = client_for(secretariat)
    response, export = ask(client, "compilation_xlsx", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response.url == export.get_absolute_url()
    response = fetch(client, export)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bus-avvikelser-2025-01-01-2025-12-31.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Sammanfattning", "Kategorier", "Verksamhetstyper", "Lokala grupper", "Kvartal", "Steg",
        "Bedömningar", "Principiella frågor", "Bedömningar med kommentar", "Återkommande par",
    ]  # fmt: skip
    summary = workbook["Sammanfattning"]
    assert summary["A1"].value == TITLE
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=3, values_only=True) if row[0]}
    assert values["Antal rapporter"] == 7
    assert values["Varav av principiell karaktär"] == 2
    assert values["Med sekretariatets bedömning"] == 3
    assert values["Par av verksamheter med två eller fler rapporter"] == 2
    assert values["Från och med"].date() == START and values["Till och med"].date() == END

    def table(name):
        return list(workbook[name].iter_rows(min_row=2, values_only=True))

    assert ("Oklart ansvar", 3) in table("Kategorier")
    assert table("Verksamhetstyper")[0] == (SCHOOL_BUP, 4)
    assert table("Lokala grupper") == [("BUS Norrby", 3), ("BUS Testby", 4)]
    assert table("Kvartal") == [("2025 Q1", 4), ("2025 Q2", 3), ("2025 Q3", 0), ("2025 Q4", 0)]
    principled = workbook["Principiella frågor"]
    assert [row[0] for row in table("Principiella frågor")] == ["AV-2025-0001", "AV-2025-0004"]
    # A title that looks like a formula stays text.
    assert principled["B3"].value == "=1+1 remiss" and principled["B3"].data_type == "s"
    assert len(table("Bedömningar med kommentar")) == 3
    assert sorted(row[2] for row in table("Återkommande par")) == [2, 3]
    everything = " ".join(
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )
    assert "Kurator" not in everything and "kurator@" not in everything


def test_exports_are_logged_with_the_period(
    client_for, secretariat, county, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    for name in EXPORTS:
        ask(client, name, django_capture_on_commit_callbacks)
    entries = AccessLog.objects.filter(action="export").order_by("id")
    assert entries.count() == 2
    for entry, export in zip(entries, Export.objects.order_by("created_at"), strict=True):
        assert entry.user == secretariat and entry.object_type == "exports.export"
        assert entry.object_id == str(export.pk)
        assert "2025-01-01" in entry.reason and "2025-12-31" in entry.reason
        assert "hela länet" in entry.reason
    client.get(reverse("deviations:compilation") + PERIOD)
    assert AccessLog.objects.filter(action="view", reason__contains="2025-12-31").exists()


@pytest.mark.parametrize("name", EXPORTS)
def test_a_get_goes_back_to_the_page(client_for, secretariat, county, name):
    response = client_for(secretariat).get(reverse(f"deviations:{name}") + PERIOD)
    assert response.status_code == 302
    assert response.url == reverse("deviations:compilation") + PERIOD
    response = client_for(secretariat).get(reverse(f"deviations:{name}"))
    assert response.url == reverse("deviations:compilation")
    assert not Export.objects.exists()
    assert not AccessLog.objects.filter(action="export").exists()


def test_asking_twice_makes_one_job(client_for, secretariat, county):
    """Pressed twice before the first is done (the worker busy: no on-commit callbacks run
    here), the second press goes to the first file."""
    client = client_for(secretariat)
    first = client.post(reverse("deviations:compilation_pdf"), PERIOD_DATA)
    second = client.post(reverse("deviations:compilation_pdf"), PERIOD_DATA)
    export = Export.objects.get()
    assert export.status == "queued"
    assert first.url == second.url == export.get_absolute_url()
    page = client.get(second.url)
    assert "Du har redan beställt den här filen. Den skapas nu." in page.text
    # Another period, another file; the same file for someone else is theirs.
    client.post(reverse("deviations:compilation_pdf"), {**PERIOD_DATA, "till": "2025-06-30"})
    client.post(reverse("deviations:compilation_xlsx"), PERIOD_DATA)
    assert Export.objects.count() == 3


# --- who may see them -------------------------------------------------------------------------
@pytest.mark.parametrize("name", URLS)
def test_anonymous_users_are_sent_to_log_in(client, db, name):
    response = client.get(reverse(f"deviations:{name}"))
    assert response.status_code == 302 and "/konto/login/" in response.url


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("who", ["outsider", "staff", "manager", "log_reviewer", "admin_user"])
def test_only_the_secretariat_may_see_them(client_for, request, name, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get(reverse(f"deviations:{name}") + PERIOD).status_code == 403


@pytest.mark.parametrize("name", URLS)
def test_the_secretariat_may(client_for, secretariat, name):
    response = client_for(secretariat).get(reverse(f"deviations:{name}") + PERIOD)
    assert response.status_code == (302 if name in EXPORTS else 200)
    if name in EXPORTS:
        response = client_for(secretariat).post(reverse(f"deviations:{name}"), PERIOD_DATA)
        assert response.status_code == 302 and response.url.startswith("/exporter/")


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("who", ["outsider", "staff", "manager", "log_reviewer", "admin_user"])
def test_only_the_readers_may_ask_for_the_files(client_for, request, name, who):
    user = request.getfixturevalue(who)
    response = client_for(user).post(reverse(f"deviations:{name}"), PERIOD_DATA)
    assert response.status_code == 403
    assert not Export.objects.exists()


def test_secretariat_start_page_links(client_for, secretariat):
    html = client_for(secretariat).get(reverse("home")).content.decode()
    assert reverse("deviations:patterns") in html and "Mönster i avvikelser" in html
    assert reverse("deviations:compilation") in html and "Årlig sammanställning" in html


# --- the query count does not grow with the data ----------------------------------------------
def grow(county, n):
    """n more reports: new units, groups, principled ones, judged ones, recurring pairs."""
    units = county["units"]
    reports = county["reports"]
    template = reports[0]
    for i in range(n):
        extra = Unit.objects.create(
            principal=units["school"].principal, name=f"Skola {i}", kind=Unit.Kind.PRESCHOOL
        )
        grp = LocalGroup.objects.create(name=f"BUS Grupp {i}", slug=f"grupp-{i}")
        for j in range(2):
            deviation = Deviation.objects.create(
                reference=f"AV-2025-{100 + 2 * i + j:04d}",
                title=f"Extra {i}-{j}",
                reporting_unit=extra,
                reporter=template.reporter,
                local_group=grp,
                occurred_on=datetime.date(2025, 1 + (i % 12), 1 + j),
                what_happened="x",
                consequence="y",
                category=template.category,
                agreement_part="sip",
                step=["supervisors", "forum", "resolved"][i % 3],
                is_principled=bool(j),
                principled_question="Fråga" if j else "",
                judgement="routine" if j else "",
                judgement_note="Not" if j else "",
                submitted_at=timezone.now(),
            )
            deviation.other_units.set([units["bvc"], units["social"]])


def test_compilation_query_count_is_constant(client_for, secretariat, county):
    client = client_for(secretariat)
    url = reverse("deviations:compilation") + PERIOD
    _, small = count_queries(client, url)
    grow(county, 15)
    response, large = count_queries(client, url)
    assert response.context["stats"].total == 7 + 30
    assert large == small


def test_patterns_query_count_is_constant(client_for, secretariat, county):
    client = client_for(secretariat)
    url = reverse("deviations:patterns") + PERIOD
    _, small = count_queries(client, url)
    grow(county, 15)
    _, large = count_queries(client, url)
    assert large == small


# --- returned to BUSSAM (issue 11, item 6) ----------------------------------------------------
@pytest.fixture
def bussam_member(make_user):
    from samverkan.organisations.models import Body, Membership
    from tests.helpers import seat

    body = Body.objects.create(name="BUSSAM", kind="bussam", level="county", cadence="yearly")
    user = make_user("bussam@example.org")
    seat(body, user, Membership.Role.MEMBER)
    return user


@pytest.mark.parametrize("name", URLS)
def test_bussam_members_read_the_county_reports(client_for, bussam_member, county, name):
    if name in EXPORTS:
        response = client_for(bussam_member).post(reverse(f"deviations:{name}"), PERIOD_DATA)
        assert response.status_code == 302
        assert Export.objects.get().params["grupp"] is None  # the county
        return
    response = client_for(bussam_member).get(reverse(f"deviations:{name}") + PERIOD)
    assert response.status_code == 200


def test_bussam_members_get_no_links_to_single_reports(client_for, bussam_member, county):
    page = client_for(bussam_member).get(reverse("deviations:compilation") + PERIOD).text
    assert reverse("deviations:inbox") not in page.split("<main", 1)[1]
    assert client_for(bussam_member).get(reverse("deviations:inbox")).status_code == 403


def test_bussam_members_read_the_county_follow_up(client_for, bussam_member):
    from samverkan.governance.forms_follow_up import default_year

    response = client_for(bussam_member).get(reverse("governance:county", args=[default_year()]))
    assert response.status_code == 200


# --- a local group reads its own (issue 11, item 6) -------------------------------------------
@pytest.fixture
def norrby_member(make_user, county):
    """A member of Norrby's steering group, with no seat anywhere else and no unit."""
    from samverkan.organisations.models import Body, Membership
    from tests.helpers import seat

    steering = Body.objects.create(
        name="Styrgrupp Norrby", kind="steering", level="local", local_group=county["norrby"],
        cadence="term",
    )  # fmt: skip
    user = make_user("styr.norrby@example.org")
    seat(steering, user, Membership.Role.MEMBER)
    return user


def test_a_group_member_reads_only_the_own_groups_numbers(client_for, norrby_member):
    response = client_for(norrby_member).get(reverse("deviations:compilation") + PERIOD)
    assert response.status_code == 200
    numbers = response.context["stats"]
    assert numbers.group.slug == "norrby"
    assert numbers.total == 3 and numbers.principled == 1  # 4, 5, 6
    assert numbers.by_category.as_dict() == {
        "Oklart ansvar": 1, "Väntetid": 1, "Remiss avvisad": 1,
        **{row.label: 0 for row in numbers.by_category.rows if row.count == 0},
    }  # fmt: skip
    assert [q["reference"] for q in numbers.principled_questions] == ["AV-2025-0004"]
    assert numbers.judgements == []
    assert numbers.by_group not in numbers.breakdowns  # one group: no per-group table
    html = response.text
    assert "AV-2025-0001" not in html and "Vem ansvarar för utredningen?" not in html
    assert "BUS Norrby" in html and "Hela länet" not in html
    assert 'value="testby"' not in html  # another group is no choice


def test_every_count_is_narrowed_to_the_group(county):
    numbers = stats.compute(START, END, group=county["norrby"])
    assert numbers.by_kind_pair.as_dict() == {SOCIAL_BVC: 1, BVC_MUNICIPALITY: 1, SCHOOL_BUP: 1}
    assert numbers.by_step.as_dict()["Hos BUSSAM"] == 1
    assert [(row.label, row.count) for row in numbers.by_quarter.rows] == [
        ("2025 Q1", 1), ("2025 Q2", 2), ("2025 Q3", 0), ("2025 Q4", 0),
    ]  # fmt: skip
    assert numbers.recurring == []  # school ↔ bup recurs only in Testby


@pytest.mark.parametrize("name", URLS)
def test_naming_another_group_widens_nothing(client_for, norrby_member, name):
    client = client_for(norrby_member)
    if name in EXPORTS:  # the hidden field edited: back to the page, which says why
        response = client.post(reverse(f"deviations:{name}"), {**PERIOD_DATA, "grupp": "testby"})
        assert response.status_code == 302
        assert response.url == reverse("deviations:compilation") + PERIOD + "&grupp=testby"
        response = client.get(response.url)
    else:
        response = client.get(reverse(f"deviations:{name}") + PERIOD + "&grupp=testby")
    assert response.status_code == 200
    assert "stats" not in response.context
    assert "Välj ett giltigt alternativ" in response.text
    assert not AccessLog.objects.filter(reason__contains="BUS Testby").exists()
    assert not Export.objects.exists()


@pytest.mark.parametrize("name", EXPORTS)
def test_a_group_member_exports_the_own_group(
    client_for, norrby_member, name, django_capture_on_commit_callbacks
):
    page = client_for(norrby_member).get(reverse("deviations:compilation") + PERIOD).text
    assert '<input type="hidden" name="grupp" value="norrby">' in page
    client = client_for(norrby_member)
    response, export = ask(client, name, django_capture_on_commit_callbacks)  # no group named
    assert response.url == export.get_absolute_url()
    assert export.params["grupp"] == "norrby" and export.status == "ready"
    assert "bus-avvikelser-norrby-2025-01-01-2025-12-31" in export.file_name
    assert fetch(client, export).status_code == 200
    entry = AccessLog.objects.get(action="export", reason__contains="BUS Norrby")
    assert entry.user == norrby_member and "2025-01-01" in entry.reason


def test_the_group_member_gets_the_groups_numbers_in_the_file(
    client_for, norrby_member, django_capture_on_commit_callbacks
):
    client = client_for(norrby_member)
    _, export = ask(
        client, "compilation_xlsx", django_capture_on_commit_callbacks,
        {**PERIOD_DATA, "grupp": "norrby"},
    )  # fmt: skip
    workbook = load_workbook(io.BytesIO(fetch(client, export).content))
    summary = {row[0]: row[1] for row in workbook["Sammanfattning"].iter_rows(values_only=True)}
    assert summary["Antal rapporter"] == 3 and summary["Varav av principiell karaktär"] == 1
    assert "BUS Norrby" in workbook["Sammanfattning"]["A1"].value


def test_a_seat_lost_before_the_build_makes_no_file(norrby_member, county):
    """The builder asks the rules again: a file asked for by someone who has since left the
    group is not made (and not tried again)."""
    from samverkan.deviations import report_exports
    from samverkan.exports.tasks import build_export
    from samverkan.organisations.models import Membership

    export = Export.objects.create(
        requested_by=norrby_member, kind=report_exports.XLSX, title="x",
        params=report_exports.params((START, END), county["norrby"], norrby_member),
    )  # fmt: skip
    Membership.objects.filter(user=norrby_member).delete()
    build_export.enqueue(str(export.pk))
    export.refresh_from_db()
    assert export.status == "failed" and export.error == "PermissionDenied"
    assert export.attempts == 1 and not export.content


def test_the_county_readers_may_narrow_to_a_group(client_for, secretariat, county):
    client = client_for(secretariat)
    whole = client.get(reverse("deviations:patterns") + PERIOD)
    assert whole.context["stats"].total == 7 and "Hela länet" in whole.text
    narrowed = client.get(reverse("deviations:patterns") + PERIOD + "&grupp=testby")
    assert narrowed.context["stats"].total == 4
    assert "grupp=testby" in narrowed.context["query"]
    assert AccessLog.objects.filter(reason__contains="BUS Testby").exists()
    assert AccessLog.objects.filter(reason__contains="hela länet").exists()


def test_the_compilation_title_names_the_group(county):
    numbers = stats.compute(START, END, group=county["norrby"])
    assert compilation.compilation_title(numbers) == TITLE.replace(
        "avvikelser inkomna", "avvikelser för BUS Norrby inkomna"
    )


def test_a_group_members_start_page_links_to_the_groups_reports(client_for, norrby_member):
    html = client_for(norrby_member).get(reverse("home")).text
    assert "Min grupps rapporter" in html
    assert reverse("deviations:compilation") in html and reverse("deviations:patterns") in html


def test_a_unit_member_without_a_seat_may_not(client_for, staff, county):
    for name in URLS:
        assert client_for(staff).get(reverse(f"deviations:{name}") + PERIOD).status_code == 403


def test_group_compilation_query_count_is_constant(client_for, norrby_member, county):
    client = client_for(norrby_member)
    url = reverse("deviations:compilation") + PERIOD
    _, small = count_queries(client, url)
    grow(county, 15)
    _, large = count_queries(client, url)
    assert large == small


def test_the_same_chart_of_the_same_numbers_is_drawn_once(numbers):
    rows = numbers.by_category.rows
    charts.bar_chart("chart-once", "Kategorier", rows)
    hits = charts._drawn.cache_info().hits
    again = charts.bar_chart("chart-once", "Kategorier", list(rows))
    assert charts._drawn.cache_info().hits == hits + 1
    assert again == charts.bar_chart("chart-once", "Kategorier", rows)


def test_the_page_lists_the_first_fifty_and_the_files_all(client_for, secretariat, county):
    from samverkan.deviations import compilation as documents

    grow(county, 50)  # 50 more of a principled nature: 52 in all
    page = client_for(secretariat).get(reverse("deviations:compilation") + PERIOD)
    numbers = page.context["stats"]
    assert len(numbers.principled_questions) == 52
    questions = page.text.split('id="principled-heading"', 1)[1].split("</section>", 1)[0]
    assert questions.count("<tr>") == 1 + 50  # the heading row and fifty
    assert "Sidan visar de 50 första av 52." in questions
    workbook = load_workbook(io.BytesIO(documents.compilation_xlsx(numbers)))
    assert workbook["Principiella frågor"].max_row == 1 + 52  # the heading row and all
