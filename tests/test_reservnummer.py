"""Children without a Swedish number: the reservnummer, its formats, kept apart from the
personnummer everywhere (registering, finding, searching, showing, the no-identity check),
and replaced by the personnummer later with the old number kept in the record's history."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from samverkan.audit.models import AccessLog
from samverkan.consent.models import Consent
from samverkan.forum.models import ForumCase
from samverkan.identity import find_identity, identity_errors, normalise_reserve_number
from samverkan.organisations.models import Body, Membership, Unit, UnitMembership
from samverkan.people.forms import ChildSearchForm
from samverkan.people.models import (
    Child,
    NumberChange,
    NumberTaken,
    find_or_register,
    involve,
    normalise_personal_number,
    replace_reserve_number,
    validate_reserve_number,
)
from samverkan.sip.models import Plan
from tests.helpers import employ, seat

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
RESERVE = "20150612-T042"  # birth date and series
REGION = "991981000010"  # Region Stockholm's format (Inera's example)
PERSONAL = "20170101-2393"  # Skatteverket's test number
OTHER_PERSONAL = "19121212-1212"
FIRST, LAST = "Nadia", "Nyanländ"
NO_HIT = "Ingen träff bland barn som du har behörighet till."


def region_number(year: int, serial: int) -> str:
    body = f"99{year:04d}{serial:05d}"
    return body + luhn.calc_check_digit(body[4:])


# --- the formats ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("20150612-T042", "20150612-T042"),
        ("20150612T042", "20150612-T042"),
        ("20150612-t042", "20150612-T042"),
        (" 20150612 T042 ", "20150612-T042"),
        ("19810829M071", "19810829-M071"),  # Västra Götaland's
        ("20150612-XABC", "20150612-XABC"),
        ("991981000010", "991981000010"),  # Region Stockholm's
        ("991981-000010", "991981000010"),
        ("99198100-0010", "991981000010"),
        (region_number(2024, 123), region_number(2024, 123)),
    ],
)
def test_a_reservnummer_is_a_birth_date_and_a_series_or_region_stockholms_twelve_digits(
    typed, stored
):
    assert normalise_reserve_number(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "20150612-1042",  # only digits after the date: the shape of a personnummer
        "20150612-0T42",  # the series must begin with a letter
        "20150632-T042",  # no 32nd day
        "20150612-TÅ42",  # A-Z only
        "20150612-T04",  # four characters
        "150612-T042",  # the century is needed
        "18991231-T042",  # not a child's birth date
        (TODAY + datetime.timedelta(days=1)).strftime("%Y%m%d-T042"),  # born tomorrow
        "991981000011",  # wrong check digit
        "991979000011",  # before 1980
        region_number(TODAY.year + 1, 1),  # a year to come
        "99198100001",  # eleven digits
        PERSONAL,
        "19121212-1212",
        "2015-06-12-T042",
        "T042",
        "",
    ],
)
def test_anything_else_is_not_a_reservnummer(typed):
    with pytest.raises(ValueError):
        normalise_reserve_number(typed)
    with pytest.raises(ValidationError) as error:
        validate_reserve_number(typed)
    assert error.value.code == "invalid_reserve_number"
    assert "Ange ett giltigt reservnummer" in error.value.messages[0]


@given(year=st.integers(1980, TODAY.year), serial=st.integers(0, 99999))
def test_no_region_stockholm_reservnummer_passes_as_a_personnummer(year, serial):
    """About one in ten of them has a check digit the personnummer library accepts (as
    someone born in the year 99xx): the personnummer field refuses them all."""
    number = region_number(year, serial)
    assert normalise_reserve_number(number) == number
    with pytest.raises(ValueError):
        normalise_personal_number(number)


@given(
    born=st.dates(min_value=datetime.date(1990, 1, 1), max_value=TODAY),
    series=st.from_regex(r"[A-Z][A-Z0-9]{3}", fullmatch=True),
)
def test_no_dated_reservnummer_passes_as_a_personnummer(born, series):
    number = f"{born:%Y%m%d}-{series}"
    assert normalise_reserve_number(number) == number
    with pytest.raises(ValueError):
        normalise_personal_number(number)


# --- the identity check on free text ----------------------------------------------------------
@pytest.mark.parametrize(
    "number",
    ["20150612-T042", "20150612T042", "20150612 T042", "20150612-t042", "991981000010",
     "991981-000010", "99198100-0010"],
)  # fmt: skip
def test_free_text_check_finds_reservnummer(number):
    findings = find_identity(f"Barnet ({number}) fick vänta.")
    assert [(f.kind, f.text) for f in findings] == [("reserve_number", number)]
    assert "Ta bort reservnummer" in str(identity_errors(f"Barnet {number}")[0])


@pytest.mark.parametrize(
    "text",
    [
        "Mötet 20240115 mejl skickades",  # a date and a word
        "Mötet 2024-01-15 kl 10:00",
        "Ärende IF-2026-0001",
        "991981000011",  # wrong check digit
        "20150632-T042",  # no such day
        "18991231-T042",  # before 1900
    ],
)
def test_free_text_check_leaves_ordinary_text(text):
    assert find_identity(text) == []


def test_a_reservnummer_in_a_deviation_report_is_refused_and_nothing_saved(
    client_for, staff, school, group, bup
):
    from samverkan.deviations.models import Category, Deviation

    data = {
        "reporting_unit": school.pk, "local_group": group.pk, "title": "Remiss obesvarad",
        "occurred_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "other_units": [bup.pk], "what_happened": f"Barnet {RESERVE} fick vänta på BUP.",
        "consequence": "Barnet fick vänta.", "done_locally": "Rektor ringde.",
        "category": Category.objects.get(name="Oklart ansvar").pk,
        "agreement_part": "responsibility",
    }  # fmt: skip
    response = client_for(staff).post(reverse("deviations:new"), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["what_happened"])
    assert f"Ta bort reservnummer: ”{RESERVE}”" in errors
    assert not Deviation.objects.exists()


# --- fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def child(school, staff):
    """The school registered a newly arrived child with a reservnummer."""
    return Child.objects.create(
        reserve_number=RESERVE, first_name=FIRST, last_name=LAST, owning_unit=school,
        created_by=staff,
    )  # fmt: skip


@pytest.fixture
def clinician(make_user, bup):
    """BUP: another unit, of another principal."""
    user = make_user("psykolog@bup.example", first_name="Bo", last_name="Psykolog")
    employ(user, bup)
    return user


@pytest.fixture
def social(municipality, area):
    return Unit.objects.create(
        principal=municipality, name="Socialtjänsten Testby", kind="social_services", area=area
    )


@pytest.fixture
def working(group):
    return Body.objects.create(
        name="BUS arbetsgrupp", kind="working", level="local", local_group=group, cadence="per_term"
    )


@pytest.fixture
def convener(make_user, social, working):
    user = make_user("chef@social.example", first_name="Cecilia", last_name="Chef")
    employ(user, social, UnitMembership.Role.MANAGER)
    seat(working, user, Membership.Role.CONVENER, unit=social)
    return user


def consent_for(child, units, recorded_by):
    """A written consent in force for the whole record, recorded by the owning unit."""
    made = Consent.objects.create(
        child=child, purpose=child, purpose_text="Samordning", form=Consent.Form.WRITTEN,
        recorded_by_unit=child.owning_unit, recorded_by=recorded_by, given_by_child=True,
        given_on=TODAY - DAY, valid_until=TODAY + 30 * DAY,
    )  # fmt: skip
    made.units.set(units)
    return made


def child_url(child):
    return reverse("people:child", args=[child.pk])


def replace_url(child):
    return reverse("people:replace_number", args=[child.pk])


def strip_tokens(content: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode())


# --- the record -------------------------------------------------------------------------------
def test_a_record_has_exactly_one_number(school, staff, child):
    assert (child.personal_number, child.reserve_number) == ("", RESERVE)
    assert child.number == RESERVE and str(child.number_label) == "Reservnummer"
    assert child.birth_date() == datetime.date(2015, 6, 12)
    assert not child.is_coordination_number
    region = Child.objects.create(
        reserve_number="991981-000010", first_name="A", last_name="B", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    assert region.reserve_number == REGION
    assert region.birth_date() is None and region.age_on(TODAY) is None  # not in the number
    for numbers in ({}, {"personal_number": PERSONAL, "reserve_number": "20150612-T043"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Child.objects.create(
                first_name="C", last_name="D", owning_unit=school, created_by=staff, **numbers
            )
        with pytest.raises(ValidationError):
            Child(first_name="C", last_name="D", owning_unit=school, created_by=staff,
                  **numbers).full_clean()  # fmt: skip


def test_a_reservnummer_is_unique_per_unit_like_a_personnummer(school, bup, staff, clinician):
    Child.objects.create(
        reserve_number=RESERVE, first_name="A", last_name="B", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    Child.objects.create(
        reserve_number=RESERVE, first_name="C", last_name="D", owning_unit=bup,
        created_by=clinician,
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Child.objects.create(
            reserve_number="20150612t042", first_name="E", last_name="F", owning_unit=school,
            created_by=staff,
        )  # fmt: skip
    # Records without a personnummer do not collide on the empty one.
    Child.objects.create(
        reserve_number=REGION, first_name="G", last_name="H", owning_unit=school, created_by=staff
    )
    assert Child.objects.filter(owning_unit=school, personal_number="").count() == 2


def test_find_or_register_compares_a_reservnummer_only_with_the_units_own_reservnummer(
    school, bup, staff, clinician, child
):
    def find(unit, user, first="", last="", **number):
        return find_or_register(first_name=first, last_name=last, unit=unit, user=user, **number)

    assert find(school, staff, reserve_number=RESERVE) == child
    # Another unit typing it learns nothing and reaches nothing.
    assert find(bup, clinician, reserve_number=RESERVE) is None
    own = find(bup, clinician, "Nora", "Egen", reserve_number=RESERVE)
    assert own != child and (own.owning_unit, own.first_name) == (bup, "Nora")
    child.refresh_from_db()
    assert (child.first_name, child.owning_unit) == (FIRST, school)
    # A personnummer is never looked for among reservnummer, nor the other way round.
    assert find(school, staff, personal_number=PERSONAL) is None
    school_pn = find(school, staff, "Per", "Sson", personal_number=PERSONAL)
    assert find(school, staff, reserve_number=RESERVE) == child != school_pn
    with pytest.raises(ValueError):
        find(school, staff, personal_number=PERSONAL, reserve_number=RESERVE)
    with pytest.raises(ValueError):
        find(school, staff)


def test_after_the_replacement_the_old_reservnummer_still_finds_the_units_record(
    school, bup, staff, clinician, child
):
    replace_reserve_number(child, PERSONAL, staff)
    again = find_or_register(
        reserve_number=RESERVE, first_name="", last_name="", unit=school, user=staff
    )
    assert again == child  # not a second record with the old number
    assert (
        find_or_register(
            reserve_number=RESERVE, first_name="", last_name="", unit=bup, user=clinician
        )
        is None
    )


# --- registering: the forum and the plan ------------------------------------------------------
def raise_data(school, group, convener, **overrides):
    data = {
        "raised_by_unit": school.pk, "local_group": group.pk, "personal_number": "",
        "reserve_number": "20150612t042", "first_name": FIRST, "last_name": LAST,
        "noticed_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
        "reason": "Ingen samordnad planering har kunnat nås.", "convener": convener.pk,
    }  # fmt: skip
    return {**data, **overrides}


def test_raising_a_case_for_a_child_with_a_reservnummer(client_for, staff, school, group, convener):
    client = client_for(staff)
    response = client.post(reverse("forum:raise"), raise_data(school, group, convener))
    case = ForumCase.objects.get()
    assert response.status_code == 302
    assert (case.child.reserve_number, case.child.personal_number) == (RESERVE, "")
    page = client.get(case.get_absolute_url()).text
    assert f"Reservnummer {RESERVE}" in page
    page = client.get(child_url(case.child)).text
    assert "<dt>Reservnummer</dt>" in page and "<dt>Personnummer</dt>" not in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reserve_number": ""}, "personal_number", "eller ett reservnummer om barnet saknar"),
        ({"personal_number": PERSONAL}, "reserve_number", "inte båda"),
        ({"reserve_number": "20150612-1042"}, "reserve_number", "Ange ett giltigt reservnummer"),
        (
            {"reserve_number": "", "personal_number": RESERVE},
            "personal_number",
            "Det här är ett reservnummer, inte ett personnummer",
        ),
        (
            {"reserve_number": "", "personal_number": REGION},
            "personal_number",
            "Det här är ett reservnummer, inte ett personnummer",
        ),
        (
            {"reserve_number": PERSONAL},
            "reserve_number",
            "Det här är ett personnummer eller samordningsnummer, inte ett reservnummer",
        ),
    ],
)
def test_bad_numbers_when_raising_are_told_at_the_field_and_nothing_is_saved(
    client_for, staff, school, group, convener, overrides, field, message
):
    response = client_for(staff).post(
        reverse("forum:raise"), raise_data(school, group, convener, **overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ForumCase.objects.exists() and not Child.objects.exists()


def test_raising_with_another_units_reservnummer_reveals_and_opens_nothing(
    client_for, clinician, bup, group, convener, child
):
    """BUP types the reservnummer the school registered: without a name it is told what
    any unknown number gets; with one it gets a record of its own."""
    client = client_for(clinician)
    response = client.post(
        reverse("forum:raise"),
        raise_data(bup, group, convener, reserve_number=RESERVE, first_name="", last_name=""),
    )
    assert response.status_code == 200
    assert "Ange barnets för- och efternamn" in " ".join(
        response.context["form"].errors["first_name"]
    )
    assert FIRST not in response.text and LAST not in response.text
    assert not ForumCase.objects.exists() and Child.objects.count() == 1
    # Exactly what an unknown number gets.
    unknown = client.post(
        reverse("forum:raise"),
        raise_data(bup, group, convener, reserve_number="20150612-T999", first_name="",
                   last_name=""),
    )  # fmt: skip
    assert response.context["form"].errors == unknown.context["form"].errors

    response = client.post(
        reverse("forum:raise"),
        raise_data(bup, group, convener, reserve_number=RESERVE, first_name="Nora",
                   last_name="Egen"),
    )  # fmt: skip
    case = ForumCase.objects.get()
    assert case.child != child and case.child.owning_unit == bup
    assert case.child.first_name == "Nora"
    assert FIRST not in client.get(case.get_absolute_url()).text
    assert client.get(child_url(child)).status_code == 404
    assert (
        not AccessLog.objects.filter(user=clinician, child_id=child.pk)
        .exclude(action="denied")
        .exists()
    )


def test_starting_a_plan_for_a_child_with_a_reservnummer(client_for, staff, school):
    client = client_for(staff)
    response = client.post(
        reverse("sip:create"),
        {"initiating_unit": school.pk, "personal_number": "", "reserve_number": REGION,
         "first_name": FIRST, "last_name": LAST, "reason": "Behov av insatser från båda."},
    )  # fmt: skip
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert (plan.child.reserve_number, plan.child.personal_number) == (REGION, "")
    assert f"Reservnummer {REGION}" in client.get(plan.get_absolute_url()).text


def test_starting_a_plan_with_another_units_reservnummer_reveals_nothing(
    client_for, clinician, bup, child
):
    client = client_for(clinician)
    data = {"initiating_unit": bup.pk, "reserve_number": RESERVE, "first_name": "",
            "last_name": "", "reason": "Behov av insatser från båda."}  # fmt: skip
    response = client.post(reverse("sip:create"), data)
    assert response.status_code == 200
    assert "Ange barnets för- och efternamn" in " ".join(
        response.context["form"].errors["first_name"]
    )
    assert FIRST not in response.text and not Plan.objects.exists()
    assert Child.objects.count() == 1
    response = client.post(
        reverse("sip:create"), {**data, "first_name": "Nora", "last_name": "Egen"}
    )
    plan = Plan.objects.get()
    assert plan.child != child and plan.child.owning_unit == bup
    assert FIRST not in client.get(plan.get_absolute_url()).text


# --- searching --------------------------------------------------------------------------------
def search(client, **number):
    return client.get(reverse("people:search"), number)


def test_search_by_reservnummer_finds_the_units_own_record_and_logs_it(client_for, staff, child):
    response = search(client_for(staff), reserve_number="20150612t042")
    assert response.context["children"] == [child]
    assert f"(Reservnummer {RESERVE})" in response.text
    entry = AccessLog.objects.get(action="search")
    assert (entry.child_id, entry.reason) == (child.pk, "Sökte barn på reservnummer")
    assert RESERVE not in entry.reason + entry.object_label + entry.path


def test_a_reservnummer_is_never_searched_among_personnummer(client_for, staff, school, child):
    Child.objects.create(
        personal_number=PERSONAL, first_name="Per", last_name="Sson", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    client = client_for(staff)
    assert search(client, personal_number=PERSONAL).context["children"] != [child]
    response = search(client, personal_number=RESERVE)
    assert "personal_number" in response.context["form"].errors
    assert response.context["children"] == []
    form = ChildSearchForm({"personal_number": PERSONAL, "reserve_number": RESERVE})
    assert not form.is_valid() and "inte båda" in str(form.errors["reserve_number"])


def test_another_units_reservnummer_looks_exactly_like_no_record(client_for, clinician, child):
    client = client_for(clinician)
    hidden = search(client, reserve_number=RESERVE)
    assert hidden.context["children"] == [] and NO_HIT in hidden.text
    assert FIRST not in hidden.text and child_url(child) not in hidden.text
    never = search(client, reserve_number="20150612-T999")
    assert strip_tokens(never.content).replace("20150612-T999", "X") == strip_tokens(
        hidden.content
    ).replace(RESERVE, "X")
    first, second = AccessLog.objects.filter(action="search").order_by("id")
    assert first.child_id == child.pk and "ingen behörighet, inget visades" in first.reason
    assert second.child_id is None and "ingen träff" in second.reason


def test_the_old_reservnummer_still_finds_the_record_after_the_replacement(
    client_for, staff, child
):
    replace_reserve_number(child, PERSONAL, staff)
    response = search(client_for(staff), reserve_number=RESERVE)
    assert response.context["children"] == [child]
    assert f"({PERSONAL})" in response.text


# --- replacing the reservnummer ---------------------------------------------------------------
def test_the_owning_unit_replaces_the_reservnummer_and_the_history_is_kept(
    client_for, staff, child
):
    client = client_for(staff)
    page = client.get(child_url(child))
    assert replace_url(child) in page.text and "Ersätt med personnummer" in page.text
    response = client.get(replace_url(child))
    assert response.status_code == 200 and RESERVE in response.text
    response = client.post(replace_url(child), {"personal_number": "1701012393"})
    assert response.status_code == 302 and response.url == child_url(child)

    child.refresh_from_db()
    assert (child.personal_number, child.reserve_number) == (PERSONAL, "")
    change = NumberChange.objects.get()
    assert (change.child, change.old_number, change.new_number, change.changed_by) == (
        child,
        RESERVE,
        PERSONAL,
        staff,
    )
    # The change is in the access log, with the child and without the numbers.
    entry = AccessLog.objects.get(action="change")
    assert (entry.user, entry.object_type, entry.object_id, entry.child_id) == (
        staff,
        "people.child",
        str(child.pk),
        child.pk,
    )
    assert entry.reason == "Ersatte reservnummer med personnummer"
    for number in (RESERVE, PERSONAL):
        assert number not in entry.reason + entry.object_label + entry.path

    page = client.get(child_url(child)).text
    assert "Reservnumret är ersatt med personnumret" in page
    assert "Nummerhistorik" in page and RESERVE in page and PERSONAL in page
    assert "Kim Kurator" in page  # who
    assert "<dt>Personnummer</dt>" in page and replace_url(child) not in page
    # Nothing left to replace.
    assert client.get(replace_url(child)).status_code == 404
    assert AccessLog.objects.filter(action="denied", status_code=404, child_id=child.pk).exists()


def test_those_who_may_see_the_child_see_the_history_but_do_not_replace(
    client_for, staff, clinician, bup, child
):
    replace_reserve_number(child, PERSONAL, staff)
    consent_for(child, [bup], staff)
    client = client_for(clinician)
    page = client.get(child_url(child)).text
    assert "Nummerhistorik" in page and RESERVE in page
    assert client.get(replace_url(child)).status_code == 403  # sees it, does not own it
    other = Child.objects.create(
        reserve_number=REGION, first_name="A", last_name="B", owning_unit=child.owning_unit,
        created_by=staff,
    )  # fmt: skip
    consent_for(other, [bup], staff)
    assert client.get(replace_url(other)).status_code == 403  # sees it, does not own it
    assert client.post(replace_url(other), {"personal_number": OTHER_PERSONAL}).status_code == 403
    other.refresh_from_db()
    assert other.reserve_number == REGION and not other.number_changes.exists()
    refusals = AccessLog.objects.filter(user=clinician, action="denied", child_id=other.pk)
    assert set(refusals.values_list("status_code", flat=True)) == {403}
    assert AccessLog.objects.filter(user=clinician, action="denied", child_id=child.pk).exists()


def test_anonymous_and_outsiders_reach_nothing(client, client_for, outsider, clinician, child):
    response = client.get(replace_url(child))
    assert response.status_code == 302 and response.url.startswith("/konto/login/")
    for user in (outsider, clinician):
        user_client = client_for(user)
        for response in (
            user_client.get(replace_url(child)),
            user_client.post(replace_url(child), {"personal_number": PERSONAL}),
        ):
            assert response.status_code == 404
            assert FIRST not in response.text and RESERVE not in response.text
        refusals = AccessLog.objects.filter(user=user, action="denied")
        assert refusals.count() == 2
        assert set(refusals.values_list("status_code", "object_type", "child_id")) == {
            (404, "people.child", child.pk)
        }
    child.refresh_from_db()
    assert child.reserve_number == RESERVE and not NumberChange.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Fyll i barnets personnummer eller samordningsnummer."),
        ("20170101-2394", "kontrollsiffra"),
        (REGION, "Ange ett giltigt personnummer"),
        (RESERVE, "Ange ett giltigt personnummer"),
    ],
)
def test_a_wrong_personnummer_is_told_at_the_field_and_nothing_changes(
    client_for, staff, child, typed, message
):
    response = client_for(staff).post(replace_url(child), {"personal_number": typed})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["personal_number"])
    child.refresh_from_db()
    assert child.reserve_number == RESERVE and not NumberChange.objects.exists()
    assert not AccessLog.objects.filter(action="change").exists()


def test_a_personnummer_the_unit_has_on_another_record_is_refused_not_merged(
    client_for, staff, school, child
):
    other = Child.objects.create(
        personal_number=PERSONAL, first_name="Per", last_name="Sson", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    response = client_for(staff).post(replace_url(child), {"personal_number": PERSONAL})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["personal_number"])
    assert (
        f"Din verksamhet har redan ett annat barn registrerat med personnumret {PERSONAL}. "
        "Inget har ändrats." in errors
    )
    child.refresh_from_db()
    other.refresh_from_db()
    assert (child.reserve_number, child.personal_number) == (RESERVE, "")
    assert (other.first_name, other.personal_number) == ("Per", PERSONAL)
    assert not NumberChange.objects.exists()
    assert not AccessLog.objects.filter(action="change").exists()
    with pytest.raises(NumberTaken):
        replace_reserve_number(child, PERSONAL, staff)


def test_another_units_record_with_the_personnummer_is_neither_told_nor_touched(
    client_for, staff, clinician, bup, child
):
    """Records are per unit: BUP's record of the same child stays BUP's own."""
    theirs = Child.objects.create(
        personal_number=PERSONAL, first_name="Bups", last_name="Namn", owning_unit=bup,
        created_by=clinician,
    )  # fmt: skip
    response = client_for(staff).post(replace_url(child), {"personal_number": PERSONAL})
    assert response.status_code == 302
    page = client_for(staff).get(child_url(child)).text
    assert "Bups" not in page and "BUP Testby" not in page
    theirs.refresh_from_db()
    assert (theirs.first_name, theirs.owning_unit) == ("Bups", bup)
    assert not AccessLog.objects.filter(user=staff, child_id=theirs.pk).exists()


# --- consent for a child whose reservnummer carries no birth date -----------------------------
def test_a_consent_for_a_child_whose_number_has_no_birth_date(client_for, staff, school, bup):
    child = Child.objects.create(
        reserve_number=REGION, first_name=FIRST, last_name=LAST, owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    involve(child, bup, "Individforum")
    response = client_for(staff).post(
        reverse("consent:add", args=["barn", child.pk]),
        {"recorded_by_unit": school.pk, "given_by_child": "on", "form": "written",
         "units": [bup.pk], "purpose_text": "Samordning", "given_on": TODAY.isoformat(),
         "valid_until": (TODAY + datetime.timedelta(days=90)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 200
    assert "consent/consent_confirm.html" in [t.name for t in response.templates], response.context[
        "form"
    ].errors
