"""School terms: vt (vårtermin) is January–June, ht (hösttermin) August–December.

July belongs to no term. The cadence rule ("meets at least once per term") and the yearly
follow-up count by these.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import total_ordering

from django.utils.translation import gettext_lazy as _

VT = "vt"
HT = "ht"

_TERM_RE = re.compile(r"^\s*(vt|ht)\s*-?\s*(\d{4})\s*$", re.IGNORECASE)


@total_ordering
@dataclass(frozen=True)
class Term:
    year: int
    season: str  # "vt" or "ht"

    def __lt__(self, other: Term) -> bool:
        return (self.year, self.season == HT) < (other.year, other.season == HT)

    def __post_init__(self):
        if self.season not in (VT, HT):
            raise ValueError(f"season must be 'vt' or 'ht', not {self.season!r}")

    def __str__(self) -> str:
        return f"{self.season} {self.year}"

    @property
    def label(self) -> str:
        name = _("Vårtermin") if self.season == VT else _("Hösttermin")
        return f"{name} {self.year}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.season == VT else 8, 1)

    @property
    def end(self) -> datetime.date:
        if self.season == VT:
            return datetime.date(self.year, 6, 30)
        return datetime.date(self.year, 12, 31)

    def __contains__(self, day: datetime.date) -> bool:
        if isinstance(day, datetime.datetime):
            day = day.date()
        return self.start <= day <= self.end

    def next(self) -> Term:
        return Term(self.year, HT) if self.season == VT else Term(self.year + 1, VT)

    def previous(self) -> Term:
        return Term(self.year - 1, HT) if self.season == VT else Term(self.year, VT)

    @classmethod
    def containing(cls, day: datetime.date) -> Term | None:
        """The term the day falls in, or None for a day in July."""
        if day.month <= 6:
            return cls(day.year, VT)
        if day.month >= 8:
            return cls(day.year, HT)
        return None

    @classmethod
    def current_or_last(cls, day: datetime.date) -> Term:
        """The term the day falls in; in July, the spring term just ended."""
        return cls.containing(day) or cls(day.year, VT)

    @classmethod
    def parse(cls, text: str) -> Term:
        """Read "vt 2026", "HT2025" or "ht-2024"."""
        match = _TERM_RE.match(text)
        if not match:
            raise ValueError(f"not a term: {text!r}")
        return cls(int(match.group(2)), match.group(1).lower())

    @classmethod
    def of_year(cls, year: int) -> tuple[Term, Term]:
        return cls(year, VT), cls(year, HT)
