"""The yearly follow-up as people read it: a group's indicators beside the year before, and
the county compilation for BUSSAM (page, PDF and spreadsheet) with a chart and a table for
each indicator.

The numbers come from ``indicators``; a follow-up the steering group has approved is shown
with the indicators frozen at its approval, any other with the numbers as they are now.
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan import charts, pdf
from samverkan.deviations.stats import Row
from samverkan.governance import indicators
from samverkan.governance.models import YearlyFollowUp
from samverkan.spreadsheets import append_row, table_sheet, workbook_bytes

COUNT, DAYS, SHARE = "count", "days", "share"
DASH = "–"


# --- reading an indicator dict (live, or frozen by an approval) ----------------------------
def _get(data, *path):
    """The value at ``path``, or None when the dict (an older frozen one) lacks it."""
    try:
        for key in path:
            data = data[key]
    except (KeyError, TypeError, IndexError):
        return None
    return data


def display(value, kind: str = COUNT) -> str:
    """A value as the page shows it, in the current language's number format. The county's
    page shows tens of thousands of values, mostly the same small numbers: each is
    formatted once per language."""
    if value is None:
        return DASH
    return _formatted(value, kind, translation.get_language())


@functools.lru_cache(maxsize=8192)
def _formatted(value, kind: str, language: str) -> str:
    if kind == SHARE:
        return f"{formats.number_format(value * 100, 0)}\u00a0%"
    if kind == DAYS:
        return formats.number_format(value, 1)
    return formats.number_format(value, 0)


def sheet_value(value, kind: str = COUNT):
    """A value as the spreadsheet keeps it: a number (a share in per cent) or empty."""
    if value is None:
        return None
    if kind == SHARE:
        return round(value * 100, 1)
    return value


def _meetings_total(data):
    meetings = _get(data, "meetings")
    if meetings is None:
        return None
    try:
        return sum(
            meetings[kind][term] for kind in ("steering", "working") for term in ("vt", "ht")
        )
    except (KeyError, TypeError):
        return None


@dataclass(frozen=True)
class Indicator:
    key: str
    section: str
    label: str
    kind: str
    path: tuple | Callable

    def of(self, data):
        if callable(self.path):
            return self.path(data)
        return _get(data, *self.path)


SECTIONS = {
    "forum": gettext_lazy("Individforum"),
    "deviations": gettext_lazy("Avvikelser"),
    "meetings": gettext_lazy("Möten per termin"),
    "sip": gettext_lazy("Samordnad individuell plan (SIP)"),
}
INDICATORS = [
    Indicator("forum_raised", "forum", gettext_lazy("Anmälda ärenden"), COUNT, ("forum", "raised")),
    Indicator(
        "forum_lifted", "forum", gettext_lazy("Varav lyfta till styrgruppen"), COUNT,
        ("forum", "lifted"),
    ),
    Indicator(
        "days_cases", "forum", gettext_lazy("Ärenden där forumet har mötts"), COUNT,
        ("days_to_meeting", "cases"),
    ),
    Indicator(
        "days_median", "forum",
        gettext_lazy("Dagar från uppmärksammat behov till forummöte, median"), DAYS,
        ("days_to_meeting", "median"),
    ),
    Indicator(
        "days_p90", "forum",
        gettext_lazy("Dagar från uppmärksammat behov till forummöte, 90:e percentilen"), DAYS,
        ("days_to_meeting", "p90"),
    ),
    Indicator(
        "deviations", "deviations", gettext_lazy("Inskickade avvikelser"), COUNT,
        ("deviations", "total"),
    ),
    Indicator(
        "steering_vt", "meetings", gettext_lazy("Styrgruppens möten, vårterminen"), COUNT,
        ("meetings", "steering", "vt"),
    ),
    Indicator(
        "steering_ht", "meetings", gettext_lazy("Styrgruppens möten, höstterminen"), COUNT,
        ("meetings", "steering", "ht"),
    ),
    Indicator(
        "working_vt", "meetings", gettext_lazy("Arbetsgruppens möten, vårterminen"), COUNT,
        ("meetings", "working", "vt"),
    ),
    Indicator(
        "working_ht", "meetings", gettext_lazy("Arbetsgruppens möten, höstterminen"), COUNT,
        ("meetings", "working", "ht"),
    ),
    Indicator(
        "meetings_total", "meetings", gettext_lazy("Styr- och arbetsgruppens möten sammanlagt"),
        COUNT, _meetings_total,
    ),
    Indicator(
        "sip_established", "sip", gettext_lazy("Fastställda planer"), COUNT,
        ("sip", "established"),
    ),
    Indicator(
        "sip_due", "sip", gettext_lazy("Uppföljningar som skulle hållas"), COUNT, ("sip", "due")
    ),
    Indicator(
        "sip_on_time", "sip", gettext_lazy("Varav hållna i tid"), COUNT, ("sip", "on_time")
    ),
    Indicator(
        "sip_share", "sip", gettext_lazy("Andel uppföljningar i tid"), SHARE,
        ("sip", "on_time_share"),
    ),
]  # fmt: skip
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


@dataclass(frozen=True)
class Line:
    indicator: Indicator
    current: object
    previous: object

    @property
    def label(self):
        return self.indicator.label

    @property
    def current_display(self) -> str:
        return display(self.current, self.indicator.kind)

    @property
    def previous_display(self) -> str:
        return display(self.previous, self.indicator.kind)


def sections(current: dict, previous: dict) -> list[dict]:
    """The indicators in their sections, this year beside the year before."""
    result = []
    for key, title in SECTIONS.items():
        lines = [
            Line(indicator, indicator.of(current), indicator.of(previous))
            for indicator in INDICATORS
            if indicator.section == key
        ]
        result.append({"key": key, "title": title, "lines": lines})
    return result


def category_lines(current: dict, previous: dict) -> list[tuple[str, int, int]]:
    """(category, this year, the year before): this year's categories in their order, then
    any only the year before had."""
    now = dict(_get(current, "deviations", "by_category") or [])
    before = dict(_get(previous, "deviations", "by_category") or [])
    names = list(now) + [name for name in before if name not in now]
    return [(name, now.get(name, 0), before.get(name, 0)) for name in names]


def shown(live: dict, record: YearlyFollowUp | None) -> dict:
    """What the follow-up reports: the frozen indicators once approved, else the live ones."""
    if record is not None and record.approved_at and record.indicators:
        return record.indicators
    return live


def differs(frozen: dict, live: dict) -> bool:
    """Whether the data have changed since the approval (``as_of`` aside)."""
    ignore = {"as_of"}
    return {k: v for k, v in frozen.items() if k not in ignore} != {
        k: v for k, v in live.items() if k not in ignore
    }


# --- the county compilation -----------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    heading: str
    indicator: Indicator
    previous: bool = False  # the year before, not the year itself


@dataclass
class PanelRow:
    label: str
    values: list  # raw, in column order
    displays: list[str]
    url: str = ""


@dataclass
class Panel:
    key: str
    title: str
    heading: str  # the table's first column
    sheet: str  # the spreadsheet tab (at most 31 characters)
    columns: list[str]
    kinds: list[str]
    rows: list[PanelRow]
    total: PanelRow | None = None
    note: str = ""
    chart: str | None = None

    @property
    def is_empty(self) -> bool:
        return not any(value for row in self.rows for value in row.values)


@dataclass
class County:
    year: int
    statuses: list[dict]  # per group: group, record this year, record the year before
    summary: list[dict]  # the county's sections, as a group's page shows its own
    panels: list[Panel] = field(default_factory=list)

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def approved(self) -> int:
        return sum(1 for status in self.statuses if status["current_approved"])


def _row(label, columns: list[Column], current: dict, previous: dict, url="") -> PanelRow:
    values = [column.indicator.of(previous if column.previous else current) for column in columns]
    return PanelRow(
        label=label,
        values=values,
        displays=[display(v, c.indicator.kind) for v, c in zip(values, columns, strict=True)],
        url=url,
    )


def _chart(key: str, title: str, rows: list[PanelRow], column: int, scale=1):
    """A chart of one column (the year itself); groups without a value are left out."""
    bars = [
        Row(row.label, round(row.values[column] * scale, 1) if scale != 1 else row.values[column])
        for row in rows
        if row.values[column] is not None
    ]
    svg = charts.bar_chart(f"chart-{key}", title, bars)
    return mark_safe(svg) if svg else None  # noqa: S308 (our own markup, cleaned in charts)


@dataclass(frozen=True)
class _PanelSpec:
    key: str
    title: Callable[[int], str]
    sheet: str
    columns: list[tuple[str, str, bool]]  # (heading template, indicator key, the year before)
    chart_column: int
    note: str = ""
    chart_scale: int = 1


def _panel_specs() -> list[_PanelSpec]:
    return [
        _PanelSpec(
            "forum",
            lambda y: _("Anmälda ärenden i individforum %(year)s") % {"year": y},
            _("Individforum"),
            [
                (_("Anmälda %(year)s"), "forum_raised", False),
                (_("Anmälda %(year)s"), "forum_raised", True),
                (_("Lyfta till styrgruppen %(year)s"), "forum_lifted", False),
                (_("Lyfta till styrgruppen %(year)s"), "forum_lifted", True),
            ],
            0,
            _("Ärenden anmälda under året; lyfta är de som nu är lyfta till eller avgjorda av "
              "styrgruppen."),
        ),
        _PanelSpec(
            "days",
            lambda y: _("Dagar från uppmärksammat behov till forummöte %(year)s, median")
            % {"year": y},
            _("Dagar till forummöte"),
            [
                (_("Median %(year)s"), "days_median", False),
                (_("Median %(year)s"), "days_median", True),
                (_("90:e percentilen %(year)s"), "days_p90", False),
                (_("90:e percentilen %(year)s"), "days_p90", True),
                (_("Ärenden med möte %(year)s"), "days_cases", False),
                (_("Ärenden med möte %(year)s"), "days_cases", True),
            ],
            0,
            _("Ärenden anmälda under året som har fått ett forummöte. Forumet ska mötas inom "
              "två veckor. Länets median och percentil räknas på alla länets ärenden."),
        ),
        _PanelSpec(
            "deviations",
            lambda y: _("Inskickade avvikelser %(year)s") % {"year": y},
            _("Avvikelser"),
            [
                (_("Inskickade %(year)s"), "deviations", False),
                (_("Inskickade %(year)s"), "deviations", True),
            ],
            0,
            _("Rapporter inskickade under året; utkast räknas inte."),
        ),
        _PanelSpec(
            "meetings",
            lambda y: _("Styr- och arbetsgruppens möten %(year)s") % {"year": y},
            _("Möten"),
            [
                (_("Alla möten %(year)s"), "meetings_total", False),
                (_("Alla möten %(year)s"), "meetings_total", True),
                (_("Styrgrupp vt %(year)s"), "steering_vt", False),
                (_("Styrgrupp ht %(year)s"), "steering_ht", False),
                (_("Arbetsgrupp vt %(year)s"), "working_vt", False),
                (_("Arbetsgrupp ht %(year)s"), "working_ht", False),
                (_("Styrgrupp vt %(year)s"), "steering_vt", True),
                (_("Styrgrupp ht %(year)s"), "steering_ht", True),
                (_("Arbetsgrupp vt %(year)s"), "working_vt", True),
                (_("Arbetsgrupp ht %(year)s"), "working_ht", True),
            ],
            0,
            _("Styr- och arbetsgrupper ska mötas minst en gång per termin (vt januari–juni, "
              "ht augusti–december)."),
        ),
        _PanelSpec(
            "sip_established",
            lambda y: _("Fastställda SIP %(year)s") % {"year": y},
            _("SIP fastställda"),
            [
                (_("Fastställda %(year)s"), "sip_established", False),
                (_("Fastställda %(year)s"), "sip_established", True),
            ],
            0,
            _("Planer vars första version fastställdes under året, efter den initierande "
              "verksamhetens område."),
        ),
        _PanelSpec(
            "sip_on_time",
            lambda y: _("Andel SIP-uppföljningar i tid %(year)s (procent)") % {"year": y},
            _("SIP-uppföljningar"),
            [
                (_("Andel i tid %(year)s"), "sip_share", False),
                (_("Andel i tid %(year)s"), "sip_share", True),
                (_("Skulle hållas %(year)s"), "sip_due", False),
                (_("Hållna i tid %(year)s"), "sip_on_time", False),
                (_("Skulle hållas %(year)s"), "sip_due", True),
                (_("Hållna i tid %(year)s"), "sip_on_time", True),
            ],
            0,
            _("Uppföljningar med ett datum under året, i tid när planens nästa uppföljning "
              "hölls senast det datumet."),
            chart_scale=100,
        ),
    ]  # fmt: skip


def _panels(year, labelled_groups, current_total, previous_total) -> list[Panel]:
    panels = []
    for spec in _panel_specs():
        columns = [
            Column(heading % {"year": year - 1 if before else year}, BY_KEY[key], before)
            for heading, key, before in spec.columns
        ]
        rows = [
            _row(group.name, columns, current, previous, url)
            for group, current, previous, url in labelled_groups
        ]
        title = spec.title(year)
        panels.append(
            Panel(
                key=spec.key,
                title=title,
                heading=_("Lokal grupp"),
                sheet=spec.sheet,
                columns=[column.heading for column in columns],
                kinds=[column.indicator.kind for column in columns],
                rows=rows,
                total=_row(_("Hela länet"), columns, current_total, previous_total),
                note=spec.note,
                chart=_chart(spec.key, title, rows, spec.chart_column, spec.chart_scale),
            )
        )
    categories = category_lines(current_total, previous_total)
    rows = [
        PanelRow(name, [now, before], [display(now), display(before)])
        for name, now, before in categories
    ]
    title = _("Inskickade avvikelser per kategori %(year)s, hela länet") % {"year": year}
    panels.insert(
        3,
        Panel(
            key="categories",
            title=title,
            heading=_("Kategori"),
            sheet=_("Avvikelser per kategori"),
            columns=[str(year), str(year - 1)],
            kinds=[COUNT, COUNT],
            rows=rows,
            note=_("Summan av de lokala gruppernas rapporter."),
            chart=_chart("categories", title, rows, 0),
        ),
    )
    return panels


def county(year: int, as_of: datetime.date | None = None) -> County:
    """Every group's follow-up for ``year`` beside the year before, in a fixed number of
    queries (two rounds of ``indicators``, the groups and the approvals)."""
    current = indicators.compute_county(year, as_of)
    previous = indicators.compute_county(year - 1, as_of)
    records = {
        (record.local_group_id, record.year): record
        for record in YearlyFollowUp.objects.filter(year__in=[year, year - 1]).select_related(
            "approved_by"
        )
    }
    labelled, statuses = [], []
    for group in current.groups:
        record_now = records.get((group.pk, year))
        record_before = records.get((group.pk, year - 1))
        now = shown(current.per_group[group.pk], record_now)
        before = shown(previous.per_group[group.pk], record_before)
        url = follow_up_url(group, year)
        labelled.append((group, now, before, url))
        statuses.append(
            {
                "group": group,
                "url": url,
                "current": record_now,
                "previous": record_before,
                "current_approved": bool(record_now and record_now.approved_at),
                "previous_approved": bool(record_before and record_before.approved_at),
            }
        )
    current_total = indicators.totals([row[1] for row in labelled], current.days_overall)
    previous_total = indicators.totals([row[2] for row in labelled], previous.days_overall)
    return County(
        year=year,
        statuses=statuses,
        summary=sections(current_total, previous_total),
        panels=_panels(year, labelled, current_total, previous_total),
    )


def follow_up_url(group, year: int) -> str:
    return reverse("governance:follow_up", args=[group.slug, year])


def county_title(year: int) -> str:
    return _("Länets årliga uppföljning av BUS %(year)s") % {"year": year}


def file_name(year: int, extension: str) -> str:
    return f"bus-lansuppfoljning-{year}.{extension}"


def context(report: County) -> dict:
    return {
        "report": report,
        "year": report.year,
        "previous_year": report.previous_year,
        "title": county_title(report.year),
        "compiled_on": timezone.localdate(),
    }


# --- PDF ------------------------------------------------------------------------------------
def county_pdf(report: County) -> bytes:
    """Made by the background worker: no request. The template loads nothing (its CSS is
    inline, its charts inline SVG, its font the system's DejaVu Sans), so no base URL."""
    return pdf.render_pdf(render_to_string("governance/county_pdf.html", context(report)))


# --- spreadsheet ----------------------------------------------------------------------------
def county_xlsx(report: County) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Sammanfattning")
    append_row(summary, [county_title(report.year)])
    summary["A1"].font = Font(bold=True, size=13)
    append_row(
        summary,
        [
            _(
                "Godkända uppföljningar med siffrorna från godkännandet, övriga med siffrorna "
                "som de är nu. Andelar i procent."
            )
        ],
    )
    append_row(summary, [])
    append_row(summary, [_("Hela länet"), str(report.year), str(report.previous_year)], bold=True)
    for section in report.summary:
        append_row(summary, [section["title"]], bold=True)
        for line in section["lines"]:
            kind = line.indicator.kind
            append_row(
                summary,
                [line.label, sheet_value(line.current, kind), sheet_value(line.previous, kind)],
            )
    summary.column_dimensions["A"].width = 60
    summary.column_dimensions["B"].width = 12
    summary.column_dimensions["C"].width = 12

    table_sheet(
        workbook,
        _("Godkännanden"),
        [_("Lokal grupp"), _("Godkänd %(year)s") % {"year": report.year},
         _("Godkänd %(year)s") % {"year": report.previous_year}],
        [
            [
                status["group"].name,
                _approval_date(status["current"]),
                _approval_date(status["previous"]),
            ]
            for status in report.statuses
        ],
        [40, 16, 16],
    )  # fmt: skip
    for panel in report.panels:
        rows = [
            [row.label, *(sheet_value(v, k) for v, k in zip(row.values, panel.kinds, strict=True))]
            for row in panel.rows
        ]
        if panel.total is not None:
            total = panel.total
            rows.append(
                [total.label]
                + [sheet_value(v, k) for v, k in zip(total.values, panel.kinds, strict=True)]
            )
        headings = [
            f"{heading} (%)" if kind == SHARE else heading
            for heading, kind in zip(panel.columns, panel.kinds, strict=True)
        ]
        table_sheet(
            workbook, panel.sheet, [panel.heading, *headings], rows, [40] + [16] * len(headings)
        )

    return workbook_bytes(workbook)


def _approval_date(record) -> datetime.date | None:
    if record is None or record.approved_at is None:
        return None
    return timezone.localtime(record.approved_at).date()
