"""Horizontal bar charts as SVG markup, written directly, for inlining in a page or a PDF.

Plain SVG with presentation attributes (``fill``, ``font-size``, ``text-anchor``) and no
``style`` attribute or ``<style>`` element, so the site's Content-Security-Policy lets it
through; real ``<text>`` in a generic font family, so screen readers, browsers and
WeasyPrint all read it. Ids are prefixed per chart so several charts can share a page.
Each chart carries a ``<title>`` and a ``<desc>`` (every bar and its number) and is labelled
by them; the page still shows the numbers as a table beside it.

No font metrics: a text's width is estimated from its number of characters, generously
(DejaVu Sans, WeasyPrint's sans-serif here, is among the wider ones), and labels are
right-aligned against the bars, so a label wider than estimated runs out to the left, never
into the bars. The chart's width and height attributes are its natural size in CSS pixels;
the pages' ``max-width: 100%; height: auto`` shrinks it to a narrow column. The same rows
always give the same bytes.
"""

import functools
import html
import math
import re
import textwrap
from typing import NamedTuple

BAR_COLOUR = "#1e5a8c"  # 7:1 against white
TEXT_COLOUR = "#1e1e1e"
AXIS_COLOUR = "#767676"  # 4.5:1 against white
GRID_COLOUR = "#dcdcdc"
LABEL_WIDTH = 42  # characters before a label wraps

# The chart's width in CSS pixels (it shrinks to fit a narrower column): the bars get
# PLOT_WIDTH, or less when long labels would make the chart wider than MAX_WIDTH, but never
# less than MIN_PLOT. A narrow chart shrinks less on a phone, so its text stays larger.
PLOT_WIDTH = 300
MAX_WIDTH = 480
MIN_PLOT = 120
MIN_WIDTH = 280  # room for the title
FONT_SIZE = 13
TITLE_SIZE = 14
CHAR_WIDTH = 0.56  # of the font size: generous for a sans-serif (DejaVu Sans ~0.55)
TITLE_CHAR_WIDTH = 0.62  # bold
LINE_HEIGHT = 1.25  # of the font size
MARGIN = 6
GAP = 6  # between a label and its bar, a bar and its number
ROW_PADDING = 4  # above and below a row's label
BAR_HEIGHT = 15
TICK = 4
TICKS = 4  # about this many steps along the x axis


class _Row(NamedTuple):
    label: str
    count: float


def _safe_id(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", value)


def _n(value: float) -> str:
    """A coordinate, to a tenth, without trailing zeros."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    return len(text) * size * CHAR_WIDTH


def _wrap(label: str) -> list[str]:
    return textwrap.wrap(label, LABEL_WIDTH) or [label]


def _step(largest: float) -> int:
    """An integer step of 1, 2 or 5 × 10ⁿ giving about ``TICKS`` steps up to ``largest``."""
    rough = largest / TICKS
    if rough <= 1:
        return 1
    power = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= rough:
            return multiple * power
    return 10 * power  # not reached


def _next_step(step: int) -> int:
    """The next of 1, 2, 5, 10, 20, 50 …"""
    return step * 5 // 2 if str(step).startswith("2") else step * 2


def _lines(x: float, top: float, lines: list[str], size: float, attributes: str = "") -> str:
    """A ``<text>`` of one or more lines, the first line's box starting at ``top``."""
    height = size * LINE_HEIGHT
    spans = "".join(
        f'<tspan x="{_n(x)}" y="{_n(top + height * i + size)}">{html.escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f"<text{attributes}>{spans}</text>"


def bar_chart(chart_id: str, title: str, rows, *, description: str = "") -> str | None:
    """A horizontal bar chart of ``rows`` (objects with ``label`` and ``count``, in reading
    order, top first) as SVG markup; None when there is nothing to draw. The same chart of
    the same numbers is drawn once per process and then reused."""
    key = tuple((str(row.label), row.count) for row in rows)
    return _drawn(str(chart_id), str(title), key, str(description))


@functools.lru_cache(maxsize=128)  # a report page draws up to ten
def _drawn(chart_id: str, title: str, key: tuple, description: str) -> str | None:
    rows = [_Row(label, count) for label, count in key]
    if not any(row.count for row in rows):
        return None
    prefix = _safe_id(chart_id)
    title = str(title)
    labels = [_wrap(str(row.label)) for row in rows]
    counts = [str(row.count) for row in rows]
    values = [max(float(row.count or 0), 0.0) for row in rows]

    # Across: margin, labels, gap, bars (the plot), gap, the widest number, margin.
    label_width = max(_text_width(line) for label in labels for line in label)
    count_width = max(_text_width(count) for count in counts)
    step = _step(max(values))
    top_value = max(step, math.ceil(max(values) / step) * step)
    plot_left = MARGIN + label_width + GAP
    last_tick_half = _text_width(str(top_value)) / 2
    right = max(count_width + GAP, last_tick_half) + MARGIN
    width = min(plot_left + PLOT_WIDTH + right, max(MAX_WIDTH, plot_left + MIN_PLOT + right))
    width = max(width, MIN_WIDTH)
    plot_width = width - plot_left - right
    # Fewer, longer steps when the numbers under the axis would crowd a narrow plot.
    while top_value > step and plot_width * step / top_value < _text_width(str(top_value)) + 10:
        step = _next_step(step)
        top_value = max(step, math.ceil(max(values) / step) * step)

    # Down: the title (wrapped to the width), the rows, the axis with its numbers.
    title_lines = textwrap.wrap(
        title, max(int((width - 2 * MARGIN) / (TITLE_SIZE * TITLE_CHAR_WIDTH)), 10)
    )
    line_height = FONT_SIZE * LINE_HEIGHT
    plot_top = MARGIN + len(title_lines or [""]) * TITLE_SIZE * LINE_HEIGHT + 8
    row_heights = [len(label) * line_height + 2 * ROW_PADDING for label in labels]
    plot_bottom = plot_top + sum(row_heights)
    height = plot_bottom + TICK + 2 + line_height + MARGIN

    def x(value: float) -> float:
        return plot_left + plot_width * value / top_value

    ticks = range(0, int(top_value) + 1, step)
    grid = "".join(
        f'<line x1="{_n(x(t))}" y1="{_n(plot_top)}" x2="{_n(x(t))}" y2="{_n(plot_bottom)}"/>'
        for t in ticks
        if t
    )
    tick_marks = "".join(
        f'<line x1="{_n(x(t))}" y1="{_n(plot_bottom)}" x2="{_n(x(t))}" '
        f'y2="{_n(plot_bottom + TICK)}"/>'
        for t in ticks
    )
    tick_labels = "".join(
        f'<text x="{_n(x(t))}" y="{_n(plot_bottom + TICK + 2 + FONT_SIZE)}">{t}</text>'
        for t in ticks
    )

    bars, label_texts, count_texts = [], [], []
    row_top = plot_top
    for label, count, value, row_height in zip(labels, counts, values, row_heights, strict=True):
        middle = row_top + row_height / 2
        bar_top = middle - BAR_HEIGHT / 2
        bar_width = x(value) - plot_left
        if bar_width > 0:
            bars.append(
                f'<rect x="{_n(plot_left)}" y="{_n(bar_top)}" width="{_n(bar_width)}" '
                f'height="{BAR_HEIGHT}"/>'
            )
        label_top = middle - len(label) * line_height / 2 + (line_height - FONT_SIZE) / 2
        label_texts.append(_lines(plot_left - GAP, label_top - FONT_SIZE * 0.15, label, FONT_SIZE))
        count_texts.append(
            f'<text x="{_n(x(value) + GAP / 2)}" y="{_n(middle + FONT_SIZE * 0.35)}">'
            f"{html.escape(count)}</text>"
        )
        row_top += row_height

    description = description or "; ".join(f"{row.label}: {row.count}" for row in rows)
    title_text = _lines(
        MARGIN, MARGIN - TITLE_SIZE * 0.15, title_lines, TITLE_SIZE, ' font-weight="bold"'
    )
    return (
        f'<svg role="img" aria-labelledby="{prefix}-title {prefix}-desc" class="chart__svg" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" '
        f'font-size="{FONT_SIZE}">\n'
        f'<title id="{prefix}-title">{html.escape(title)}</title>\n'
        f'<desc id="{prefix}-desc">{html.escape(description)}</desc>\n'
        f'<g stroke="{GRID_COLOUR}" stroke-width="1">{grid}</g>\n'
        f'<g fill="{BAR_COLOUR}">{"".join(bars)}</g>\n'
        f'<g stroke="{AXIS_COLOUR}" stroke-width="1">'
        f'<line x1="{_n(plot_left)}" y1="{_n(plot_top)}" x2="{_n(plot_left)}" '
        f'y2="{_n(plot_bottom)}"/>'
        f'<line x1="{_n(plot_left)}" y1="{_n(plot_bottom)}" x2="{_n(x(top_value))}" '
        f'y2="{_n(plot_bottom)}"/>{tick_marks}</g>\n'
        f'<g fill="{TEXT_COLOUR}">{title_text}\n'
        f'<g text-anchor="end">{"".join(label_texts)}</g>\n'
        f"<g>{''.join(count_texts)}</g>\n"
        f'<g text-anchor="middle">{tick_labels}</g></g>\n'
        "</svg>"
    )
