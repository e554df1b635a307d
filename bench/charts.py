"""Drawing the county report's charts: seven bar charts of 300 bars each, the median of N runs.

Not a test: a measurement. The yearly county compilation draws seven charts (one per panel,
one bar per local group); this draws seven of 300 bars (about nine times the demo county's
33 groups), with local-group names of 20–60 characters, whole counts in six charts and
shares with one decimal in the seventh, as ``samverkan.governance.reports`` does. No
database and no Django settings are needed.

    .venv/bin/python bench/charts.py                      # samverkan/charts.py
    .venv/bin/python bench/charts.py --repeat 15 --bars 33

    # the matplotlib version it replaced (needs matplotlib installed), for comparison
    git show 076e608:samverkan/charts.py > /tmp/old_charts.py
    .venv/bin/python bench/charts.py --module /tmp/old_charts.py

Options: --charts N (default 7), --bars N (per chart, default 300), --repeat N (runs,
default 9), --module PATH (a charts.py file to time instead of samverkan.charts).
"""

import argparse
import importlib.util
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@dataclass(frozen=True)
class Row:
    label: str
    count: int | float


def rows(chart: int, bars: int) -> list[Row]:
    generator = random.Random(chart)  # the same charts every run
    places = ["Norra", "Södra", "Östra", "Västra", "Övre", "Nedre", "Stora", "Lilla"]
    towns = ["Testby", "Exempelstad", "Åby", "Älvsåker", "Bergsjö", "Ljungskog", "Sjövik"]
    result = []
    for number in range(1, bars + 1):
        name = f"BUS lokal grupp {generator.choice(places)} {generator.choice(towns)} {number}"
        if number % 5 == 0:
            name += ", med skola, socialtjänst och hälso- och sjukvård"
        if chart == 6:  # a share in per cent, to a tenth
            result.append(Row(name, round(generator.uniform(0, 100), 1)))
        else:
            result.append(Row(name, generator.randint(0, 400)))
    return result


def load(path: str | None):
    if path is None:
        from samverkan import charts

        return charts
    spec = importlib.util.spec_from_file_location("charts_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, default=7)
    parser.add_argument("--bars", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--module", help="a charts.py file to time instead of samverkan.charts")
    options = parser.parse_args()

    charts = load(options.module)
    data = [rows(chart, options.bars) for chart in range(options.charts)]
    charts.bar_chart("chart-warm-up", "Uppvärmning", data[0][:3])  # imports, font caches

    times, size = [], 0
    for _ in range(options.repeat):
        start = time.perf_counter()
        svgs = [
            charts.bar_chart(f"chart-{chart}", f"Diagram {chart + 1}", chart_rows)
            for chart, chart_rows in enumerate(data)
        ]
        times.append(time.perf_counter() - start)
        size = sum(len(svg) for svg in svgs)

    median = statistics.median(times)
    print(f"module: {charts.__file__}")
    print(f"{options.charts} charts of {options.bars} bars, {options.repeat} runs")
    low, high = min(times) * 1000, max(times) * 1000
    print(f"median {median * 1000:,.1f} ms (min {low:,.1f}, max {high:,.1f})")
    print(f"per chart {median / options.charts * 1000:,.2f} ms; markup {size:,} characters")


if __name__ == "__main__":
    main()
