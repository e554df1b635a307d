"""The yearly follow-up's indicators: counted by the database from the data, never typed in.

``compute(groups, year)`` returns one dict per local group id; ``compute_county(year)`` the
same for every group plus the county's own median and 90th percentile. Both run a fixed
number of queries, whatever the amount of data and however many groups: each indicator is
one aggregate query over all the groups at once (``QUERIES`` for ``compute``; the county adds
the list of groups and, on PostgreSQL, the county's own percentiles).

What is counted, for a calendar year Y (1 January to 31 December, both included):

Individforum
    ``forum.raised``: cases raised in Y (``ForumCase.raised_on`` in Y), by the case's group.
    ``forum.lifted``: those of them now lifted to the steering group or decided by it
    (status ``lifted`` or ``decided``).
    ``days_to_meeting``: for the cases raised in Y whose forum meeting has been held (its
    ``meeting_on`` is on or before ``as_of``, today by default: a meeting only booked does
    not count yet), the days from the need being noticed to the meeting
    (``meeting_on - noticed_on``): how many cases
    (``cases``), the ``median`` and the 90th percentile (``p90``), both by linear
    interpolation between the closest ranks (PostgreSQL's ``percentile_cont``; the same
    arithmetic in Python on other databases), rounded to one decimal; None without cases.

Deviation reports
    ``deviations.total``: reports submitted in Y (``submitted_at`` in Y, local time; drafts
    never count), by the report's group; ``deviations.by_category``: [name, count] for every
    category in use, and for retired ones with reports, in the secretariat's order.

Meetings
    ``meetings``: per body kind (``steering``, ``working``) and term (``vt`` 1 January to
    30 June, ``ht`` 1 August to 31 December; July belongs to no term), the number of meetings
    held (``Meeting.held_on``) by the group's bodies of that kind. A meeting counts once it
    is held: dated on or before ``as_of``; one booked for later does not count yet.

SIP (a plan belongs to the groups of its initiating unit's area; a unit without an area,
one that serves the whole county, belongs to none)
    ``sip.established``: plans established in Y: the plan's first version (``PlanVersion``
    number 1) was created in Y, or ``Plan.established_at`` is in Y. Each plan once.
    ``sip.due``: follow-ups that were due in Y. A plan's due dates are the date its first
    version set (``next_follow_up_on`` in version 1's content) and the next date each
    recorded follow-up set (``FollowUp.next_on``); a revision that moves the date does not
    add one. Only due dates up to ``as_of`` (today, by default) count, so a year still
    running is judged on the dates that have passed.
    ``sip.on_time``: those of the due dates that the plan's next follow-up met: held on or
    before the due date. The first due date is met when any follow-up of the plan was held
    on or before it; a date set by a follow-up F is met when a later follow-up of the plan
    (held after F, or the same day and recorded after it) was held on or before it.
    ``sip.on_time_share``: ``on_time / due``, between 0 and 1; None when nothing was due.
    A plan's status now does not matter: a plan that ends does so with a follow-up that sets
    no next date.

The dict holds only numbers, strings, lists and dicts, so that an approval can keep it as
JSON (``YearlyFollowUp.indicators``) and later pages read it back unchanged.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Cast
from django.utils import timezone

from samverkan import closed_years
from samverkan.deviations.models import Category, Deviation
from samverkan.deviations.stats import SUBMITTED_STEPS
from samverkan.forum.models import ForumCase
from samverkan.governance.models import Meeting
from samverkan.organisations.models import Body, LocalGroup, Unit
from samverkan.organisations.terms import HT, VT, Term
from samverkan.sip.models import FollowUp, Plan, PlanVersion
from samverkan.sorting import Swedish

SCHEMA = 1
MEETING_KINDS = [Body.Kind.STEERING, Body.Kind.WORKING]
LIFTED = [ForumCase.Status.LIFTED, ForumCase.Status.DECIDED]
# The queries ``compute`` runs, whatever the data: forum, days, deviations, categories,
# meetings, the groups' units, SIPs established, first due dates, later due dates.
QUERIES = 9


# --- percentiles ----------------------------------------------------------------------------
def percentile(values, fraction: float) -> float | None:
    """Linear interpolation between the closest ranks, as PostgreSQL's ``percentile_cont``:
    the value at position ``fraction * (n - 1)`` of the sorted values."""
    values = sorted(values)
    if not values:
        return None
    position = fraction * (len(values) - 1)
    low, high = math.floor(position), math.ceil(position)
    return values[low] + (values[high] - values[low]) * (position - low)


def _rounded(value) -> float | None:
    return None if value is None else round(float(value), 1)


def _days_summary(values) -> dict:
    return {
        "cases": len(values),
        "median": _rounded(percentile(values, 0.5)),
        "p90": _rounded(percentile(values, 0.9)),
    }


class _DaysBetween(Func):
    """``end - start`` for two date columns: whole days on PostgreSQL."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


class _PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate; ``fraction`` is a constant of this module."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def uses_database_percentiles() -> bool:
    return connection.vendor == "postgresql"


# --- the queries ----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Year:
    year: int
    as_of: datetime.date

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def due_until(self) -> datetime.date:
        return min(self.end, self.as_of)


def _group_ids(groups) -> list[int]:
    return [group if isinstance(group, int) else group.pk for group in groups]


@dataclass(frozen=True)
class _Scope:
    """The groups counted. For every group of the county the queries leave out the filter on
    the group: the database then starts from the year's rows rather than from each group's
    whole history (the result is the same, every row belonging to one of the groups)."""

    ids: list[int]
    every: bool = False

    def q(self, path: str) -> Q:
        return Q() if self.every else Q(**{f"{path}__in": self.ids})


def _forum(scope: _Scope, period: _Year):
    rows = (
        ForumCase.objects.filter(
            scope.q("local_group_id"), raised_on__range=(period.start, period.end)
        )
        .values("local_group_id")
        .annotate(raised=Count("id"), lifted=Count("id", filter=Q(status__in=LIFTED)))
        .order_by()
    )
    return {
        row["local_group_id"]: {"raised": row["raised"], "lifted": row["lifted"]} for row in rows
    }


def _cases_with_meeting(scope: _Scope, period: _Year):
    """The year's cases whose forum meeting has been held (by ``as_of``), not only booked."""
    return ForumCase.objects.filter(
        scope.q("local_group_id"),
        raised_on__range=(period.start, period.end),
        meeting_on__lte=period.as_of,
    )


def _days(scope: _Scope, period: _Year, *, county: bool = False):
    """{group id: {"cases", "median", "p90"}}, and the same over all the groups when
    ``county`` (one query, or two on PostgreSQL)."""
    cases = _cases_with_meeting(scope, period)
    if uses_database_percentiles():
        days = _DaysBetween(F("meeting_on"), F("noticed_on"))
        figures = {
            "cases": Count("id"),
            "median": _PercentileCont(days, 0.5),
            "p90": _PercentileCont(days, 0.9),
        }
        per_group = {
            row["local_group_id"]: {
                "cases": row["cases"],
                "median": _rounded(row["median"]),
                "p90": _rounded(row["p90"]),
            }
            for row in cases.values("local_group_id").annotate(**figures).order_by()
        }
        overall = None
        if county:
            row = cases.aggregate(**figures)
            overall = {
                "cases": row["cases"],
                "median": _rounded(row["median"]),
                "p90": _rounded(row["p90"]),
            }
        return per_group, overall
    values = defaultdict(list)
    everything = []
    for group_id, meeting_on, noticed_on in cases.values_list(
        "local_group_id", "meeting_on", "noticed_on"
    ):
        days = (meeting_on - noticed_on).days
        values[group_id].append(days)
        everything.append(days)
    per_group = {group_id: _days_summary(days) for group_id, days in values.items()}
    return per_group, (_days_summary(everything) if county else None)


def _deviations(scope: _Scope, period: _Year):
    rows = (
        Deviation.objects.filter(
            scope.q("local_group_id"), step__in=SUBMITTED_STEPS, submitted_at__year=period.year
        )
        .values("local_group_id", "category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for row in rows:
        counts[row["local_group_id"]][row["category_id"]] = row["n"]
    categories = list(
        Category.objects.order_by("position", "name").values_list("id", "name", "is_active")
    )
    result = {}
    for group_id in scope.ids:
        per_category = counts.get(group_id, {})
        result[group_id] = {
            "total": sum(per_category.values()),
            "by_category": [
                [name, per_category.get(pk, 0)]
                for pk, name, active in categories
                if active or per_category.get(pk)
            ],
        }
    return result


def _meetings(scope: _Scope, period: _Year):
    vt, ht = Term.of_year(period.year)
    rows = (
        Meeting.objects.filter(
            scope.q("body__local_group_id"),
            body__kind__in=MEETING_KINDS,
            held_on__range=(period.start, period.due_until),  # held, not only booked
        )
        .values("body__local_group_id", "body__kind")
        .annotate(
            vt=Count("id", filter=Q(held_on__range=(vt.start, vt.end))),
            ht=Count("id", filter=Q(held_on__range=(ht.start, ht.end))),
        )
        .order_by()
    )
    result = defaultdict(lambda: {kind: {VT: 0, HT: 0} for kind in map(str, MEETING_KINDS)})
    for row in rows:
        result[row["body__local_group_id"]][row["body__kind"]] = {VT: row["vt"], HT: row["ht"]}
    return result


def _units_in_groups(scope: _Scope) -> dict[int, list[int]]:
    """{unit id: the groups its area belongs to}, for the units in the scope's groups.

    The SIP queries count per initiating unit and add up here: joined to the groups in the
    database, SQLite would read every plan of every year through the units instead of the
    year's rows.
    """
    units = defaultdict(list)
    for unit_id, group_id in Unit.objects.filter(area__local_groups__in=scope.ids).values_list(
        "pk", "area__local_groups"
    ):
        units[unit_id].append(group_id)
    return units


def _per_group(rows, units, *fields) -> dict[int, dict[str, int]]:
    """Rows counted per initiating unit, added up per group."""
    result: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(fields, 0))
    for row in rows:
        for group_id in units.get(row["unit_id"], ()):
            for name in fields:
                result[group_id][name] += row[name]
    return result


def _initiating_unit(through_plan: bool = False):
    """What the SIP queries count by: the plan's initiating unit, or (``through_plan``) that
    of the row's plan.

    SQLite, once it has statistics, would rather walk every plan of every year in the order
    of the unit index (to save the GROUP BY a sort) than read the year's rows: a unary plus
    keeps the index out of the grouping, and a subquery per row (instead of a join) keeps it
    from starting at the plans. PostgreSQL does best with the plain column and the join.
    """
    if connection.vendor != "sqlite":
        return F("plan__initiating_unit_id" if through_plan else "initiating_unit_id")
    if through_plan:
        plans = Plan.objects.filter(pk=OuterRef("plan_id")).values("initiating_unit_id")
        return Subquery(plans[:1])
    return Func(F("initiating_unit_id"), template="+%(expressions)s", output_field=IntegerField())


def _in_units(scope: _Scope, units, path: str) -> Q:
    return Q() if scope.every else Q(**{f"{path}__in": list(units)})


def _sips_established(scope: _Scope, period: _Year, units):
    first_versions = PlanVersion.objects.filter(number=1, created_at__year=period.year)
    return (
        Plan.objects.filter(_in_units(scope, units, "initiating_unit_id"))
        .filter(Q(established_at__year=period.year) | Q(pk__in=first_versions.values("plan_id")))
        .values(unit_id=_initiating_unit())
        .annotate(n=Count("id"))
        .order_by()
    )


def _first_due_dates(scope: _Scope, period: _Year, units):
    """The due dates version 1 set: (due, met) counts per initiating unit."""
    # The stored ISO text finds the year's versions by index; the cast only reads those.
    due = Cast(F("next_follow_up_on"), DateField())
    met = FollowUp.objects.filter(plan_id=OuterRef("plan_id"), held_on__lte=OuterRef("due"))
    return (
        PlanVersion.objects.filter(
            _in_units(scope, units, "plan__initiating_unit_id"),
            number=1,
            next_follow_up_on__range=(period.start.isoformat(), period.due_until.isoformat()),
        )
        .annotate(due=due)
        .annotate(met=Exists(met))
        .values(unit_id=_initiating_unit(through_plan=True))
        .annotate(due_n=Count("id"), met_n=Count("id", filter=Q(met=True)))
        .order_by()
    )


def _later_due_dates(scope: _Scope, period: _Year, units):
    """The due dates follow-ups set: (due, met) counts per initiating unit."""
    later = Q(held_on__gt=OuterRef("held_on")) | Q(
        held_on=OuterRef("held_on"), id__gt=OuterRef("id")
    )
    met = FollowUp.objects.filter(
        later, plan_id=OuterRef("plan_id"), held_on__lte=OuterRef("next_on")
    )
    return (
        FollowUp.objects.filter(
            _in_units(scope, units, "plan__initiating_unit_id"),
            next_on__range=(period.start, period.due_until),
        )
        .annotate(met=Exists(met))
        .values(unit_id=_initiating_unit(through_plan=True))
        .annotate(due_n=Count("id"), met_n=Count("id", filter=Q(met=True)))
        .order_by()
    )


def _sips(scope: _Scope, period: _Year):
    units = _units_in_groups(scope)
    established = _per_group(_sips_established(scope, period, units), units, "n")
    due = _per_group(
        [*_first_due_dates(scope, period, units), *_later_due_dates(scope, period, units)],
        units,
        "due_n",
        "met_n",
    )
    result = {}
    for group_id in scope.ids:
        n, met = due[group_id]["due_n"], due[group_id]["met_n"]
        result[group_id] = {
            "established": established[group_id]["n"],
            "due": n,
            "on_time": met,
            "on_time_share": round(met / n, 4) if n else None,
        }
    return result


# --- all of it ------------------------------------------------------------------------------
def _compute(ids, year: int, as_of, *, county: bool):
    """Today's numbers are counted now; a closed year's are kept (``closed_years``) until a
    late change touches it."""
    if as_of is not None:
        return _count(ids, year, as_of, county=county)
    return closed_years.remember(
        "indicators",
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
        (tuple(ids), county),
        lambda: _count(ids, year, None, county=county),
    )


def _count(ids, year: int, as_of, *, county: bool):
    period = _Year(year, as_of or timezone.localdate())
    scope = _Scope(ids, every=county)
    forum = _forum(scope, period)
    days, overall = _days(scope, period, county=county)
    deviations = _deviations(scope, period)
    meetings = _meetings(scope, period)
    sips = _sips(scope, period)
    no_days = {"cases": 0, "median": None, "p90": None}
    per_group = {
        group_id: {
            "schema": SCHEMA,
            "year": year,
            "as_of": period.as_of.isoformat(),
            "forum": forum.get(group_id, {"raised": 0, "lifted": 0}),
            "days_to_meeting": days.get(group_id, no_days),
            "deviations": deviations[group_id],
            "meetings": meetings[group_id],
            "sip": sips[group_id],
        }
        for group_id in ids
    }
    return per_group, overall


def compute(groups, year: int, as_of: datetime.date | None = None) -> dict[int, dict]:
    """{group id: the group's indicators for ``year``} for the given groups (instances or
    ids), in ``QUERIES`` queries."""
    per_group, _ = _compute(_group_ids(groups), year, as_of, county=False)
    return per_group


@dataclass
class CountyYear:
    year: int
    groups: list[LocalGroup]
    per_group: dict[int, dict]
    days_overall: dict  # the county's median and p90 over every group's cases


def compute_county(year: int, as_of: datetime.date | None = None) -> CountyYear:
    """Every group's indicators, and the county's own median and p90 of days to meeting."""
    groups = list(LocalGroup.objects.order_by(Swedish("name")))
    per_group, overall = _compute([g.pk for g in groups], year, as_of, county=True)
    return CountyYear(year=year, groups=groups, per_group=per_group, days_overall=overall)


def totals(per_group, days_overall=None) -> dict:
    """The county's sums of the groups' counts (the dicts shown, frozen or live), in the
    same shape as one group's; the median and p90 are the county's own when given."""
    dicts = list(per_group)
    result = {
        "forum": {key: sum(d["forum"][key] for d in dicts) for key in ("raised", "lifted")},
        "days_to_meeting": days_overall
        or {
            "cases": sum(d["days_to_meeting"]["cases"] for d in dicts),
            "median": None,
            "p90": None,
        },
        "deviations": {"total": sum(d["deviations"]["total"] for d in dicts)},
        "meetings": {
            kind: {term: sum(d["meetings"][kind][term] for d in dicts) for term in (VT, HT)}
            for kind in map(str, MEETING_KINDS)
        },
    }
    categories: dict[str, int] = {}
    for d in dicts:
        for name, n in d["deviations"]["by_category"]:
            categories[name] = categories.get(name, 0) + n
    result["deviations"]["by_category"] = [[name, n] for name, n in categories.items()]
    due = sum(d["sip"]["due"] for d in dicts)
    on_time = sum(d["sip"]["on_time"] for d in dicts)
    result["sip"] = {
        "established": sum(d["sip"]["established"] for d in dicts),
        "due": due,
        "on_time": on_time,
        "on_time_share": round(on_time / due, 4) if due else None,
    }
    return result
