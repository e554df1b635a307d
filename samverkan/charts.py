"""Horizontal bar charts as SVG markup, drawn by matplotlib, for inlining in a page or a PDF.

The markup is made safe for the site's Content-Security-Policy (no inline style): every
``style`` attribute matplotlib writes becomes SVG presentation attributes, and the one
``<style>`` element goes. Ids are prefixed per chart so several charts can share a page.
Each chart carries a ``<title>`` and a ``<desc>`` (every bar and its number) and is labelled
by them; the page still shows the numbers as a table beside it.
"""

import html
import io
import os
import re
import tempfile
import textwrap
import threading
from pathlib import Path


def _writable(path: Path) -> bool:
    if path.exists():
        return os.access(path, os.W_OK)
    return os.access(path.parent, os.W_OK) if path.parent.exists() else False


def _ensure_config_dir() -> None:
    """matplotlib writes a font cache; without a writable home it uses a temporary dir."""
    configured = os.environ.get("MPLCONFIGDIR")
    if configured:
        if _writable(Path(configured)):
            return
    else:
        config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        if _writable(Path(config_home) / "matplotlib"):
            return
    os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="samverkan-matplotlib-")


_ensure_config_dir()

import matplotlib  # noqa: E402  (after the config dir is settled)

matplotlib.use("Agg")  # no display needed

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

BAR_COLOUR = "#1e5a8c"  # 7:1 against white
TEXT_COLOUR = "#1e1e1e"
LABEL_WIDTH = 42  # characters before a label wraps
RC = {
    "svg.fonttype": "none",  # real <text>, read by the page's fonts and by screen readers
    "svg.hashsalt": "samverkan",  # stable ids
    "text.parse_math": False,  # a "$" in a name is just a dollar sign
    "font.family": "sans-serif",
    "font.size": 10,
    "text.color": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
    "axes.edgecolor": "#767676",
}

# Presentation attributes an SVG renderer accepts in place of the CSS matplotlib writes.
PRESENTATION = {
    "clip-path", "color", "fill", "fill-opacity", "fill-rule", "font-family", "font-size",
    "font-style", "font-weight", "opacity", "stroke", "stroke-dasharray", "stroke-dashoffset",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-opacity", "stroke-width",
    "text-anchor", "dominant-baseline", "letter-spacing",
}  # fmt: skip
STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
# rc_context changes matplotlib's global settings: one chart at a time per process.
_DRAWING = threading.Lock()


def _presentation_attributes(match: re.Match) -> str:
    attributes = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name in PRESENTATION and value:
            attributes.append(f' {name}="{value}"')
    return "".join(attributes)


def _clean(svg: str, prefix: str) -> str:
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<defs>\s*</defs>\s*", "", svg)
    svg = STYLE_ATTRIBUTE.sub(_presentation_attributes, svg)
    svg = re.sub(r'\sid="([^"]+)"', lambda m: f' id="{prefix}-{_safe_id(m.group(1))}"', svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{_safe_id(m.group(1))}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{_safe_id(m.group(1))})", svg)
    return svg.strip()


def _safe_id(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", value)


def _wrap(label: str) -> str:
    return "\n".join(textwrap.wrap(label, LABEL_WIDTH)) or label


def bar_chart(chart_id: str, title: str, rows, *, description: str = "") -> str | None:
    """A horizontal bar chart of ``rows`` (objects with ``label`` and ``count``, in reading
    order, top first) as SVG markup; None when there is nothing to draw."""
    rows = list(rows)
    if not any(row.count for row in rows):
        return None
    prefix = _safe_id(chart_id)
    title = str(title)
    labels = [_wrap(str(row.label)) for row in rows]
    counts = [row.count for row in rows]
    lines = sum(label.count("\n") + 1 for label in labels)

    with _DRAWING, matplotlib.rc_context(RC):
        figure = Figure(figsize=(6.4, 0.8 + 0.26 * lines + 0.06 * len(rows)), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(rows)))
        bars = axes.barh(positions, counts, color=BAR_COLOUR, height=0.65)
        axes.set_yticks(positions, labels=labels)
        axes.invert_yaxis()  # first row on top, as in the table
        axes.bar_label(bars, labels=[str(count) for count in counts], padding=3)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, max(counts) * 1.12 + 0.5)
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_title(title, loc="left", fontweight="bold")
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})

    svg = _clean(buffer.getvalue(), prefix)
    description = description or "; ".join(f"{row.label}: {row.count}" for row in rows)
    opening, _, body = svg.removeprefix("<svg").partition(">")
    return (
        f'<svg role="img" aria-labelledby="{prefix}-title {prefix}-desc" class="chart__svg" '
        f'stroke-linejoin="round" stroke-linecap="butt"{opening}>\n'
        f'<title id="{prefix}-title">{html.escape(title)}</title>\n'
        f'<desc id="{prefix}-desc">{html.escape(description)}</desc>{body}'
    )
