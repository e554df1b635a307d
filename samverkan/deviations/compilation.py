"""The yearly compilation for BUSSAM: the page's context, the PDF and the spreadsheet.

Like the page, the documents name no reporter: only references, titles, units, groups and
the secretariat's own words.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from samverkan import charts, pdf
from samverkan.deviations.stats import DeviationStats
from samverkan.spreadsheets import append_row, table_sheet, workbook_bytes


def compilation_title(stats: DeviationStats) -> str:
    period = {"start": stats.date_from.isoformat(), "end": stats.date_to.isoformat()}
    if stats.group is None:
        return _("Redovisning av BUS-avvikelser inkomna under perioden %(start)s till %(end)s") % (
            period
        )
    return _(
        "Redovisning av BUS-avvikelser för %(group)s inkomna under perioden %(start)s till %(end)s"
    ) % {**period, "group": stats.group.name}


def file_name(stats: DeviationStats, extension: str) -> str:
    group = f"{stats.group.slug}-" if stats.group else ""
    period = f"{stats.date_from.isoformat()}-{stats.date_to.isoformat()}"
    return f"bus-avvikelser-{group}{period}.{extension}"


def panels(stats: DeviationStats) -> list[dict]:
    """Each breakdown with its chart (SVG markup, or None when every count is zero)."""
    result = []
    for breakdown in stats.breakdowns:
        svg = charts.bar_chart(f"chart-{breakdown.key}", breakdown.title, breakdown.rows)
        result.append({"breakdown": breakdown, "chart": mark_safe(svg) if svg else None})  # noqa: S308
    return result


def listed(first: int | None) -> dict:
    """How many of each list a page shows (None: all, as the files do)."""
    return {"listed": first, "listed_slice": f":{first}" if first else ""}


def context(stats: DeviationStats, first: int | None = None) -> dict:
    return {
        "stats": stats,
        "title": compilation_title(stats),
        "panels": panels(stats),
        "compiled_on": timezone.localdate(),
        **listed(first),
    }


# --- PDF ----------------------------------------------------------------------------------------
def compilation_pdf(stats: DeviationStats) -> bytes:
    """Made by the background worker: no request. The template loads nothing (its CSS is
    inline, its charts inline SVG, its font the system's DejaVu Sans), so no base URL."""
    return pdf.render_pdf(render_to_string("deviations/compilation_pdf.html", context(stats)))


# --- spreadsheet --------------------------------------------------------------------------------
def compilation_xlsx(stats: DeviationStats) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Sammanfattning")
    append_row(summary, [compilation_title(stats)])
    summary["A1"].font = Font(bold=True, size=13)
    append_row(
        summary,
        [_("Inskickade rapporter med händelsedatum i perioden; utkast räknas inte.")],
    )
    append_row(summary, [])
    for label, value in summary_rows(stats):
        append_row(summary, [label, value])
    summary.column_dimensions["A"].width = 48
    summary.column_dimensions["B"].width = 14

    for breakdown in stats.breakdowns:
        table_sheet(
            workbook,
            breakdown.sheet,
            [breakdown.heading, _("Antal")],
            [[row.label, row.count] for row in breakdown.rows],
            [60, 10],
        )
    wrapped = Alignment(wrap_text=True, vertical="top")
    sheet = table_sheet(
        workbook,
        _("Principiella frågor"),
        [_("Nummer"), _("Rubrik"), _("Lokal grupp"), _("Steg"), _("Principiell fråga")],
        [
            [
                q["reference"],
                q["title"],
                q["local_group__name"],
                q["step_label"],
                q["principled_question"],
            ]
            for q in stats.principled_questions
        ],  # fmt: skip
        [14, 40, 28, 22, 80],
    )
    for cell in sheet["E"]:
        cell.alignment = wrapped
    sheet = table_sheet(
        workbook,
        _("Bedömningar med kommentar"),
        [_("Nummer"), _("Rubrik"), _("Bedömning"), _("Kommentar")],
        [
            [j["reference"], j["title"], j["judgement_label"], j["judgement_note"]]
            for j in stats.judgements
        ],
        [14, 40, 30, 80],
    )
    for cell in sheet["D"]:
        cell.alignment = wrapped
    table_sheet(
        workbook,
        _("Återkommande par"),
        [_("Verksamhet"), _("Annan verksamhet"), _("Antal rapporter"), _("Rapporter")],
        [[*pair.units, pair.count, ", ".join(pair.references)] for pair in stats.recurring],
        [40, 40, 16, 60],
    )

    return workbook_bytes(workbook)


def summary_rows(stats: DeviationStats) -> list[tuple[str, object]]:
    return [
        (_("Från och med"), stats.date_from),
        (_("Till och med"), stats.date_to),
        (_("Antal rapporter"), stats.total),
        (_("Varav av principiell karaktär"), stats.principled),
        (_("Med sekretariatets bedömning"), stats.judged),
        (_("Par av verksamheter med två eller fler rapporter"), len(stats.recurring)),
    ]
