"""Deviation statistics for the secretariat: the patterns page and the yearly compilation.

Everything is counted by the database. A period is a span of event dates (``occurred_on``,
both ends included) over submitted reports (every step but the draft). The number of
queries does not grow with the number of reports: each breakdown is one aggregate query.

No reporter is named here: the secretariat reads the reports pseudonymised.

Recurrence: a pair of units (the reporting unit and one of the other units, in either
direction) with two or more reports in the period is flagged. ``recurring_pair_ids`` and
``recurring_deviation_ids`` give the same flag to any other view.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractQuarter, ExtractYear, Greatest, Least
from django.utils.translation import gettext_lazy as _

from samverkan import closed_years
from samverkan.deviations.models import Category, Deviation
from samverkan.organisations.models import LocalGroup, Principal, Unit
from samverkan.sorting import Swedish

Step = Deviation.Step
Judgement = Deviation.Judgement
SUBMITTED_STEPS = [step for step in Step.values if step != Step.DRAFT]
PAIR_SEPARATOR = " ↔ "
RECURRING_MINIMUM = 2
# Quarters without reports are shown as zero rows, unless the period is longer than this.
MAX_FILLED_QUARTERS = 40


@dataclass(frozen=True)
class Row:
    label: str
    count: int


@dataclass
class Breakdown:
    """One way of counting the reports: a chart and a table each."""

    key: str
    title: str
    heading: str  # the table's first column
    sheet: str  # the spreadsheet tab (at most 31 characters)
    rows: list[Row]
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(row.count for row in self.rows)

    def as_dict(self) -> dict[str, int]:
        return {row.label: row.count for row in self.rows}


@dataclass(frozen=True)
class RecurringPair:
    units: tuple[str, str]
    count: int
    references: tuple[str, ...]
    deviation_ids: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return PAIR_SEPARATOR.join(self.units)

    @property
    def links(self) -> list[tuple[int, str]]:
        return list(zip(self.deviation_ids, self.references, strict=True))


@dataclass
class DeviationStats:
    date_from: datetime.date
    date_to: datetime.date
    total: int
    principled: int
    by_category: Breakdown
    by_kind_pair: Breakdown
    by_group: Breakdown
    by_quarter: Breakdown
    by_step: Breakdown
    by_judgement: Breakdown
    principled_questions: list[dict] = field(default_factory=list)
    judgements: list[dict] = field(default_factory=list)
    recurring: list[RecurringPair] = field(default_factory=list)
    group: LocalGroup | None = None  # one local group's reports; None: the county's

    @property
    def breakdowns(self) -> list[Breakdown]:
        per_group = [] if self.group else [self.by_group]
        return [
            self.by_category,
            self.by_kind_pair,
            *per_group,
            self.by_quarter,
            self.by_step,
            self.by_judgement,
        ]

    @property
    def judged(self) -> int:
        return len(self.judgements)


# --- the reports counted ------------------------------------------------------------------------
def submitted(date_from: datetime.date, date_to: datetime.date, group=None):
    """Submitted reports whose event falls in the period (both ends included); with a
    group, only those the group handles."""
    return Deviation.objects.filter(_in_period("", date_from, date_to, group))


def _in_period(prefix: str, date_from, date_to, group=None) -> Q:
    condition = Q(
        **{
            f"{prefix}step__in": SUBMITTED_STEPS,
            f"{prefix}occurred_on__gte": date_from,
            f"{prefix}occurred_on__lte": date_to,
        }
    )
    if group is not None:
        condition &= Q(**{f"{prefix}local_group": group})
    return condition


def quarter_label(year: int, quarter: int) -> str:
    return f"{year} Q{quarter}"


def quarters_between(date_from: datetime.date, date_to: datetime.date) -> list[tuple[int, int]]:
    first = date_from.year * 4 + (date_from.month - 1) // 3
    last = date_to.year * 4 + (date_to.month - 1) // 3
    return [(index // 4, index % 4 + 1) for index in range(first, last + 1)]


# --- kinds of units -----------------------------------------------------------------------------
UNIT_KINDS = list(Unit.Kind.values)
PRINCIPAL_KINDS = list(Principal.Kind.values)


def _kind_order(kind: tuple[str, str]) -> tuple[int, int, str]:
    """Unit kinds in their list order, then principal kinds; unknown values last."""
    space, value = kind
    values = UNIT_KINDS if space == "unit" else PRINCIPAL_KINDS
    position = values.index(value) if value in values else len(values)
    return (0 if space == "unit" else 1, position, value)


def _kind_label(kind: tuple[str, str]) -> str:
    space, value = kind
    choices = Unit.Kind if space == "unit" else Principal.Kind
    return str(choices(value).label) if value in choices.values else value


def _kind_pairs(date_from, date_to, group=None) -> list[Row]:
    """Reporting unit's kind ↔ each other party's kind, unordered, once per report.

    A report has one reporting unit, so the same report never yields both (A, B) and (B, A)
    unless A is B: summing the ordered counts of distinct reports is therefore exact.
    """
    period = _in_period("deviation__", date_from, date_to, group)
    unit_rows = (
        Deviation.other_units.through.objects.filter(period)
        .values(a=F("deviation__reporting_unit__kind"), b=F("unit__kind"))
        .annotate(n=Count("deviation_id", distinct=True))
        .order_by()
    )
    principal_rows = (
        Deviation.other_principals.through.objects.filter(period)
        .values(a=F("deviation__reporting_unit__kind"), b=F("principal__kind"))
        .annotate(n=Count("deviation_id", distinct=True))
        .order_by()
    )
    counts: dict[tuple, int] = defaultdict(int)
    for space, rows in (("unit", unit_rows), ("principal", principal_rows)):
        for row in rows:
            pair = sorted([("unit", row["a"]), (space, row["b"])], key=_kind_order)
            counts[tuple(pair)] += row["n"]
    rows = [
        Row(PAIR_SEPARATOR.join(_kind_label(kind) for kind in pair), n)
        for pair, n in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row.count, row.label))


# --- recurrence ---------------------------------------------------------------------------------
def _unit_pairs(deviations):
    """One row per (report, other unit), with the unordered pair of unit ids as low/high."""
    return (
        Deviation.other_units.through.objects.filter(deviation__in=deviations)
        .exclude(unit_id=F("deviation__reporting_unit_id"))
        .annotate(
            low=Least("deviation__reporting_unit_id", "unit_id"),
            high=Greatest("deviation__reporting_unit_id", "unit_id"),
        )
    )


def recurring_pair_counts(deviations, minimum: int = RECURRING_MINIMUM):
    """Pairs of units with ``minimum`` or more of the given reports: dicts low, high, n."""
    return (
        _unit_pairs(deviations)
        .values("low", "high")
        .annotate(n=Count("deviation_id", distinct=True))
        .filter(n__gte=minimum)
        .order_by("-n", "low", "high")
    )


def recurring_pair_ids(deviations, minimum: int = RECURRING_MINIMUM) -> set[tuple[int, int]]:
    """The unordered pairs of unit ids, (lower id, higher id), that ``minimum`` or more of
    ``deviations`` (a queryset of reports, chosen by the caller) have between them.

    A report belongs to a flagged pair when its reporting unit and one of its other units,
    sorted, are in the set: ``pair_key(report.reporting_unit_id, unit_id) in pairs``.
    """
    return {(row["low"], row["high"]) for row in recurring_pair_counts(deviations, minimum)}


def pair_key(unit_id: int, other_id: int) -> tuple[int, int]:
    return (min(unit_id, other_id), max(unit_id, other_id))


def recurring_deviation_ids(deviations, minimum: int = RECURRING_MINIMUM) -> set[int]:
    """The ids of those of ``deviations`` that belong to a recurring pair (two queries)."""
    pairs = recurring_pair_ids(deviations, minimum)
    if not pairs:
        return set()
    rows = (
        _unit_pairs(deviations)
        .filter(low__in={low for low, _ in pairs}, high__in={high for _, high in pairs})
        .values_list("low", "high", "deviation_id")
    )
    return {deviation_id for low, high, deviation_id in rows if (low, high) in pairs}


def _unit_label(unit: Unit) -> str:
    return f"{unit.name}, {unit.principal.name}"


def recurring_pairs(deviations, minimum: int = RECURRING_MINIMUM) -> list[RecurringPair]:
    """The flagged pairs with their counts and references (at most three queries)."""
    flagged = list(recurring_pair_counts(deviations, minimum))
    if not flagged:
        return []
    lows = {row["low"] for row in flagged}
    highs = {row["high"] for row in flagged}
    references: dict[tuple[int, int], list[tuple[str, int]]] = defaultdict(list)
    rows = (
        _unit_pairs(deviations)
        .filter(low__in=lows, high__in=highs)
        .values_list("low", "high", "deviation__reference", "deviation_id")
        .distinct()
        .order_by("deviation__reference", "deviation_id")
    )
    for low, high, reference, deviation_id in rows:
        references[(low, high)].append((reference or "", deviation_id))
    units = {
        unit.pk: unit
        for unit in Unit.objects.filter(pk__in=lows | highs).select_related("principal")
    }
    result = []
    for row in flagged:
        key = (row["low"], row["high"])
        refs = references.get(key, [])
        result.append(
            RecurringPair(
                units=(_unit_label(units[key[0]]), _unit_label(units[key[1]])),
                count=row["n"],
                references=tuple(reference for reference, _ in refs),
                deviation_ids=tuple(deviation_id for _, deviation_id in refs),
            )
        )
    return result


# --- all of it ----------------------------------------------------------------------------------
def compute(
    date_from: datetime.date, date_to: datetime.date, group: LocalGroup | None = None
) -> DeviationStats:
    """Every number of the patterns page and the compilation, for the period: the county's,
    or with ``group`` one local group's (every count, list and recurring pair narrowed).
    Kept (``closed_years``) until a report dated in the period's years changes."""
    return closed_years.remember(
        "deviations",
        date_from,
        date_to,
        group.pk if group else None,
        lambda: _compute(date_from, date_to, group),
        timeless=True,  # counted from the reports alone, whatever today is
    )


def _compute(date_from, date_to, group) -> DeviationStats:
    base = submitted(date_from, date_to, group)
    totals = base.aggregate(total=Count("id"), principled=Count("id", filter=Q(is_principled=True)))

    categories = (
        Category.objects.annotate(
            n=Count("deviations", filter=_in_period("deviations__", date_from, date_to, group))
        )
        .filter(Q(is_active=True) | Q(n__gt=0))
        .order_by("position", "name")
        .values_list("name", "n")
    )
    groups = LocalGroup.objects.filter(pk=group.pk) if group else LocalGroup.objects.all()
    groups = (
        groups.annotate(
            n=Count("deviations", filter=_in_period("deviations__", date_from, date_to))
        )
        .order_by(Swedish("name"))
        .values_list("name", "n")
    )

    per_quarter = {
        (row["year"], row["quarter"]): row["n"]
        for row in base.annotate(
            year=ExtractYear("occurred_on"), quarter=ExtractQuarter("occurred_on")
        )
        .values("year", "quarter")
        .annotate(n=Count("id"))
        .order_by()
    }
    quarters = quarters_between(date_from, date_to)
    if len(quarters) > MAX_FILLED_QUARTERS:
        quarters = sorted(per_quarter)
    by_quarter = [Row(quarter_label(*q), per_quarter.get(q, 0)) for q in quarters]

    per_step = dict(base.values_list("step").annotate(n=Count("id")).order_by())
    per_judgement = dict(base.values_list("judgement").annotate(n=Count("id")).order_by())

    principled_questions = list(
        base.filter(is_principled=True)
        .order_by("reference", "id")
        .values("id", "reference", "title", "principled_question", "local_group__name", "step")
    )
    for row in principled_questions:
        row["step_label"] = Step(row["step"]).label
    judgements = list(
        base.exclude(judgement="")
        .order_by("reference", "id")
        .values("id", "reference", "title", "judgement", "judgement_note")
    )
    for row in judgements:
        row["judgement_label"] = (
            Judgement(row["judgement"]).label
            if row["judgement"] in Judgement.values
            else row["judgement"]
        )

    return DeviationStats(
        date_from=date_from,
        date_to=date_to,
        total=totals["total"],
        principled=totals["principled"],
        by_category=Breakdown(
            "category",
            _("Kategorier"),
            _("Kategori"),
            _("Kategorier"),
            [Row(name, n) for name, n in categories],
        ),
        by_kind_pair=Breakdown(
            "kinds",
            _("Par av verksamhetstyper"),
            _("Rapporterande ↔ annan part"),
            _("Verksamhetstyper"),
            _kind_pairs(date_from, date_to, group),
            note=_(
                "Den rapporterande verksamhetens typ och varje annan parts typ (huvudmannens typ "
                "när ingen verksamhet är angiven). Ett par räknas en gång per rapport; en "
                "rapport med flera andra parter räknas i flera par."
            ),
        ),
        by_group=Breakdown(
            "groups",
            _("Lokala BUS-grupper"),
            _("Lokal grupp"),
            _("Lokala grupper"),
            [Row(name, n) for name, n in groups],
        ),
        by_quarter=Breakdown(
            "quarters",
            _("Kvartal"),
            _("Kvartal"),
            _("Kvartal"),
            by_quarter,
            note=_("Efter datum för händelsen."),
        ),
        by_step=Breakdown(
            "steps",
            _("Steg"),
            _("Steg"),
            _("Steg"),
            [Row(str(Step(step).label), per_step.get(step, 0)) for step in SUBMITTED_STEPS],
            note=_("Var rapporterna står nu."),
        ),
        by_judgement=Breakdown(
            "judgements",
            _("Sekretariatets bedömningar"),
            _("Bedömning"),
            _("Bedömningar"),
            [Row(str(label), per_judgement.get(value, 0)) for value, label in Judgement.choices],
        ),
        principled_questions=principled_questions,
        judgements=judgements,
        recurring=recurring_pairs(base),
        group=group,
    )
