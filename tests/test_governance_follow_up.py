"""The yearly follow-up and the county compilation: every indicator against a small county
counted by hand, the approval (once), the narrative's identity check, who may see and
approve what, the PDF and the spreadsheet, and query counts that do not grow with the data.
"""

import datetime
import io
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from samverkan.audit.models import AccessLog
from samverkan.deviations.models import Category, Deviation
from samverkan.forum.models import ForumCase
from samverkan.governance import indicators, reports
from samverkan.governance.models import Meeting, YearlyFollowUp
from samverkan.organisations.models import Area, Body, LocalGroup, Membership, Unit
from samverkan.organisations.terms import Term
from samverkan.people.models import Child
from samverkan.sip.models import FollowUp, Plan, PlanVersion
from tests.helpers import count_queries, seat
from tests.tagged_pdf import assert_accessible

pytestmark = pytest.mark.django_db

YEAR = 2025
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
D = datetime.date


def staff_unit(user):
    return user.unit_memberships.get().unit


def at(year, month, day, hour=12, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


# --- the hand-counted county ------------------------------------------------------------------
@pytest.fixture
def county(staff, municipality, region, area, school, bup, group, steering):
    """Two groups, Testby (with a steering and a working group) and Norrby (no bodies).

    Forum cases (group, raised, noticed -> meeting = days, status):
      1 Testby 2025-01-10  01-08 -> 01-15 =  7  resolved
      2 Testby 2025-03-01  02-25 -> 03-06 =  9  lifted
      3 Testby 2025-05-02  04-30 -> 05-14 = 14  decided
      4 Testby 2025-09-01  08-20 -> 09-10 = 21  resolved
      5 Testby 2025-11-20  11-19 -> (none)      raised
      6 Testby 2024-12-31  2024-12-20 -> 2025-01-03 = 14  lifted   (a 2024 case)
      7 Norrby 2025-06-01  05-30 -> 06-03 =  4  lifted
      8 Testby 2026-01-02  (not 2025)
    Testby 2025: raised 5, lifted 2; days [7, 9, 14, 21]: median (9+14)/2 = 11.5,
    p90 at rank 0.9*3 = 2.7: 14 + 0.7*(21-14) = 18.9. Testby 2024: 1, 1, [14].
    Norrby 2025: 1, 1, [4]. County 2025 [4, 7, 9, 14, 21]: median 9, p90 at 3.6: 18.2.

    Deviations (group, category, submitted, local time):
      a Testby Oklart ansvar  2025-02-01 12:00   b Testby Oklart ansvar 2025-06-15 12:00
      c Testby Väntetid       2025-12-31 23:30   (still 2025 here, 22:30 UTC)
      d Testby Oklart ansvar  draft              (never counts)
      e Testby Remiss avvisad 2026-01-01 00:30   (2026 here, 2025 in UTC)
      f Testby Väntetid       2024-05-05 12:00   g Norrby Remiss avvisad 2025-03-03 12:00
    Testby 2025: 3 (Oklart ansvar 2, Väntetid 1, Remiss avvisad 0); 2024: 1. Norrby 2025: 1.

    Meetings: Testby steering 2025-03-10 (vt), 2025-07-15 (no term), 2025-10-10 (ht),
    2024-12-31 (ht 2024); Testby working 2025-09-09 (ht).

    SIPs (initiating unit's group; established; version 1's next date; follow-ups held -> next):
      P1 Testby 2025-03-01  2025-06-01  F 2025-05-20 -> 2025-11-01, F 2025-11-15 -> 2026-05-01
      P2 Testby 2025-09-01  2025-12-01  (no follow-up)
      P3 Testby 2024-10-01  2025-02-01  F 2025-02-01 -> 2025-08-01, F 2025-07-20 -> (none)
      P4 Testby draft, never established
      P5 Testby version 1 created 2025-04-04, established_at empty, no next date
      P6 Norrby 2025-05-05  2025-10-10  F 2025-10-11 -> (none)
      P7 a county-wide unit (no area, so no group) 2025-02-02  2025-03-03
      P8 Testby 2025-06-06  2026-02-01
    Testby 2025: established P1 P2 P5 P8 = 4; due 06-01 yes, 11-01 no (held 11-15),
    12-01 no, 02-01 yes (same day), 08-01 yes = 5 due, 3 on time, 60 %.
    Testby 2024: established P3 = 1, nothing due. Norrby 2025: 1 established, 1 due, 0 on time.
    """
    norrby_area = Area.objects.create(
        name="Norrby", kind=Area.Kind.MUNICIPALITY, municipality=municipality
    )
    norrby = LocalGroup.objects.create(name="BUS Norrby", slug="norrby")
    norrby.areas.add(norrby_area)
    norrby_school = Unit.objects.create(
        principal=municipality, name="Norrby skola", kind=Unit.Kind.COMPULSORY_SCHOOL,
        area=norrby_area,
    )  # fmt: skip
    county_wide = Unit.objects.create(principal=region, name="Länshabiliteringen", kind="other")
    working = Body.objects.create(
        name="BUS lokal arbetsgrupp", kind=Body.Kind.WORKING, level=Body.Level.LOCAL,
        local_group=group, cadence=Body.Cadence.PER_TERM,
    )  # fmt: skip
    child = Child.objects.create(
        personal_number="20170101-2393", first_name="Alva", last_name="Test",
        owning_unit=school, created_by=staff,
    )  # fmt: skip

    def case(grp, raised, noticed, meeting, status):
        return ForumCase.objects.create(
            local_group=grp, child=child, raised_by_unit=school, raised_by=staff,
            raised_on=raised, noticed_on=noticed, meeting_on=meeting, status=status,
            reason="Samordningen har inte fungerat.",
        )  # fmt: skip

    case(group, D(2025, 1, 10), D(2025, 1, 8), D(2025, 1, 15), "resolved")
    case(group, D(2025, 3, 1), D(2025, 2, 25), D(2025, 3, 6), "lifted")
    case(group, D(2025, 5, 2), D(2025, 4, 30), D(2025, 5, 14), "decided")
    case(group, D(2025, 9, 1), D(2025, 8, 20), D(2025, 9, 10), "resolved")
    case(group, D(2025, 11, 20), D(2025, 11, 19), None, "raised")
    case(group, D(2024, 12, 31), D(2024, 12, 20), D(2025, 1, 3), "lifted")
    case(norrby, D(2025, 6, 1), D(2025, 5, 30), D(2025, 6, 3), "lifted")
    case(group, D(2026, 1, 2), D(2026, 1, 1), D(2026, 1, 5), "lifted")

    unclear = Category.objects.get(name="Oklart ansvar")
    waiting = Category.objects.get(name="Väntetid")
    referral = Category.objects.get(name="Remiss avvisad")

    def deviation(grp, category, submitted, step="supervisors"):
        return Deviation.objects.create(
            title="Samverkan brast", reporting_unit=school, reporter=staff, local_group=grp,
            occurred_on=(submitted or at(2025, 3, 1)).date(), what_happened="x",
            consequence="y", category=category, agreement_part="responsibility", step=step,
            submitted_at=submitted,
        )  # fmt: skip

    deviation(group, unclear, at(2025, 2, 1))
    deviation(group, unclear, at(2025, 6, 15), step="resolved")
    deviation(group, waiting, at(2025, 12, 31, 23, 30))
    deviation(group, unclear, None, step="draft")
    deviation(group, referral, at(2026, 1, 1, 0, 30))
    deviation(group, waiting, at(2024, 5, 5))
    deviation(norrby, referral, at(2025, 3, 3))

    for body, day in [
        (steering, D(2025, 3, 10)), (steering, D(2025, 7, 15)), (steering, D(2025, 10, 10)),
        (steering, D(2024, 12, 31)), (working, D(2025, 9, 9)),
    ]:  # fmt: skip
        Meeting.objects.create(body=body, held_on=day, created_by=staff)

    def plan(unit, established=None, version_on=None, first_due=""):
        plan = Plan.objects.create(
            child=child, initiating_unit=unit, initiated_by=staff, chair=staff, secretary=staff,
            reason="Behov av insatser från flera huvudmän.",
            status="established" if version_on else "draft",
            established_at=at(*established) if established else None,
        )  # fmt: skip
        if version_on:
            version = PlanVersion.objects.create(
                plan=plan, number=1, created_by=staff,
                content={"next_follow_up_on": first_due, "needs": "Stöd i skolan."},
            )  # fmt: skip
            PlanVersion.objects.filter(pk=version.pk).update(created_at=at(*version_on))
        return plan

    def follow_up(plan, held_on, next_on=None):
        FollowUp.objects.create(plan=plan, held_on=held_on, next_on=next_on, by=staff)

    p1 = plan(school, (2025, 3, 1), (2025, 3, 1), "2025-06-01")
    follow_up(p1, D(2025, 5, 20), D(2025, 11, 1))
    follow_up(p1, D(2025, 11, 15), D(2026, 5, 1))
    plan(bup, (2025, 9, 1), (2025, 9, 1), "2025-12-01")
    p3 = plan(school, (2024, 10, 1), (2024, 10, 1), "2025-02-01")
    follow_up(p3, D(2025, 2, 1), D(2025, 8, 1))
    follow_up(p3, D(2025, 7, 20))
    plan(school)
    plan(bup, None, (2025, 4, 4), "")
    p6 = plan(norrby_school, (2025, 5, 5), (2025, 5, 5), "2025-10-10")
    follow_up(p6, D(2025, 10, 11))
    plan(county_wide, (2025, 2, 2), (2025, 2, 2), "2025-03-03")
    plan(school, (2025, 6, 6), (2025, 6, 6), "2026-02-01")
    return {"testby": group, "norrby": norrby, "working": working, "child": child}


@pytest.fixture
def numbers(county):
    return indicators.compute([county["testby"], county["norrby"]], YEAR, as_of=D(2026, 3, 1))


@pytest.fixture
def before(county):
    return indicators.compute([county["testby"], county["norrby"]], YEAR - 1, as_of=D(2026, 3, 1))


# --- each indicator -------------------------------------------------------------------------
def test_forum_cases_raised_and_lifted(county, numbers, before):
    testby, norrby = county["testby"].pk, county["norrby"].pk
    assert numbers[testby]["forum"] == {"raised": 5, "lifted": 2}
    assert numbers[norrby]["forum"] == {"raised": 1, "lifted": 1}
    assert before[testby]["forum"] == {"raised": 1, "lifted": 1}
    assert before[norrby]["forum"] == {"raised": 0, "lifted": 0}


def test_days_from_noticed_need_to_forum_meeting(county, numbers, before):
    testby, norrby = county["testby"].pk, county["norrby"].pk
    assert numbers[testby]["days_to_meeting"] == {"cases": 4, "median": 11.5, "p90": 18.9}
    assert numbers[norrby]["days_to_meeting"] == {"cases": 1, "median": 4.0, "p90": 4.0}
    assert before[testby]["days_to_meeting"] == {"cases": 1, "median": 14.0, "p90": 14.0}
    assert before[norrby]["days_to_meeting"] == {"cases": 0, "median": None, "p90": None}


def test_the_county_median_is_over_every_case_not_a_median_of_medians(county):
    year = indicators.compute_county(YEAR)
    assert year.days_overall == {"cases": 5, "median": 9.0, "p90": 18.2}


def test_percentile_interpolates_between_ranks_as_percentile_cont():
    assert indicators.percentile([21, 7, 14, 9], 0.5) == 11.5
    assert indicators.percentile([7, 9, 14, 21], 0.9) == pytest.approx(18.9)
    assert indicators.percentile([4], 0.9) == 4
    assert indicators.percentile([], 0.5) is None
    assert indicators.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == pytest.approx(9.1)


def test_deviations_submitted_in_the_year_by_category(county, numbers, before):
    testby, norrby = county["testby"].pk, county["norrby"].pk
    assert numbers[testby]["deviations"]["total"] == 3
    by_category = dict(numbers[testby]["deviations"]["by_category"])
    assert by_category["Oklart ansvar"] == 2
    assert by_category["Väntetid"] == 1
    assert by_category["Remiss avvisad"] == 0
    assert sum(by_category.values()) == 3
    # Every category in use is listed, in the secretariat's order, zeros included.
    names = [name for name, _ in numbers[testby]["deviations"]["by_category"]]
    assert names == list(
        Category.objects.filter(is_active=True)
        .order_by("position", "name")
        .values_list("name", flat=True)
    )
    assert numbers[norrby]["deviations"]["total"] == 1
    assert before[testby]["deviations"]["total"] == 1


def test_a_retired_category_is_listed_only_with_reports(county):
    Category.objects.filter(name="Väntetid").update(is_active=False)
    Category.objects.filter(name="Remiss avvisad").update(is_active=False)
    testby = indicators.compute([county["testby"]], YEAR)[county["testby"].pk]
    names = [name for name, _ in testby["deviations"]["by_category"]]
    assert "Väntetid" in names and "Remiss avvisad" not in names


def test_meetings_per_body_kind_and_term(county, numbers, before):
    testby, norrby = county["testby"].pk, county["norrby"].pk
    assert numbers[testby]["meetings"] == {
        "steering": {"vt": 1, "ht": 1},
        "working": {"vt": 0, "ht": 1},
    }
    assert before[testby]["meetings"]["steering"] == {"vt": 0, "ht": 1}
    assert numbers[norrby]["meetings"] == {
        "steering": {"vt": 0, "ht": 0},
        "working": {"vt": 0, "ht": 0},
    }


def test_meetings_across_the_term_boundary(county, steering, staff):
    """30 June is the spring term's last day, 1 August the autumn's first; July is neither."""
    for day in [D(2026, 6, 30), D(2026, 7, 1), D(2026, 7, 31), D(2026, 8, 1)]:
        Meeting.objects.create(body=steering, held_on=day, created_by=staff)
    testby = indicators.compute([county["testby"]], 2026)[county["testby"].pk]
    assert testby["meetings"]["steering"] == {"vt": 1, "ht": 1}
    lines = {
        line.indicator.key: line for s in reports.sections(testby, testby) for line in s["lines"]
    }
    assert lines["meetings_total"].current == 2  # the two July meetings count for no term


def test_a_meeting_counts_only_once_held(county, steering, staff):
    """Issue 11, item 8: a forum meeting booked for later, or a body's meeting not yet held,
    counts in no indicator until its day has come."""
    testby = county["testby"]
    as_of = D(2025, 9, 5)
    # Held by 5 September: forum cases 1-3 (7, 9, 14 days); case 4's meeting (2025-09-10)
    # is only booked. Meetings: steering 2025-03-10 (vt); steering 2025-10-10 and working
    # 2025-09-09 are still to come.
    numbers = indicators.compute([testby], YEAR, as_of=as_of)[testby.pk]
    assert numbers["days_to_meeting"] == {"cases": 3, "median": 9.0, "p90": 13.0}
    assert numbers["meetings"] == {
        "steering": {"vt": 1, "ht": 0},
        "working": {"vt": 0, "ht": 0},
    }
    # By default the year is judged as of today: a forum meeting and a body's meeting
    # booked for tomorrow count from tomorrow on.
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    ForumCase.objects.create(
        local_group=testby, child=county["child"], raised_by_unit=staff_unit(staff),
        raised_by=staff, raised_on=today, noticed_on=today, meeting_on=tomorrow,
        status="convened", reason="x",
    )  # fmt: skip
    Meeting.objects.create(body=steering, held_on=tomorrow, created_by=staff)

    def counted(year, as_of=None):
        numbers = indicators.compute([testby], year, as_of=as_of)[testby.pk]
        return numbers["days_to_meeting"]["cases"], sum(numbers["meetings"]["steering"].values())

    assert counted(today.year, tomorrow)[0] == counted(today.year)[0] + 1
    in_a_term = Term.containing(tomorrow) is not None
    assert counted(tomorrow.year, tomorrow)[1] == counted(tomorrow.year)[1] + in_a_term


def test_sips_established_in_the_year(county, numbers, before):
    testby, norrby = county["testby"].pk, county["norrby"].pk
    assert numbers[testby]["sip"]["established"] == 4
    assert numbers[norrby]["sip"]["established"] == 1
    assert before[testby]["sip"]["established"] == 1


def test_sip_follow_ups_on_time(county, numbers, before):
    testby, norrby = county["testby"].pk, county["norrby"].pk
    assert numbers[testby]["sip"] == {
        "established": 4, "due": 5, "on_time": 3, "on_time_share": 0.6,
    }  # fmt: skip
    assert numbers[norrby]["sip"] == {
        "established": 1, "due": 1, "on_time": 0, "on_time_share": 0.0,
    }  # fmt: skip
    assert before[testby]["sip"] == {
        "established": 1, "due": 0, "on_time": 0, "on_time_share": None,
    }  # fmt: skip


def test_a_year_still_running_counts_the_due_dates_that_have_passed(county):
    """On 10 November: 06-01 yes, 11-01 no, 02-01 yes, 08-01 yes; 12-01 is still to come."""
    testby = indicators.compute([county["testby"]], YEAR, as_of=D(2025, 11, 10))
    assert testby[county["testby"].pk]["sip"]["due"] == 4
    assert testby[county["testby"].pk]["sip"]["on_time"] == 3


def test_a_follow_up_the_same_day_but_recorded_later_meets_the_date(county, staff, school):
    plan = Plan.objects.create(
        child=county["child"], initiating_unit=school, initiated_by=staff, chair=staff,
        secretary=staff, reason="x", status="established", established_at=at(2023, 1, 1),
    )  # fmt: skip
    FollowUp.objects.create(plan=plan, held_on=D(2025, 4, 1), next_on=D(2025, 4, 1), by=staff)
    FollowUp.objects.create(plan=plan, held_on=D(2025, 4, 1), by=staff)
    testby = indicators.compute([county["testby"]], YEAR)[county["testby"].pk]
    assert (testby["sip"]["due"], testby["sip"]["on_time"]) == (6, 4)


def test_indicators_keep_as_json(numbers):
    import json

    assert json.loads(json.dumps(numbers[next(iter(numbers))])) == numbers[next(iter(numbers))]


def test_compute_runs_a_fixed_number_of_queries(county):
    groups = [county["testby"], county["norrby"]]
    with CaptureQueriesContext(connection) as few:
        indicators.compute(groups[:1], YEAR)
    with CaptureQueriesContext(connection) as many:
        indicators.compute(groups, YEAR)
    assert len(few) == len(many) == indicators.QUERIES


# --- the group's page, the narrative and the approval ----------------------------------------
def url(group, year=YEAR):
    return reverse("governance:follow_up", args=[group.slug, year])


@pytest.fixture
def chair(make_user, steering):
    user = make_user("ordforande@testby.example", first_name="Olle", last_name="Ordförande")
    seat(steering, user, role=Membership.Role.CHAIR, function="Förvaltningschef")
    return user


@pytest.fixture
def member(make_user, county):
    user = make_user("ledamot@testby.example", first_name="Lena", last_name="Ledamot")
    seat(county["working"], user)
    return user


def test_the_page_shows_the_year_beside_the_year_before(client_for, member, county):
    response = client_for(member).get(url(county["testby"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Årlig uppföljning 2025, BUS Testby" in html
    lines = {
        line.indicator.key: (line.current_display, line.previous_display)
        for section in response.context["sections"]
        for line in section["lines"]
    }
    assert lines["forum_raised"] == ("5", "1")
    assert lines["days_median"] == ("11,5", "14,0")
    assert lines["sip_share"] == ("60\u00a0%", "–")
    assert lines["steering_ht"] == ("1", "1")
    assert ("Oklart ansvar", 2, 0) in response.context["categories"]
    assert response.context["form"] is None  # a member reads, only the steering group approves
    assert 'value="approve"' not in html


def test_the_chair_approves_once_and_the_numbers_freeze(client_for, chair, county, staff):
    client = client_for(chair)
    assert 'value="approve"' in client.get(url(county["testby"])).content.decode()
    response = client.post(
        url(county["testby"]), {"narrative": "Forumet möts snabbare.", "action": "approve"}
    )
    assert response.status_code == 302
    record = YearlyFollowUp.objects.get(local_group=county["testby"], year=YEAR)
    assert record.approved_by == chair and record.approved_at is not None
    assert record.narrative == "Forumet möts snabbare."
    live = indicators.compute([county["testby"]], YEAR)[county["testby"].pk]
    assert record.indicators == live
    assert AccessLog.objects.filter(user=chair, action="change").exists()

    # New data after the approval: the follow-up keeps its numbers and says so.
    ForumCase.objects.create(
        local_group=county["testby"], child=county["child"], raised_by_unit=staff_unit(staff),
        raised_by=staff, raised_on=D(2025, 12, 1), noticed_on=D(2025, 12, 1),
        reason="Sent registrerat.",
    )  # fmt: skip
    response = client.get(url(county["testby"]))
    lines = {line.indicator.key: line for s in response.context["sections"] for line in s["lines"]}
    assert lines["forum_raised"].current == 5
    assert response.context["changed_since"] is True
    assert response.context["form"] is None
    assert "Godkänd" in response.content.decode()

    # Approving again: a clear message, nothing changed.
    approved_at = record.approved_at
    response = client.post(
        url(county["testby"]), {"narrative": "Ny text.", "action": "approve"}, follow=True
    )
    assert "redan godkänd. Inget har ändrats." in response.content.decode()
    record.refresh_from_db()
    assert record.approved_at == approved_at and record.narrative == "Forumet möts snabbare."
    assert record.indicators == live
    # Saving the narrative is refused the same way.
    client.post(url(county["testby"]), {"narrative": "Ändrad.", "action": "save"})
    record.refresh_from_db()
    assert record.narrative == "Forumet möts snabbare."


def test_an_approval_that_raced_another_changes_nothing(chair, county):
    """Two people pressing "Godkänn" at the same moment: the second finds it approved."""
    from samverkan.governance import follow_up_views

    first = follow_up_views._store(county["testby"], YEAR, "Först.", chair)
    with pytest.raises(follow_up_views._AlreadyApproved):
        follow_up_views._store(county["testby"], YEAR, "Sedan.", chair)
    with pytest.raises(follow_up_views._AlreadyApproved):
        follow_up_views._store(county["testby"], YEAR, "Bara text.")
    record = YearlyFollowUp.objects.get()
    assert record.narrative == "Först." and record.approved_at == first.approved_at


def test_saving_the_narrative_does_not_approve(client_for, chair, county):
    client = client_for(chair)
    client.post(url(county["testby"]), {"narrative": "Ett utkast.", "action": "save"})
    record = YearlyFollowUp.objects.get(local_group=county["testby"], year=YEAR)
    assert record.narrative == "Ett utkast." and record.approved_at is None
    assert record.indicators is None
    client.post(url(county["testby"]), {"narrative": "Utkast två.", "action": "save"})
    record.refresh_from_db()
    assert record.narrative == "Utkast två."
    assert YearlyFollowUp.objects.count() == 1


def test_the_narrative_carries_no_identity(client_for, chair, county):
    response = client_for(chair).post(
        url(county["testby"]),
        {"narrative": "Barnet 20170101-2393 fick vänta.", "action": "approve"},
    )
    assert response.status_code == 200
    assert "narrative" in response.context["form"].errors
    assert "personnummer" in response.content.decode()
    assert not YearlyFollowUp.objects.exists()


def test_approval_needs_a_narrative(client_for, chair, county):
    response = client_for(chair).post(
        url(county["testby"]), {"narrative": " ", "action": "approve"}
    )
    assert response.status_code == 200 and "narrative" in response.context["form"].errors
    assert not YearlyFollowUp.objects.filter(approved_at__isnull=False).exists()


def test_a_year_not_yet_over_cannot_be_approved(client_for, chair, county):
    this_year = timezone.localdate().year
    response = client_for(chair).post(
        url(county["testby"], this_year), {"narrative": "Tidigt.", "action": "approve"}
    )
    assert response.status_code == 200
    assert "Året är inte slut" in response.content.decode()
    assert not YearlyFollowUp.objects.exists()


@pytest.mark.parametrize("year", [1999, 2100])
def test_years_without_a_follow_up_are_not_found(client_for, secretariat, county, year):
    client = client_for(secretariat)
    assert client.get(url(county["testby"], year)).status_code == 404
    assert client.get(reverse("governance:county", args=[year])).status_code == 404


# --- who may see and approve -------------------------------------------------------------------
def all_urls(county):
    return [
        reverse("governance:follow_ups"),
        url(county["testby"]),
        reverse("governance:county_latest"),
        reverse("governance:county", args=[YEAR]),
        reverse("governance:county_pdf", args=[YEAR]),
        reverse("governance:county_xlsx", args=[YEAR]),
    ]


def test_anonymous_users_are_sent_to_log_in(client, county):
    for address in all_urls(county):
        response = client.get(address)
        assert response.status_code == 302 and "/konto/login/" in response.url, address
    response = client.post(url(county["testby"]), {"narrative": "x", "action": "approve"})
    assert response.status_code == 302 and "/konto/login/" in response.url


@pytest.mark.parametrize("who", ["outsider", "staff", "manager"])
def test_others_may_see_nothing(client_for, request, county, who):
    client = client_for(request.getfixturevalue(who))
    for address in all_urls(county):
        assert client.get(address).status_code == 403, address
    response = client.post(url(county["testby"]), {"narrative": "x", "action": "approve"})
    assert response.status_code == 403
    assert not YearlyFollowUp.objects.exists()


def test_a_member_sees_the_own_group_only(client_for, member, county):
    client = client_for(member)
    assert client.get(url(county["testby"])).status_code == 200
    assert client.get(url(county["norrby"])).status_code == 403
    response = client.get(reverse("governance:follow_ups"))
    assert [row["group"] for row in response.context["rows"]] == [county["testby"]]
    assert (
        client.post(url(county["testby"]), {"narrative": "x", "action": "approve"}).status_code
        == 403
    )
    assert client.get(reverse("governance:county", args=[YEAR])).status_code == 403


def test_the_steering_chair_approves_the_own_group_only(client_for, chair, county, make_user):
    norrby_steering = Body.objects.create(
        name="BUS Norrby styrgrupp", kind=Body.Kind.STEERING, level=Body.Level.LOCAL,
        local_group=county["norrby"], cadence=Body.Cadence.PER_TERM,
    )  # fmt: skip
    # A plain seat in Norrby's steering group lets the chair read Norrby's, not approve it.
    seat(norrby_steering, chair)
    client = client_for(chair)
    assert client.get(url(county["norrby"])).context["form"] is None
    response = client.post(url(county["norrby"]), {"narrative": "x", "action": "approve"})
    assert response.status_code == 403
    assert not YearlyFollowUp.objects.filter(local_group=county["norrby"]).exists()
    response = client.post(url(county["testby"]), {"narrative": "Bra år.", "action": "approve"})
    assert response.status_code == 302
    assert YearlyFollowUp.objects.get(local_group=county["testby"]).approved_by == chair
    assert client.get(reverse("governance:county", args=[YEAR])).status_code == 403


def test_a_working_group_chair_does_not_approve(client_for, make_user, county):
    user = make_user("arbetsgrupp@testby.example")
    seat(county["working"], user, role=Membership.Role.CHAIR)
    response = client_for(user).post(url(county["testby"]), {"narrative": "x", "action": "approve"})
    assert response.status_code == 403


def test_a_former_chair_no_longer_approves(client_for, make_user, county, steering):
    user = make_user("forra@testby.example")
    Membership.objects.create(
        body=steering, user=user, role=Membership.Role.CHAIR, function="Förvaltningschef",
        valid_from=D(2019, 1, 1), valid_to=D(2024, 12, 31),
    )  # fmt: skip
    assert client_for(user).get(url(county["testby"])).status_code == 403


def test_the_secretariat_sees_everything_and_approves_nothing(client_for, secretariat, county):
    client = client_for(secretariat)
    for address in all_urls(county):
        assert client.get(address).status_code in (200, 302), address
    response = client.get(reverse("governance:follow_ups") + f"?ar={YEAR}")
    assert [row["group"].name for row in response.context["rows"]] == ["BUS Norrby", "BUS Testby"]
    assert client.get(url(county["norrby"])).context["form"] is None
    response = client.post(url(county["testby"]), {"narrative": "x", "action": "approve"})
    assert response.status_code == 403


def test_the_list_shows_the_chosen_years_status(client_for, secretariat, chair, county):
    YearlyFollowUp.objects.create(
        local_group=county["testby"], year=2024, narrative="Klart.", approved_at=at(2025, 2, 1),
        approved_by=chair, indicators={},
    )  # fmt: skip
    client = client_for(secretariat)
    html = client.get(reverse("governance:follow_ups") + "?ar=2024").content.decode()
    assert "Godkänd 2025-02-01" in html and "1 av 2 uppföljningar är godkänd." in html
    html = client.get(reverse("governance:follow_ups") + "?ar=2025").content.decode()
    assert "Godkänd" not in html.split("<tbody>")[1]


def test_secretariat_start_page_links_to_the_county(client_for, secretariat):
    html = client_for(secretariat).get(reverse("home")).content.decode()
    assert reverse("governance:county_latest") in html and "Länets årliga uppföljning" in html


def test_the_latest_county_follow_up_is_last_year(client_for, secretariat):
    response = client_for(secretariat).get(reverse("governance:county_latest"))
    last_year = timezone.localdate().year - 1
    assert response.status_code == 302
    assert response.url == reverse("governance:county", args=[last_year])


# --- the county compilation -------------------------------------------------------------------
def test_county_page_sets_every_group_beside_the_year_before(client_for, secretariat, county):
    response = client_for(secretariat).get(reverse("governance:county", args=[YEAR]))
    assert response.status_code == 200
    report = response.context["report"]
    panels = {panel.key: panel for panel in report.panels}
    forum = panels["forum"]
    assert forum.columns == [
        "Anmälda 2025", "Anmälda 2024", "Lyfta till styrgruppen 2025",
        "Lyfta till styrgruppen 2024",
    ]  # fmt: skip
    assert [(row.label, row.values) for row in forum.rows] == [
        ("BUS Norrby", [1, 0, 1, 0]),
        ("BUS Testby", [5, 1, 2, 1]),
    ]
    assert forum.total.values == [6, 1, 3, 1]
    days = panels["days"]
    assert days.rows[1].values == [11.5, 14.0, 18.9, 14.0, 4, 1]
    assert days.total.values[:3] == [9.0, 14.0, 18.2]  # the county's own median and p90
    assert panels["sip_on_time"].total.values[:4] == [0.5, None, 6, 3]
    categories = {row.label: row.values for row in panels["categories"].rows}
    assert categories["Remiss avvisad"] == [1, 0]
    html = response.content.decode()
    assert html.count("<svg") == len([p for p in report.panels if p.chart])
    assert "style=" not in "".join(p.chart for p in report.panels if p.chart)
    summary = {
        line.indicator.key: (line.current, line.previous)
        for section in report.summary
        for line in section["lines"]
    }
    assert summary["forum_raised"] == (6, 1)
    assert summary["deviations"] == (4, 1)
    assert summary["sip_established"] == (5, 1)
    assert AccessLog.objects.filter(
        user=secretariat, action="view", reason__contains="2025"
    ).exists()


def test_county_uses_the_approved_numbers(client_for, secretariat, chair, county):
    frozen = indicators.compute([county["testby"]], YEAR)[county["testby"].pk]
    frozen["forum"] = {"raised": 50, "lifted": 20}  # as if the data changed afterwards
    YearlyFollowUp.objects.create(
        local_group=county["testby"], year=YEAR, narrative="Klart.", approved_at=at(2026, 2, 1),
        approved_by=chair, indicators=frozen,
    )  # fmt: skip
    report = (
        client_for(secretariat).get(reverse("governance:county", args=[YEAR])).context["report"]
    )
    forum = next(panel for panel in report.panels if panel.key == "forum")
    assert forum.rows[1].values[0] == 50 and forum.total.values[0] == 51
    assert report.approved == 1


def ask_for_county(client, name, capture, year=YEAR):
    """Press the county page's button: the file is made in the background (at once in the
    tests, once the request has committed); returns the answer and the export."""
    from samverkan.exports.models import Export

    with capture(execute=True):
        response = client.post(reverse(f"governance:{name}", args=[year]))
    return response, Export.objects.order_by("-created_at").first()


def download(client, export):
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200
    return response


def test_the_county_page_asks_for_the_files_with_a_post(client_for, secretariat, county):
    html = client_for(secretariat).get(reverse("governance:county", args=[YEAR])).text
    form = html.split(f'action="{reverse("governance:county_pdf", args=[YEAR])}"', 1)[1]
    form = form.split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form and ">Skapa PDF</button>" in form
    assert f'formaction="{reverse("governance:county_xlsx", args=[YEAR])}"' in form
    assert ">Skapa kalkylblad (Excel)</button>" in form


def test_county_pdf(client_for, secretariat, county, django_capture_on_commit_callbacks):
    client = client_for(secretariat)
    response, export = ask_for_county(client, "county_pdf", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response.url == export.get_absolute_url()
    assert export.kind == "governance.county.pdf" and export.status == "ready"
    assert export.params == {"year": YEAR, "user": secretariat.pk}
    assert export.title == "Länets årliga uppföljning som PDF 2025"
    response = download(client, export)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="bus-lansuppfoljning-2025.pdf"' in response["Content-Disposition"]
    pdf = assert_accessible(
        response.content,
        title="Länets årliga uppföljning av BUS 2025",
        reading_order=[
            "Länets årliga uppföljning av BUS 2025", "Godkända uppföljningar", "Lokal grupp",
            "BUS Norrby", "Hela länet", "Indikator", "Anmälda ärenden 6 1",
        ],
    )  # fmt: skip
    assert len(pdf.of_kind("Figure")) == 7  # every chart, each with its title as its text
    entry = AccessLog.objects.get(action="export", reason__contains="PDF 2025")
    assert entry.user == secretariat and entry.object_id == str(export.pk)


@pytest.mark.parametrize("name", ["county_pdf", "county_xlsx"])
def test_a_county_export_get_goes_back_to_the_page(client_for, secretariat, county, name):
    from samverkan.exports.models import Export

    response = client_for(secretariat).get(reverse(f"governance:{name}", args=[YEAR]))
    assert response.status_code == 302
    assert response.url == reverse("governance:county", args=[YEAR])
    assert not Export.objects.exists()


@pytest.mark.parametrize("name", ["county_pdf", "county_xlsx"])
@pytest.mark.parametrize("who", ["chair", "member", "staff", "outsider"])
def test_only_the_county_readers_ask_for_its_files(client_for, request, county, name, who):
    from samverkan.exports.models import Export

    client = client_for(request.getfixturevalue(who))
    assert client.post(reverse(f"governance:{name}", args=[YEAR])).status_code == 403
    assert not Export.objects.exists()


def test_no_file_for_a_year_without_a_follow_up(client_for, secretariat, county):
    response = client_for(secretariat).post(reverse("governance:county_pdf", args=[1999]))
    assert response.status_code == 404


def test_county_pdf_markup_has_every_chart_with_its_table(rf, secretariat, county):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = secretariat
    context = reports.context(reports.county(YEAR))
    html = render_to_string("governance/county_pdf.html", context, request)
    charts = [panel for panel in context["report"].panels if panel.chart]
    assert len(charts) == 7 and html.count("<svg") == 7
    assert html.count("<table") == 2 + 7
    assert "Alva" not in html and "2393" not in html


def test_county_xlsx(client_for, secretariat, county, django_capture_on_commit_callbacks):
    client = client_for(secretariat)
    response, export = ask_for_county(client, "county_xlsx", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response.url == export.get_absolute_url()
    response = download(client, export)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bus-lansuppfoljning-2025.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Sammanfattning", "Godkännanden", "Individforum", "Dagar till forummöte", "Avvikelser",
        "Avvikelser per kategori", "Möten", "SIP fastställda", "SIP-uppföljningar",
    ]  # fmt: skip
    summary = workbook["Sammanfattning"]
    assert summary["A1"].value == "Länets årliga uppföljning av BUS 2025"
    values = {row[0]: row[1:3] for row in summary.iter_rows(min_row=4, values_only=True) if row[0]}
    assert values["Anmälda ärenden"] == (6, 1)
    assert values["Dagar från uppmärksammat behov till forummöte, median"] == (9.0, 14.0)
    assert values["Andel uppföljningar i tid"] == (50.0, None)
    forum = list(workbook["Individforum"].iter_rows(values_only=True))
    assert forum[0][0] == "Lokal grupp"
    assert forum[1:] == [
        ("BUS Norrby", 1, 0, 1, 0), ("BUS Testby", 5, 1, 2, 1), ("Hela länet", 6, 1, 3, 1),
    ]  # fmt: skip
    sip = list(workbook["SIP-uppföljningar"].iter_rows(values_only=True))
    assert sip[0][1] == "Andel i tid 2025 (%)"
    assert sip[2][:2] == ("BUS Testby", 60.0)


# --- the query count does not grow with the data ----------------------------------------------
def grow(county, staff, municipality, n):
    """n more groups, each with an area, a unit, bodies, meetings, cases, reports and plans."""
    category = Category.objects.get(name="Väntetid")
    for i in range(n):
        area = Area.objects.create(
            name=f"Område {i}", kind=Area.Kind.MUNICIPALITY, municipality=municipality
        )
        grp = LocalGroup.objects.create(name=f"BUS Grupp {i:02d}", slug=f"grupp-{i}")
        grp.areas.add(area)
        unit = Unit.objects.create(
            principal=municipality, name=f"Skola {i}", kind="preschool", area=area
        )
        for kind in (Body.Kind.STEERING, Body.Kind.WORKING):
            body = Body.objects.create(
                name=f"{kind} {i}", kind=kind, level=Body.Level.LOCAL, local_group=grp,
                cadence=Body.Cadence.PER_TERM,
            )  # fmt: skip
            Meeting.objects.create(body=body, held_on=D(2025, 3, 1 + i % 28), created_by=staff)
        for j in range(3):
            ForumCase.objects.create(
                local_group=grp, child=county["child"], raised_by_unit=unit, raised_by=staff,
                raised_on=D(2025, 2, 1 + j), noticed_on=D(2025, 1, 20 + j),
                meeting_on=D(2025, 2, 3 + j * i % 20), status="lifted", reason="x",
            )  # fmt: skip
            Deviation.objects.create(
                title="x", reporting_unit=unit, reporter=staff, local_group=grp,
                occurred_on=D(2025, 3, 1), what_happened="x", consequence="y",
                category=category, agreement_part="sip", step="forum",
                submitted_at=at(2025, 3, 1 + j),
            )  # fmt: skip
            plan = Plan.objects.create(
                child=county["child"], initiating_unit=unit, initiated_by=staff, chair=staff,
                secretary=staff, reason="x", status="established",
                established_at=at(2025, 4, 1 + j),
            )  # fmt: skip
            PlanVersion.objects.create(
                plan=plan, number=1, created_by=staff, content={"next_follow_up_on": "2025-06-01"}
            )
            FollowUp.objects.create(
                plan=plan, held_on=D(2025, 5, 20 + j), next_on=D(2025, 10, 1), by=staff
            )


def test_county_query_count_is_constant(client_for, secretariat, county, staff, municipality):
    client = client_for(secretariat)
    address = reverse("governance:county", args=[YEAR])
    _, small = count_queries(client, address)
    grow(county, staff, municipality, 6)
    response, large = count_queries(client, address)
    assert len(response.context["report"].statuses) == 2 + 6
    forum = next(panel for panel in response.context["report"].panels if panel.key == "forum")
    assert forum.total.values[0] == 6 + 18
    assert large == small


def test_follow_up_page_query_count_is_constant(client_for, chair, county, staff, municipality):
    client = client_for(chair)
    _, small = count_queries(client, url(county["testby"]))
    grow(county, staff, municipality, 4)
    for _ in range(5):
        ForumCase.objects.create(
            local_group=county["testby"], child=county["child"], raised_by_unit=staff_unit(staff),
            raised_by=staff, raised_on=D(2025, 4, 1), noticed_on=D(2025, 3, 30),
            meeting_on=D(2025, 4, 2), reason="x",
        )  # fmt: skip
    _, large = count_queries(client, url(county["testby"]))
    assert large == small
