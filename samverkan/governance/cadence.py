"""The cadence rule: how often each body must meet, and whether it has.

What a body must do follows its ``Body.cadence``:

per term (the local steering and working groups)
    at least one meeting in every school term: vt is 1 January to 30 June, ht 1 August to
    31 December. **July lies between the terms and belongs to neither**: a meeting held in
    July counts for no term, so it meets neither the spring term's requirement nor the
    autumn's (``Term.containing`` gives None for it).
yearly (the political consultation groups, the presidium)
    at least one meeting every calendar year, 1 January to 31 December (July included).
several per year (BUSSAM)
    at least ``meetings_per_year()`` meetings every calendar year: the
    ``SEVERAL_PER_YEAR_MEETINGS`` setting (default 4).

Bodies that meet on demand (the individforum) or continuously (the secretariat) have no
cadence to check. A meeting counts only once it is held: its date is on or before the day
the check is made for; a meeting booked for later in the term or year does not count yet.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.governance.models import Meeting
from samverkan.organisations.models import Body
from samverkan.organisations.terms import VT, Term
from samverkan.sorting import Swedish

C = Body.Cadence
PER_TERM = C.PER_TERM
PER_YEAR = [C.YEARLY, C.SEVERAL_PER_YEAR]
CHECKED = [PER_TERM, *PER_YEAR]


def meetings_per_year() -> int:
    """How many meetings a year a body meeting "several times a year" (BUSSAM) must hold."""
    return settings.SEVERAL_PER_YEAR_MEETINGS


def required(cadence: str) -> int:
    """Meetings a period the cadence asks for (a term for per-term bodies, else a year)."""
    return meetings_per_year() if cadence == C.SEVERAL_PER_YEAR else 1


@dataclass(frozen=True, order=True)
class Year:
    """A calendar year, the period of the yearly cadences."""

    year: int

    def __str__(self) -> str:
        return str(self.year)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    def previous(self) -> Year:
        return Year(self.year - 1)


def period_of(cadence: str, day: datetime.date) -> Term | Year | None:
    """The period a meeting on ``day`` counts for under ``cadence``: the term it falls in
    (None for a day in July, between the terms), or its year; None for a body without a
    cadence to check."""
    if cadence == PER_TERM:
        return Term.containing(day)
    if cadence in PER_YEAR:
        return Year(day.year)
    return None


def term_name(term: Term) -> str:
    """ "vårterminen 2026", "höstterminen 2026": a term inside a sentence."""
    if term.season == VT:
        return _("vårterminen %(year)s") % {"year": term.year}
    return _("höstterminen %(year)s") % {"year": term.year}


def between_terms(body: Body, day: datetime.date) -> bool:
    """A per-term body's meeting in July, which counts for no term."""
    return body.cadence == PER_TERM and Term.containing(day) is None


def counts_for(body: Body, day: datetime.date) -> str:
    """What a meeting of ``body`` on ``day`` counts for, in a sentence; "" for a body
    without a cadence to check."""
    if between_terms(body, day):
        return _(
            "Mötesdagen %(date)s ligger mellan terminerna: juli hör inte till någon termin, "
            "så mötet räknas varken för vårterminen eller höstterminen %(year)s. Kravet på "
            "minst ett möte per termin uppfylls bara av möten 1 januari–30 juni och "
            "1 augusti–31 december."
        ) % {"date": day.isoformat(), "year": day.year}
    period = period_of(body.cadence, day)
    if isinstance(period, Term):
        return _("Mötet räknas för %(term)s.") % {"term": term_name(period)}
    if isinstance(period, Year):
        return _("Mötet räknas för år %(year)s.") % {"year": period.year}
    return ""


def rule(body: Body) -> str:
    """The body's cadence rule in a sentence: the meeting form's help for the date."""
    if body.cadence == PER_TERM:
        return _(
            "Organet ska mötas minst en gång per termin: vårterminen är 1 januari–30 juni och "
            "höstterminen 1 augusti–31 december. Ett möte i juli ligger mellan terminerna och "
            "räknas inte för någon termin."
        )
    if body.cadence in PER_YEAR:
        n = required(body.cadence)
        return ngettext(
            "Organet ska mötas minst en gång per år. Mötet räknas för det år det hålls, "
            "också i juli.",
            "Organet ska mötas minst %(count)s gånger per år. Mötet räknas för det år det "
            "hålls, också i juli.",
            n,
        ) % {"count": n}
    return ""


def terms_met(bodies, terms, on: datetime.date | None = None) -> dict[int, set[Term]]:
    """{body id: the terms among ``terms`` in which it held a meeting by ``on`` (today)},
    in one query."""
    on = on or timezone.localdate()
    first, last = min(terms).start, min(max(terms).end, on)
    met: dict[int, set[Term]] = defaultdict(set)
    for body_id, held_on in Meeting.objects.filter(
        body__in=bodies, held_on__range=(first, last)
    ).values_list("body_id", "held_on"):
        term = Term.containing(held_on)
        if term in terms:
            met[body_id].add(term)
    return met


def _held(first: datetime.date, on: datetime.date):
    """(body id, date) of every meeting held from ``first`` to ``on`` by a body with a
    cadence to check."""
    return Meeting.objects.filter(
        body__cadence__in=CHECKED, held_on__range=(first, on)
    ).values_list("body_id", "held_on")


def overview(on: datetime.date | None = None):
    """Every body with a cadence to check, and whether it met as it must this period and
    the one before: the per-term bodies by term (with their meetings in July, which count
    for no term), the yearly ones by calendar year. Two queries, whatever the data."""
    on = on or timezone.localdate()
    current = Term.current_or_last(on)
    previous = current.previous()
    year = Year(on.year)
    last_year = year.previous()
    bodies = list(
        Body.objects.filter(cadence__in=CHECKED)
        .select_related("local_group")
        .order_by("level", Swedish("local_group__name"), "kind", Swedish("name"))
    )
    terms: dict[int, set[Term]] = defaultdict(set)
    between: dict[int, list[datetime.date]] = defaultdict(list)
    per_year: dict[tuple[int, Year], int] = defaultdict(int)
    for body_id, held_on in _held(last_year.start, on):
        term = Term.containing(held_on)
        if term is not None:
            terms[body_id].add(term)
        elif held_on >= previous.start:
            between[body_id].append(held_on)
        per_year[body_id, Year(held_on.year)] += 1

    rows, yearly_rows = [], []
    for body in bodies:
        if body.cadence == PER_TERM:
            rows.append(
                {
                    "body": body,
                    "current": current in terms[body.pk],
                    "previous": previous in terms[body.pk],
                    "between": sorted(between[body.pk]),
                }
            )
            continue
        n = required(body.cadence)
        held, held_before = per_year[body.pk, year], per_year[body.pk, last_year]
        yearly_rows.append(
            {
                "body": body,
                "required": n,
                "current_count": held,
                "previous_count": held_before,
                "current": held >= n,
                "previous": held_before >= n,
                "cells": [(held >= n, held), (held_before >= n, held_before)],
            }
        )
    return {
        "on": on,
        "current": current,
        "previous": previous,
        "rows": rows,
        "year": year,
        "last_year": last_year,
        "yearly_rows": yearly_rows,
        "several_per_year": meetings_per_year(),
        "missed": sum(1 for row in rows if not row["current"]),
        "missed_yearly": sum(1 for row in yearly_rows if not row["current"]),
    }
