"""Children: personal numbers, who may see a child, protected identity, search and the
child page, and that every look at a child is in the access log."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from samverkan.audit.models import AccessLog
from samverkan.consent.access import ChildAccess
from samverkan.consent.models import Consent
from samverkan.organisations.models import Unit
from samverkan.organisations.standing import standing
from samverkan.people.models import (
    NAME_NEEDED,
    Child,
    Guardian,
    find_or_register,
    involve,
    normalise_personal_number,
    validate_personal_number,
)
from samverkan.permissions import allowed
from tests.helpers import count_queries, employ

NO_HIT = "Ingen träff bland barn som du har behörighet till."
PROTECTED = "Skyddade personuppgifter"

# Names and contact details that must never reach someone outside the owning unit when the
# child has protected identity.
FIRST, LAST = "Astrid", "Hemligsson"
GUARDIAN_NAME = "Vera Vårdnadsdotter"
GUARDIAN_PHONE = "070-111 22 33"
GUARDIAN_EMAIL = "vera@hem.example"
ADDRESS = "Gömdavägen 7"


# --- Fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def child(school, staff):
    return Child.objects.create(
        personal_number="20170101-2393",
        first_name=FIRST,
        last_name=LAST,
        address=ADDRESS,
        owning_unit=school,
        created_by=staff,
    )


@pytest.fixture
def guardian(child):
    return Guardian.objects.create(
        child=child, name=GUARDIAN_NAME, phone=GUARDIAN_PHONE, email=GUARDIAN_EMAIL
    )


@pytest.fixture
def social_services(municipality, area):
    """Another unit of the same principal as the school."""
    return Unit.objects.create(
        principal=municipality, name="Socialtjänsten Testby", kind=Unit.Kind.SOCIAL_SERVICES,
        area=area,
    )  # fmt: skip


@pytest.fixture
def social_worker(make_user, social_services):
    user = make_user("socialsekreterare@testby.example", first_name="Sam", last_name="Social")
    employ(user, social_services)
    return user


@pytest.fixture
def clinician(make_user, bup):
    """Works at the region's BUP: another principal than the school's."""
    user = make_user("psykolog@bup.example", first_name="Bo", last_name="Psykolog")
    employ(user, bup)
    return user


def consent(child, units, recorded_by, *, given_on=None, valid_until=None, **fields):
    """A written consent in force; by default for the whole child record, recorded by the
    owning unit (so it opens the owning unit's principal's information to ``units``)."""
    today = timezone.localdate()
    fields.setdefault("form", Consent.Form.WRITTEN)
    fields.setdefault("purpose", child)
    fields.setdefault("recorded_by_unit", child.owning_unit)
    made = Consent.objects.create(
        child=child,
        purpose_text="Samordning",
        given_on=given_on or today - datetime.timedelta(days=10),
        valid_until=valid_until or today + datetime.timedelta(days=30),
        recorded_by=recorded_by,
        **fields,
    )
    made.units.set(units)
    return made


def child_url(child):
    return reverse("people:child", args=[child.pk])


def search(client, number):
    return client.get(reverse("people:search"), {"personal_number": number})


# --- Personal numbers -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("20170101-2393", "20170101-2393"),
        ("201701012393", "20170101-2393"),
        ("170101-2393", "20170101-2393"),
        ("1701012393", "20170101-2393"),
        ("  20170101-2393 ", "20170101-2393"),
        ("19121212-1212", "19121212-1212"),
        ("191212121212", "19121212-1212"),
        ("121212+1212", "19121212-1212"),  # "+": a hundred years or older
        ("701063-2391", "19701063-2391"),  # samordningsnummer: day 3 + 60
        ("7010632391", "19701063-2391"),
        ("197010632391", "19701063-2391"),
    ],
)
def test_normalise_personal_number_accepts_10_or_12_digits_with_or_without_separator(given, stored):
    assert normalise_personal_number(given) == stored


@pytest.mark.parametrize(
    "given",
    [
        "20170101-2394",  # wrong check digit
        "19121212-1213",  # wrong check digit
        "1701012394",
        "701063-2392",
        "20170101-239",  # check digit missing
        "20170132-2390",  # no 32nd day
        "20170101-0003",  # serial 000 is never issued
        "2017-01-01-2393",
        "abcdefghijkl",
        "",
    ],
)
def test_normalise_personal_number_rejects_invalid_numbers(given):
    with pytest.raises(ValueError):
        normalise_personal_number(given)
    with pytest.raises(ValidationError) as error:
        validate_personal_number(given)
    assert error.value.code == "invalid_personal_number"


YEAR_DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31))


@given(day=YEAR_DATES, serial=st.integers(1, 999), coordination=st.booleans())
def test_any_number_with_a_correct_luhn_digit_is_accepted_and_no_other(day, serial, coordination):
    day_part = day.day + 60 if coordination else day.day
    short = f"{day:%y%m}{day_part:02d}{serial:03d}"  # YYMMDDNNN: what the check digit covers
    check = int(luhn.calc_check_digit(short))
    long = f"{day.year:04d}{day:%m}{day_part:02d}-{serial:03d}"
    assert normalise_personal_number(f"{long}{check}") == f"{long}{check}"
    assert normalise_personal_number(f"{long}{check}".replace("-", "")) == f"{long}{check}"
    for wrong in set(range(10)) - {check}:
        with pytest.raises(ValueError):
            normalise_personal_number(f"{long}{wrong}")


@pytest.mark.django_db
def test_child_is_stored_normalised_and_knows_a_coordination_number(school, staff):
    child = Child.objects.create(
        personal_number="1701012393", first_name="A", last_name="B", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    child.refresh_from_db()
    assert child.personal_number == "20170101-2393"
    assert not child.is_coordination_number
    coordinated = Child.objects.create(
        personal_number="701063-2391", first_name="C", last_name="D", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    assert coordinated.personal_number == "19701063-2391"
    assert coordinated.is_coordination_number


@pytest.mark.django_db
def test_a_wrong_check_digit_is_an_error_on_the_field(school, staff):
    child = Child(
        personal_number="20170101-2394", first_name="A", last_name="B", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        child.full_clean()
    assert list(error.value.error_dict) == ["personal_number"]


@pytest.mark.django_db
def test_the_search_form_reports_a_wrong_check_digit_on_the_field(client_for, staff, child):
    response = search(client_for(staff), "20170101-2394")
    assert response.status_code == 200
    assert "personal_number" in response.context["form"].errors
    assert response.context["children"] == []
    assert not response.context["searched"]
    assert not AccessLog.objects.filter(action="search").exists()


# --- Each unit's own record -------------------------------------------------------------------
@pytest.mark.django_db
def test_each_unit_keeps_its_own_record_of_a_number(school, bup, staff, clinician):
    """The number is unique per owning unit, not across the county."""
    Child.objects.create(
        personal_number="20170101-2393", first_name="A", last_name="B", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    Child.objects.create(
        personal_number="201701012393", first_name="C", last_name="D", owning_unit=bup,
        created_by=clinician,
    )  # fmt: skip
    assert Child.objects.filter(personal_number="20170101-2393").count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Child.objects.create(
            personal_number="1701012393", first_name="E", last_name="F", owning_unit=school,
            created_by=staff,
        )  # fmt: skip


@pytest.mark.django_db
def test_find_or_register_looks_only_among_the_units_own_records(
    school, bup, staff, clinician, child
):
    # The school's own record is found, whatever name is typed.
    found = find_or_register("20170101-2393", first_name="", last_name="", unit=school, user=staff)
    assert found == child
    # Another unit typing the same number without a name learns nothing and gets nothing.
    assert (
        find_or_register("20170101-2393", first_name="", last_name="", unit=bup, user=clinician)
        is None
    )
    assert Child.objects.count() == 1
    # With a name it registers its own record, with the identity it typed.
    own = find_or_register(
        "20170101-2393", first_name="Anna", last_name="Annandotter", unit=bup, user=clinician,
        protected=True,
    )  # fmt: skip
    assert own != child
    assert (own.owning_unit, own.created_by, own.first_name) == (bup, clinician, "Anna")
    assert own.protected_identity
    child.refresh_from_db()
    assert (child.first_name, child.last_name) == (FIRST, LAST)
    # And finds it again next time.
    again = find_or_register("20170101-2393", first_name="", last_name="", unit=bup, user=clinician)
    assert again == own
    assert "Ange barnets för- och efternamn" in str(NAME_NEEDED)


# --- Who sees a child -------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_owning_unit_sees_the_child(client_for, staff, child):
    response = client_for(staff).get(child_url(child))
    assert response.status_code == 200
    assert f"{FIRST} {LAST}" in response.content.decode()
    assert allowed(staff, "people.view_child", child)
    assert allowed(staff, "people.view_identity", child)
    assert allowed(staff, "people.change_child", child)
    assert response.context["may_change"]


@pytest.mark.django_db
def test_another_unit_of_the_same_principal_does_not_see_the_record_even_when_involved(
    client_for, social_worker, social_services, child
):
    """Taking part in a case or plan shows the child there, never the record."""
    client = client_for(social_worker)
    assert client.get(child_url(child)).status_code == 404
    involve(child, social_services, "Individforum IF-2026-0001")
    assert client.get(child_url(child)).status_code == 404
    assert not allowed(social_worker, "people.view_child", child)
    assert search(client, "20170101-2393").context["children"] == []


@pytest.mark.django_db
def test_a_unit_of_the_same_principal_sees_the_record_when_a_consent_for_it_names_it(
    client_for, social_worker, social_services, staff, child
):
    consent(child, [social_services], staff)
    response = client_for(social_worker).get(child_url(child))
    assert response.status_code == 200
    assert f"{FIRST} {LAST}" in response.content.decode()
    assert not response.context["may_change"]  # only the owning unit changes the record


@pytest.mark.django_db
def test_across_principals_the_child_is_seen_only_while_a_consent_is_valid(
    client_for, clinician, staff, school, bup, child
):
    involve(child, bup, "Individforum IF-2026-0001")
    client = client_for(clinician)
    url = child_url(child)
    assert client.get(url).status_code == 404  # involved, but no consent

    given = consent(child, [bup], staff)
    response = client.get(url)
    assert response.status_code == 200
    assert f"{FIRST} {LAST}" in response.content.decode()

    # Revoked: hidden again at once, with no cache in between.
    Consent.objects.filter(pk=given.pk).update(revoked_on=timezone.localdate())
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts", "ends"),
    [(-30, -1), (1, 30)],  # expired yesterday; starts tomorrow
    ids=["expired", "not-yet-started"],
)
def test_a_consent_out_of_its_period_does_not_show_the_child(
    client_for, clinician, staff, school, bup, child, starts, ends
):
    today = timezone.localdate()
    consent(
        child, [bup], staff,
        given_on=today + datetime.timedelta(days=starts),
        valid_until=today + datetime.timedelta(days=ends),
    )  # fmt: skip
    assert client_for(clinician).get(child_url(child)).status_code == 404


@pytest.mark.django_db
def test_a_consent_must_name_the_viewing_unit(
    client_for, clinician, staff, school, bup, social_services, child
):
    consent(child, [school, social_services], staff)  # not BUP
    assert client_for(clinician).get(child_url(child)).status_code == 404


@pytest.mark.django_db
def test_a_consent_recorded_by_the_receiving_principal_does_not_open_the_record(
    client_for, clinician, staff, school, bup, child
):
    """BUP can open the region's information, never the municipality's record to itself."""
    consent(child, [school, bup], clinician, recorded_by_unit=bup)
    assert client_for(clinician).get(child_url(child)).status_code == 404
    assert not allowed(clinician, "people.view_child", child)


@pytest.mark.django_db
def test_a_verbal_consent_does_not_open_the_record(client_for, clinician, staff, bup, child):
    consent(child, [bup], staff, form=Consent.Form.VERBAL, noted_by=staff)
    assert client_for(clinician).get(child_url(child)).status_code == 404


@pytest.mark.django_db
def test_a_consent_for_another_child_does_not_count(
    client_for, clinician, staff, school, bup, child
):
    other = Child.objects.create(
        personal_number="19121212-1212", first_name="Ola", last_name="Annan", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    involve(child, bup, "Individforum")
    consent(other, [bup], staff)
    assert client_for(clinician).get(child_url(child)).status_code == 404
    assert client_for(clinician).get(child_url(other)).status_code == 200


@pytest.mark.django_db
def test_a_consent_for_a_case_or_a_plan_does_not_open_the_record(
    client_for, clinician, staff, school, bup, group, child
):
    """A consent opens only the occasion it names: the case, or the plan, not the record."""
    from samverkan.forum.models import ForumCase, Invitee
    from samverkan.sip.models import Participant, Plan

    case = ForumCase.objects.create(
        local_group=group, child=child, raised_by_unit=school, raised_by=staff,
        noticed_on=timezone.localdate(), reason="Samordningen har inte fungerat.",
    )  # fmt: skip
    plan = Plan.objects.create(
        child=child, initiating_unit=school, initiated_by=staff, reason="Behov av SIP.",
        chair=staff, secretary=staff,
    )  # fmt: skip
    Invitee.objects.create(case=case, unit=bup)
    Participant.objects.create(plan=plan, kind=Participant.Kind.UNIT, unit=bup)
    involve(child, bup, f"Individforum {case.reference}")
    consent(child, [bup], staff, purpose=case)
    consent(child, [bup], staff, purpose=plan)
    client = client_for(clinician)
    assert client.get(child_url(child)).status_code == 404
    assert search(client, "20170101-2393").context["children"] == []
    # The case and the plan themselves are open to BUP.
    assert allowed(clinician, "forum.view_case_content", case)
    assert allowed(clinician, "sip.view_plan_content", plan)


@pytest.mark.django_db
def test_a_consent_for_the_whole_record_shows_it_to_a_unit_not_involved(
    client_for, clinician, staff, school, bup, child
):
    """Involvement is not needed: the consent for the record names whom it opens to."""
    consent(child, [bup], staff)
    assert not child.involvements.exists()
    assert client_for(clinician).get(child_url(child)).status_code == 200


@pytest.mark.django_db
def test_a_membership_that_has_ended_no_longer_shows_the_child(
    client_for, make_user, school, child
):
    former = make_user("slutat@testskolan.example")
    employ(
        former, school, valid_from=datetime.date(2020, 1, 1),
        valid_to=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip
    assert client_for(former).get(child_url(child)).status_code == 404


@pytest.mark.django_db
def test_child_access_decides_for_many_children_at_once(
    django_assert_max_num_queries, staff, clinician, school, bup, child
):
    other = Child.objects.create(
        personal_number="19121212-1212", first_name="Ola", last_name="Annan", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    involve(child, bup, "Individforum")
    involve(other, bup, "Individforum")
    consent(child, [bup], staff)
    children = list(Child.objects.select_related("owning_unit"))
    ContentType.objects.get_for_model(Child)  # (content types are cached per process)
    # The user's standing (2), then the consents of all the children with their units (2).
    with django_assert_max_num_queries(4):
        access = ChildAccess(clinician)
        access.sharing.prefetch([c.pk for c in children])
        seen = {c.pk for c in children if access.may_see(c)}
    assert seen == {child.pk}
    assert access.units_seeing(child) == [bup]
    assert not access.owns(child)


# --- Protected identity -----------------------------------------------------------------------
def assert_identity_hidden(content: str):
    assert PROTECTED in content
    for secret in (FIRST, LAST, GUARDIAN_NAME, GUARDIAN_PHONE, GUARDIAN_EMAIL, ADDRESS):
        assert secret not in content, secret
    assert "20170101-2393" in content  # the number still shows to those who may see the child


@pytest.mark.django_db
def test_protected_identity_shows_name_and_contacts_only_to_the_owning_unit(
    client_for, staff, social_worker, social_services, clinician, school, bup, child, guardian
):
    child.protected_identity = True
    child.save()
    consent(child, [social_services, bup], staff)

    owner_page = client_for(staff).get(child_url(child)).content.decode()
    for detail in (f"{FIRST} {LAST}", GUARDIAN_NAME, GUARDIAN_PHONE, GUARDIAN_EMAIL, ADDRESS):
        assert detail in owner_page, detail
    assert "Barnet har skyddade personuppgifter" in owner_page

    for viewer in (social_worker, clinician):  # same principal, and across principals
        response = client_for(viewer).get(child_url(child))
        assert response.status_code == 200
        assert response.context["shows_identity"] is False
        assert_identity_hidden(response.content.decode())
        assert not allowed(viewer, "people.view_identity", child)


@pytest.mark.django_db
def test_without_protected_identity_the_units_a_consent_names_see_the_contacts(
    client_for, staff, clinician, bup, child, guardian
):
    consent(child, [bup], staff)
    content = client_for(clinician).get(child_url(child)).content.decode()
    for detail in (f"{FIRST} {LAST}", GUARDIAN_NAME, GUARDIAN_PHONE, GUARDIAN_EMAIL, ADDRESS):
        assert detail in content, detail
    assert PROTECTED not in content


# --- Guardians --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_owning_unit_adds_a_guardian_and_it_is_logged(client_for, staff, child):
    client = client_for(staff)
    url = reverse("people:guardian_add", args=[child.pk])
    assert url == f"/barn/{child.pk}/vardnadshavare/ny/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": GUARDIAN_NAME, "phone": GUARDIAN_PHONE, "email": "", "address": ""}
    )
    assert response.status_code == 302
    assert response.url == child_url(child)
    guardian = Guardian.objects.get(child=child)
    assert (guardian.name, guardian.phone) == (GUARDIAN_NAME, GUARDIAN_PHONE)
    change = AccessLog.objects.get(action="change")
    assert (change.user, change.object_type, change.object_id, change.child_id) == (
        staff,
        "people.guardian",
        str(guardian.pk),
        child.pk,
    )
    assert GUARDIAN_NAME not in change.object_label + change.reason


@pytest.mark.django_db
def test_only_the_owning_unit_adds_guardians(client_for, staff, clinician, outsider, bup, child):
    consent(child, [bup], staff)  # BUP sees the record, but does not own it
    url = reverse("people:guardian_add", args=[child.pk])
    data = {"name": "Någon", "phone": "", "email": "", "address": ""}
    for user, status in ((clinician, 403), (outsider, 404)):
        client = client_for(user)
        assert client.get(url).status_code == status
        assert client.post(url, data).status_code == status
        refusals = AccessLog.objects.filter(user=user, action="denied")
        assert refusals.count() == 2
        for entry in refusals:
            assert (entry.status_code, entry.object_type, entry.object_id, entry.child_id) == (
                status,
                "people.child",
                str(child.pk),
                child.pk,
            )
    assert not Guardian.objects.exists()


# --- Search -----------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["20170101-2393", "201701012393", "170101-2393", "1701012393"])
def test_search_finds_a_visible_child_and_logs_the_search(client_for, staff, child, typed):
    response = search(client_for(staff), typed)
    assert response.status_code == 200
    assert response.context["children"] == [child]
    content = response.content.decode()
    assert child_url(child) in content
    assert NO_HIT not in content
    entry = AccessLog.objects.get(action="search")
    assert entry.user == staff
    assert (entry.object_type, entry.object_id, entry.object_label, entry.child_id) == (
        "people.child",
        str(child.pk),
        f"Barn {child.pk}",
        child.pk,
    )
    assert entry.role == standing(staff).label == "Personal, Testskolan"
    for field in (entry.object_label, entry.reason, entry.role):
        assert FIRST not in field and LAST not in field


def strip_tokens(content: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode())


@pytest.mark.django_db
def test_a_child_one_may_not_see_looks_exactly_like_no_child(
    client_for, social_worker, school, staff, child
):
    client = client_for(social_worker)
    hidden = search(client, "20170101-2393")
    assert hidden.status_code == 200
    assert hidden.context["children"] == []
    assert NO_HIT in hidden.content.decode()
    assert FIRST not in hidden.content.decode()
    assert child_url(child) not in hidden.content.decode()

    # The same number once no child has it: the very same page.
    Child.objects.filter(pk=child.pk).update(personal_number="19121212-1212")
    missing = search(client, "20170101-2393")
    assert strip_tokens(missing.content) == strip_tokens(hidden.content)

    # Both searches are logged. The first names the record it hit (so that the search shows
    # in the child's log extract), and says nothing was shown; the second names nothing.
    first, second = AccessLog.objects.filter(action="search").order_by("id")
    assert first.user == second.user == social_worker
    assert (first.object_type, first.object_id, first.child_id) == (
        "people.child",
        str(child.pk),
        child.pk,
    )
    assert "ingen behörighet, inget visades" in first.reason
    assert (second.object_type, second.object_id, second.object_label, second.child_id) == (
        "",
        "",
        "",
        None,
    )
    assert "ingen träff" in second.reason
    assert AccessLog.objects.filter(action="view").count() == 0


@pytest.mark.django_db
def test_search_shows_each_units_record_separately_and_only_the_visible_ones(
    client_for, staff, clinician, school, bup, child
):
    """BUP registered the same child itself: its search shows its own record, not the
    school's; the search is logged against both records."""
    own = Child.objects.create(
        personal_number="20170101-2393", first_name="Eget", last_name="Namn", owning_unit=bup,
        created_by=clinician,
    )  # fmt: skip
    client = client_for(clinician)
    response = search(client, "20170101-2393")
    assert response.context["children"] == [own]
    content = response.content.decode()
    assert child_url(own) in content and child_url(child) not in content
    assert FIRST not in content
    logged = AccessLog.objects.filter(action="search", user=clinician)
    assert set(logged.values_list("child_id", flat=True)) == {child.pk, own.pk}

    # With a consent for the school's record, both show, each as its own record.
    consent(child, [bup], staff)
    response = search(client, "20170101-2393")
    assert {c.pk for c in response.context["children"]} == {child.pk, own.pk}
    content = response.content.decode()
    assert child_url(own) in content and child_url(child) in content


@pytest.mark.django_db
def test_search_finds_a_child_across_principals_only_with_consent(
    client_for, clinician, staff, school, bup, child
):
    involve(child, bup, "Individforum")
    client = client_for(clinician)
    assert search(client, "20170101-2393").context["children"] == []
    consent(child, [bup], staff)
    assert search(client, "20170101-2393").context["children"] == [child]


@pytest.mark.django_db
def test_search_needs_a_unit(client, client_for, outsider, secretariat, admin_user):
    url = reverse("people:search")
    response = client.get(url, {"personal_number": "20170101-2393"})
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")
    for user in (outsider, secretariat, admin_user):
        assert client_for(user).get(url).status_code == 403, user
    denied = AccessLog.objects.filter(action="denied", status_code=403)
    assert denied.count() == 3
    assert AccessLog.objects.filter(action="search").count() == 0


@pytest.mark.django_db
def test_the_empty_search_page_writes_no_search_entry(client_for, staff):
    response = client_for(staff).get(reverse("people:search"))
    assert response.status_code == 200
    assert not response.context["searched"]
    assert not AccessLog.objects.filter(action="search").exists()


# --- The child page ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_each_view_of_the_child_page_is_logged_without_the_name(client_for, staff, child):
    client = client_for(staff)
    client.get(child_url(child))
    client.get(child_url(child))
    entries = AccessLog.objects.filter(action="view", object_type="people.child")
    assert entries.count() == 2
    for entry in entries:
        assert entry.user == staff
        assert entry.object_id == str(child.pk)
        assert entry.child_id == child.pk
        assert entry.object_label == f"Barn {child.pk}"
        assert entry.status_code is None or entry.status_code == 200
        for field in (entry.object_label, entry.reason, entry.path):
            assert FIRST not in field and LAST not in field and "2393" not in field


@pytest.mark.django_db
def test_a_child_one_may_not_see_is_not_found_and_the_refusal_is_logged(
    client_for, social_worker, outsider, child
):
    for user in (social_worker, outsider):
        response = client_for(user).get(child_url(child))
        assert response.status_code == 404
        assert FIRST not in response.content.decode()
        entry = AccessLog.objects.latest("id")
        assert (entry.action, entry.status_code, entry.user) == ("denied", 404, user)
        assert entry.path == child_url(child)
        # Logged with the record, so that the refusal shows in the child's log extract.
        assert (entry.object_type, entry.object_id, entry.child_id) == (
            "people.child",
            str(child.pk),
            child.pk,
        )
        assert FIRST not in entry.object_label + entry.reason
    assert AccessLog.objects.filter(action="denied").count() == 2
    assert not AccessLog.objects.filter(action="view").exists()


@pytest.mark.django_db
def test_a_child_that_does_not_exist_is_not_found(client_for, staff, child):
    response = client_for(staff).get(reverse("people:child", args=[child.pk + 1000]))
    assert response.status_code == 404
    entry = AccessLog.objects.get()
    assert (entry.action, entry.status_code, entry.object_type, entry.child_id) == (
        "denied",
        404,
        "",
        None,
    )


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_log_in(client, child):
    response = client.get(child_url(child))
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["owner", "across principals"])
def test_the_child_page_runs_the_same_queries_for_1_and_10_related_rows(
    client_for, make_user, staff, clinician, municipality, region, area, school, bup, viewer
):
    def build(number, name, size):
        child = Child.objects.create(
            personal_number=number, first_name=name, last_name="Testsson", owning_unit=school,
            created_by=staff,
        )  # fmt: skip
        involve(child, bup, "Individforum")
        guardians = [Guardian.objects.create(child=child, name=f"VH {i}") for i in range(size)]
        for i in range(size - 1):
            unit = Unit.objects.create(
                principal=region if i % 2 else municipality, name=f"{name} enhet {i}",
                kind=Unit.Kind.OTHER, area=area,
            )  # fmt: skip
            involve(child, unit, f"Skäl {i}")
        for i in range(size):
            made = consent(child, [bup], staff, document=f"consents/2026/{name}-{i}.pdf")
            made.given_by_guardians.set(guardians)
            if i % 3 == 1:
                Consent.objects.filter(pk=made.pk).update(revoked_on=timezone.localdate())
        return child

    one = build("20170101-2393", "En", 1)
    ten = build("19121212-1212", "Tio", 10)
    client = client_for(staff if viewer == "owner" else clinician)
    client.get(child_url(one))  # warm up caches (content types, session)

    response, with_one = count_queries(client, child_url(one))
    assert len(response.context["consents"]) == 1
    response, with_ten = count_queries(client, child_url(ten))
    assert len(response.context["consents"]) == 10
    assert len(response.context["guardians"]) == 10
    assert len(response.context["involvements"]) == 10
    assert with_ten == with_one
