"""How long the no-identity check (``samverkan.identity.find_identity``) takes on long,
hostile free text.

Not a test: a measurement. For each shape of text (one long word, "a.a.a.…", digits and
spaces, "x@x@…", 1234567890 repeated, a mix of real findings …) it builds SIZE characters,
runs the check REPEAT times and prints the best time in seconds, the seconds per megabyte
and the number of findings. No database is needed.

    .venv/bin/python bench/identity_check.py                 # 1 MB of each shape
    .venv/bin/python bench/identity_check.py --size 200000   # smaller
    .venv/bin/python bench/identity_check.py --before        # also the check it replaced

``--before`` also times the check as it was before it was made linear (its e-mail pattern
tried from every position, and every phone number compared with every other finding) on
10,000, 20,000 and 40,000 characters, which is enough to see it grow with the square of the
length: at 1 MB it would take hours.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
os.environ.setdefault("SAMVERKAN_TESTING", "1")

import django  # noqa: E402

django.setup()

from personnummer import personnummer  # noqa: E402

from samverkan.identity import NUMBER, PHONE, find_identity  # noqa: E402

MB = 1_000_000

SHAPES = {
    "one long word (a…)": "a",
    "a.a.a.a…": "a.",
    "digits and spaces (1 1 1 …)": "1 ",
    "zeros and spaces (0 0 0 …)": "0 ",
    "x@x@x@…": "x@",
    "1234567890 repeated, no spaces": "1234567890",
    "1234567890 and a space, repeated": "1234567890 ",
    "one long run of digits": "7",
    "a@a@a… with a dotless domain": "a@a",
    "-.+ repeated": "-.+",
    "address, phone, personnummer, repeated": "a@b.se 070-123 45 67 19121212-1212 ",
}

# The check as it was (kept here only to measure it).
BEFORE_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


def find_identity_before(text: str) -> int:
    spans, found = [], 0
    for match in NUMBER.finditer(text):
        if personnummer.valid(match.group(0)):
            found += 1
            spans.append(match.span())
    for match in BEFORE_EMAIL.finditer(text):
        found += 1
        spans.append(match.span())
    for match in PHONE.finditer(text):
        start, end = match.span()
        if not any(start < s_end and s_start < end for s_start, s_end in spans):
            found += 1
    return found


def text_of(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def best_of(function, text: str, repeat: int) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(text)
        times.append(time.perf_counter() - start)
        found = result if isinstance(result, int) else len(result)
    return min(times), found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=MB, help="characters per shape")
    parser.add_argument("--repeat", type=int, default=3, help="runs per shape (best counts)")
    parser.add_argument("--before", action="store_true", help="also time the old check")
    args = parser.parse_args()

    print(f"find_identity on {args.size:,} characters, best of {args.repeat}")
    print(f"{'shape':42} {'seconds':>8} {'s per MB':>9} {'findings':>9}")
    for name, unit in SHAPES.items():
        seconds, found = best_of(find_identity, text_of(unit, args.size), args.repeat)
        print(f"{name:42} {seconds:8.3f} {seconds * MB / args.size:9.3f} {found:9,}")

    if args.before:
        sizes = [10_000, 20_000, 40_000]
        print("\nthe check before it was made linear, seconds")
        print(f"{'shape':42} " + " ".join(f"{size:>9,}" for size in sizes))
        for name, unit in SHAPES.items():
            row = [best_of(find_identity_before, text_of(unit, size), 1)[0] for size in sizes]
            print(f"{name:42} " + " ".join(f"{seconds:9.3f}" for seconds in row))


if __name__ == "__main__":
    main()
