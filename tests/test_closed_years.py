"""Numbers for closed years are counted once and kept until a late change touches the year;
the current year is always counted."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samverkan.deviations import stats
from samverkan.deviations.models import Category, Deviation
from samverkan.governance import indicators
from samverkan.governance.models import Meeting
from samverkan.organisations.models import Body

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1
CLOSED = (datetime.date(LAST_YEAR, 1, 1), datetime.date(LAST_YEAR, 12, 31))


def report(staff, school, group, day, **fields):
    return Deviation.objects.create(
        reference=f"AV-{day.year}-{Deviation.objects.count() + 1:04d}", title="Rapport",
        reporting_unit=school, reporter=staff, local_group=group, occurred_on=day,
        what_happened="Det som hände.", consequence="Barnet fick vänta.",
        category=Category.objects.first(), agreement_part="responsibility", step="supervisors",
        submitted_at=timezone.now(), **fields,
    )  # fmt: skip


def queries(function, *args, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        result = function(*args, **kwargs)
    return result, len(captured)


def test_a_closed_year_is_counted_once(staff, school, group):
    report(staff, school, group, datetime.date(LAST_YEAR, 3, 1))
    first, counted = queries(stats.compute, *CLOSED)
    again, kept = queries(stats.compute, *CLOSED)
    assert first.total == again.total == 1
    assert counted > 5 and kept == 0


def test_a_late_report_touches_its_year(staff, school, group):
    stats.compute(*CLOSED)
    report(staff, school, group, datetime.date(LAST_YEAR, 12, 30))
    assert stats.compute(*CLOSED).total == 1


def test_moving_a_report_out_of_the_year_touches_both_years(staff, school, group):
    moved = report(staff, school, group, datetime.date(LAST_YEAR, 6, 1))
    assert stats.compute(*CLOSED).total == 1
    moved = Deviation.objects.get(pk=moved.pk)  # as a form would load it
    moved.occurred_on = datetime.date(LAST_YEAR - 1, 6, 1)
    moved.save()
    assert stats.compute(*CLOSED).total == 0


def test_the_current_year_is_kept_too_and_touched_by_a_new_report(staff, school, group):
    this_year = (datetime.date(LAST_YEAR + 1, 1, 1), datetime.date(LAST_YEAR + 1, 12, 31))
    _, counted = queries(stats.compute, *this_year)
    _, kept = queries(stats.compute, *this_year)
    assert counted > 0 and kept == 0
    report(staff, school, group, timezone.localdate())
    assert stats.compute(*this_year).total == 1


def test_the_yearly_follow_up_of_this_year_is_always_counted(group):
    _, counted = queries(indicators.compute, [group], LAST_YEAR + 1)
    _, again = queries(indicators.compute, [group], LAST_YEAR + 1)
    assert again == counted > 0


def test_the_command_starts_afresh(staff, school, group):
    stats.compute(*CLOSED)
    out = io.StringIO()
    call_command("recompute_reports", stdout=out)
    assert "counted anew" in out.getvalue()
    _, counted = queries(stats.compute, *CLOSED)
    assert counted > 0


def test_a_group_and_the_county_are_kept_apart(staff, school, group):
    report(staff, school, group, datetime.date(LAST_YEAR, 3, 1))
    assert stats.compute(*CLOSED).total == 1
    other = type(group).objects.create(name="BUS Annanstans", slug="annanstans")
    assert stats.compute(*CLOSED, group=other).total == 0
    assert stats.compute(*CLOSED, group=group).total == 1


def test_the_yearly_follow_up_of_a_closed_year_is_kept_until_a_meeting_is_added(group, secretariat):
    steering = Body.objects.create(
        name="Styrgrupp", kind="steering", level="local", local_group=group, cadence="per_term"
    )
    before, counted = queries(indicators.compute, [group], LAST_YEAR)
    _, kept = queries(indicators.compute, [group], LAST_YEAR)
    assert kept < counted
    Meeting.objects.create(
        body=steering, held_on=datetime.date(LAST_YEAR, 3, 1), created_by=secretariat
    )
    after = indicators.compute([group], LAST_YEAR)
    meetings = after[group.pk]["meetings"]
    assert meetings != before[group.pk]["meetings"]
